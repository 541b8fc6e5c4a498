package dev.rehype.campaign.spec;

import java.util.List;

/**
 * A campaign as its spec file describes it (schema in campaigns/README.md): the system, the
 * target, the fault mix, the recovery policies (one, or several swept for an ablation), the
 * number of fault draws, the root seed and the per-run limits. Each draw is run once under each
 * policy, so a campaign has {@code draws * policies.size()} runs.
 *
 * @param name      the campaign's name (records carry it)
 * @param source    where the spec came from (a file name), for messages
 * @param system    the domains
 * @param target    {@code hypervisor}, {@code dom0}, {@code driver} or {@code appvm:<name>}
 * @param faults    the fault mix, all by weight or all by count
 * @param byCount   true when the mix gives counts
 * @param policies  one policy, or the policies of a sweep in the spec's order
 * @param sweep     true when {@code policies} is a sweep (an ablation)
 * @param draws     fault draws (the spec's {@code runs}); with counts, their sum
 * @param rootSeed  the root seed
 * @param limits    per-run limits
 */
public record CampaignSpec(String name, String source, SystemSpec system, String target, List<FaultEntry> faults,
                           boolean byCount, List<PolicySpec> policies, boolean sweep, long draws, long rootSeed,
                           Limits limits) {
    public CampaignSpec {
        faults = List.copyOf(faults);
        policies = List.copyOf(policies);
    }

    /** Every run of the campaign: each draw under each policy. */
    public long totalRuns() {
        return draws * policies.size();
    }
}
