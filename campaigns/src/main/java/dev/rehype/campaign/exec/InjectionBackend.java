package dev.rehype.campaign.exec;

import dev.rehype.campaign.plan.RunTask;

/**
 * A way of executing a campaign's runs: it prepares the base system once (boot, snapshot, golden
 * run) and hands out one {@link InjectionExecutor} per worker. The campaign runner knows nothing
 * else about how faults are injected.
 */
public interface InjectionBackend {
    /** Why {@code task} cannot be executed by this backend, or null when it can. */
    String unsupported(RunTask task);

    /** Boots the system, snapshots it and runs the golden run, once; later calls return the same. */
    GoldenRun prepare();

    /** A new executor over the prepared base system, for one worker thread ({@link #prepare} first). */
    InjectionExecutor newExecutor();

    /**
     * An executor that takes no shortcut the backend's own executors may take (for the injector:
     * no checkpoints, every run from the reset point), so that the determinism check and replays
     * compare against the plainest path. By default the same as {@link #newExecutor}.
     */
    default InjectionExecutor newReferenceExecutor() {
        return newExecutor();
    }
}
