/*
 * Fisher's exact test on a 2x2 table, two-sided, for comparing two recovery rates (recovered and
 * not recovered, in campaign A and in campaign B). With the margins fixed, the top-left cell
 * follows a hypergeometric distribution; the two-sided p-value sums the probabilities of every
 * table at most as likely as the observed one (the rule R's fisher.test uses, with the same
 * relative tolerance 1e-7 so that ties computed in floating point still count). Probabilities are
 * computed exactly in log space from log-factorials (a sum of logarithms, no approximation).
 */
package dev.rehype.results;

/** Two-sided Fisher's exact test on {@code [[a, b], [c, d]]}. */
public final class FisherExact {

    private static final double RELATIVE_TOLERANCE = 1e-7;

    private FisherExact() {
    }

    /**
     * The two-sided p-value of the table {@code [[a, b], [c, d]]} (rows: the two campaigns;
     * columns: recovered, not recovered). A table with an empty row or column gives 1.
     */
    public static double twoSided(long a, long b, long c, long d) {
        if (a < 0 || b < 0 || c < 0 || d < 0) {
            throw new IllegalArgumentException("a 2x2 table holds counts >= 0: " + a + ", " + b + ", " + c + ", " + d);
        }
        long n = a + b + c + d;
        if (n > 50_000_000) {
            throw new IllegalArgumentException("table too large for the exact test: " + n);
        }
        long row1 = a + b;
        long col1 = a + c;
        long row2 = c + d;
        double[] logFactorial = logFactorials((int) n);
        long lo = Math.max(0, col1 - row2);
        long hi = Math.min(row1, col1);
        double observed = logProbability(a, row1, row2, col1, n, logFactorial);
        double threshold = observed + Math.log1p(RELATIVE_TOLERANCE);
        double p = 0.0;
        for (long x = lo; x <= hi; x++) {
            double logP = logProbability(x, row1, row2, col1, n, logFactorial);
            if (logP <= threshold) {
                p += Math.exp(logP);
            }
        }
        return Math.min(1.0, p);
    }

    /** log P(top-left = x) of the hypergeometric distribution with the table's margins. */
    private static double logProbability(long x, long row1, long row2, long col1, long n, double[] lf) {
        long col2 = n - col1;
        return lf[(int) row1] + lf[(int) row2] + lf[(int) col1] + lf[(int) col2] - lf[(int) n]
                - lf[(int) x] - lf[(int) (row1 - x)] - lf[(int) (col1 - x)] - lf[(int) (row2 - col1 + x)];
    }

    /** log k! for k = 0..n, as running sums of log k. */
    static double[] logFactorials(int n) {
        double[] lf = new double[n + 1];
        for (int k = 2; k <= n; k++) {
            lf[k] = lf[k - 1] + Math.log(k);
        }
        return lf;
    }
}
