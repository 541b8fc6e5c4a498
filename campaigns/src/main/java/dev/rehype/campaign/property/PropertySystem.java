package dev.rehype.campaign.property;

import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.FaultEntry;
import dev.rehype.campaign.spec.FaultType;
import dev.rehype.campaign.spec.Limits;
import dev.rehype.campaign.spec.PolicySpec;
import dev.rehype.campaign.spec.SystemSpec;
import dev.rehype.campaign.spec.TriggerWindow;
import dev.rehype.recovery.RecoveryMode;

import java.util.List;
import java.util.Locale;

/**
 * What every try of a recovery property runs on: a campaign system ({@link #HOST_BUILT}, the
 * campaigns' default system; {@link #IO}, the Dom0-built I/O system), or {@link #NONE} — nothing
 * runs, the property sees only the generated plans (drawn on the host-built system's sites).
 */
public enum PropertySystem {
    HOST_BUILT, IO, NONE;

    /** The campaign system whose sites plans are drawn on (and which runs them, unless {@link #NONE}). */
    public SystemSpec systemSpec() {
        return this == IO ? SystemSpec.io() : SystemSpec.standard();
    }

    /** The trigger window campaigns use by default on this system. */
    public TriggerWindow defaultWindow() {
        return this == IO ? TriggerWindow.IO_DEFAULT : TriggerWindow.DEFAULT;
    }

    /**
     * The campaign whose backend prepares this system for properties: the system, its seed (as a
     * campaign's root seed) and the cycle limit; the fault mix and the policy are unused (the kit
     * gives each run its plan and policy).
     */
    public CampaignSpec campaignSpec(long systemSeed, long maxCycles) {
        PropertySystem kind = this == NONE ? HOST_BUILT : this;
        return new CampaignSpec("property-" + kind.label(), "@RecoveryProperty", kind.systemSpec(), "hypervisor",
                List.of(new FaultEntry(FaultType.FAILSTOP, 1, 0, kind.defaultWindow())), false,
                List.of(PolicySpec.all(RecoveryMode.MICROREBOOT)), false, 1, systemSeed,
                new Limits(maxCycles, Limits.DEFAULT_WALL_CLOCK_SECONDS));
    }

    /** "host-built", "io" or "none". */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
