package dev.rehype.hypervisor.image;

/**
 * The repair steps of recovery, in the order they run, each removing one kind of inconsistency a
 * failed hypervisor can leave behind (the classes that implement them are in the core, named
 * Repair + the constant's name in camel case). The list is kept here, in one place.
 */
public enum RepairStep {
    /** Locks the failed execution held stay held: release every lock word. */
    RELEASE_LOCKS,
    /** Interrupts claimed but never completed block later ones: complete them. */
    ACK_INTERRUPTS,
    /** The rebooted hypervisor re-initialised the timer hardware: program it from the vCPUs' deadlines. */
    REPROGRAM_TIMERS,
    /**
     * A multi-step domctl or event-channel operation cut short half done (a domain created but its
     * id never returned, frames half populated, a port allocated but never returned, a domain half
     * destroyed): from the per-CPU intent record, undo it so that its hypercall runs again, or
     * finish it. Runs before the run queues are rebuilt and the hypercall is retried.
     */
    SETTLE_INTENTS,
    /** The run queues died with the failed image: rebuild them from the preserved vCPU states. */
    REBUILD_RUN_QUEUES,
    /** A hypercall in progress was cut short: rewind the guest to its ecall (idempotent ones) or fail it with -EAGAIN. */
    RETRY_HYPERCALL,
    /** A multicall in progress: resume from its progress record instead of redoing done entries. */
    RESUME_MULTICALL,
    /** Frame reference and type counts disagree with the mappings: recompute them from P2M and grants. */
    RECOMPUTE_FRAME_COUNTS,
    /** Half-done event-channel operations: one end bound, pending bits without upcalls: finish or re-raise. */
    REPAIR_EVENT_CHANNELS,
    /** Half-done grant operations: mappings, map-track and active-grant pins disagree: make them consistent. */
    REPAIR_GRANTS,
    /** Stale per-vCPU state: polling while not blocked, running on a CPU that runs another or for a dead domain: clear it. */
    CLEAR_STALE_VCPU_FLAGS;

    /** The name used in reports and specs, e.g. "release-locks". */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
