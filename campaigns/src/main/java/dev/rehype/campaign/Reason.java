package dev.rehype.campaign;

/** Why a run is {@link Outcome#NOT_RECOVERED} or {@link Outcome#UNDETECTED}; {@link #NONE} otherwise. */
public enum Reason {
    NONE,
    /** Recovery itself failed (an exception during recovery, a recovery storm). */
    RECOVERY_FAILED,
    /** An AppVM crashed or was destroyed after the fault. */
    VM_LOST,
    /** An AppVM finished with output other than the golden run's. */
    WRONG_OUTPUT,
    /** A VM or the system stopped making progress after recovery (the run's cycle limit ran out). */
    HANG_AFTER_RECOVERY,
    /** The management operation after recovery (create/destroy a domain, a store round trip) failed. */
    NOT_MANAGEABLE,
    /** Undetected: a VM crashed. */
    CRASH,
    /** Undetected: the system or a VM hung. */
    HANG
}
