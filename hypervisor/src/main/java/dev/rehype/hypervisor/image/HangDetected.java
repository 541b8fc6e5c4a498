package dev.rehype.hypervisor.image;

/**
 * Thrown by hypervisor code that finds itself unable to make progress — a CPU spinning on a lock
 * that nobody who is running can release — as a watchdog would report it. Recovery treats it as a
 * watchdog detection rather than a panic.
 */
public final class HangDetected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HangDetected(String message) {
        super(message);
    }
}
