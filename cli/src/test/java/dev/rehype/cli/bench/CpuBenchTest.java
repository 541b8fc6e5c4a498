/*
 * The CPU benchmark's procedure and arithmetic, on scripted measurements: warm-up runs are not
 * counted, MIPS are per run (instructions / wall ns * 1000) with median, min and max, ratios are our
 * median time over the reference's median time, and an absent reference gives null figures.
 */
package dev.rehype.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rehype.cli.CheckFailure;

class CpuBenchTest {

    private static final long INSTRUCTIONS = 1_000_000_000L;
    private static final CpuBenchPlan FIVE_RUNS_NO_WARMUP = new CpuBenchPlan("bench/cpu.elf", 5, 0, 1_000_000L);

    /** Wall times 5, 4, 2, 10, 8 s for 1e9 instructions: 200, 250, 500, 100, 125 MIPS. */
    private static List<InterpreterSample> fiveRuns() {
        return List.of(sample(5_000_000_000L), sample(4_000_000_000L), sample(2_000_000_000L),
                sample(10_000_000_000L), sample(8_000_000_000L));
    }

    private static InterpreterSample sample(long wallNanos) {
        return new InterpreterSample(INSTRUCTIONS, wallNanos);
    }

    private static CpuBenchResult run(CpuBenchPlan plan, FakeCpuBenchProbe probe) {
        return CpuBench.run(plan, probe, CpuBenchProgress.NONE, "25-test", 4);
    }

    @Test
    void mipsAreTheMedianMinAndMaxOfThePerRunFigures() {
        var probe = FakeCpuBenchProbe.of(fiveRuns(),
                ReferenceTiming.unavailable("native", "no gcc"), ReferenceTiming.unavailable("qemu", "no qemu"));
        CpuBenchResult r = run(FIVE_RUNS_NO_WARMUP, probe);
        assertThat(r.mips()).isEqualTo(200.0);
        assertThat(r.mipsMin()).isEqualTo(100.0);
        assertThat(r.mipsMax()).isEqualTo(500.0);
        assertThat(r.instructions()).isEqualTo(INSTRUCTIONS);
        assertThat(r.ourNanos()).isEqualTo(5_000_000_000.0);
    }

    @Test
    void ratiosAreOurMedianTimeOverTheReferenceMedianTime() {
        var probe = FakeCpuBenchProbe.of(fiveRuns(),
                ReferenceTiming.measured("native", List.of(100_000_000L, 300_000_000L, 200_000_000L, 500_000_000L, 400_000_000L)),
                ReferenceTiming.measured("qemu", List.of(900_000_000L, 1_000_000_000L, 1_100_000_000L, 2_000_000_000L, 950_000_000L)));
        CpuBenchResult r = run(FIVE_RUNS_NO_WARMUP, probe);
        assertThat(r.nativeNanos()).isEqualTo(300_000_000.0);
        assertThat(r.nativeRatio()).isCloseTo(5_000_000_000.0 / 300_000_000.0, within(1e-9));
        assertThat(r.qemuNanos()).isEqualTo(1_000_000_000.0);
        assertThat(r.qemuRatio()).isEqualTo(5.0);
    }

    @Test
    void anAbsentReferenceGivesNullFiguresAndKeepsItsNote() {
        var probe = FakeCpuBenchProbe.of(fiveRuns(),
                ReferenceTiming.unavailable("native gcc -O2", "gcc not found on PATH"),
                ReferenceTiming.measured("qemu", List.of(1L, 1L, 1L, 1L, 1L)));
        CpuBenchResult r = run(FIVE_RUNS_NO_WARMUP, probe);
        assertThat(r.nativeNanos()).isNull();
        assertThat(r.nativeRatio()).isNull();
        assertThat(r.nativeTiming().note()).isEqualTo("gcc not found on PATH");
        assertThat(r.qemuRatio()).isNotNull();
    }

