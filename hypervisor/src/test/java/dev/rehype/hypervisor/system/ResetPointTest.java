package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rehype.guests.GuestImage;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.machine.Machine;
import dev.rehype.machine.peer.NetPeerReport;
import dev.rehype.machine.snapshot.MachineState;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The campaign pattern with reset points on the standard system: boot once, mark, then run, reset,
 * run, reset... Every reset gives back the marked state hash, costs only the frames the run
 * wrote, and every run from the reset point ends in exactly the report of a run from a fresh
 * boot with the same seed. The peer on the wire goes back with the machine's own state records.
 */
class ResetPointTest {
    private static final long SEED = 5;
    private static final long MAX = StandardSystem.DEFAULT_MAX_CYCLES;

    @Test
    void runResetRunGivesTheRunFromAFreshBootEveryTime() throws Exception {
        RunReport fromBoot = StandardSystem.run(SEED, MAX);
        assertThat(fromBoot.allCorrect()).isTrue();
        try (HostSystem system = new HostSystem(SystemConfig.defaults(SEED))) {
            system.boot(StandardSystem.bootSpec());
            ResetPoint point = system.markResetPoint();
            String marked = system.stateHash();
            int frames = system.machine().memory().frames();
            for (int round = 0; round < 3; round++) {
                boolean finished = system.runUntilShutdown(MAX, d -> true);
                assertThat(StandardSystem.report(SEED, system, finished)).as("run %d", round).isEqualTo(fromBoot);
                int dirty = point.dirtyFrames();
                assertThat(dirty).isPositive().isLessThan(frames / 4);
                ResetPoint.ResetStats stats = point.resetTo(system);
                assertThat(stats.framesReverted()).isEqualTo(dirty);
                assertThat(stats.regionBytesCopied()).isEqualTo(point.outsideMemoryBytes());
                assertThat(system.stateHash()).as("after reset %d", round).isEqualTo(marked);
                assertThat(system.audit()).isEmpty();
                assertThat(point.dirtyFrames()).isZero();
            }
        }
    }

    @Test
    void aPointMarkedMidRunComesBackWithItsHashAndHeapAndRunsOnAsTheFirstTime() throws Exception {
        RunReport fromBoot = StandardSystem.run(SEED, MAX);
        try (HostSystem system = new HostSystem(SystemConfig.defaults(SEED))) {
            system.boot(StandardSystem.bootSpec());
            assertThat(system.runUntilShutdown(3 * HostSystem.CHECK_INTERVAL_CYCLES, d -> true)).isFalse();
            ResetPoint point = system.markResetPoint();
            String marked = system.stateHash();
            system.runUntilShutdown(HostSystem.CHECK_INTERVAL_CYCLES, d -> true);
            int shortRun = point.dirtyFrames();
            point.resetTo(system);
            assertThat(system.stateHash()).isEqualTo(marked);
            boolean finished = system.runUntilShutdown(MAX, d -> true);
            assertThat(point.dirtyFrames()).isGreaterThan(shortRun);
            assertThat(StandardSystem.report(SEED, system, finished)).isEqualTo(fromBoot);
            point.resetTo(system, HypervisorImage.pristine());
            assertThat(system.stateHash()).isEqualTo(marked);
            finished = system.runUntilShutdown(MAX, d -> true);
            assertThat(StandardSystem.report(SEED, system, finished)).isEqualTo(fromBoot);
        }
    }

