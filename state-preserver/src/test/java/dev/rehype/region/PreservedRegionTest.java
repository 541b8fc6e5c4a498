package dev.rehype.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Creating, sealing and re-attaching regions (anonymous, file-backed, on /dev/shm), the
 * generation, the root table, and what the layout promises about machine memory and records.
 */
class PreservedRegionTest {
    static final RegionSpec SPEC = RegionSpec.of(16 * RegionSpec.FRAME_SIZE_BYTES, 64 * 1024);

    @TempDir
    Path dir;

    @Test
    void aCreatedRegionIsSealedAndLaidOutAsTheSpecSays() {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            assertThat(region.isSealed()).isTrue();
            assertThat(region.sizeBytes()).isEqualTo(SPEC.totalSizeBytes());
            assertThat(region.formatMajor()).isEqualTo(RegionHeaderLayout.FORMAT_MAJOR);
            assertThat(region.formatMinor()).isEqualTo(RegionHeaderLayout.FORMAT_MINOR);
            assertThat(region.generation()).isEqualTo(1);
            assertThat(region.source()).isEqualTo("anonymous region");
            assertThat(region.rootSlots()).containsExactly(
                    new RootSlotEntry(RootSlot.MACHINE_MEMORY, 4096, SPEC.machineMemorySizeBytes()),
                    new RootSlotEntry(RootSlot.RECORDS, 4096 + SPEC.machineMemorySizeBytes(), SPEC.recordsSizeBytes()));
            MemorySegment machine = region.machineMemory();
            assertThat(machine.byteSize()).isEqualTo(SPEC.machineMemorySizeBytes());
            assertThat(machine.address() % RegionSpec.FRAME_SIZE_BYTES).isZero();
            assertThat(machine.address() - region.segment().address()).isEqualTo(SPEC.machineMemoryOffsetBytes());
            assertThat(region.records().byteSize()).isEqualTo(SPEC.recordsSizeBytes());
            assertThat(region.records().address() - region.segment().address()).isEqualTo(SPEC.recordsOffsetBytes());
        }
    }

    @Test
    void anAnonymousRegionIsReattachedInProcessAndKeepsItsBytes() throws RegionException {
        try (PreservedRegion owner = PreservedRegion.createAnonymous(SPEC)) {
            owner.machineMemory().set(LittleEndian.U64, 8 * 4096, 0xCAFE_F00D_DEAD_BEEFL);
            PreservedRegion view = PreservedRegion.attach(owner.segment());
            assertThat(view.ownsMemory()).isFalse();
            assertThat(view.machineMemory().get(LittleEndian.U64, 8 * 4096)).isEqualTo(0xCAFE_F00D_DEAD_BEEFL);
            assertThat(view.rootSlots()).isEqualTo(owner.rootSlots());
            view.close();
            assertThat(owner.machineMemory().get(LittleEndian.U64, 8 * 4096))
                    .as("closing a view releases nothing").isEqualTo(0xCAFE_F00D_DEAD_BEEFL);
        }
    }

    @Test
    void aFileRegionSurvivesClosingAndIsReattached() throws IOException, RegionException {
        roundTripThroughFile(dir.resolve("vm.region"));
    }

    @Test
    void aRegionOnDevShmSurvivesClosingAndIsReattached() throws IOException, RegionException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "/dev/shm is not available here");
        Path file = Files.createTempFile(shm, "rehype-region-test-", ".region");
        try {
            roundTripThroughFile(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void roundTripThroughFile(Path file) throws IOException, RegionException {
        try (PreservedRegion region = PreservedRegion.createFile(file, SPEC)) {
            assertThat(region.isSealed()).isTrue();
            region.machineMemory().set(LittleEndian.U32, 4, 0x1234_5678);
            region.records().set(LittleEndian.U64, 0, 42L);
        }
        assertThat(Files.size(file)).isEqualTo(SPEC.totalSizeBytes());
        try (PreservedRegion again = PreservedRegion.attach(file)) {
            assertThat(again.source()).isEqualTo("region file " + file);
            assertThat(again.file()).contains(file);
            assertThat(again.generation()).isEqualTo(1);
            assertThat(again.machineMemory().get(LittleEndian.U32, 4)).isEqualTo(0x1234_5678);
            assertThat(again.records().get(LittleEndian.U64, 0)).isEqualTo(42L);
        }
    }

    @Test
    void createFileTruncatesAnExistingFileToTheRegionSize() throws IOException, RegionException {
        Path file = dir.resolve("old.region");
        Files.write(file, new byte[(int) SPEC.totalSizeBytes() * 2]);
        try (PreservedRegion region = PreservedRegion.createFile(file, SPEC)) {
            assertThat(region.isSealed()).isTrue();
        }
        assertThat(Files.size(file)).isEqualTo(SPEC.totalSizeBytes());
        PreservedRegion.attach(file).close();
    }

    @Test
    void eachReattachByARebootBumpsTheGenerationAndTheHeaderStaysValid() throws IOException, RegionException {
        Path file = dir.resolve("gen.region");
        PreservedRegion.createFile(file, SPEC).close();
        for (long expected = 2; expected <= 4; expected++) {
            try (PreservedRegion region = PreservedRegion.attach(file)) {
                assertThat(region.bumpGeneration()).isEqualTo(expected);
                assertThat(region.generation()).isEqualTo(expected);
                assertThat(region.isSealed()).isTrue();
            }
        }
        try (PreservedRegion region = PreservedRegion.attach(file)) {
            assertThat(region.generation()).as("the bumps were persisted with a matching checksum").isEqualTo(4);
        }
    }

    @Test
    void theGenerationIsCoveredByTheChecksum() throws IOException {
        Path file = dir.resolve("gen-tampered.region");
        PreservedRegion.createFile(file, SPEC).close();
        RegionBytes.patch(file, b -> b.putLong(RegionHeaderLayout.GENERATION_OFFSET, 7));
        assertThatThrownBy(() -> PreservedRegion.attach(file)).isInstanceOf(DamagedRegionException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void rootSlotsAreSetReplacedClearedAndSurviveReattach() throws IOException, RegionException {
        Path file = dir.resolve("slots.region");
        RegionSpec spec = new RegionSpec(SPEC.totalSizeBytes() + 8192, SPEC.machineMemorySizeBytes(),
                SPEC.recordsSizeBytes());
        long spare = SPEC.totalSizeBytes();
        long records = spec.recordsOffsetBytes();
        try (PreservedRegion region = PreservedRegion.createFile(file, spec)) {
            region.setRootSlot(RootSlot.FRAME_TABLE, spare, 8192);
            region.setRootSlot(RootSlot.DOMAINS, records + 4096, 512);
            region.setRootSlot(RootSlot.DOMAINS, records + 8192, 1024);
            region.setRootSlot(RootSlot.LOCKS, records + 64, 64);
            region.clearRootSlot(RootSlot.LOCKS);
            assertThat(region.isSealed()).isTrue();
        }
        try (PreservedRegion region = PreservedRegion.attach(file)) {
            assertThat(region.rootSlot(RootSlot.FRAME_TABLE))
                    .contains(new RootSlotEntry(RootSlot.FRAME_TABLE, spare, 8192));
            assertThat(region.rootSlot(RootSlot.DOMAINS))
                    .contains(new RootSlotEntry(RootSlot.DOMAINS, records + 8192, 1024));
            assertThat(region.rootSlot(RootSlot.LOCKS)).isEmpty();
            assertThat(region.rootSlots()).hasSize(4);
        }
    }

    @Test
    void aRootSlotThatBreaksThePlacementRulesIsRefusedAndTheHeaderIsUnchanged() {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            byte[] before = region.segment().asSlice(0, 4096).toArray(LittleEndian.U8);
            long machine = SPEC.machineMemoryOffsetBytes();
            assertThatThrownBy(() -> region.setRootSlot(RootSlot.FRAME_TABLE, machine + 4096, 64))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlaps slot MACHINE_MEMORY");
            assertThatThrownBy(() -> region.setRootSlot(RootSlot.FRAME_TABLE, 64, 64))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inside the header");
            assertThatThrownBy(() -> region.setRootSlot(RootSlot.FRAME_TABLE, SPEC.recordsOffsetBytes(), 1 << 30))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("past the end of the region");
            assertThatThrownBy(() -> region.setRootSlot(RootSlot.FRAME_TABLE, SPEC.recordsOffsetBytes() + 4, 8))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a multiple of 8");
            assertThatThrownBy(() -> region.setRootSlot(RootSlot.RECORDS, SPEC.recordsOffsetBytes(), 8))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fixed");
            assertThat(region.segment().asSlice(0, 4096).toArray(LittleEndian.U8)).isEqualTo(before);
        }
    }

    @Test
    void theRootTableHoldsEveryNamedSlotWithRoomToSpare() {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            long base = SPEC.recordsOffsetBytes();
            for (int id = RootSlot.FRAME_TABLE; id <= RegionHeaderLayout.ROOT_SLOT_CAPACITY_ENTRIES; id++) {
                region.setRootSlot(id, base + 8L * id, 8);
            }
            assertThat(region.rootSlots()).hasSize(RegionHeaderLayout.ROOT_SLOT_CAPACITY_ENTRIES);
            assertThat(RegionHeaderLayout.ROOT_SLOT_CAPACITY_ENTRIES).isGreaterThan(RootSlot.LAST_NAMED);
            assertThatThrownBy(() -> region.setRootSlot(99, base + 800, 8))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("root table is full");
        }
    }

    @Test
    void aClosedRegionRefusesUse() {
        PreservedRegion region = PreservedRegion.createAnonymous(SPEC);
        region.close();
        region.close();
        assertThatThrownBy(region::bumpGeneration).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aSpecWithPartialFramesOrTooLittleRoomIsRefused() {
        assertThatThrownBy(() -> RegionSpec.of(4097, 4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("machineMemorySizeBytes");
        assertThatThrownBy(() -> new RegionSpec(8192, 4096, 4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("totalSizeBytes");
    }
}
