package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.guests.GuestImage;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Dom0 builds the system itself: the host boots only Dom0 (the dom0io workload: the toolstack
 * and the store, guests/riscv/dom0/) with the other domains' images as boot modules. Dom0 parses
 * them, creates, fills, sets up and starts each domain, serves them the store over their rings,
 * relays their consoles, and shuts down with a digest of its management operations once every
 * AppVM is done. The AppVMs it builds must finish with the digests they have when the host
 * builds them, and the xstest AppVM checks the store end to end from the guest side.
 */
class Dom0BuildTest {
    static final long MAX_CYCLES = StandardSystem.DEFAULT_MAX_CYCLES;
    /** xstest with default parameters: a function of its checks and the store's limits only. */
    static final String XSTEST_DIGEST = "a4ceee69";

    /** The modules of the test system: the standard AppVMs (the pair peered by module index) and xstest. */
    static final List<String[]> MODULES = List.of(
            new String[] {"compute", "workloads/compute.elf"},
            new String[] {"hypercall:role=0,peer=2", "workloads/hypercall.elf"},
            new String[] {"hypercall:role=1,peer=1", "workloads/hypercall.elf"},
            new String[] {"mem", "workloads/mem.elf"},
            new String[] {"xstest", "workloads/xstest.elf"});

    static byte[] imageBytes(String path) throws IOException {
        try (InputStream in = Dom0BuildTest.class.getClassLoader()
                .getResourceAsStream(GuestImage.RESOURCE_ROOT + path)) {
            assertThat(in).as("image %s on the class path", path).isNotNull();
            return in.readAllBytes();
        }
    }

    static BootSpec dom0With(List<DomainSpec.Module> modules) throws Exception {
        return new BootSpec(List.of(new DomainSpec("dom0", GuestImage.load("workloads/dom0io.elf"), 192, 208, 1, true,
                DomainSpec.NO_PEER, 0, new int[0], modules)));
    }

    static List<DomainSpec.Module> modules(List<String[]> names) throws IOException {
        List<DomainSpec.Module> modules = new ArrayList<>();
        for (String[] m : names) {
            modules.add(new DomainSpec.Module(m[0], imageBytes(m[1])));
        }
        return modules;
    }

    /** What a run left: the domains as the host reports them, and the machine's whole console. */
    record Run(List<DomainStatus> domains, String console) {
    }

    /** Boots Dom0 with the modules and runs until every domain has shut down. */
    static Run run(SystemConfig config, List<DomainSpec.Module> modules) throws Exception {
        try (HostSystem system = new HostSystem(config)) {
            system.boot(dom0With(modules));
            boolean finished = system.runUntilShutdown(MAX_CYCLES, d -> true);
            assertThat(finished).as("every domain shut down; dom0 said:%n%s", system.domains().get(0).console())
                    .isTrue();
            assertThat(system.audit()).isEmpty();
            return new Run(system.domains(), system.machine().console().text());
        }
    }

    static Map<String, String> digests(List<DomainStatus> domains) {
        Map<String, String> out = new TreeMap<>();
        for (DomainStatus d : domains) {
            out.put(d.domid() + ":" + d.name(), d.digest());
        }
        return out;
    }

    @Test
    void dom0BuildsTheAppVmsFromItsModulesAndTheyFinishWithTheirDigests() throws Exception {
        Run run = run(SystemConfig.defaults(3), modules(MODULES));
        List<DomainStatus> domains = run.domains();

        assertThat(domains).extracting(DomainStatus::name)
                .containsExactly("dom0", "compute", "hypercall", "hypercall-2", "mem", "xstest");
        assertThat(domains).allSatisfy(d -> {
            assertThat(d.shutdownReason()).as("%s", d.name()).isEqualTo(DomainStatus.REASON_POWEROFF);
            assertThat(d.shutdownCode()).as("%s said:%n%s", d.name(), d.console()).isZero();
        });
        assertThat(domains.get(1).digest()).isEqualTo(Digests.COMPUTE);
        assertThat(domains.get(2).digest()).isEqualTo(Digests.HYPERCALL);
        assertThat(domains.get(3).digest()).isEqualTo(Digests.HYPERCALL);
        assertThat(domains.get(4).digest()).isEqualTo(Digests.MEM);
        assertThat(domains.get(5).console()).contains("xstest: ok");
        assertThat(domains.get(5).digest()).isEqualTo(XSTEST_DIGEST);

        assertThat(domains.get(0).console()).contains("dom0io: ok: 5 of 5 modules started, 0 failures");
        assertThat(domains.get(0).digest()).isNotNull();
        assertThat(run.console()).as("consoles relayed by Dom0 with their domain's prefix")
                .contains("d0: d1: kernel: dom1 vcpus=1 pages=256/256 workload=compute")
                .contains("d0: d5: xstest: ok");
    }

