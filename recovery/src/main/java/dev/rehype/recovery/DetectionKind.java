package dev.rehype.recovery;

/** How a hypervisor failure was noticed. */
public enum DetectionKind {
    /** An exception escaped the hypervisor's code (a crash, an always-on check, an injected failstop). */
    PANIC,
    /** A CPU stayed inside the hypervisor too long, or spun on a lock nobody can release. */
    WATCHDOG
}
