/*
 * The 95% Wilson score interval against published values (Newcombe 1998, Statistics in Medicine
 * 17:857-872, Table I, method 3) and against a second method: the interval's bounds are the two
 * roots of the score equation (p̂ − p)² = z²·p(1 − p)/n, solved here with the quadratic formula.
 * Edge cases: 0/0 is undefined with the whole [0, 1]; 0/n starts at 0; n/n ends at 1.
 */
package dev.rehype.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProportionTest {

    @Test
    void matchesNewcombesPublishedWilsonIntervals() {
        assertBounds(Proportion.of(81, 263), 0.2553, 0.3662);
        assertBounds(Proportion.of(15, 148), 0.0624, 0.1605);
        assertBounds(Proportion.of(0, 20), 0.0000, 0.1611);
        assertBounds(Proportion.of(1, 29), 0.0061, 0.1718);
    }

    @Test
    void boundsAreTheRootsOfTheScoreEquation() {
        long[][] cases = {{1, 2}, {3, 10}, {7, 9}, {50, 100}, {999, 1000}, {1, 10_000}, {123, 457}};
        for (long[] c : cases) {
            double[] roots = scoreRoots(c[0], c[1]);
            Proportion p = Proportion.of(c[0], c[1]);
            assertThat(p.low()).as("low of %d/%d", c[0], c[1]).isCloseTo(roots[0], within(1e-12));
            assertThat(p.high()).as("high of %d/%d", c[0], c[1]).isCloseTo(roots[1], within(1e-12));
            assertThat(p.rate()).isEqualTo((double) c[0] / c[1]);
        }
    }

    @Test
    void zeroOfZeroIsUndefinedWithTheWholeUnitInterval() {
        Proportion p = Proportion.of(0, 0);
        assertThat(p.rate()).isNaN();
        assertThat(p.low()).isEqualTo(0.0);
        assertThat(p.high()).isEqualTo(1.0);
        assertThat(p.empty()).isTrue();
    }

    @Test
    void noneAndAllHaveClosedFormBounds() {
        double z2 = Proportion.Z95 * Proportion.Z95;
        for (long n : new long[] {1, 5, 10, 100, 10_000}) {
            Proportion none = Proportion.of(0, n);
            assertThat(none.low()).isEqualTo(0.0);
            assertThat(none.high()).isCloseTo(z2 / (n + z2), within(1e-15));
            Proportion all = Proportion.of(n, n);
            assertThat(all.high()).isEqualTo(1.0);
            assertThat(all.low()).isCloseTo(n / (n + z2), within(1e-15));
        }
        assertThat(Proportion.of(0, 10).high()).isCloseTo(0.2775, within(5e-5));
    }

    @Test
    void rejectsCountsThatAreNotAProportion() {
        assertThatThrownBy(() -> Proportion.of(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Proportion.of(-1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertBounds(Proportion p, double low, double high) {
        assertThat(p.low()).as("low of %d/%d", p.successes(), p.trials()).isCloseTo(low, within(5e-5));
        assertThat(p.high()).as("high of %d/%d", p.successes(), p.trials()).isCloseTo(high, within(5e-5));
    }

    /** Roots of (n + z²)p² − (2x + z²)p + x²/n = 0, the score equation multiplied out. */
    private static double[] scoreRoots(long x, long n) {
        double z2 = Proportion.Z95 * Proportion.Z95;
        double a = n + z2;
        double b = -(2.0 * x + z2);
        double c = (double) x * x / n;
        double root = Math.sqrt(b * b - 4 * a * c);
        return new double[] {(-b - root) / (2 * a), (-b + root) / (2 * a)};
    }
}
