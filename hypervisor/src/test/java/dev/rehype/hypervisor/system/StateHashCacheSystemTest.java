package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.machine.PhysicalMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The system's state hash, kept from cached digests of memory and the core's tables, is the hash
 * from every byte after everything a campaign does to a system: full and short runs of the
 * standard system, resets to a reset point and to checkpoints, snapshot restores, the core writing
 * its tables, the host writing memory. A hash after a run costs the frames written since the last one, not the
 * memory; one changed byte in memory or in the core's tables changes it.
 */
class StateHashCacheSystemTest {
    private static final long SEED = 3;
    private static final long MAX = StandardSystem.DEFAULT_MAX_CYCLES;

    private static String checkedHash(HostSystem system) {
        String cached = system.stateHash();
        assertThat(cached).isEqualTo(system.stateHashFromScratch());
        return cached;
    }

    @Test
    void runsResetsAndRestoresKeepTheCachedHashEqualToTheOneFromScratch() throws Exception {
        try (HostSystem system = new HostSystem(SystemConfig.defaults(SEED))) {
            system.boot(StandardSystem.bootSpec());
            ResetPoint point = system.markResetPoint();
            Snapshot snapshot = system.snapshot();
            String marked = checkedHash(system);
            int frames = system.machine().memory().frames();
            assertThat(system.lastHashWork().memoryFrames()).isEqualTo(frames);

            String ended = null;
            for (int round = 0; round < 2; round++) {
                assertThat(system.runUntilShutdown(MAX, d -> true)).isTrue();
                int dirty = point.dirtyFrames();
                String hash = checkedHash(system);
                // After a reset the frames put back are digested again too; never the whole memory.
                assertThat(system.lastHashWork().memoryFrames()).as("round %d", round)
                        .isGreaterThanOrEqualTo(round == 0 ? dirty : 0).isLessThan(frames / 4);
                if (ended == null) {
                    ended = hash;
                } else {
                    assertThat(hash).isEqualTo(ended);
                }
                point.resetTo(system);
                assertThat(checkedHash(system)).as("after reset %d", round).isEqualTo(marked);
                assertThat(system.lastHashWork().memoryFrames()).isEqualTo(dirty);

                system.runUntilShutdown(HostSystem.CHECK_INTERVAL_CYCLES, d -> true);
                String shortRun = checkedHash(system);
                assertThat(shortRun).isNotEqualTo(marked);
                point.resetTo(system);
                assertThat(checkedHash(system)).isEqualTo(marked);
            }

            // A checkpoint captured on the way and a reset to it: its frames copied in and reported, the tables whole.
            system.runUntilShutdown(2 * HostSystem.CHECK_INTERVAL_CYCLES, d -> true);
            Checkpoint checkpoint = point.capture(system);
            String atCheckpoint = checkedHash(system);
            assertThat(system.runUntilShutdown(MAX, d -> true)).isTrue();
            assertThat(checkedHash(system)).isEqualTo(ended);
            point.resetTo(system, checkpoint, point.image());
            assertThat(checkedHash(system)).isEqualTo(atCheckpoint);
            assertThat(system.runUntilShutdown(MAX, d -> true)).isTrue();
            assertThat(checkedHash(system)).isEqualTo(ended);

            try (HostSystem restored = HostSystem.restore(snapshot)) {
                assertThat(checkedHash(restored)).isEqualTo(marked);
                assertThat(restored.runUntilShutdown(MAX, d -> true)).isTrue();
                assertThat(checkedHash(restored)).isEqualTo(ended);
            }
        }
    }

    @Test
    void oneChangedByteOfMemoryOrOfTheCoreTablesChangesTheHash() throws Exception {
        try (HostSystem system = ProbeSystems.booted(1)) {
            String before = checkedHash(system);
            PhysicalMemory memory = system.machine().memory();
            long[] bytes = {0, memory.sizeBytes() / 2 + 1234, memory.sizeBytes() - 1};
            for (long pa : bytes) {
                int old = memory.read8(pa);
                memory.write8(pa, old ^ 1);
                assertThat(checkedHash(system)).as("memory byte 0x%x", pa).isNotEqualTo(before);
                assertThat(system.lastHashWork().memoryFrames()).isEqualTo(1);
                memory.write8(pa, old);
                assertThat(checkedHash(system)).isEqualTo(before);
            }
            MemorySegment core = system.coreState();
            long[] offsets = {0, core.byteSize() / 3, core.byteSize() - 1};
            for (long at : offsets) {
                byte old = core.get(ValueLayout.JAVA_BYTE, at);
                core.set(ValueLayout.JAVA_BYTE, at, (byte) (old ^ 0x40));
                assertThat(checkedHash(system)).as("core byte %d", at).isNotEqualTo(before);
                assertThat(system.lastHashWork().coreChunks()).isEqualTo(1);
                core.set(ValueLayout.JAVA_BYTE, at, old);
                assertThat(checkedHash(system)).isEqualTo(before);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameHashWhateverWasHashedBefore() throws Exception {
        try (HostSystem a = new HostSystem(SystemConfig.defaults(SEED));
             HostSystem b = new HostSystem(SystemConfig.defaults(SEED))) {
            a.boot(StandardSystem.bootSpec());
            b.boot(StandardSystem.bootSpec());
            a.stateHash();
            for (int i = 0; i < 5; i++) {
                a.runUntilShutdown(HostSystem.CHECK_INTERVAL_CYCLES, d -> true);
                a.stateHash();
            }
            b.runUntilShutdown(5 * HostSystem.CHECK_INTERVAL_CYCLES, d -> true);
            assertThat(a.stateHash()).isEqualTo(b.stateHash()).isEqualTo(b.stateHashFromScratch());
        }
    }
}
