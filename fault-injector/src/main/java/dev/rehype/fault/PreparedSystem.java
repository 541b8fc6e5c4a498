package dev.rehype.fault;

import dev.rehype.hypervisor.system.Checkpoint;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.ResetPoint;
import dev.rehype.recovery.Rehype;

import java.util.List;

/**
 * A booted system kept by its caller with a reset point marked on it: injection runs on it start
 * by putting the system back to the point (only what the last run changed is copied back) instead
 * of restoring a snapshot into a new system, and leave it as the run ended so that the caller can
 * read it further. {@code watch} is called after every chunk of the run (null: nothing).
 * {@code checkpoints}, captured along the fault-free run from the point
 * ({@link InjectionRun#captureCheckpoints}) in order of virtual time, let a run start later than
 * the point: from the last one at or before its first fault (empty: always from the point). One
 * thread per prepared system.
 */
public record PreparedSystem(HostSystem system, ResetPoint point, ChunkWatch watch, List<Checkpoint> checkpoints) {

    /** Sees the system between two chunks of a run; may end the run by throwing. */
    @FunctionalInterface
    public interface ChunkWatch {
        void afterChunk(HostSystem system, Rehype rehype);
    }

    public PreparedSystem {
        if (system == null || point == null) {
            throw new IllegalArgumentException("a prepared system needs its system and a reset point marked on it");
        }
        checkpoints = List.copyOf(checkpoints);
        for (int i = 1; i < checkpoints.size(); i++) {
            if (checkpoints.get(i).cycles() <= checkpoints.get(i - 1).cycles()) {
                throw new IllegalArgumentException("checkpoints must be in order of virtual time");
            }
        }
    }

    /** Without checkpoints: every run starts from the reset point. */
    public PreparedSystem(HostSystem system, ResetPoint point, ChunkWatch watch) {
        this(system, point, watch, List.of());
    }

    /** The same system, point and watch with {@code checkpoints}. */
    public PreparedSystem withCheckpoints(List<Checkpoint> checkpoints) {
        return new PreparedSystem(system, point, watch, checkpoints);
    }

    /** The last checkpoint at or before virtual time {@code cycles}, or null. */
    public Checkpoint checkpointAtOrBefore(long cycles) {
        Checkpoint best = null;
        for (Checkpoint c : checkpoints) {
            if (c.cycles() > cycles) {
                break;
            }
            best = c;
        }
        return best;
    }
}
