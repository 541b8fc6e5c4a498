package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.DomainStatus;
import org.junit.jupiter.api.Test;

/**
 * The standard system boots, every workload finishes with its expected digest, the preserved state
 * audits clean at every step, and a seed reproduces a run bit for bit.
 */
class StandardSystemTest {

    @Test
    void everyVmFinishesCorrectlyAndTheStateAuditsCleanAtEveryStep() throws Exception {
        try (HostSystem system = new HostSystem(SystemConfig.defaults(1))) {
            system.boot(StandardSystem.bootSpec());
            assertThat(system.audit()).isEmpty();
            int steps = 0;
            while (!system.runUntilShutdown(HostSystem.CHECK_INTERVAL_CYCLES, d -> true)) {
                assertThat(system.audit()).as("audit after step %d", steps).isEmpty();
                assertThat(++steps).as("finishes within 100 steps").isLessThan(100);
            }
            RunReport report = StandardSystem.report(1, system, true);
            assertThat(report.vms()).extracting(VmResult::verdict).containsOnly(VmResult.CORRECT);
            assertThat(report.vms()).extracting(VmResult::name)
                    .containsExactly("dom0", "compute", "hc-ping", "hc-pong", "mem");
            assertThat(system.domains()).allSatisfy(d -> {
                assertThat(d.shutdownReason()).isEqualTo(DomainStatus.REASON_POWEROFF);
                assertThat(d.instructions()).isGreaterThan(100_000);
            });
            assertThat(system.domains().get(0).console()).contains("dom0");
            assertThat(system.audit()).isEmpty();
        }
    }

    @Test
    void theSameSeedGivesTheSameRunBitForBit() throws Exception {
        RunReport a = StandardSystem.run(42, StandardSystem.DEFAULT_MAX_CYCLES);
        RunReport b = StandardSystem.run(42, StandardSystem.DEFAULT_MAX_CYCLES);
        assertThat(a).isEqualTo(b);
        assertThat(a.allCorrect()).isTrue();
    }

    @Test
    void digestsDoNotDependOnTheNumberOfCpus() throws Exception {
        for (int cpus : new int[] {1, 3}) {
            RunReport r = StandardSystem.run(new SystemConfig(cpus, 7, SystemConfig.DEFAULT_MACHINE_MEMORY_BYTES,
                    SystemConfig.DEFAULT_MAX_DOMAINS, SystemConfig.DEFAULT_MAX_VCPUS), StandardSystem.DEFAULT_MAX_CYCLES);
            assertThat(r.vms()).as("%d cpus", cpus).extracting(VmResult::verdict).containsOnly(VmResult.CORRECT);
        }
    }

    @Test
    void aRunThatHitsItsLimitIsReportedUnfinishedNotCorrect() throws Exception {
        RunReport r = StandardSystem.run(1, 1_000_000);
        assertThat(r.finished()).isFalse();
        assertThat(r.allCorrect()).isFalse();
        assertThat(r.vms()).extracting(VmResult::verdict).contains("unfinished");
    }
}
