package dev.rehype.fault;

import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.ResetPoint;
import dev.rehype.recovery.Rehype;

/**
 * A booted system kept by its caller with a reset point marked on it: injection runs on it start
 * by putting the system back to the point (only what the last run changed is copied back) instead
 * of restoring a snapshot into a new system, and leave it as the run ended so that the caller can
 * read it further. {@code watch} is called after every chunk of the run (null: nothing). One
 * thread per prepared system.
 */
public record PreparedSystem(HostSystem system, ResetPoint point, ChunkWatch watch) {

    /** Sees the system between two chunks of a run; may end the run by throwing. */
    @FunctionalInterface
    public interface ChunkWatch {
        void afterChunk(HostSystem system, Rehype rehype);
    }

    public PreparedSystem {
        if (system == null || point == null) {
            throw new IllegalArgumentException("a prepared system needs its system and a reset point marked on it");
        }
    }
}
