package dev.rehype.recovery;

/** One timed phase of a recovery: wall-clock nanoseconds measured, virtual cycles charged. */
public record RecoveryPhase(String name, long wallNanos, long virtualCycles) {
}
