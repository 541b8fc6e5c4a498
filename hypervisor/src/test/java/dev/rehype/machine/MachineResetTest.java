package dev.rehype.machine;

import static dev.rehype.machine.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rehype.machine.snapshot.MachineState;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Dirty frames and resets: every way machine memory is written (a hart's stores on the fast path
 * and the slow path, AMOs, the hypervisor's writes, the NIC's DMA, bulk copies and zeroing) marks
 * the frames it touches, and only those; {@link Machine#resetState} then puts a machine back into
 * an exported state by copying back only those frames, and the machine runs on exactly as it did
 * from that state the first time.
 */
class MachineResetTest {
    private static final int FRAME = PhysicalMemory.FRAME_SIZE;
    private static final long TX_RING = 50L * FRAME;
    private static final long RX_RING = 51L * FRAME;
    private static final long TX_BUF = 52L * FRAME;
    private static final long RX_BUF = 54L * FRAME;

    private static MemorySegment copyOf(MemorySegment ram) {
        MemorySegment copy = Arena.ofAuto().allocate(ram.byteSize(), FRAME);
        copy.copyFrom(ram);
        return copy;
    }

    @Test
    void everyWritePathMarksTheFramesItTouchesAndOnlyThose() {
        PhysicalMemory m = new PhysicalMemory(Arena.ofAuto().allocate(16L * FRAME, FRAME));
        m.clearDirty();
        m.read32(9L * FRAME);
        m.write8(1L * FRAME + 5, 1);
        m.write16(2L * FRAME + 6, 2);
        m.write32(3L * FRAME - 2, 3); // straddles frames 2 and 3
        m.writeBytes(4L * FRAME + 100, new byte[FRAME], 0, FRAME); // frames 4 and 5
        m.zero(7L * FRAME, 2L * FRAME); // frames 7 and 8
        m.invalidateCode(11); // a direct writer reports frame 11
        m.write8(1L * FRAME + 6, 4); // already dirty: counted once
        assertThat(m.dirtyFrameCount()).isEqualTo(8);
        for (int mfn = 0; mfn < 16; mfn++) {
            boolean written = mfn >= 1 && mfn <= 5 || mfn == 7 || mfn == 8 || mfn == 11;
            assertThat(m.isDirty(mfn)).as("frame %d", mfn).isEqualTo(written);
        }
        long epoch = m.dirtyEpoch();
        assertThat(m.clearDirty()).isEqualTo(epoch + 1);
        assertThat(m.dirtyFrameCount()).isZero();
        assertThat(m.isDirty(1)).isFalse();
    }

    @Test
    void revertingCopiesBackExactlyTheDirtyFrames() {
        MemorySegment ram = Arena.ofAuto().allocate(8L * FRAME, FRAME);
        PhysicalMemory m = new PhysicalMemory(ram);
        for (int mfn = 0; mfn < 8; mfn++) {
            m.write32((long) mfn * FRAME, 100 + mfn);
        }
        MemorySegment base = copyOf(ram);
        m.clearDirty();
        m.write32(2L * FRAME + 8, 7);
        m.write32(6L * FRAME, 66);
        // A change behind the tracker's back (not reported) is not reverted: only reported writes count.
        ram.set(PhysicalMemory.INT_LE, 4L * FRAME, 44);
        assertThat(m.revertDirtyFrames(base)).isEqualTo(2);
        assertThat(m.read32(2L * FRAME + 8)).isZero();
        assertThat(m.read32(6L * FRAME)).isEqualTo(106);
        assertThat(m.read32(4L * FRAME)).isEqualTo(44);
        assertThat(m.dirtyFrameCount()).isZero();
        assertThatThrownBy(() -> m.revertDirtyFrames(Arena.ofAuto().allocate(FRAME)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHartStoringThroughAWarmWriteMappingAfterANewMarkIsStillSeen() {
        TestSystem s = new TestSystem(1, 5);
        int data = TestSystem.BASE + 0x3000;
        int counter = TestSystem.BASE + 0x5000;
        s.code(TestSystem.BASE,
                lui(T0, data >>> 12),
                addi(T1, T1, 1),
                sw(T1, T0, 0),
                sw(T1, T0, 4),
                lui(T2, counter >>> 12),
                Asm.r(0x2f, A1, 2, T2, T1, 0), // amoadd.w a1, t1, (t2)
                ecall());
        s.onTrap = h -> TestSystem.stopAtEcall(s.machine, h);
        Machine machine = s.machine;
        machine.run(1_000);
        // The first run left a write mapping of the data frame in the hart's TLB.
        machine.clearDirtyMemory();
        Hart h = machine.hart(0);
        h.setPc(TestSystem.BASE);
        h.resume();
        machine.run(1_000);
        assertThat(machine.memory().read32(TestSystem.ma(data))).isEqualTo(2);
        long dataFrame = TestSystem.ma(data) / FRAME;
        long counterFrame = TestSystem.ma(counter) / FRAME;
        long codeFrame = TestSystem.ma(TestSystem.BASE) / FRAME;
        assertThat(machine.memory().isDirty(dataFrame)).isTrue();
        assertThat(machine.memory().isDirty(counterFrame)).isTrue();
        // Fetches and the second-stage walks read; they dirty nothing.
        assertThat(machine.memory().isDirty(codeFrame)).isFalse();
        assertThat(machine.memory().isDirty(0)).isFalse();
        assertThat(machine.memory().isDirty(1)).isFalse();
        assertThat(machine.memory().dirtyFrameCount()).isEqualTo(2);
    }

    @Test
    void aResetPutsBackOnlyWhatChangedAndTheMachineRunsOnAsTheFirstTime() {
        TestSystem s = new TestSystem(2, 42);
        Machine machine = s.machine;
        int counter = TestSystem.BASE + 0x5000;
        s.code(TestSystem.BASE,
                lui(T0, counter >>> 12),
                addi(T1, ZERO, 1),
                Asm.r(0x2f, A1, 2, T0, T1, 0), // amoadd.w a1, t1, (t0)
                sw(A1, T0, 64),
                jal(ZERO, -8));
        EchoNicDriver driver = new EchoNicDriver(machine, TX_RING, RX_RING, TX_BUF, RX_BUF,
                EchoNicDriver.Progress.fresh());
        InterruptController ic = machine.interrupts();
        ic.setPriority(Machine.NIC0_IRQ, 1);
        ic.route(Machine.NIC0_IRQ, 1);
        driver.setUpRings();
        machine.nic().write32(NicRegisters.IRQ_MASK, NicRegisters.IRQ_RX_DONE);
        driver.enable();
        machine.timer(0).program(3000);
        s.onTrap = h -> {
            if (h.trapCause() == TrapCause.HOST_TIMER) {
                driver.send(2);
                machine.timer(0).program(h.timeCycles() + 3000);
                return 100;
            }
            int source = ic.claim(1);
            machine.nic().write32(NicRegisters.IRQ_CAUSE, NicRegisters.IRQ_ALL);
            driver.reap();
            ic.complete(1, source);
            return 200;
        };
        machine.run(150_000);

        MachineState state = machine.exportState();
        MemorySegment base = copyOf(machine.memory().segment());
        EchoNicDriver.Progress progress = driver.progress();
        machine.clearDirtyMemory();
        String hashAtMark = machine.stateHash();

        machine.run(400_000);
        String hashLater = machine.stateHash();
        int dirty = machine.memory().dirtyFrameCount();
        assertThat(hashLater).isNotEqualTo(hashAtMark);
        assertThat(driver.progress().received()).isGreaterThan(progress.received());
        // The counter frame, the rings and buffers the NIC wrote by DMA; never the whole memory.
        assertThat(dirty).isBetween(3, 12);
        assertThat(machine.memory().isDirty(RX_BUF / FRAME)).isTrue();

        for (int round = 0; round < 2; round++) {
            assertThat(machine.resetState(state, base)).isEqualTo(dirty);
            driver.restore(progress);
            assertThat(machine.stateHash()).as("round %d", round).isEqualTo(hashAtMark);
            assertThat(machine.memory().dirtyFrameCount()).isZero();
            machine.run(400_000);
            assertThat(machine.stateHash()).as("round %d", round).isEqualTo(hashLater);
        }
    }
}
