package dev.rehype.machine;

import static dev.rehype.machine.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rehype.machine.snapshot.MachineState;
import dev.rehype.machine.snapshot.PendingEventKind;
import dev.rehype.machine.snapshot.PendingEventState;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A machine's state leaves it as records and comes back whole: a machine exported in the middle
 * of NIC traffic (a TX step, a frame on its way to the peer and frames on their way back all
 * pending) and imported into a new machine over a copy of its memory has the same state hash, and
 * the two then run on in lockstep. The same state imported back into the machine it came from
 * rewinds it. States that cannot be saved or do not fit are refused.
 */
class MachineSnapshotTest {
    private static final long TX_RING = 50L * PhysicalMemory.FRAME_SIZE;
    private static final long RX_RING = 51L * PhysicalMemory.FRAME_SIZE;
    private static final long TX_BUF = 52L * PhysicalMemory.FRAME_SIZE;
    private static final long RX_BUF = 54L * PhysicalMemory.FRAME_SIZE;
    private static final Set<PendingEventKind> ALL_KINDS = EnumSet.allOf(PendingEventKind.class);

    /**
     * Two harts counting in guest code; a host timer on hart 0 sends two frames every 3000 cycles; the
     * echo comes back under NIC interrupts on hart 1, where the driver checks it and re-posts the
     * descriptor (as in {@link MachineDeterminismTest}).
     */
    private static final class Traffic implements TrapHandler {
        final Machine machine;
        final Nic nic;
        final EchoNicDriver driver;

        /** A new machine set up for traffic. */
        Traffic(long seed) {
            TestSystem s = new TestSystem(2, seed);
            machine = s.machine;
            nic = machine.nic();
            driver = driverOn(machine, EchoNicDriver.Progress.fresh());
            int counter = TestSystem.BASE + 0x5000;
            s.code(TestSystem.BASE,
                    lui(T0, counter >>> 12),
                    addi(T1, ZERO, 1),
                    Asm.r(0x2f, A1, 2, T0, T1, 0), // amoadd.w a1, t1, (t0)
                    jal(ZERO, -4));
            InterruptController ic = machine.interrupts();
            ic.setPriority(Machine.NIC0_IRQ, 1);
            ic.route(Machine.NIC0_IRQ, 1);
            driver.setUpRings();
            nic.write32(NicRegisters.IRQ_MASK, NicRegisters.IRQ_RX_DONE);
            driver.enable();
            machine.timer(0).program(3000);
            machine.setHypervisor(this);
        }

        /** The driver over an already set up {@code machine}, continuing from {@code progress}. */
        Traffic(Machine machine, EchoNicDriver.Progress progress) {
            this.machine = machine;
            this.nic = machine.nic();
            this.driver = driverOn(machine, progress);
            machine.setHypervisor(this);
        }

        private static EchoNicDriver driverOn(Machine machine, EchoNicDriver.Progress progress) {
            return new EchoNicDriver(machine, TX_RING, RX_RING, TX_BUF, RX_BUF, progress);
        }

        EchoNicDriver.Progress progress() {
            return driver.progress();
        }

        int received() {
            return driver.progress().received();
        }

        @Override
        public long onTrap(Hart h) {
            if (h.trapCause() == TrapCause.HOST_TIMER) {
                driver.send(2);
                machine.timer(0).program(h.timeCycles() + 3000);
                return 100;
            }
            assertThat(h.trapCause()).isEqualTo(TrapCause.HOST_EXTERNAL);
            InterruptController ic = machine.interrupts();
            int source = ic.claim(1);
            assertThat(source).isEqualTo(Machine.NIC0_IRQ);
            nic.write32(NicRegisters.IRQ_CAUSE, NicRegisters.IRQ_ALL);
            driver.reap();
            assertThat(ic.complete(1, source)).isTrue();
            return 200;
        }

