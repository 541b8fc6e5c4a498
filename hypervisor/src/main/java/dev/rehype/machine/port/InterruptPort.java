package dev.rehype.machine.port;

/**
 * The interrupt controller as the hypervisor drives it (implemented by
 * {@link dev.rehype.machine.InterruptController}).
 */
public interface InterruptPort {
    /** Sets the priority of {@code source} (0 disables it). */
    void setPriority(int source, int newPriority);

    /** Routes {@code source} to {@code hart}. */
    void route(int source, int hart);

    /** Claims the best deliverable source for {@code hart} (it goes in service), or 0. */
    int claim(int hart);

    /** Ends service of {@code source} on {@code hart}; false if it was not in service there. */
    boolean complete(int hart, int source);

    /** The sources in service on {@code hart}. */
    int[] inService(int hart);
}
