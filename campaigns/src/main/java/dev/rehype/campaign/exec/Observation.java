package dev.rehype.campaign.exec;

import dev.rehype.campaign.RunRecord;

import java.util.List;

/**
 * Everything an executor observed in one injection run, before any judgement: the resolved fault
 * plan, activation, detection, what recovery did (and whether it completed), how every VM ended,
 * the management check after recovery, whether the run's cycle limit ran out, virtual time and
 * the final state hash. The outcome classifier turns it into an outcome and a reason.
 */
public record Observation(String faultPlan, RunRecord.Activation activation, RunRecord.Detection detection,
                          RunRecord.Recovery recovery, List<VmEnd> vms, ManagementCheck management,
                          boolean cycleLimitHit, long virtualCycles, String finalStateHash) {
    public Observation {
        vms = List.copyOf(vms);
    }
}
