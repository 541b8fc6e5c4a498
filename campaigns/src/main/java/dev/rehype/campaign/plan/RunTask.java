package dev.rehype.campaign.plan;

import dev.rehype.campaign.spec.FaultType;
import dev.rehype.campaign.spec.PolicySpec;

/**
 * One run of a campaign, fully decided before anything runs: its index and seed, which fault
 * draw it uses (the same draw is run under every policy of a sweep), the fault type, target and
 * trigger moment, the seed from which the executor resolves the fault's exact site, and the
 * recovery policy.
 *
 * @param runIndex      0-based index in the campaign
 * @param runSeed       {@code Seeds.derive(rootSeed, runIndex)}
 * @param drawIndex     0-based fault draw; {@code runIndex = drawIndex * policies + policyIndex}
 * @param faultSeed     the draw's seed: where exactly the fault goes (shared by every policy)
 * @param faultType     the fault type
 * @param target        {@code hypervisor}, {@code dom0}, {@code driver} or {@code appvm:<name>}
 * @param triggerCycles the moment (virtual cycles from the start of the run) the fault is armed
 * @param policyIndex   index of the policy in the spec's sweep (0 without a sweep)
 * @param policy        the recovery policy
 */
public record RunTask(long runIndex, long runSeed, long drawIndex, long faultSeed, FaultType faultType,
                      String target, long triggerCycles, int policyIndex, PolicySpec policy) {
}
