package dev.rehype.fault;

import dev.rehype.hypervisor.system.VmResult;
import dev.rehype.recovery.Detection;
import dev.rehype.recovery.RecoveryReport;

import java.util.List;

/**
 * Everything one injection run produced: the resolved plan (its text form replays the run) and
 * the seed; one {@link Activation} per fault; every recovery ReHype ran, each with the
 * {@link Detection} it answered (kind, CPU, trap, hypercall in progress, virtual time); whether
 * the system was lost and why; every VM's verdict; whether every awaited domain finished; the
 * audit of the hypervisor's invariants at the end (empty when consistent); virtual cycles of the
 * run; wall-clock time (never part of a decision); and the final state hash.
 */
public record InjectionResult(FaultPlan plan, long seed, List<Activation> activations, List<RecoveryReport> recoveries,
                              boolean systemLost, String lostReason, List<VmResult> vms, boolean finished,
                              List<String> audit, long startCycles, long virtualCycles, long wallNanos,
                              String finalStateHash) {
    public InjectionResult {
        activations = List.copyOf(activations);
        recoveries = List.copyOf(recoveries);
        vms = List.copyOf(vms);
        audit = List.copyOf(audit);
        lostReason = lostReason == null ? "" : lostReason;
    }

    /** True when at least one fault fired. */
    public boolean activated() {
        return activations.stream().anyMatch(Activation::activated);
    }

    /** True when ReHype detected at least one hypervisor failure. */
    public boolean detected() {
        return !recoveries.isEmpty();
    }

    /** The first detection, or null. */
    public Detection firstDetection() {
        return recoveries.isEmpty() ? null : recoveries.get(0).detection();
    }

    /** True when every recovery completed and the system was not lost. */
    public boolean recovered() {
        return detected() && !systemLost && recoveries.stream().allMatch(RecoveryReport::completed);
    }

    /** The first fault's type ({@code register}, {@code code}, ...), as campaign records store it. */
    public String faultType() {
        return plan.faults().get(0).type();
    }

    /** The first fault's target ({@code hypervisor}, {@code dom0}, {@code driver}, {@code appvm:<name>}). */
    public String target() {
        return plan.faults().get(0).target().toString();
    }

    /** The first activation that fired, or the first fault's (not activated). */
    public Activation firstActivation() {
        return activations.stream().filter(Activation::activated).findFirst().orElse(activations.get(0));
    }

    /**
     * What the CPU that failed was doing at the first detection: {@code hypercall:<name>},
     * {@code irq:<source>} (an interrupt claimed and not completed), or the trap's name
     * ({@code timer interrupt}, ...); empty when nothing was detected.
     */
    public String detectionInProgress() {
        Detection d = firstDetection();
        if (d == null) {
            return "";
        }
        if (d.hypercall() >= 0) {
            return "hypercall:" + dev.rehype.hypervisor.image.EntryContext.hypercallName(d.hypercall());
        }
        return d.interrupt() >= 0 ? "irq:" + d.interrupt() : d.trap();
    }

    /** First detection minus first activation, in virtual cycles; -1 unless both happened. */
    public long detectionLatencyCycles() {
        Detection d = firstDetection();
        Activation a = firstActivation();
        return d == null || !a.activated() ? -1 : d.atCycles() - a.atCycles();
    }

    /** True when every VM is correct (false when the VMs could not be judged at all). */
    public boolean allCorrect() {
        return !vms.isEmpty() && vms.stream().allMatch(VmResult::correct);
    }
}
