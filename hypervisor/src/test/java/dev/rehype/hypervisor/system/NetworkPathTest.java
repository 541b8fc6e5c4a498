package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.guests.GuestImage;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.machine.Machine;
import dev.rehype.machine.Seeds;
import dev.rehype.machine.Wire;
import dev.rehype.machine.WirePeer;
import dev.rehype.machine.peer.NetPeer;
import dev.rehype.machine.peer.NetPeerReport;
import dev.rehype.region.PreservedRegion;
import dev.rehype.region.layout.CoreTablesLayout;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packet path end to end, on real guests: Dom0's toolstack (dom0io) builds the driver
 * domain (netdrv) and the AppVMs (net, service) from boot modules; their frames go front end ->
 * back end -> NIC -> {@link NetPeer} on the wire and back. Every workload must finish with its
 * self-checks passed and the expected digest, the peer must have seen no mismatch, and the
 * digests must not depend on the seed, the number of CPUs, frames lost on the wire or a NIC
 * reset the driver did not ask for.
 */
class NetworkPathTest {
    /** net with default parameters (native/net_expected.c computes it too). */
    static final String NET_DIGEST = "1bb114e6";

    /** A system like HostSystem's, with the NIC's peer chosen here. */
    static final class NetSystem implements AutoCloseable {
        final SystemConfig config;
        final PreservedRegion region;
        final Machine machine;
        final NetPeer peer;
        final WirePeer wire;
        final HypervisorEntry hv;

        NetSystem(SystemConfig config, WirePeerWrapper wrapper) {
            this.config = config;
            CoreTablesLayout layout = HostSystem.layoutOf(config);
            region = PreservedRegion.createAnonymous(HostSystem.regionSpecOf(config));
            MemorySegment coreState = region.records().asSlice(0, layout.sizeBytes());
            peer = new NetPeer(Seeds.derive(config.seed(), "netpeer"));
            wire = wrapper == null ? peer : wrapper.apply(peer);
            machine = new Machine(HostSystem.machineConfigOf(config), region.machineMemory(), wire);
            hv = HypervisorImage.pristine().instantiate(machine, coreState, layout);
            machine.setHypervisor(hv);
        }

        boolean runUntilDom0Stops(long maxCycles) {
            long start = machine.nowCycles();
            while (machine.nowCycles() - start < maxCycles) {
                if (hv.domains().getFirst().isShutdown()) {
                    return true;
                }
                machine.run(HostSystem.CHECK_INTERVAL_CYCLES);
            }
            return hv.domains().getFirst().isShutdown();
        }

        @Override
        public void close() {
            region.close();
        }
    }

