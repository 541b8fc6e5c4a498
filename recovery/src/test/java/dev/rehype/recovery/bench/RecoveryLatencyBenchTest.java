package dev.rehype.recovery.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.recovery.RecoveryMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * The recovery bench measures exactly the recoveries it is asked for (warm-up ones not counted) on
 * the Dom0-built standard system, starting its failures only once Dom0 has built every domain,
 * keeps every VM correct (the standard system's own verdicts, the peer's included) while it fails
 * the hypervisor again and again, boots a fresh system when one finishes, runs the last one to its
 * end, and gives up with a clear error — never waits forever — when its failure stops striking.
 */
class RecoveryLatencyBenchTest {

    private static RecoveryBenchPlan plan(int recoveries, int warmup, long gapCycles) {
        return new RecoveryBenchPlan(recoveries, warmup, 7, gapCycles, 20_000_000);
    }

    @Test
    void microrebootsOfTheDom0BuiltSystemAreMeasuredAfterTheWarmUpAndEveryVmEndsCorrect() throws Exception {
        BenchSystem system = BenchSystem.dom0Built(7);
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
        assertThat(l.systemsFinished()).isEqualTo(l.systemsBooted());
        assertThat(l.systemsCorrect()).isEqualTo(l.systemsFinished());
        // the failures started once Dom0 had built the driver domain and the AppVMs (Dom0's sizes: at most 1 MiB)
        assertThat(l.failuresStartCycles()).isPositive();
        assertThat(l.appVmMib()).isGreaterThan(0).isLessThanOrEqualTo(1.0);
    }

    @Test
    void microresetsOfTheDom0BuiltSystemWith64MibPerAppVmKeepEveryVmCorrect() throws Exception {
        BenchSystem system = BenchSystem.dom0Built(64, 11);
        RecoveryLatency l = RecoveryLatencyBench.measure(system, RecoveryMode.MICRORESET, plan(10, 0, 200_000),
                RecoveryLatencyBench.Progress.NONE);
        assertThat(l.recoveries()).isEqualTo(10);
        // Dom0 gave every AppVM 16384 pages (plus its module's headroom, mem populating some of it)
        assertThat(l.appVmMib()).isGreaterThanOrEqualTo(64.0).isLessThanOrEqualTo(64.25);
        assertThat(l.phases()).extracting(RecoveryLatency.PhaseMedian::name).doesNotContain("image switch");
        assertThat(l.failuresStartCycles()).isPositive();
        assertThat(l.systemsFinished()).isEqualTo(l.systemsBooted());
        assertThat(l.systemsCorrect()).isEqualTo(l.systemsFinished());
    }

    @Test
    void theStandardSystemCountsAsBuiltOnlyWhenEveryVmIsListedAndHasRun() {
        List<DomainStatus> built = new ArrayList<>();
        for (int domid = 0; domid < StandardSystem.vms().size(); domid++) {
            built.add(domain(domid, StandardSystem.vms().get(domid).name(), 1));
        }
        assertThat(RecoveryLatencyBench.everyDomainBuilt(built)).isTrue();
        List<DomainStatus> notRun = new ArrayList<>(built);
        notRun.set(7, domain(7, "service", 0));
        assertThat(RecoveryLatencyBench.everyDomainBuilt(notRun)).isFalse();
        assertThat(RecoveryLatencyBench.everyDomainBuilt(built.subList(0, 7))).isFalse();
    }

    private static DomainStatus domain(int domid, String name, long instructions) {
        return new DomainStatus(domid, name, "running", domid == 0, 0, 0, "", instructions, instructions, 64);
    }

    @Test
    void aSystemThatFinishesIsReplacedByAFreshOneAndMicroresetKeepsItCorrect() throws Exception {
        BenchSystem system = BenchSystem.hostBuilt(1, 7);
        RecoveryLatency l = RecoveryLatencyBench.measure(system, RecoveryMode.MICRORESET, plan(40, 0, 5_000_000),
                RecoveryLatencyBench.Progress.NONE);
        assertThat(l.recoveries()).isEqualTo(40);
        assertThat(l.phases()).extracting(RecoveryLatency.PhaseMedian::name).doesNotContain("image switch");
        assertThat(l.preparationMedianNanos()).isZero();
        assertThat(l.systemsBooted()).isGreaterThan(1);
        assertThat(l.systemsFinished()).isEqualTo(l.systemsBooted());
        assertThat(l.systemsCorrect()).isEqualTo(l.systemsFinished());
        assertThat(l.failuresStartCycles()).isZero();
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
    void theSystemsFitTheirMachineAndTheLargeOneNeedsMoreThanTheOldMmioWindowAllowed() throws Exception {
        BenchSystem large = BenchSystem.computeVms(8, 1024, 1);
        assertThat(large.appVms()).isEqualTo(8);
        assertThat(large.config().machineMemoryBytes()).isGreaterThan(8L << 30)
                .isLessThan(dev.rehype.machine.Machine.MMIO_BASE);
        BenchSystem hostBuilt = BenchSystem.hostBuilt(64, 1);
        assertThat(hostBuilt.appVms()).isEqualTo(4);
        assertThat(hostBuilt.dom0Built()).isFalse();
        assertThat(hostBuilt.spec().domains()).filteredOn(d -> !d.privileged())
                .allMatch(d -> d.memPages() == 64 * BenchSystem.PAGES_PER_MIB);
        BenchSystem standard = BenchSystem.dom0Built(1);
        assertThat(standard.dom0Built()).isTrue();
        assertThat(standard.appVms()).isEqualTo(6);
        assertThat(standard.domains()).isEqualTo(8);
        assertThat(standard.spec().domains()).singleElement()
                .satisfies(d -> assertThat(d.modules()).hasSize(7));
        assertThat(standard.config()).isEqualTo(dev.rehype.hypervisor.system.SystemConfig.defaults(1));
        BenchSystem standard64 = BenchSystem.dom0Built(64, 1);
        assertThat(standard64.mibPerVm()).isEqualTo(64);
        assertThat(standard64.describe()).isEqualTo("standard (Dom0-built), 6 AppVMs x 64 MiB");
        assertThat(standard64.config().machineMemoryBytes()).isGreaterThan(6L * 64 << 20);
        assertThat(standard64.spec().domains()).singleElement()
                .satisfies(d -> assertThat(d.params()).containsExactly(0, 0, 64 * BenchSystem.PAGES_PER_MIB));
    }
}
