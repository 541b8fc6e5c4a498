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
    /**
     * The management check after the last recovery failed: Dom0, whose digest covers every
     * management operation it made (domctl queries, pause/unpause; on the I/O system also building
     * the domains and serving the store), was not running after the recovery or did not finish
     * with the golden digest, or the core's audit was not clean.
     */
    NOT_MANAGEABLE,
    /** Undetected: a VM crashed. */
    CRASH,
    /** Undetected: the system or a VM hung. */
    HANG
}
