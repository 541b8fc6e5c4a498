package dev.rehype.machine;

import static dev.rehype.machine.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.machine.snapshot.MachineState;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The machine's state hash keeps digests of memory from one hash to the next and digests again
 * only the frames written since; it must always equal the hash computed from every byte. Every
 * way memory changes is checked: writes through {@link PhysicalMemory}, direct writes reported
 * with {@code invalidateCode}, a hart's fast-path stores through warm write mappings (also when
 * the mapping is gone by the time of the hash), the NIC's DMA, resets to an exported state and
 * bulk restores; and the write listener through which process mode's machine owner learns the
 * hypervisor process's writes hears every write path. One changed byte anywhere changes the hash.
 */
class StateHashCacheTest {
    private static final int FRAME = PhysicalMemory.FRAME_SIZE;
    private static final long TX_RING = 50L * FRAME;
    private static final long RX_RING = 51L * FRAME;
    private static final long TX_BUF = 52L * FRAME;
    private static final long RX_BUF = 54L * FRAME;

    private static String hash(PhysicalMemory m) {
        StateHasher h = new StateHasher();
        m.hashInto(h);
        return h.hex();
    }

    private static String hashFromScratch(PhysicalMemory m) {
        StateHasher h = new StateHasher();
        m.hashFromScratchInto(h);
        return h.hex();
    }

    /** The cached hash, checked against the one from every byte. */
    private static String checkedHash(Machine machine) {
        String cached = machine.stateHash();
        assertThat(cached).isEqualTo(machine.stateHashFromScratch());
        return cached;
    }

    @Test
    void oneChangedByteInAnyFrameOfAnyChunkChangesTheHashAndPuttingItBackRestoresIt() {
        // Three chunks, the last one partial.
        int frames = 2 * FrameDigests.CHUNK_FRAMES + 10;
        PhysicalMemory m = new PhysicalMemory(Arena.ofAuto().allocate((long) frames * FRAME, FRAME));
        for (int mfn = 0; mfn < frames; mfn += 7) {
            m.write32((long) mfn * FRAME + 12, mfn * 31 + 1);
        }
        String before = hash(m);
        assertThat(m.lastRedigestedFrames()).isEqualTo(frames);
        assertThat(before).isEqualTo(hashFromScratch(m));
        assertThat(hash(m)).isEqualTo(before);
        assertThat(m.lastRedigestedFrames()).isZero();

        long[] bytes = {0, FRAME - 1, 300L * FRAME + 2049, (long) FrameDigests.CHUNK_FRAMES * FRAME,
                (long) frames * FRAME - 1};
        for (long pa : bytes) {
            int old = m.read8(pa);
            m.write8(pa, old ^ 0x10);
            String changed = hash(m);
            assertThat(changed).as("byte 0x%x", pa).isNotEqualTo(before).isEqualTo(hashFromScratch(m));
            assertThat(m.lastRedigestedFrames()).isEqualTo(1);
            m.write8(pa, old);
            assertThat(hash(m)).as("byte 0x%x put back", pa).isEqualTo(before);
        }
    }

    @Test
    void aDirectWriteIsSeenOnceReportedAndOnlyThen() {
        MemorySegment ram = Arena.ofAuto().allocate(600L * FRAME, FRAME);
        PhysicalMemory m = new PhysicalMemory(ram);
        String before = hash(m);
        ram.set(PhysicalMemory.BYTE, 400L * FRAME + 5, (byte) 9);
        // Behind the tracker's back: the cached digest does not know yet, the one from scratch does.
        assertThat(hash(m)).isEqualTo(before);
        assertThat(hashFromScratch(m)).isNotEqualTo(before);
        m.invalidateCode(400);
        assertThat(hash(m)).isNotEqualTo(before).isEqualTo(hashFromScratch(m));
    }