        /** Runs in small steps until a TX step, a frame to the peer and a frame from it are all pending. */
        MachineState runUntilEveryKindOfEventIsPending() {
            for (int step = 0; step < 200_000; step++) {
                MachineState state = machine.exportState();
                if (pendingKinds(state).equals(ALL_KINDS)) {
                    return state;
                }
                machine.run(1);
            }
            throw new AssertionError("never had every kind of NIC event pending at once");
        }
    }

    private static Set<PendingEventKind> pendingKinds(MachineState state) {
        Set<PendingEventKind> kinds = EnumSet.noneOf(PendingEventKind.class);
        for (PendingEventState e : state.events().pending()) {
            kinds.add(e.kind());
        }
        return kinds;
    }

    private static MemorySegment copyOf(MemorySegment ram) {
        MemorySegment copy = Arena.ofAuto().allocate(ram.byteSize(), PhysicalMemory.FRAME_SIZE);
        copy.copyFrom(ram);
        return copy;
    }

    @Test
    void aMachineRestoredMidTrafficHasTheSameHashAndRunsOnInLockstep() {
        Traffic original = new Traffic(42);
        original.machine.run(200_000);
        MachineState state = original.runUntilEveryKindOfEventIsPending();
        assertThat(original.received()).isGreaterThan(10);

        Machine restored = Machine.restore(copyOf(original.machine.memory().segment()), state);
        Traffic copy = new Traffic(restored, original.progress());

        assertThat(restored.stateHash()).isEqualTo(original.machine.stateHash());
        assertThat(restored.nowCycles()).isEqualTo(original.machine.nowCycles());
        for (int step = 0; step < 10; step++) {
            original.machine.run(100_000);
            copy.machine.run(100_000);
            assertThat(copy.machine.stateHash()).as("after step %d", step).isEqualTo(original.machine.stateHash());
        }
        assertThat(copy.received()).isEqualTo(original.received()).isGreaterThan(300);
        assertThat(copy.nic.rxPackets()).isEqualTo(original.nic.rxPackets());
    }

    @Test
    void importingIntoTheMachineItCameFromRewindsIt() {
        Traffic traffic = new Traffic(7);
        traffic.machine.run(150_000);
        MachineState state = traffic.runUntilEveryKindOfEventIsPending();
        MemorySegment ram = copyOf(traffic.machine.memory().segment());
        EchoNicDriver.Progress driver = traffic.progress();
        String hashAtSnapshot = traffic.machine.stateHash();

        traffic.machine.run(500_000);
        String hashLater = traffic.machine.stateHash();
        assertThat(hashLater).isNotEqualTo(hashAtSnapshot);

        traffic.machine.memory().segment().copyFrom(ram);
        traffic.machine.importState(state);
        traffic.driver.restore(driver);
        assertThat(traffic.machine.stateHash()).isEqualTo(hashAtSnapshot);
        traffic.machine.run(500_000);
        assertThat(traffic.machine.stateHash()).isEqualTo(hashLater);
    }

    @Test
    void anExportedStateIsDataAndCanBeImportedAgainAndAgain() {
        Traffic traffic = new Traffic(3);
        MachineState state = traffic.runUntilEveryKindOfEventIsPending();
        EchoNicDriver.Progress driver = traffic.progress();
        MemorySegment ram = copyOf(traffic.machine.memory().segment());
        String[] hashes = new String[2];
        for (int i = 0; i < 2; i++) {
            Traffic run = new Traffic(Machine.restore(copyOf(ram), state), driver);
            run.machine.run(300_000);
            hashes[i] = run.machine.stateHash();
        }
        assertThat(hashes[1]).isEqualTo(hashes[0]);
        assertThat(state.nic().jitterDraws()).isPositive();
        assertThat(state.nic().peer()).isEqualTo(new dev.rehype.machine.snapshot.EchoPeerState(
                Machine.DEFAULT_WIRE_LATENCY_CYCLES));
    }