    @Test
    void theSameSeedGivesTheSameDigestsAndTheCpuCountChangesNone() throws Exception {
        List<DomainSpec.Module> modules = modules(MODULES);
        Map<String, String> a = digests(run(SystemConfig.defaults(11), modules).domains());
        Map<String, String> b = digests(run(SystemConfig.defaults(11), modules).domains());
        Map<String, String> c = digests(run(new SystemConfig(1, 12, SystemConfig.DEFAULT_MACHINE_MEMORY_BYTES,
                SystemConfig.DEFAULT_MAX_DOMAINS, SystemConfig.DEFAULT_MAX_VCPUS), modules).domains());
        assertThat(a).doesNotContainValue(null);
        assertThat(b).isEqualTo(a);
        assertThat(c).isEqualTo(a);
    }

    @Test
    void consoleOutputTheRingNoLongerHeldWhenDom0RelaysItIsReportedLostNotSkipped() throws Exception {
        try (HostSystem system = new HostSystem(SystemConfig.defaults(8))) {
            // mem with 300 rounds of 2 pages prints about 8 KiB, twice what the hypervisor keeps.
            system.boot(dom0With(modules(List.<String[]>of(new String[] {"mem:p1=300,p2=2", "workloads/mem.elf"}))));
            while (system.domains().size() < 2 || system.domains().get(1).instructions() == 0) {
                system.machine().run(100_000);
            }
            assertThat(system.hypervisor().pauseDomain(0, true)).isZero();
            assertThat(system.runUntilShutdown(MAX_CYCLES, d -> d.domid() == 1)).as("mem runs without Dom0").isTrue();
            assertThat(system.hypervisor().pauseDomain(0, false)).isZero();
            assertThat(system.runUntilShutdown(MAX_CYCLES, d -> true)).isTrue();
            assertThat(system.audit()).isEmpty();

            DomainStatus mem = system.domains().get(1);
            assertThat(mem.shutdownCode()).as(mem.console()).isZero();
            assertThat(mem.console()).contains("mem: round 300/300, 0 failures");
            String dom0 = system.domains().get(0).console();
            String machine = system.machine().console().text();
            java.util.regex.Matcher lost = java.util.regex.Pattern.compile("dom0io: consoles: (\\d+) bytes lost")
                    .matcher(dom0);
            assertThat(lost.find()).as(dom0).isTrue();
            int lostBytes = Integer.parseInt(lost.group(1));
            assertThat(lostBytes).isPositive();
            assertThat(machine).contains("d0: d1: [lost " + lostBytes + " bytes]\n")
                    .contains("d0: d1: mem: round 300/300, 0 failures\n")
                    .as("the hypervisor itself prints no line of what Dom0 relays").doesNotContain("\nd1: ");
            assertThat(system.domains().get(0).shutdownCode()).as(dom0).isZero();
        }
    }

    @Test
    void aModuleThatIsNotAnImageOrNamesABadOptionIsRefusedAndTheRestIsBuilt() throws Exception {
        List<DomainSpec.Module> modules = new ArrayList<>(modules(List.of(new String[][] {
            {"compute", "workloads/compute.elf"}, {"mem:fast", "workloads/mem.elf"}})));
        modules.add(1, new DomainSpec.Module("junk", "not an ELF image, only words. ".repeat(8).getBytes()));
        List<DomainStatus> domains = run(SystemConfig.defaults(5), modules).domains();

        assertThat(domains).extracting(DomainStatus::name).containsExactly("dom0", "compute");
        assertThat(domains.get(1).digest()).isEqualTo(Digests.COMPUTE);
        DomainStatus dom0 = domains.get(0);
        assertThat(dom0.console()).contains("module 1 'junk': not an ELF file (bad magic)")
                .contains("module 2 'mem:fast': unknown option").contains("dom0io: FAIL: 1 of 3 modules started");
        assertThat(dom0.shutdownCode()).isEqualTo(1);
    }
}
