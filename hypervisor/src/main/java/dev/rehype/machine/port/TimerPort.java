package dev.rehype.machine.port;

/** One hart's timer as the hypervisor programs it (implemented by {@link dev.rehype.machine.Timer}). */
public interface TimerPort {
    /** Fires a host timer interrupt at {@code deadlineCycles}. */
    void program(long deadlineCycles);

    /** Disarms the timer. */
    void cancel();

    /** The armed deadline, or {@link dev.rehype.machine.Timer#NONE}. */
    long deadlineCycles();
}