    @Test
    void aCheckpointCapturedOnTheWayComesBackWithItsHashAndRunsOnAsTheFirstTime() throws Exception {
        RunReport fromBoot = StandardSystem.run(SEED, MAX);
        try (HostSystem system = new HostSystem(SystemConfig.defaults(SEED))) {
            system.boot(StandardSystem.bootSpec());
            ResetPoint point = system.markResetPoint();
            String marked = system.stateHash();
            List<Checkpoint> checkpoints = new ArrayList<>();
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                system.runUntilShutdown(HostSystem.CHECK_INTERVAL_CYCLES * (i + 1), d -> true);
                checkpoints.add(point.capture(system));
                hashes.add(system.stateHash());
            }
            boolean finished = system.runUntilShutdown(MAX, d -> true);
            String end = system.stateHash();
            assertThat(StandardSystem.report(SEED, system, finished)).isEqualTo(fromBoot);
            assertThat(checkpoints.get(2).frameNumbers().length)
                    .isGreaterThanOrEqualTo(checkpoints.get(0).frameNumbers().length).isPositive();
            for (int i = checkpoints.size() - 1; i >= 0; i--) {
                Checkpoint c = checkpoints.get(i);
                point.resetTo(system, c, point.image());
                assertThat(system.machine().nowCycles()).isEqualTo(c.cycles());
                assertThat(system.stateHash()).as("at checkpoint %d", i).isEqualTo(hashes.get(i));
                assertThat(system.audit()).isEmpty();
                finished = system.runUntilShutdown(MAX, d -> true);
                assertThat(StandardSystem.report(SEED, system, finished)).isEqualTo(fromBoot);
                assertThat(system.stateHash()).as("run on from checkpoint %d", i).isEqualTo(end);
            }
            point.resetTo(system);
            assertThat(system.stateHash()).as("the point itself after checkpoint runs").isEqualTo(marked);
            finished = system.runUntilShutdown(MAX, d -> true);
            assertThat(system.stateHash()).isEqualTo(end);
            try (HostSystem other = ProbeSystems.booted(1)) {
                assertThatThrownBy(() -> point.resetTo(other, checkpoints.get(0), point.image()))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> point.capture(other)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void aStalePointOrAnotherSystemIsRefused() throws Exception {
        try (HostSystem a = ProbeSystems.booted(1); HostSystem b = ProbeSystems.booted(1)) {
            ResetPoint first = a.markResetPoint();
            a.machine().run(100_000);
            ResetPoint second = a.markResetPoint();
            String atSecond = a.stateHash();
            a.machine().run(100_000);
            assertThatThrownBy(() -> first.resetTo(a)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stale");
            assertThatThrownBy(() -> second.resetTo(b)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("marked on");
            second.resetTo(a);
            assertThat(a.stateHash()).isEqualTo(atSecond);
        }
    }

    /**
     * On the network system (Dom0 building a driver domain and two network AppVMs, a
     * {@link dev.rehype.machine.peer.NetPeer} on the wire), a machine reset mid-traffic puts the
     * peer, the NIC and every DMA-written frame back.
     */
    @Test
    void theNetPeerGoesBackWithTheMachinesOwnStateRecords() throws Exception {
        try (NetworkPathTest.NetSystem s = new NetworkPathTest.NetSystem(new SystemConfig(2, 3, 32L << 20, 8, 2),
                null)) {
            s.hv.boot(new BootSpec(List.of(dom0io("netdrv", "net", "service"))));
            Machine machine = s.machine;
            while (s.peer.report().echoes() < 20) {
                machine.run(HostSystem.CHECK_INTERVAL_CYCLES);
            }
            MachineState state = machine.exportState();
            MemorySegment base = Arena.ofAuto().allocate(machine.memory().sizeBytes(), 4096);
            base.copyFrom(machine.memory().segment());
            machine.clearDirtyMemory();
            String marked = machine.stateHash();
            NetPeerReport peerAtMark = s.peer.report();

            machine.run(5 * HostSystem.CHECK_INTERVAL_CYCLES);
            assertThat(s.peer.report().echoes()).isGreaterThan(peerAtMark.echoes());
            assertThat(machine.memory().dirtyFrameCount()).isPositive();

            machine.resetState(state, base);
            assertThat(s.peer.report()).isEqualTo(peerAtMark);
            assertThat(machine.stateHash()).isEqualTo(marked);
        }
    }

    private static DomainSpec dom0io(String... modules) throws Exception {
        List<DomainSpec.Module> list = new ArrayList<>();
        for (String m : modules) {
            try (InputStream in = ResetPointTest.class.getResourceAsStream("/guests/workloads/" + m + ".elf")) {
                assertThat(in).as(m).isNotNull();
                list.add(new DomainSpec.Module(m, in.readAllBytes()));
            }
        }
        return new DomainSpec("dom0io", GuestImage.load("workloads/dom0io.elf"), 192, 224, 1, true,
                DomainSpec.NO_PEER, 0, new int[0], list);
    }
}
