/*
 * A count out of a total with its 95% Wilson score interval (Wilson 1927; Newcombe 1998, method
 * 3, without continuity correction). The Wilson interval stays inside [0, 1] and behaves at 0/n
 * and n/n, where the textbook normal interval collapses to a point. For 0/0 the rate is undefined
 * (NaN) and the interval is the whole [0, 1]: nothing was observed.
 */
package dev.rehype.results;

/**
 * {@code successes} out of {@code trials}, with the rate and its 95% Wilson score interval.
 *
 * @param successes how many of the trials counted
 * @param trials    how many trials
 * @param rate      successes / trials, NaN when there were no trials
 * @param low       the interval's lower bound
 * @param high      the interval's upper bound
 */
public record Proportion(long successes, long trials, double rate, double low, double high) {

    /** The two-sided 95% normal quantile, z = Φ⁻¹(0.975). */
    public static final double Z95 = 1.959963984540054;

    public Proportion {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException(successes + " out of " + trials + " is not a proportion");
        }
    }

    /** {@code successes} of {@code trials} with its 95% Wilson score interval. */
    public static Proportion of(long successes, long trials) {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException(successes + " out of " + trials + " is not a proportion");
        }
        if (trials == 0) {
            return new Proportion(0, 0, Double.NaN, 0.0, 1.0);
        }
        double n = trials;
        double p = successes / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        double low = successes == 0 ? 0.0 : Math.max(0.0, centre - half);
        double high = successes == trials ? 1.0 : Math.min(1.0, centre + half);
        return new Proportion(successes, trials, p, low, high);
    }

    /** True when there were no trials (the rate is undefined). */
    public boolean empty() {
        return trials == 0;
    }
}
