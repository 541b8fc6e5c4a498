/*
 * Fisher's exact test, two-sided: Fisher's tea-tasting table [[3,1],[1,3]] gives 34/70 = 0.4857;
 * the textbook [[1,9],[11,3]] gives 0.002759; and on other tables the p-value equals the one
 * computed a second way, with exact rational arithmetic (BigInteger binomial coefficients, tables
 * compared exactly), with no logarithms.
 */
package dev.rehype.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import org.junit.jupiter.api.Test;

class FisherExactTest {

    @Test
    void teaTasting() {
        assertThat(FisherExact.twoSided(3, 1, 1, 3)).isCloseTo(34.0 / 70.0, within(1e-12));
        assertThat(FisherExact.twoSided(3, 1, 1, 3)).isCloseTo(0.4857, within(5e-5));
    }

    @Test
    void textbookTable() {
        assertThat(FisherExact.twoSided(1, 9, 11, 3)).isCloseTo(0.002759, within(5e-7));
    }

    @Test
    void agreesWithExactRationalArithmetic() {
        long[][] tables = {{10, 2, 3, 15}, {0, 5, 5, 0}, {20, 20, 20, 20}, {45, 5, 30, 20}, {1, 0, 0, 1},
            {0, 0, 4, 6}, {7, 3, 2, 9}, {120, 30, 95, 55}, {300, 12, 280, 40}};
        for (long[] t : tables) {
            assertThat(FisherExact.twoSided(t[0], t[1], t[2], t[3]))
                    .as("table %d %d %d %d", t[0], t[1], t[2], t[3])
                    .isCloseTo(exact(t[0], t[1], t[2], t[3]), within(1e-10));
        }
    }

    @Test
    void equalTablesAndEmptyRowsGiveOne() {
        assertThat(FisherExact.twoSided(0, 0, 0, 0)).isEqualTo(1.0);
        assertThat(FisherExact.twoSided(5, 5, 0, 0)).isCloseTo(1.0, within(1e-12));
        assertThat(FisherExact.twoSided(5, 5, 5, 5)).isCloseTo(1.0, within(1e-12));
    }

    /** The two-sided p-value with exact rationals: sum of C(r1,x)C(r2,c1-x) over tables no likelier than the observed, over C(n,c1). */
    private static double exact(long a, long b, long c, long d) {
        long r1 = a + b;
        long r2 = c + d;
        long c1 = a + c;
        BigInteger observed = binomial(r1, a).multiply(binomial(r2, c));
        BigInteger sum = BigInteger.ZERO;
        for (long x = Math.max(0, c1 - r2); x <= Math.min(r1, c1); x++) {
            BigInteger weight = binomial(r1, x).multiply(binomial(r2, c1 - x));
            if (weight.compareTo(observed) <= 0) {
                sum = sum.add(weight);
            }
        }
        return new BigDecimal(sum).divide(new BigDecimal(binomial(r1 + r2, c1)), MathContext.DECIMAL128).doubleValue();
    }

    private static BigInteger binomial(long n, long k) {
        BigInteger result = BigInteger.ONE;
        for (long i = 1; i <= k; i++) {
            result = result.multiply(BigInteger.valueOf(n - k + i)).divide(BigInteger.valueOf(i));
        }
        return result;
    }
}
