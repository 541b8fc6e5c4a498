package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.machine.peer.NetPeerReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A driver domain that really stops, in the standard system, mid-traffic: the host pauses netdrv
 * (as {@code xl pause} would) or destroys it. Nothing crosses the wire any more; the front ends
 * (net, service) see no answers and block, waking only for their retransmit and nudge timers —
 * they neither crash nor give up nor corrupt anything: the peer sees no wrong response, every
 * client's digest of the exchange so far stays as it was, and the audit is clean at every step.
 * Unpaused, the driver domain carries the rest of the traffic and every VM ends with its expected
 * digest, the service clients with the digests of a run that never stopped. Destroyed, it is seen
 * by the front ends (its store entries go: they wait for a new back end) and by Dom0, and the
 * grants the front ends gave it are released with its mappings.
 */
class DriverDomainStopTest {
    private static final long SEED = 5;
    /** How long the driver domain stays stopped: 15 of the front ends' 2M-cycle timeouts. */
    private static final long STOPPED_CYCLES = 30_000_000;
    private static final long STEP_CYCLES = HostSystem.CHECK_INTERVAL_CYCLES;

    private static DomainStatus domain(HostSystem s, String name) {
        return s.domains().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private static HostSystem bootAndRunUntilTrafficFlows() throws Exception {
        HostSystem s = new HostSystem(SystemConfig.defaults(SEED));
        s.boot(StandardSystem.bootSpec());
        for (int i = 0; i < 200; i++) {
            NetPeerReport r = s.peer().report();
            if (r.echoes() >= 40 && r.exchanges() >= 30) {
                return s;
            }
            s.machine().run(100_000);
        }
        throw new AssertionError("no traffic: " + s.peer().report());
    }

    /** What the front ends and the peer look like while the driver domain is stopped. */
    private record Stall(NetPeerReport peer, List<NetPeerReport.ClientReport> clients, long netInstructions,
                         long serviceInstructions) {
    }

    private static Stall stall(HostSystem s) {
        int service = domain(s, "service").domid();
        return new Stall(s.peer().report(), s.peer().session(service), domain(s, "net").instructions(),
                domain(s, "service").instructions());
    }

    /** Runs while the driver domain is stopped; checks at every step that nothing moves or breaks. */
    private static Stall runStopped(HostSystem s) {
        s.machine().run(STEP_CYCLES); // frames already on the wire or in the NIC land
        Stall first = stall(s);
        assertThat(first.peer().exchanges()).as("stopped mid-traffic").isLessThan(120);
        for (long t = STEP_CYCLES; t < STOPPED_CYCLES; t += STEP_CYCLES) {
            s.machine().run(STEP_CYCLES);
            assertThat(s.audit()).as("audit at %d cycles stopped", t).isEmpty();
            for (String name : List.of("net", "service")) {
                DomainStatus d = domain(s, name);
                assertThat(d.isShutdown()).as("%s at %d cycles stopped:%n%s", name, t, d.console()).isFalse();
            }
            Stall now = stall(s);
            assertThat(now.peer().exchanges()).isEqualTo(first.peer().exchanges());
            assertThat(now.peer().echoes()).isEqualTo(first.peer().echoes());
            assertThat(now.peer().mismatches()).isZero();
            assertThat(now.clients()).as("every client's digest of the exchange so far").isEqualTo(first.clients());
        }
        Stall last = stall(s);
        // Blocked, not spinning: the front ends woke only for their timeouts (and, waiting for a
        // back end, to re-read the store every 500,000 cycles): under 5% of the time.
        assertThat(last.netInstructions() - first.netInstructions()).isLessThan(STOPPED_CYCLES / 20);
        assertThat(last.serviceInstructions() - first.serviceInstructions()).isLessThan(STOPPED_CYCLES / 20);
        assertThat(domain(s, "net").console() + domain(s, "service").console()).doesNotContain("FAIL", "giving up");
        return last;
    }

    @Test
    void aPausedDriverDomainStallsTheFrontEndsWithoutHarmAndTheyFinishCorrectlyOnceItIsBack() throws Exception {
        List<NetPeerReport.ClientReport> uninterrupted;
        try (HostSystem s = new HostSystem(SystemConfig.defaults(SEED))) {
            s.boot(StandardSystem.bootSpec());
            assertThat(s.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES, d -> true)).isTrue();
            uninterrupted = s.peer().session(domain(s, "service").domid());
        }
        try (HostSystem s = bootAndRunUntilTrafficFlows()) {
            int netdrv = domain(s, "netdrv").domid();
            assertThat(s.hypervisor().pauseDomain(netdrv, true)).isZero();
            runStopped(s);

            assertThat(s.hypervisor().pauseDomain(netdrv, false)).isZero();
            assertThat(s.hypervisor().pauseDomain(netdrv, false)).as("not paused any more").isNegative();
            boolean finished = s.runUntilShutdown(StandardSystem.DEFAULT_MAX_CYCLES, d -> true);
            RunReport report = StandardSystem.report(SEED, s, finished);
            assertThat(report.vms()).extracting(VmResult::verdict).containsOnly(VmResult.CORRECT);
            assertThat(report.peer().mismatches()).isZero();
            assertThat(s.peer().session(domain(s, "service").domid())).extracting(c -> List.of(c.exchanges(),
                    c.mismatches(), c.digest(), c.done())).as("every client's exchange, as when nothing stopped")
                    .isEqualTo(uninterrupted.stream().map(c -> List.of(c.exchanges(), c.mismatches(), c.digest(),
                            c.done())).toList());
            assertThat(domain(s, "net").console()).contains("net: retransmits=");
            assertThat(domain(s, "service").console()).contains("service: nudges=");
            assertThat(s.audit()).isEmpty();
        }
    }

    @Test
    void aDestroyedDriverDomainLeavesTheFrontEndsBlockedIntactAndTheirGrantsReleased() throws Exception {
        try (HostSystem s = bootAndRunUntilTrafficFlows()) {
            int netdrv = domain(s, "netdrv").domid();
            assertThat(s.hypervisor().destroyDomain(netdrv)).isZero();
            assertThat(s.domains()).extracting(DomainStatus::name).doesNotContain("netdrv");
            assertThat(s.audit()).as("grants the front ends gave netdrv are unpinned").isEmpty();
            assertThat(s.hypervisor().destroyDomain(netdrv)).as("gone").isNegative();
            assertThat(s.hypervisor().destroyDomain(0)).as("Dom0 stays").isNegative();
            runStopped(s);
            for (String name : List.of("net", "service")) {
                assertThat(domain(s, name).console()).as(name)
                        .contains("netfront: back end dom" + netdrv + " at /local/domain/" + netdrv + "/backend/vif/")
                        .contains("is gone (state 0); reconnecting");
            }
            assertThat(s.domains().get(0).console()).contains("dom0io: d" + netdrv + " (netdrv) vanished");
            for (String name : List.of("dom0", "net", "service")) {
                assertThat(domain(s, name).isShutdown()).as(name).isFalse();
            }
        }
    }
}
