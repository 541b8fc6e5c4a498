package dev.rehype.fault;

/** One fault of a resolved plan, placed in a run: armed at its trigger time, asked for its activation at the end. */
interface ArmedFault {
    /** The virtual cycles into the run at which {@link #arm()} is called. */
    long armAtCycles();

    /** Starts counting toward the fault (between two machine runs, at {@link #armAtCycles()}). */
    void arm();

    /** Whether, where and when it fired. */
    Activation activation();
}
