/*
 * One measured run of the benchmark program on our interpreter: how many guest instructions it
 * retired and how long it took on the wall clock.
 */
package dev.rehype.cli.bench;

/**
 * One interpreter run.
 *
 * @param instructions guest instructions retired
 * @param wallNanos    wall-clock time of the run
 */
public record InterpreterSample(long instructions, long wallNanos) {

    /** Checks the sample. */
    public InterpreterSample {
        if (instructions <= 0) {
            throw new IllegalArgumentException("instructions must be positive, got " + instructions);
        }
        if (wallNanos <= 0) {
            throw new IllegalArgumentException("wallNanos must be positive, got " + wallNanos);
        }
    }

    /** Millions of guest instructions per second of wall-clock time. */
    public double mips() {
        return instructions * 1_000.0 / wallNanos;
    }
}
