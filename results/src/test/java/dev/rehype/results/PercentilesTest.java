/*
 * Nearest-rank percentiles: the worked example of the nearest-rank method ({15, 20, 35, 40, 50}:
 * p5 = 15, p30 = 20, p40 = 20, p50 = 35, p100 = 50), 1..10 and 1..100 where every rank is exact,
 * one sample, and the latency summary built from them.
 */
package dev.rehype.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void workedNearestRankExample() {
        double[] v = {50, 15, 40, 20, 35};
        assertThat(Percentiles.nearestRank(v, 5)).isEqualTo(15);
        assertThat(Percentiles.nearestRank(v, 30)).isEqualTo(20);
        assertThat(Percentiles.nearestRank(v, 40)).isEqualTo(20);
        assertThat(Percentiles.nearestRank(v, 50)).isEqualTo(35);
        assertThat(Percentiles.nearestRank(v, 100)).isEqualTo(50);
    }

    @Test
    void ranksAreExactWhereThePercentileLandsOnARank() {
        double[] ten = IntStream.rangeClosed(1, 10).asDoubleStream().toArray();
        assertThat(Percentiles.nearestRank(ten, 50)).isEqualTo(5);
        assertThat(Percentiles.nearestRank(ten, 90)).isEqualTo(9);
        assertThat(Percentiles.nearestRank(ten, 99)).isEqualTo(10);
        double[] hundred = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        assertThat(Percentiles.nearestRank(hundred, 50)).isEqualTo(50);
        assertThat(Percentiles.nearestRank(hundred, 90)).isEqualTo(90);
        assertThat(Percentiles.nearestRank(hundred, 99)).isEqualTo(99);
        assertThat(Percentiles.nearestRank(hundred, 100)).isEqualTo(100);
    }

    @Test
    void summaryOfLatencies() {
        LatencySummary s = LatencySummary.of(new double[] {3.0, 1.0, 2.0});
        assertThat(s).isEqualTo(new LatencySummary(3, 2.0, 3.0, 3.0, 3.0));
        assertThat(LatencySummary.of(new double[] {7.5})).isEqualTo(new LatencySummary(1, 7.5, 7.5, 7.5, 7.5));
        LatencySummary none = LatencySummary.of(new double[0]);
        assertThat(none.empty()).isTrue();
        assertThat(none.p50Ms()).isNaN();
    }

    @Test
    void anEmptySampleHasNoPercentile() {
        assertThatThrownBy(() -> Percentiles.nearestRank(new double[0], 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.nearestRank(new double[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
