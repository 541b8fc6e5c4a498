/*
 * How a group of runs (one fault type and target, one policy, or all) splits over the outcome
 * classes of DESIGN §2.7. activated = every run whose fault fired; manifested = activated runs
 * that showed a failure (detected or not); detected = recovered + not recovered; undetected =
 * failures nothing detected. Recovery rate = recovered / detected; the other shares are of runs.
 */
package dev.rehype.results;

import java.util.Collection;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.RunRecord;

/**
 * Outcome counts of a group of runs.
 *
 * @param runs       every run of the group
 * @param activated  runs whose fault fired
 * @param manifested activated runs with a failure, detected or not
 * @param detected   runs whose failure was detected
 * @param recovered  detected runs that recovered
 * @param undetected runs with a failure nothing detected
 */
public record OutcomeCounts(long runs, long activated, long manifested, long detected, long recovered,
                            long undetected) {

    /** The counts of {@code records}. */
    public static OutcomeCounts of(Collection<RunRecord> records) {
        long runs = 0;
        long activated = 0;
        long manifested = 0;
        long detected = 0;
        long recovered = 0;
        long undetected = 0;
        for (RunRecord r : records) {
            runs++;
            Outcome o = r.outcome();
            if (o != Outcome.NOT_ACTIVATED) {
                activated++;
            }
            if (o.detected() || o == Outcome.UNDETECTED) {
                manifested++;
            }
            if (o.detected()) {
                detected++;
            }
            if (o == Outcome.RECOVERED) {
                recovered++;
            }
            if (o == Outcome.UNDETECTED) {
                undetected++;
            }
        }
        return new OutcomeCounts(runs, activated, manifested, detected, recovered, undetected);
    }

    /** recovered / detected with its 95% Wilson interval. */
    public Proportion recoveryRate() {
        return Proportion.of(recovered, detected);
    }

    /** {@code count} / runs with its 95% Wilson interval. */
    public Proportion ofRuns(long count) {
        return Proportion.of(count, runs);
    }
}
