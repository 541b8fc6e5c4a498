package dev.rehype.campaign.exec;

import dev.rehype.fault.InjectionResult;

/**
 * One fault plan run through the campaign's executor: the fault injector's own result (resolved
 * plan, activations, detections, recoveries, audit, final state hash) and what the executor
 * observed of it for the outcome classifier (how every VM ended, the management check). A campaign
 * run keeps the observation; the property kit hands both to the property.
 */
public record PlanRun(InjectionResult injection, Observation observation) {
}
