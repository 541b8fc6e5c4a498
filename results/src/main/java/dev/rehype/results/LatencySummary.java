/*
 * A latency distribution as reports show it: how many samples, and the nearest-rank p50, p90,
 * p99 and maximum in milliseconds (Percentiles). Empty when there were no samples.
 */
package dev.rehype.results;

import java.util.Arrays;

/**
 * Recovery latency percentiles in milliseconds; all NaN when {@code samples} is 0.
 *
 * @param samples how many latencies
 * @param p50Ms   nearest-rank median
 * @param p90Ms   nearest-rank 90th percentile
 * @param p99Ms   nearest-rank 99th percentile
 * @param maxMs   the largest latency
 */
public record LatencySummary(int samples, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

    /** The summary of {@code latenciesMs} (any order). */
    public static LatencySummary of(double[] latenciesMs) {
        if (latenciesMs.length == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new LatencySummary(latenciesMs.length,
                Percentiles.nearestRank(latenciesMs, 50),
                Percentiles.nearestRank(latenciesMs, 90),
                Percentiles.nearestRank(latenciesMs, 99),
                Arrays.stream(latenciesMs).max().orElseThrow());
    }

    /** True when there were no samples. */
    public boolean empty() {
        return samples == 0;
    }
}
