/*
 * A small campaign with known figures, for the report and comparison tests. Counted by hand:
 *
 *   code/hypervisor      5 runs: 5 recovered (latency 10, 20, 30, 40, 50 ms), policy no-locks
 *   failstop/hypervisor 10 runs: 1 not activated, 1 not manifested, 6 recovered (latency 1..6 ms),
 *                                1 not recovered (VM lost; its recovery completed in 2 ms), 1 undetected
 *   register/dom0        4 runs: 2 not activated, 2 undetected (nothing detected: no recovery rate)
 *
 * Recovery latency samples (completed recoveries), sorted: 1 2 2 3 4 5 6 10 20 30 40 50 (12), so by
 * nearest rank p50 = rank 6 = 5, p90 = rank 11 = 40, p99 = rank 12 = 50, max = 50.
 * Policies: full (failstop and register runs: 14 runs, 7 detected, 6 recovered) and no-locks
 * (5 runs, 5 detected, 5 recovered).
 */
package dev.rehype.results;

import java.util.ArrayList;
import java.util.List;

import dev.rehype.campaign.Reason;
import dev.rehype.campaign.RunRecord;

/** The hand-counted campaign. */
final class ReportFixture {

    private ReportFixture() {
    }

    static CampaignMetadata metadata() {
        return new CampaignMetadata(TestRuns.CAMPAIGN, "name: unit\n", TestRuns.ROOT_SEED, 1, 1, List.of(
                new PolicyInfo("full", "microreboot", List.of("release-locks", "reset-evtchn")),
                new PolicyInfo("no-locks", "microreboot", List.of("reset-evtchn"))));
    }

    static List<RunRecord> runs() {
        List<RunRecord> runs = new ArrayList<>();
        long i = 0;
        for (int k = 1; k <= 5; k++) {
            runs.add(TestRuns.recovered(i++, "code", "hypervisor", "no-locks", k * 10_000_000L));
        }
        runs.add(TestRuns.notActivated(i++, "failstop", "hypervisor"));
        runs.add(TestRuns.notManifested(i++, "failstop", "hypervisor"));
        for (int k = 1; k <= 6; k++) {
            runs.add(TestRuns.recovered(i++, "failstop", "hypervisor", "full", k * 1_000_000L));
        }
        runs.add(TestRuns.notRecovered(i++, "failstop", "hypervisor", "full", Reason.VM_LOST));
        runs.add(TestRuns.undetected(i++, "failstop", "hypervisor", Reason.CRASH));
        runs.add(TestRuns.notActivated(i++, "register", "dom0"));
        runs.add(TestRuns.notActivated(i++, "register", "dom0"));
        runs.add(TestRuns.undetected(i++, "register", "dom0", Reason.WRONG_OUTPUT));
        runs.add(TestRuns.undetected(i, "register", "dom0", Reason.HANG));
        return runs;
    }

    static CampaignData data() {
        return new CampaignData(List.of(new StoredShard(java.nio.file.Path.of("unit.duckdb"), metadata(),
                java.util.Optional.of(new GoldenRun("goldhash", List.of(new GoldenRun.VmDigest("compute", "c0ffee00")))),
                java.util.Optional.of(new DeterminismCheck(4, List.of())))), runs());
    }

    static CampaignReport report() {
        return CampaignReport.of(data());
    }
}
