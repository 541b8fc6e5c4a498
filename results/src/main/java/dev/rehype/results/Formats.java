/*
 * How figures are written in reports, in one place so text and HTML agree: percentages with one
 * decimal, intervals as [low, high] in percent, milliseconds with three decimals, and "-" for a
 * figure that does not exist (a rate with no trials, a percentile of no samples). Locale-free.
 */
package dev.rehype.results;

import java.util.Locale;

/** Report number formats. */
final class Formats {

    private Formats() {
    }

    /** A fraction as a percentage with one decimal ({@code 0.5 -> "50.0%"}); "-" for NaN. */
    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** A Wilson interval as {@code [low, high]} in percent with one decimal. */
    static String interval(Proportion p) {
        return String.format(Locale.ROOT, "[%.1f, %.1f]", p.low() * 100, p.high() * 100);
    }

    /** A count with its share of {@code p}'s trials: {@code 12 (40.0%)}. */
    static String countShare(Proportion p) {
        return p.successes() + " (" + percent(p.rate()) + ")";
    }

    /** A rate with its interval: {@code 80.0% [62.7, 90.5]}; "-" without trials. */
    static String rateWithInterval(Proportion p) {
        return p.empty() ? "- (nothing detected)" : percent(p.rate()) + " " + interval(p);
    }

    /** Milliseconds with three decimals; "-" for NaN. */
    static String millis(double ms) {
        return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%.3f", ms);
    }

    /** A signed difference of two fractions in percentage points: {@code +5.0 pp}; "-" for NaN. */
    static String points(double difference) {
        return Double.isNaN(difference) ? "-" : String.format(Locale.ROOT, "%+.1f pp", difference * 100);
    }

    /** A p-value with four decimals, in scientific notation below 0.0001. */
    static String pValue(double p) {
        return Double.isNaN(p) ? "-" : p < 1e-4 ? String.format(Locale.ROOT, "%.3e", p) : String.format(Locale.ROOT, "%.4f", p);
    }
}
