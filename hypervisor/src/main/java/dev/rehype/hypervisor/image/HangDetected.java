package dev.rehype.hypervisor.image;

/**
 * Thrown by hypervisor code that finds itself spinning on a lock that nobody who can release it
 * holds (its owner is not inside the hypervisor: it failed, or left without releasing it) — the
 * watchdog's lock-spin detector. Recovery reports it as a lock-spin detection, apart from panics
 * and from {@link WatchdogExpired} (a CPU inside the hypervisor past the watchdog's bound).
 */
public final class HangDetected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HangDetected(String message) {
        super(message);
    }
}
