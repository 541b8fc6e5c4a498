package dev.rehype.campaign.exec;

import dev.rehype.campaign.plan.RunTask;

import java.util.function.BooleanSupplier;

/**
 * Runs injection runs for one worker thread, each from the prepared base system (the booted
 * snapshot). Not shared between threads; parallel workers each have their own.
 */
public interface InjectionExecutor extends AutoCloseable {
    /**
     * Executes one run task from the prepared base system and returns its observations;
     * throws {@link RunAbandoned} when {@code stop} turns true or the wall-clock guard runs out.
     */
    Observation execute(RunTask task, Trace trace, BooleanSupplier stop);

    @Override
    void close();
}
