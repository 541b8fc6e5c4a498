/*
 * Order statistics of a sample by the nearest-rank method: the p-th percentile of n sorted values
 * is the value at rank ceil(p/100 · n) (1-based), so every percentile is a value that occurred —
 * no interpolation. p100 is the maximum. An empty sample has no percentiles.
 */
package dev.rehype.results;

import java.util.Arrays;

/** Nearest-rank percentiles. */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * The nearest-rank {@code percent}-th percentile of {@code values}.
     *
     * @param values  a non-empty sample, in any order
     * @param percent in (0, 100]
     */
    public static double nearestRank(double[] values, double percent) {
        if (values.length == 0) {
            throw new IllegalArgumentException("an empty sample has no percentiles");
        }
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percent);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[rank(sorted.length, percent) - 1];
    }

    /** The 1-based nearest rank ceil(percent/100 · n), computed without floating-point overshoot. */
    static int rank(int n, double percent) {
        double exact = percent / 100.0 * n;
        long rounded = Math.round(exact);
        int rank = Math.abs(exact - rounded) < 1e-9 ? (int) rounded : (int) Math.ceil(exact);
        return Math.max(1, Math.min(n, rank));
    }
}