    @Test
    void aConsoleThatWrappedKeepsItsBytesAndCountAcrossExportAndImport() {
        Console console = new Console(16);
        for (int i = 0; i < 40; i++) {
            console.write('a' + i % 26);
        }
        Console copy = new Console(16);
        copy.importState(console.exportState());
        for (Console c : new Console[] {console, copy}) {
            c.write("xyz".getBytes(), 0, 3);
        }
        assertThat(copy.bytes()).isEqualTo(console.bytes());
        assertThat(copy.bytesWritten()).isEqualTo(43);
        StateHasher a = new StateHasher();
        StateHasher b = new StateHasher();
        console.hashInto(a);
        copy.hashInto(b);
        assertThat(b.hex()).isEqualTo(a.hex());
        assertThatThrownBy(() -> new Console(8).importState(console.exportState()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keeping 16 bytes");
    }

    @Test
    void interruptsInServiceAndPendingSurviveExportAndImport() {
        InterruptController ic = new InterruptController(4, 2);
        ic.setPriority(2, 3);
        ic.setPriority(3, 5);
        ic.route(3, 1);
        ic.setThreshold(0, 1);
        ic.raise(2);
        ic.raise(3);
        assertThat(ic.claim(1)).isEqualTo(3);
        ic.raise(3);
        InterruptController copy = new InterruptController(4, 2);
        copy.importState(ic.exportState());
        assertThat(copy.toString()).isEqualTo(ic.toString());
        assertThat(copy.inService(1)).containsExactly(3);
        assertThat(copy.pending(3)).isTrue();
        assertThat(copy.claim(0)).isEqualTo(ic.claim(0)).isEqualTo(2);
        assertThatThrownBy(() -> new InterruptController(5, 2).importState(ic.exportState()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 sources");
    }

    @Test
    void aMachineIsNotExportedWhileItRuns() {
        TestSystem s = new TestSystem(1, 1);
        s.code(TestSystem.BASE, ecall());
        Throwable[] refused = new Throwable[1];
        s.onTrap = h -> {
            try {
                s.machine.exportState();
            } catch (IllegalStateException e) {
                refused[0] = e;
            }
            return TestSystem.stopAtEcall(s.machine, h);
        };
        s.machine.run(1_000);
        assertThat(refused[0]).hasMessageContaining("cannot snapshot a running machine");
        assertThat(s.machine.exportState().harts()[0].halted()).isTrue();
    }

    @Test
    void aPeerOrAnEventWithoutSnapshotSupportIsRefusedByName() {
        WirePeer silent = (frame, now, wire) -> { };
        Machine withSilentPeer = new Machine(MachineConfig.defaults(1, 1),
                Arena.ofAuto().allocate(16 * PhysicalMemory.FRAME_SIZE, 4096), silent);
        assertThatThrownBy(withSilentPeer::exportState).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot snapshot the machine").hasMessageContaining("cannot be saved");

        Machine withForeignEvent = new Machine(MachineConfig.defaults(1, 1),
                Arena.ofAuto().allocate(16 * PhysicalMemory.FRAME_SIZE, 4096));
        withForeignEvent.events().schedule(500, new DeviceEvent() {
            @Override
            public void fire(long nowCycles) {
            }

            @Override
            public void hashInto(StateHasher hasher) {
            }
        });
        assertThatThrownBy(withForeignEvent::exportState).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pending at cycle 500 cannot be saved");
    }

    @Test
    void aStateIsImportedOnlyIntoAMachineOfTheSameShape() {
        Traffic traffic = new Traffic(5);
        MachineState state = traffic.machine.exportState();
        Machine other = new Machine(MachineConfig.defaults(1, 5), traffic.machine.memory().segment());
        assertThatThrownBy(() -> other.importState(state)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("harts=2").hasMessageContaining("harts=1");
        Machine otherSeed = new Machine(MachineConfig.defaults(2, 6), copyOf(traffic.machine.memory().segment()));
        assertThatThrownBy(() -> otherSeed.importState(state)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed=5");
        assertThat(Arrays.stream(state.harts()).map(h -> h.id())).containsExactly(0, 1);
    }
}
