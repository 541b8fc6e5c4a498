package dev.rehype.recovery;

/** How a hypervisor failure was noticed. */
public enum DetectionKind {
    /** An exception escaped the hypervisor's code (a crash, an always-on check, an injected failstop). */
    PANIC,
    /** The watchdog: a CPU stayed inside the hypervisor, for one trap, past the bound of virtual time. */
    WATCHDOG,
    /** A CPU spun on a lock whose owner cannot release it (it is not inside the hypervisor). */
    LOCK_SPIN
}
