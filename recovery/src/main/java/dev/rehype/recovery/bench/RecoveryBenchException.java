package dev.rehype.recovery.bench;

/** The recovery bench could not measure what it was asked to (a failure stopped striking, a recovery failed). */
public final class RecoveryBenchException extends Exception {
    public RecoveryBenchException(String message) {
        super(message);
    }
}
