/*
 * Timings of the benchmark on a reference target that is not our interpreter (the same C source
 * compiled natively, or the same ELF under qemu-riscv32), or why there are none: a reference that
 * is not installed is reported as absent with a note, never as a made-up figure.
 */
package dev.rehype.cli.bench;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Measured runs of one reference target.
 *
 * @param target what was run, for example {@code native gcc -O2}
 * @param nanos  the measured runs' times; empty when the target is unavailable
 * @param note   why the target is unavailable, or null when it was measured
 */
public record ReferenceTiming(String target, List<Long> nanos, String note) {

    /** Checks that exactly one of times and note is given. */
    public ReferenceTiming {
        nanos = List.copyOf(nanos);
        if (nanos.isEmpty() == (note == null)) {
            throw new IllegalArgumentException("a reference timing has either times or a note, not both or neither");
        }
        for (long n : nanos) {
            if (n <= 0) {
                throw new IllegalArgumentException("times must be positive, got " + n);
            }
        }
    }

    /** A target that was measured. */
    public static ReferenceTiming measured(String target, List<Long> nanos) {
        return new ReferenceTiming(target, nanos, null);
    }

    /** A target that could not be measured, and why. */
    public static ReferenceTiming unavailable(String target, String note) {
        return new ReferenceTiming(target, List.of(), note);
    }

    /** Whether there are times. */
    public boolean available() {
        return note == null;
    }

    /** The median time, when measured. */
    public OptionalDouble medianNanos() {
        return available() ? OptionalDouble.of(Statistics.median(nanos)) : OptionalDouble.empty();
    }
}
