/*
 * The result of a campaign's determinism self-check (`--verify-determinism K`): K sampled runs
 * were run again and their final state hashes compared with the stored ones. Shards each store
 * their own check; a report adds them up.
 */
package dev.rehype.results;

import java.util.List;

/**
 * A determinism check's result.
 *
 * @param checkedRuns          how many runs were re-run
 * @param mismatchedRunIndexes the re-run runs whose final state hash differed, ascending
 */
public record DeterminismCheck(int checkedRuns, List<Long> mismatchedRunIndexes) {

    public DeterminismCheck {
        if (checkedRuns < 0) {
            throw new IllegalArgumentException("checkedRuns must not be negative: " + checkedRuns);
        }
        mismatchedRunIndexes = mismatchedRunIndexes.stream().sorted().toList();
        if (mismatchedRunIndexes.size() > checkedRuns) {
            throw new IllegalArgumentException(mismatchedRunIndexes.size() + " mismatches among " + checkedRuns + " checked runs");
        }
    }

    /** True when every re-run reproduced its stored final state hash. */
    public boolean passed() {
        return mismatchedRunIndexes.isEmpty();
    }

    /** This check and {@code other} as one (two shards' checks). */
    public DeterminismCheck plus(DeterminismCheck other) {
        List<Long> all = new java.util.ArrayList<>(mismatchedRunIndexes);
        all.addAll(other.mismatchedRunIndexes);
        return new DeterminismCheck(checkedRuns + other.checkedRuns, all);
    }
}
