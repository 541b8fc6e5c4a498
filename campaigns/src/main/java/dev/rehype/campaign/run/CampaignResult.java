package dev.rehype.campaign.run;

import dev.rehype.campaign.exec.GoldenRun;

import java.util.List;

/**
 * What one invocation of the runner did: runs owned by the shard, already stored before, executed
 * and stored now, abandoned (not stored; a rerun retries them), errors (a run that threw: a bug,
 * not an outcome), whether it was stopped early, the determinism samples, the golden run, and the
 * wall time of the injection runs.
 */
public record CampaignResult(long shardRuns, long alreadyStored, long stored, long abandoned, List<String> errors,
                             boolean stopped, OutcomeCounts counts, List<DeterminismSample> determinism,
                             GoldenRun golden, long runsWallNanos) {
    public CampaignResult {
        errors = List.copyOf(errors);
        determinism = List.copyOf(determinism);
    }

    /** Runs stored per second of wall time during the injection runs. */
    public double runsPerSecond() {
        return runsWallNanos <= 0 ? 0 : stored / (runsWallNanos / 1e9);
    }

    public boolean determinismOk() {
        return determinism.stream().allMatch(DeterminismSample::matches);
    }

    /** Every run of the shard is stored. */
    public boolean complete() {
        return alreadyStored + stored == shardRuns;
    }
}
