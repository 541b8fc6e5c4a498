package dev.rehype.campaign.property;

import dev.rehype.fault.FaultPlan;

/**
 * Runs a plan once more on the campaign's reference path — from the reset point, without the
 * fault-free run's checkpoints — as the determinism check and replays do. A property asking for
 * it can compare two executions of the same plan.
 */
@FunctionalInterface
public interface ReferenceRun {
    /** {@code plan} run on the reference path of the property's system, with the property's policy. */
    PropertyRun run(FaultPlan plan);
}
