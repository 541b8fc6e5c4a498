package dev.rehype.fault;

/** One fault of a resolved plan, placed in a run: armed at its trigger time, asked for its activation at the end. */
interface ArmedFault {
    /** The virtual cycles into the run at which {@link #arm()} is called. */
    long armAtCycles();

    /** Starts counting toward the fault (between two machine runs, at {@link #armAtCycles()}). */
    void arm();

    /**
     * True when {@link #arm()} found nothing to arm yet (a guest fault whose domain Dom0 has not
     * built): the run calls {@code arm()} again after each of its chunks until it is armed.
     */
    default boolean pending() {
        return false;
    }

    /** True for hypervisor faults that fire only on the instrumented image (probes, value sites, mutants). */
    default boolean needsInstrumentedImage() {
        return false;
    }

    /**
     * True when this fault needs the instrumented image no longer: it fired, and its effect does
     * not live in the image (a register flip, a failstop or a hang; not a code fault's mutant).
     */
    default boolean doneWithImage() {
        return false;
    }

    /** Whether, where and when it fired. */
    Activation activation();
}