    @Test
    void theWriteListenerHearsEveryWritePathSoThatAnotherProcessesMachineLearnsThem() {
        // Process mode: the hypervisor process's memory tells the machine's owner each written frame.
        PhysicalMemory m = new PhysicalMemory(Arena.ofAuto().allocate(16L * FRAME, FRAME));
        java.util.TreeSet<Long> heard = new java.util.TreeSet<>();
        m.setWriteListener(heard::add);
        m.read32(9L * FRAME);
        m.write8(1L * FRAME + 5, 1);
        m.write16(2L * FRAME + 6, 2);
        m.write32(3L * FRAME - 2, 3); // straddles frames 2 and 3
        m.writeBytes(4L * FRAME + 100, new byte[FRAME], 0, FRAME); // frames 4 and 5
        m.zero(7L * FRAME, 2L * FRAME); // frames 7 and 8
        m.invalidateCode(11);
        assertThat(heard).containsExactly(1L, 2L, 3L, 4L, 5L, 7L, 8L, 11L);
    }

    @Test
    void aBulkRestoreMakesEveryDigestStale() {
        MemorySegment ram = Arena.ofAuto().allocate(300L * FRAME, FRAME);
        PhysicalMemory m = new PhysicalMemory(ram);
        String zeros = hash(m);
        ram.fill((byte) 1);
        m.invalidateAllCode();
        assertThat(hash(m)).isNotEqualTo(zeros).isEqualTo(hashFromScratch(m));
        assertThat(m.lastRedigestedFrames()).isEqualTo(300);
    }

    @Test
    void aHartsFastPathStoresAreSeenEvenWhenTheWriteMappingIsGoneByTheHash() {
        TestSystem s = new TestSystem(1, 5);
        int data = TestSystem.BASE + 0x3000;
        s.code(TestSystem.BASE,
                lui(T0, data >>> 12),
                addi(T1, T1, 1),
                sw(T1, T0, 0),
                sw(T1, T0, 4),
                ecall());
        s.onTrap = h -> TestSystem.stopAtEcall(s.machine, h);
        Machine machine = s.machine;
        Hart hart = machine.hart(0);
        machine.run(1_000);
        String first = checkedHash(machine);

        // The data frame's write mapping is warm: these stores take the fast path, which tells nobody.
        hart.setPc(TestSystem.BASE);
        hart.resume();
        machine.run(1_000);
        assertThat(machine.memory().read32(TestSystem.ma(data))).isEqualTo(2);
        String second = checkedHash(machine);
        assertThat(second).isNotEqualTo(first);

        // Stores through the mapping after that hash, then the mapping is flushed before the next one.
        hart.setPc(TestSystem.BASE);
        hart.resume();
        machine.run(1_000);
        machine.flushAllTlbs();
        assertThat(machine.memory().read32(TestSystem.ma(data))).isEqualTo(3);
        String third = checkedHash(machine);
        assertThat(third).isNotEqualTo(second);
        // And once more with dirtiness cleared in between (a reset point's mark flushes the TLBs).
        hart.setPc(TestSystem.BASE);
        hart.resume();
        machine.run(1_000);
        machine.clearDirtyMemory();
        assertThat(checkedHash(machine)).isNotEqualTo(third);
    }

    @Test
    void dmaRunsAndResetsKeepTheCachedHashEqualToTheOneFromScratch() {
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
        checkedHash(machine);

        MachineState state = machine.exportState();
        MemorySegment base = Arena.ofAuto().allocate(machine.memory().sizeBytes(), FRAME);
        base.copyFrom(machine.memory().segment());
        EchoNicDriver.Progress progress = driver.progress();
        machine.clearDirtyMemory();
        String marked = checkedHash(machine);

        machine.run(200_000);
        String midway = checkedHash(machine);
        assertThat(machine.memory().isDirty(RX_BUF / FRAME)).isTrue();
        machine.run(200_000);
        String later = checkedHash(machine);
        assertThat(later).isNotEqualTo(midway).isNotEqualTo(marked);

        for (int round = 0; round < 2; round++) {
            // The reset copies back frames whose digests the hashes above already refreshed.
            machine.resetState(state, base);
            driver.restore(progress);
            assertThat(checkedHash(machine)).as("round %d", round).isEqualTo(marked);
            machine.run(200_000);
            assertThat(checkedHash(machine)).as("round %d", round).isEqualTo(midway);
            machine.run(200_000);
            assertThat(checkedHash(machine)).as("round %d", round).isEqualTo(later);
        }

        // A full restore: memory's bytes put back wholesale, then the state imported.
        machine.memory().segment().copyFrom(base);
        machine.importState(state);
        driver.restore(progress);
        assertThat(checkedHash(machine)).isEqualTo(marked);
    }
}
