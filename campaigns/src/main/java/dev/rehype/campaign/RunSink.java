package dev.rehype.campaign;

import dev.rehype.campaign.exec.GoldenRun;
import dev.rehype.campaign.run.DeterminismSample;

import java.util.BitSet;
import java.util.List;

/**
 * Where a campaign's runs go: the results store implements it. Each accepted record is durable
 * when {@link #accept} returns, so a runner killed at any moment loses no stored run, and
 * {@link #completed} tells a restarted runner which runs to skip. The runner also hands over the
 * golden run (before the first injection run) and the determinism check's samples, which the
 * results store keeps for the report; a sink that only keeps runs ignores them.
 */
public interface RunSink extends AutoCloseable {
    /** The run indexes already stored for this campaign (and shard). */
    BitSet completed();

    /** Stores one record durably; storing a run index twice is an error. */
    void accept(RunRecord record);

    /** Keeps the campaign's golden run (replacing one kept earlier); ignored by sinks that keep runs only. */
    default void recordGolden(GoldenRun golden) {
    }

    /** Keeps a determinism check's samples (replacing an earlier check); ignored by sinks that keep runs only. */
    default void recordDeterminism(List<DeterminismSample> samples) {
    }

    @Override
    void close();
}
