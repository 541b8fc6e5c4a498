package dev.rehype.campaign.property;

import java.util.List;

/**
 * The end of shrinking a failing input: the input the property first failed on, the simplest one
 * found that still fails (in the same way) and its failure, every accepted step in order (the last
 * is {@code value}; none when nothing simpler failed), how many inputs were tried, and whether the
 * budget of tries ran out before a local minimum (no simpler candidate fails) was reached.
 */
public record Shrunk<T>(T original, T value, Throwable failure, List<T> steps, int runs, boolean budgetSpent) {
    public Shrunk {
        steps = List.copyOf(steps);
    }
}
