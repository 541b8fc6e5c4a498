/*
 * Progress of a CPU benchmark as it runs, for the text output (each run is shown when it ends, so
 * a slow benchmark is visibly alive). The JSON output ignores it.
 */
package dev.rehype.cli.bench;

/** Receives the benchmark's runs as they end; every method does nothing by default. */
public interface CpuBenchProgress {

    /** A progress listener that ignores everything. */
    CpuBenchProgress NONE = new CpuBenchProgress() { };

    /** Warm-up run {@code index} (1-based) of {@code count} on the interpreter ended. */
    default void warmupRun(int index, int count, InterpreterSample sample) {
    }

    /** Measured run {@code index} (1-based) of {@code count} on the interpreter ended. */
    default void measuredRun(int index, int count, InterpreterSample sample) {
    }

    /** A reference target is about to be measured. */
    default void referenceStarted(String target) {
    }
}
