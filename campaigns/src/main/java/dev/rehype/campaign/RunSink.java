package dev.rehype.campaign;

import java.util.BitSet;

/**
 * Where a campaign's runs go: the results store implements it. Each accepted record is durable
 * when {@link #accept} returns, so a runner killed at any moment loses no stored run, and
 * {@link #completed} tells a restarted runner which runs to skip.
 */
public interface RunSink extends AutoCloseable {
    /** The run indexes already stored for this campaign (and shard). */
    BitSet completed();

    /** Stores one record durably; storing a run index twice is an error. */
    void accept(RunRecord record);

    @Override
    void close();
}
