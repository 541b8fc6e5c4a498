package dev.rehype.recovery.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.recovery.RecoveryMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * The recovery bench measures exactly the recoveries it is asked for (warm-up ones not counted),
 * keeps the workloads correct while it fails the hypervisor again and again, boots a fresh system
 * when one finishes, and gives up with a clear error — never waits forever — when its failure
 * stops striking.
 */
class RecoveryLatencyBenchTest {

    private static RecoveryBenchPlan plan(int recoveries, int warmup, long gapCycles) {
        return new RecoveryBenchPlan(recoveries, warmup, 7, gapCycles, 20_000_000);
    }

    @Test
    void microrebootsAreMeasuredAfterTheWarmUpAndEveryFinishedSystemIsCorrect() throws Exception {
        BenchSystem system = BenchSystem.standard(1, 7);
        List<Long> boots = new ArrayList<>();
        int[] lastDone = {0};
        RecoveryLatency l = RecoveryLatencyBench.measure(system, RecoveryMode.MICROREBOOT, plan(6, 2, 200_000),
                new RecoveryLatencyBench.Progress() {
                    @Override
                    public void booted(String what, long bootNanos) {
                        boots.add(bootNanos);
                    }

                    @Override
                    public void recovered(int done, int total) {
                        lastDone[0] = done;
                        assertThat(total).isEqualTo(8);
                    }
                });
        assertThat(lastDone[0]).isEqualTo(8);
        assertThat(l.recoveries()).isEqualTo(6);
        assertThat(l.sortedNanos()).isSorted();
        assertThat(l.sortedNanos()[0]).isPositive();
        assertThat(l.quantileNanos(0.5)).isLessThanOrEqualTo(l.quantileNanos(0.99));
        assertThat(l.phases()).extracting(RecoveryLatency.PhaseMedian::name)
                .contains("detection", "image switch", "re-attach", "repair release-locks", "resume");
        assertThat(l.preparationMedianNanos()).isPositive();
        assertThat(l.sortedCpuNanos()).hasSize(6).isSorted();
        assertThat(l.sortedCpuNanos()[5]).isPositive();
        assertThat(l.systemsBooted()).isEqualTo(boots.size()).isPositive();
        assertThat(l.systemsCorrect()).isEqualTo(l.systemsFinished());
    }

    @Test
    void aSystemThatFinishesIsReplacedByAFreshOneAndMicroresetKeepsItCorrect() throws Exception {
        BenchSystem system = BenchSystem.standard(1, 7);
        RecoveryLatency l = RecoveryLatencyBench.measure(system, RecoveryMode.MICRORESET, plan(40, 0, 5_000_000),
                RecoveryLatencyBench.Progress.NONE);
        assertThat(l.recoveries()).isEqualTo(40);
        assertThat(l.phases()).extracting(RecoveryLatency.PhaseMedian::name).doesNotContain("image switch");
        assertThat(l.preparationMedianNanos()).isZero();
        assertThat(l.systemsBooted()).isGreaterThan(1);
        assertThat(l.systemsFinished()).isPositive();
        assertThat(l.systemsCorrect()).isEqualTo(l.systemsFinished());
    }

    @Test
    void aFailureThatNeverStrikesIsAnErrorNamingThePointNotAnEndlessWait() throws Exception {
        BenchSystem system = BenchSystem.computeVms(1, 1, 7);
        FaultPoint neverHit = FaultPoint.entry("Devices", "assign");
        assertThatThrownBy(() -> RecoveryLatencyBench.measure(system, RecoveryMode.MICRORESET,
                new RecoveryBenchPlan(3, 0, 7, 0, 2_000_000), RecoveryLatencyBench.Progress.NONE, neverHit))
                .isInstanceOf(RecoveryBenchException.class)
                .hasMessageContaining("Devices.assign@entry")
                .hasMessageContaining("did not strike within 2000000 cycles");
    }

    @Test
    void quantilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertThat(RecoveryLatency.quantile(sorted, 0.5)).isEqualTo(50);
        assertThat(RecoveryLatency.quantile(sorted, 0.99)).isEqualTo(99);
        assertThat(RecoveryLatency.quantile(new long[] {4}, 0.99)).isEqualTo(4);
    }

    @Test
    void bothSystemsFitTheirMachineAndTheLargeOneNeedsMoreThanTheOldMmioWindowAllowed() throws Exception {
        BenchSystem large = BenchSystem.computeVms(8, 1024, 1);
        assertThat(large.appVms()).isEqualTo(8);
        assertThat(large.config().machineMemoryBytes()).isGreaterThan(8L << 30)
                .isLessThan(dev.rehype.machine.Machine.MMIO_BASE);
        BenchSystem standard = BenchSystem.standard(64, 1);
        assertThat(standard.appVms()).isEqualTo(4);
        assertThat(standard.spec().domains()).filteredOn(d -> !d.privileged())
                .allMatch(d -> d.memPages() == 64 * BenchSystem.PAGES_PER_MIB);
    }
}
