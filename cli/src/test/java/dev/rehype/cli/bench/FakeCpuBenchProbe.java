/*
 * A CPU benchmark probe that returns scripted measurements, so that the benchmark's procedure and
 * arithmetic are tested without running guests or reading a clock.
 */
package dev.rehype.cli.bench;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/** Returns the interpreter samples it was given, in order, and fixed reference timings. */
final class FakeCpuBenchProbe implements CpuBenchProbe {

    private final Deque<Supplier<InterpreterSample>> interpreterRuns;
    private final ReferenceTiming nativeTiming;
    private final ReferenceTiming qemuTiming;
    int interpreterCalls;
    boolean closed;

    FakeCpuBenchProbe(List<Supplier<InterpreterSample>> interpreterRuns, ReferenceTiming nativeTiming, ReferenceTiming qemuTiming) {
        this.interpreterRuns = new ArrayDeque<>(interpreterRuns);
        this.nativeTiming = nativeTiming;
        this.qemuTiming = qemuTiming;
    }

    /** A probe whose interpreter runs return these samples. */
    static FakeCpuBenchProbe of(List<InterpreterSample> samples, ReferenceTiming nativeTiming, ReferenceTiming qemuTiming) {
        return new FakeCpuBenchProbe(samples.stream().<Supplier<InterpreterSample>>map(s -> () -> s).toList(),
                nativeTiming, qemuTiming);
    }

    @Override
    public InterpreterSample runInterpreter() {
        interpreterCalls++;
        Supplier<InterpreterSample> next = interpreterRuns.pollFirst();
        if (next == null) {
            throw new AssertionError("more interpreter runs than scripted");
        }
        return next.get();
    }

    @Override
    public ReferenceTiming timeNative() {
        return nativeTiming;
    }

    @Override
    public ReferenceTiming timeQemu() {
        return qemuTiming;
    }

    @Override
    public void close() {
        closed = true;
    }
}
