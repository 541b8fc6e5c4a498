package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rehype.guests.GuestImage;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The standard system with 64 MiB per AppVM: the host tells Dom0 the size through its
 * start_info, Dom0 builds every AppVM with 16384 pages (plus the headroom its module gives it;
 * the driver domain keeps its own size), the machine is grown for it, and the run ends with
 * every VM correct and the peer clean. mem's digest at that size is the one the host-built mem
 * of the same size gives.
 */
class StandardSystem64MibTest {
    private static final int MIB = 64;
    private static final int PAGES = MIB * StandardSystem.PAGES_PER_MIB;

    @Test
    void dom0BuildsEveryAppVmWith64MibAndEveryVmFinishesCorrectly() throws Exception {
        SystemConfig config = StandardSystem.config(3, MIB);
        assertThat(config.machineMemoryBytes()).isGreaterThan((long) StandardSystem.APPVMS * MIB << 20);
        try (HostSystem system = new HostSystem(config)) {
            system.boot(StandardSystem.bootSpec(MIB));
            List<DomainStatus> built = system.domains();
            int steps = 0;
            while (built.size() < StandardSystem.vms().size() || built.stream().anyMatch(d -> d.instructions() == 0)) {
                assertThat(++steps).as("Dom0 builds every domain within 100 steps").isLessThan(100);
                system.machine().run(HostSystem.CHECK_INTERVAL_CYCLES);
                built = system.domains();
            }
            assertThat(built.getFirst().console()).as("Dom0's module lines: initial/maximum pages")
                    .contains("'compute': ").contains(", 16384/16384 pages\n")
                    .contains("'mem': ").contains(", 16384/16448 pages\n")
                    .contains(", 16384/16416 pages\n")   // hypercall: 128/160 by default
                    .contains(", 128/320 pages, driver domain\n");
            for (DomainStatus d : built) {
                if (d.domid() >= 2) {
                    assertThat(d.totPages()).as("%s's pages", d.name()).isBetween(PAGES,
                            PAGES + StandardSystem.MAX_APPVM_HEADROOM_PAGES);
                } else if (d.domid() == 1) {
                    assertThat(d.totPages()).as("the driver domain keeps its size").isLessThan(1024);
                }
            }
            assertThat(system.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES, d -> true)).isTrue();
            RunReport report = StandardSystem.report(3, system, true, MIB);
            assertThat(report.vms()).extracting(VmResult::digest).containsExactly(Digests.DOM0IO_64MIB, null,
                    Digests.HYPERCALL, Digests.HYPERCALL, Digests.COMPUTE, Digests.MEM_64MIB, Digests.NET,
                    Digests.SERVICE);
            assertThat(report.vms()).extracting(VmResult::verdict).containsOnly(VmResult.CORRECT);
            assertThat(report.peer().mismatches()).isZero();
            assertThat(report.peer().exchanges()).isEqualTo(120);
            assertThat(report.peer().echoes()).isEqualTo(200);
            String console = system.domains().getFirst().console();
            assertThat(console).contains("dom0io: ok: 7 of 7 modules started, 0 failures");
            assertThat(system.audit()).isEmpty();
        }
    }

    @Test
    void memsDigestAt64MibIsTheOneTheHostBuiltMemOfThatSizeGives() throws Exception {
        SystemConfig config = new SystemConfig(2, 1, 96L << 20, SystemConfig.DEFAULT_MAX_DOMAINS,
                SystemConfig.DEFAULT_MAX_VCPUS);
        try (HostSystem system = new HostSystem(config)) {
            system.boot(new BootSpec(List.of(new DomainSpec("mem", GuestImage.load("workloads/mem.elf"), PAGES,
                    PAGES + 64, 1, false, DomainSpec.NO_PEER, 0, new int[0]))));
            assertThat(system.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES, d -> true)).isTrue();
            DomainStatus mem = system.domains().getFirst();
            assertThat(mem.shutdownCode()).isZero();
            assertThat(mem.digest()).isEqualTo(Digests.MEM_64MIB).isNotEqualTo(Digests.MEM);
        }
    }

    @Test
    void theDefaultSpecAndMachineAreUnchangedAndBadSizesAreRefused() throws Exception {
        assertThat(StandardSystem.config(9, 0)).isEqualTo(SystemConfig.defaults(9));
        assertThat(StandardSystem.bootSpec(0).domains().getFirst().params()).isEmpty();
        assertThat(StandardSystem.bootSpec(MIB).domains().getFirst().params()).containsExactly(0, 0, PAGES);
        assertThat(StandardSystem.vms(0)).isEqualTo(StandardSystem.vms());
        assertThatThrownBy(() -> StandardSystem.bootSpec(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
