/*
 * The order statistics of the benchmarks: the median is the middle value (mean of the two middle
 * values for an even count), whatever the input order.
 */
package dev.rehype.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void medianOfFiveIsTheMiddleValueWhateverTheOrder() {
        assertThat(Statistics.median(new double[] {9, 1, 5, 7, 3})).isEqualTo(5.0);
        assertThat(Statistics.median(List.of(50L, 10L, 40L, 20L, 30L))).isEqualTo(30.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Statistics.median(new double[] {4, 1, 3, 2, 6, 5})).isEqualTo(3.5);
    }

    @Test
    void medianDoesNotReorderItsInput() {
        double[] values = {3, 1, 2};
        Statistics.median(values);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void minAndMax() {
        double[] values = {3, -1, 8, 2};
        assertThat(Statistics.min(values)).isEqualTo(-1.0);
        assertThat(Statistics.max(values)).isEqualTo(8.0);
    }

    @Test
    void emptySamplesHaveNoStatistics() {
        assertThatThrownBy(() -> Statistics.median(new double[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Statistics.min(new double[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Statistics.max(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
