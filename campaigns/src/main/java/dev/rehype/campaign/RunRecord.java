package dev.rehype.campaign;

import java.util.List;
import java.util.Objects;

/**
 * One injection run as stored: the unit every report figure is computed from (DESIGN §2.7, §2.8).
 * The campaign runner produces it; the results store ({@code results} module) keeps one row per
 * record. Absent values are empty strings or -1, never null, so that every column has a value.
 *
 * @param campaign             the campaign's name (from its spec)
 * @param runIndex             0-based index of the run in the campaign
 * @param rootSeed             the campaign's root seed
 * @param runSeed              {@code Seeds.derive(rootSeed, runIndex)}
 * @param faultType            {@code register}, {@code code}, {@code failstop}, {@code hang}, {@code memory}
 * @param target               {@code hypervisor}, {@code dom0}, {@code driver}, or {@code appvm:<name>}
 * @param faultPlan            the resolved plan in its one-line text form (replayable)
 * @param policy               the recovery policy's name (a mode and a set of repair steps)
 * @param activation           whether and where the fault fired
 * @param detection            whether and how the failure was detected
 * @param recovery             what recovery did (empty when nothing was detected)
 * @param outcome              the run's class
 * @param reason               why, for NOT_RECOVERED and UNDETECTED
 * @param vms                  every VM's verdict at the end of the run
 * @param virtualCycles        virtual time at the end of the run
 * @param wallNanos            wall-clock time the run took (not part of any simulation decision)
 * @param finalStateHash       the machine's state hash at the end of the run (replay check)
 */
public record RunRecord(String campaign, long runIndex, long rootSeed, long runSeed,
                        String faultType, String target, String faultPlan, String policy,
                        Activation activation, Detection detection, Recovery recovery,
                        Outcome outcome, Reason reason, List<VmVerdict> vms,
                        long virtualCycles, long wallNanos, String finalStateHash) {

    public RunRecord {
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(faultType, "faultType");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(faultPlan, "faultPlan");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(recovery, "recovery");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(finalStateHash, "finalStateHash");
        vms = List.copyOf(vms);
    }

    /**
     * Whether the fault fired.
     *
     * @param site        where: {@code Class.method@bci:line} in the hypervisor, or
     *                    {@code d<domid>:pc=0x...:<symbol>} in a guest; empty when not activated
     * @param valueBefore the value before the fault (hex), empty when not applicable
     * @param valueAfter  the value after the fault (hex), empty when not applicable
     * @param atCycles    virtual time of activation, -1 when not activated
     */
    public record Activation(boolean activated, String site, String valueBefore, String valueAfter,
                             long atCycles) {
        public static final Activation NONE = new Activation(false, "", "", "", -1);
    }

    /**
     * Whether a failure was detected.
     *
     * @param kind           {@code panic}, {@code watchdog}, {@code lock-spin}, {@code audit}, or empty
     * @param cpu            the physical CPU, -1 when none
     * @param inProgress     the hypercall or interrupt in progress, empty when none
     * @param atCycles       virtual time of detection, -1 when none
     * @param latencyCycles  detection time minus activation time, -1 when not both
     */
    public record Detection(boolean detected, String kind, int cpu, String inProgress, long atCycles,
                            long latencyCycles) {
        public static final Detection NONE = new Detection(false, "", -1, "", -1, -1);
    }

    /**
     * What recovery did.
     *
     * @param mode          {@code microreboot}, {@code microreset}, or empty when no recovery ran
     * @param succeeded     whether recovery itself completed (the guests' fate is in the outcome)
     * @param latencyNanos  wall clock from detection to guests resumed, -1 when none
     * @param phases        every phase with its latency
     * @param repairs       every repair step that ran, with what it changed
     */
    public record Recovery(String mode, boolean succeeded, long latencyNanos, List<Phase> phases,
                           List<Repair> repairs) {
        public static final Recovery NONE = new Recovery("", false, -1, List.of(), List.of());

        public Recovery {
            phases = List.copyOf(phases);
            repairs = List.copyOf(repairs);
        }
    }

    /** One recovery phase: its name, wall-clock nanoseconds and virtual cycles. */
    public record Phase(String name, long wallNanos, long cycles) {
    }

    /** One repair step: its name, how many things it changed, and a one-line description of them. */
    public record Repair(String step, int changes, String description) {
    }

    /**
     * One VM at the end of the run.
     *
     * @param name     the VM's name in the system (e.g. {@code compute}, {@code net})
     * @param verdict  {@code ok}, {@code wrong-output}, {@code crashed}, {@code hung}, {@code lost}
     * @param digest   the digest the VM reported (hex), empty when none
     * @param packets  packets exchanged, -1 where it does not apply
     */
    public record VmVerdict(String name, String verdict, String digest, long packets) {
    }
}
