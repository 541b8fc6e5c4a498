package dev.rehype.campaign.exec;

import dev.rehype.campaign.spec.CampaignSpec;

/**
 * The one place that decides how a campaign's runs are executed: through the fault injector
 * ({@link InjectorBackend}: every fault type into the hypervisor, Dom0 or an AppVM).
 */
public final class Backends {
    private Backends() {
    }

    /** The backend that executes {@code spec}'s runs. */
    public static InjectionBackend forSpec(CampaignSpec spec) {
        return new InjectorBackend(spec);
    }
}
