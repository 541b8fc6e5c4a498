package dev.rehype.campaign.property;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Greedy shrinking toward a minimal counterexample: from a failing input, try the generator's
 * simpler candidates in their order and move to the first that still fails in the same way (a
 * failure of the same class), then start again from there; stop when no candidate fails (a local
 * minimum) or when {@code maxRuns} candidates have been tried. A candidate is never tried twice.
 * Deterministic: the same input, generator and property give the same steps.
 */
public final class Shrinker {
    private Shrinker() {
    }

    /** Shrinks {@code failing}, which fails {@code check} with {@code failure}, trying at most {@code maxRuns} candidates. */
    public static <T> Shrunk<T> shrink(Gen<T> gen, T failing, Throwable failure, Check<T> check, int maxRuns) {
        T current = failing;
        Throwable currentFailure = failure;
        List<T> steps = new ArrayList<>();
        Set<T> tried = new HashSet<>();
        tried.add(failing);
        int runs = 0;
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            for (T candidate : gen.shrink(current)) {
                if (!tried.add(candidate)) {
                    continue;
                }
                if (runs == maxRuns) {
                    return new Shrunk<>(failing, current, currentFailure, steps, runs, true);
                }
                runs++;
                Throwable f = check.failure(candidate);
                if (sameFailure(currentFailure, f)) {
                    current = candidate;
                    currentFailure = f;
                    steps.add(candidate);
                    progressed = true;
                    break;
                }
            }
        }
        return new Shrunk<>(failing, current, currentFailure, steps, runs, false);
    }

    /** True when {@code candidate} is a failure of the kind {@code original} is. */
    static boolean sameFailure(Throwable original, Throwable candidate) {
        return candidate != null && candidate.getClass() == original.getClass();
    }
}
