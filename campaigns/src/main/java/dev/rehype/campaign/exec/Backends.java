package dev.rehype.campaign.exec;

import dev.rehype.campaign.spec.CampaignSpec;

/**
 * The one place that decides how a campaign's runs are executed. Today: hypervisor failstops
 * through {@link FailstopBackend}. The fault injector's backend (every fault type and target)
 * plugs in here.
 */
public final class Backends {
    private Backends() {
    }

    /** The backend that executes {@code spec}'s runs. */
    public static InjectionBackend forSpec(CampaignSpec spec) {
        return new FailstopBackend(spec);
    }
}
