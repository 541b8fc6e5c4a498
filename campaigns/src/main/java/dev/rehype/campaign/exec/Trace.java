package dev.rehype.campaign.exec;

/** Where an executor tells what happens in a run, step by step (replay prints it). */
@FunctionalInterface
public interface Trace {
    /** Discards everything. */
    Trace NONE = (atCycles, what) -> { };

    /** Records that {@code what} happened at virtual time {@code atCycles} (-1: not tied to a moment). */
    void event(long atCycles, String what);
}
