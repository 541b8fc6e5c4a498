/*
 * The few order statistics the benchmarks report. The median is the middle value of the sorted
 * sample (the mean of the two middle values when the count is even).
 */
package dev.rehype.cli.bench;

import java.util.Arrays;
import java.util.List;

/** Median, minimum and maximum of small samples. */
public final class Statistics {

    private Statistics() {
    }

    /** The median of a non-empty sample. */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the median of an empty sample is undefined");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    /** The median of a non-empty sample of integers. */
    public static double median(List<Long> values) {
        return median(values.stream().mapToDouble(Long::doubleValue).toArray());
    }

    /** The smallest value of a non-empty sample. */
    public static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow(() -> new IllegalArgumentException("empty sample"));
    }

    /** The largest value of a non-empty sample. */
    public static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow(() -> new IllegalArgumentException("empty sample"));
    }
}
