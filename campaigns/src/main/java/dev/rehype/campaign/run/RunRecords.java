package dev.rehype.campaign.run;

import dev.rehype.campaign.Classification;
import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.exec.Observation;
import dev.rehype.campaign.plan.RunTask;
import dev.rehype.campaign.spec.CampaignSpec;

/** Assembles the stored record of one run from its task, observations and classification. */
public final class RunRecords {
    private RunRecords() {
    }

    public static RunRecord of(CampaignSpec spec, RunTask task, Observation o, Classification c, long wallNanos) {
        return new RunRecord(spec.name(), task.runIndex(), spec.rootSeed(), task.runSeed(), task.faultType().label(),
                task.target(), o.faultPlan(), task.policy().name(), o.activation(), o.detection(), o.recovery(),
                c.outcome(), c.reason(), c.vms(), o.virtualCycles(), wallNanos, o.finalStateHash());
    }
}
