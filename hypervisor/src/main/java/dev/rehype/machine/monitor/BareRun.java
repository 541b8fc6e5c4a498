package dev.rehype.machine.monitor;

/**
 * The outcome of one program run by the bare monitor: whether it called exit and with what code,
 * what it wrote, how many instructions it retired in how many virtual cycles, the wall time of
 * the run (for speed figures only, never for decisions), why the run stopped, and the machine's
 * final state hash.
 */
public record BareRun(boolean exited, int exitCode, String console, long instructions, long cycles,
                      long wallNanos, String stopReason, String stateHash) {

    /** True when the program called exit(0). */
    public boolean passed() {
        return exited && exitCode == 0;
    }

    /** Instructions per wall-clock microsecond (millions per second). */
    public double mips() {
        return wallNanos == 0 ? 0 : instructions * 1000.0 / wallNanos;
    }
}
