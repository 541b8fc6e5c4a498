package dev.rehype.campaign.property;

import dev.rehype.campaign.Classification;
import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.exec.GoldenRun;
import dev.rehype.campaign.exec.Observation;
import dev.rehype.fault.FaultPlan;
import dev.rehype.fault.InjectionResult;

/**
 * One try of a system-backed recovery property, run as a campaign run: the plan, the fault
 * injector's result (activations, detections, recoveries, audit, final state hash), the campaign
 * executor's observation (how every VM ended, the management check), the outcome classifier's
 * judgement, and the golden run it was judged against.
 */
public record PropertyRun(FaultPlan plan, InjectionResult injection, Observation observation,
                          Classification classification, GoldenRun golden) {
    /** The run's outcome (not activated, not manifested, recovered, not recovered, undetected). */
    public Outcome outcome() {
        return classification.outcome();
    }
}