    @Test
    void warmupRunsAreRunButNotCounted() {
        List<InterpreterSample> scripted = new ArrayList<>(List.of(sample(1L), sample(1L)));
        scripted.addAll(fiveRuns());
        var probe = FakeCpuBenchProbe.of(scripted,
                ReferenceTiming.unavailable("native", "n"), ReferenceTiming.unavailable("qemu", "q"));
        CpuBenchResult r = run(new CpuBenchPlan("bench/cpu.elf", 5, 2, 1_000_000L), probe);
        assertThat(probe.interpreterCalls).isEqualTo(7);
        assertThat(r.samples()).containsExactlyElementsOf(fiveRuns());
        assertThat(r.mipsMax()).isEqualTo(500.0);
    }

    @Test
    void runsThatRetireDifferentInstructionCountsFailTheBenchmark() {
        List<InterpreterSample> runs = new ArrayList<>(fiveRuns());
        runs.set(3, new InterpreterSample(INSTRUCTIONS + 1, 1_000L));
        var probe = FakeCpuBenchProbe.of(runs,
                ReferenceTiming.unavailable("native", "n"), ReferenceTiming.unavailable("qemu", "q"));
        assertThatThrownBy(() -> run(FIVE_RUNS_NO_WARMUP, probe))
                .isInstanceOf(CheckFailure.class)
                .hasMessageContaining("run 4")
                .hasMessageContaining("not deterministic");
    }

    @Test
    void aFailedRunFailsTheBenchmark() {
        var probe = new FakeCpuBenchProbe(List.of(() -> {
            throw new CheckFailure("bench/cpu.elf on the interpreter exited with code 3");
        }), ReferenceTiming.unavailable("native", "n"), ReferenceTiming.unavailable("qemu", "q"));
        assertThatThrownBy(() -> run(FIVE_RUNS_NO_WARMUP, probe)).isInstanceOf(CheckFailure.class)
                .hasMessageContaining("exited with code 3");
    }

    @Test
    void theJsonObjectHasEveryFieldWithNullsForAbsentReferences() {
        var probe = FakeCpuBenchProbe.of(fiveRuns(),
                ReferenceTiming.measured("native gcc -O2", List.of(250_000_000L, 250_000_000L, 250_000_000L, 250_000_000L, 250_000_000L)),
                ReferenceTiming.unavailable("qemu-riscv32", "qemu-riscv32 not found on PATH"));
        String json = CpuBenchJson.of(run(FIVE_RUNS_NO_WARMUP, probe));
        assertThat(json).isEqualTo("{\"image\":\"bench/cpu.elf\",\"mips\":200.0,\"mips_min\":100.0,\"mips_max\":500.0,"
                + "\"instructions\":1000000000,\"runs\":5,\"warmup\":0,\"our_nanos\":5000000000,"
                + "\"native_nanos\":250000000,\"native_ratio\":20.0,\"native_note\":null,"
                + "\"qemu_nanos\":null,\"qemu_ratio\":null,\"qemu_note\":\"qemu-riscv32 not found on PATH\","
                + "\"jdk\":\"25-test\",\"host_cpus\":4}");
    }

    @Test
    void theTextOutputStartsWithTheDerivedOptionsAndNamesAbsentReferences() {
        var probe = FakeCpuBenchProbe.of(fiveRuns(),
                ReferenceTiming.unavailable("native gcc -O2", "gcc not found on PATH"),
                ReferenceTiming.measured("qemu-riscv32", List.of(1_000_000_000L, 1_000_000_000L, 1_000_000_000L, 1_000_000_000L, 1_000_000_000L)));
        CpuBenchResult r = run(FIVE_RUNS_NO_WARMUP, probe);
        assertThat(CpuBenchText.header(FIVE_RUNS_NO_WARMUP, "25-test", 4))
                .isEqualTo("bench cpu: image=bench/cpu.elf runs=5 warmup=0 max_cycles=1000000 jdk=25-test host_cpus=4");
        assertThat(CpuBenchText.summary(r))
                .contains("interpreter MIPS")
                .containsPattern("native gcc -O2 +n/a +\\(gcc not found on PATH\\)")
                .containsPattern("qemu-riscv32 +1\\.000 s +5\\.00 ");
    }

    @Test
    void plansAndTimingsRejectNonsense() {
        assertThatThrownBy(() -> new CpuBenchPlan("bench/cpu.elf", 4, 1, 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CpuBenchPlan("bench/cpu.elf", 5, -1, 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReferenceTiming("x", List.of(1L), "note")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReferenceTiming("x", List.of(), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InterpreterSample(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
