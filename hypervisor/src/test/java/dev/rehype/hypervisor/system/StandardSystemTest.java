package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.DomainStatus;
import org.junit.jupiter.api.Test;

/**
 * The standard system (the host builds Dom0 only; Dom0 builds the driver domain and the AppVMs)
 * boots, every workload finishes with its expected digest, the peer on the wire checks every
 * service response, the preserved state audits clean at every step, and a seed reproduces a run
 * bit for bit.
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
                    .containsExactly("dom0", "netdrv", "hypercall", "hypercall-2", "compute", "mem", "net", "service");
            assertThat(report.vms()).extracting(VmResult::digest).containsExactly(Digests.DOM0IO, null,
                    Digests.HYPERCALL, Digests.HYPERCALL, Digests.COMPUTE, Digests.MEM, Digests.NET, Digests.SERVICE);
            assertThat(report.vms().get(6).packets()).isEqualTo(400L);
            assertThat(report.vms().get(7).packets()).isEqualTo(240L);
            assertThat(report.vms().get(1).packets()).as("frames the driver domain moved").isGreaterThanOrEqualTo(640L);
            assertThat(report.vms().get(4).packets()).isNull();
            assertThat(report.peer().mismatches()).isZero();
            assertThat(report.peer().exchanges()).isEqualTo(120);
            assertThat(report.peer().clientsDone()).isEqualTo(3);
            assertThat(report.peer().echoes()).isEqualTo(200);
            assertThat(system.domains()).allSatisfy(d -> {
                assertThat(d.shutdownReason()).isEqualTo(DomainStatus.REASON_POWEROFF);
                assertThat(d.instructions()).isGreaterThan(100_000);
            });
            assertThat(system.domains().get(0).console()).contains("dom0io: ok: 7 of 7 modules started, 0 failures")
                    .doesNotContain("[lost ").doesNotContain("bytes lost");
            assertThat(system.audit()).isEmpty();
        }
    }

    @Test
    void theSameSeedGivesTheSameRunBitForBit() throws Exception {
        RunReport a = StandardSystem.run(42, StandardSystem.DEFAULT_MAX_CYCLES);
        RunReport b = StandardSystem.run(42, StandardSystem.DEFAULT_MAX_CYCLES);
        assertThat(a).isEqualTo(b);
        assertThat(a.allCorrect()).isTrue();
        RunReport c = StandardSystem.run(43, StandardSystem.DEFAULT_MAX_CYCLES);
        assertThat(c.allCorrect()).isTrue();
        assertThat(c.finalStateHash()).as("another seed, another run").isNotEqualTo(a.finalStateHash());
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