    private static byte[] image(String name) throws IOException {
        try (InputStream in = NetworkPathTest.class.getResourceAsStream("/guests/workloads/" + name + ".elf")) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static DomainSpec dom0(String... modules) throws Exception {
        List<DomainSpec.Module> list = new ArrayList<>();
        for (String m : modules) {
            list.add(new DomainSpec.Module(m, image(m.contains(":") ? m.substring(0, m.indexOf(':')) : m)));
        }
        return new DomainSpec("dom0io", GuestImage.load("workloads/dom0io.elf"), 192, 224, 1, true,
                DomainSpec.NO_PEER, 0, new int[0], list);
    }

    private static String consoles(List<DomainStatus> domains) {
        StringBuilder b = new StringBuilder();
        for (DomainStatus d : domains) {
            b.append("---- d").append(d.domid()).append(' ').append(d.name()).append(' ').append(d.state())
                    .append(" code=").append(d.shutdownCode()).append('\n').append(d.console());
        }
        return b.toString();
    }

    /** service with default parameters (NetPeerTest computes it from the peer's side too). */
    static final String SERVICE_DIGEST = "2a3c68cd";

    /** Boots Dom0 with the driver domain and both network AppVMs. */
    private static NetSystem boot(SystemConfig config, WirePeerWrapper wrapper) throws Exception {
        NetSystem s = new NetSystem(config, wrapper);
        s.hv.boot(new BootSpec(List.of(dom0("netdrv", "net", "service"))));
        return s;
    }

    private static DomainStatus domain(NetSystem s, String name) {
        return s.hv.domains().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    /** Runs until Dom0 stops and checks what every run of the standard network system must show. */
    private static String runToTheEnd(NetSystem s) {
        boolean stopped = s.runUntilDom0Stops(400_000_000L);
        String all = consoles(s.hv.domains());
        assertThat(stopped).as(all).isTrue();
        for (String name : List.of("dom0io", "netdrv", "net", "service")) {
            DomainStatus d = domain(s, name);
            assertThat(d.shutdownReason()).as(name + "\n" + all).isEqualTo(DomainStatus.REASON_POWEROFF);
            assertThat(d.shutdownCode()).as(name + "\n" + all).isZero();
        }
        assertThat(domain(s, "net").digest()).isEqualTo(NET_DIGEST);
        assertThat(domain(s, "service").digest()).isEqualTo(SERVICE_DIGEST);
        assertThat(domain(s, "net").console()).contains("packets=400\n");
        assertThat(domain(s, "service").console()).contains("packets=240\n");
        NetPeerReport report = s.peer.report();
        assertThat(report.mismatches()).isZero();
        assertThat(report.exchanges()).isEqualTo(120);
        assertThat(report.clientsDone()).isEqualTo(3);
        assertThat(report.echoes()).isGreaterThanOrEqualTo(200);
        assertThat(report.malformed()).isZero();
        assertThat(s.hv.audit()).isEmpty();
        return all;
    }

    /** Runs until the peer has seen {@code echoes} echoes and {@code exchanges} exchanges. */
    private static void runUntilPeerSaw(NetSystem s, long echoes, long exchanges) {
        for (int i = 0; i < 2000; i++) {
            NetPeerReport r = s.peer.report();
            if (r.echoes() >= echoes && r.exchanges() >= exchanges) {
                return;
            }
            s.machine.run(50_000);
        }
        throw new AssertionError("the peer never saw " + echoes + " echoes and " + exchanges + " exchanges: "
                + s.peer.report() + "\n" + consoles(s.hv.domains()));
    }

    @Test
    void echo_and_service_traffic_crosses_the_driver_domain_and_the_wire() throws Exception {
        try (NetSystem s = boot(new SystemConfig(2, 7, 32L << 20, 8, 2), null)) {
            String all = runToTheEnd(s);
            assertThat(s.peer.report().echoes()).isEqualTo(200);
            assertThat(s.peer.report().duplicates()).isZero();
            assertThat(domain(s, "netdrv").console()).contains("netback: vif 2 connected", "netback: vif 3 connected",
                    "netdrv: shutdown requested", "netdrv: connects=2 disconnects=2 closed=2");
            assertThat(domain(s, "net").console()).doesNotContain("retransmits");
            assertThat(domain(s, "service").console()).doesNotContain("nudges");
            assertThat(all).doesNotContain("FAIL");
        }
    }

    @Test
    void the_same_seed_gives_the_same_run_and_other_seeds_or_cpu_counts_the_same_digests() throws Exception {
        String first;
        String firstHash;
        try (NetSystem a = boot(new SystemConfig(2, 11, 32L << 20, 8, 2), null)) {
            runToTheEnd(a);
            first = domain(a, "net").console() + domain(a, "service").console();
            firstHash = a.machine.stateHash();
        }
        try (NetSystem b = boot(new SystemConfig(2, 11, 32L << 20, 8, 2), null)) {
            runToTheEnd(b);
            assertThat(domain(b, "net").console() + domain(b, "service").console()).isEqualTo(first);
            assertThat(b.machine.stateHash()).isEqualTo(firstHash);
        }
        for (SystemConfig other : List.of(new SystemConfig(1, 12, 32L << 20, 8, 2),
                new SystemConfig(3, 13, 32L << 20, 8, 2))) {
            try (NetSystem c = boot(other, null)) {
                runToTheEnd(c);
                assertThat(domain(c, "net").console() + domain(c, "service").console()).isEqualTo(first);
            }
        }
    }

    @Test
    void frames_lost_on_the_wire_are_sent_again_and_the_digests_do_not_change() throws Exception {
        try (NetSystem s = boot(new SystemConfig(2, 21, 32L << 20, 8, 2), LossyPeer::new)) {
            LossyPeer wire = (LossyPeer) s.wire;
            runUntilPeerSaw(s, 60, 30);
            wire.dropping = true;
            s.machine.run(10_000_000);
            wire.dropping = false;
            assertThat(wire.dropped).isPositive();
            runToTheEnd(s);
            assertThat(domain(s, "net").console()).contains("net: retransmits=");
            assertThat(domain(s, "service").console()).contains("service: nudges=");
        }
    }

    @Test
    void a_nic_reset_behind_the_drivers_back_is_repaired_and_the_digests_do_not_change() throws Exception {
        try (NetSystem s = boot(new SystemConfig(2, 31, 32L << 20, 8, 2), null)) {
            runUntilPeerSaw(s, 100, 60);
            s.machine.nic().reset();
            runToTheEnd(s);
            assertThat(domain(s, "netdrv").console()).contains("netdrv: NIC lost its configuration");
        }
    }

    /** Builds the wire's peer around the NetPeer (null: the NetPeer itself). */
    interface WirePeerWrapper extends java.util.function.Function<NetPeer, WirePeer> {
    }

    /** A wire that loses every frame on its way to the peer while {@code dropping} is set. */
    static final class LossyPeer implements WirePeer {
        final NetPeer peer;
        boolean dropping;
        int dropped;

        LossyPeer(NetPeer peer) {
            this.peer = peer;
        }

        @Override
        public void receive(byte[] frame, long nowCycles, Wire wire) {
            if (dropping) {
                dropped++;
                return;
            }
            peer.receive(frame, nowCycles, wire);
        }
    }
}
