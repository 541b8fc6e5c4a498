package dev.rehype.region;

import static dev.rehype.region.RegionHeaderLayout.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way attaching refuses a region: each refusal has its own exception type and one message
 * that names the file, the field and its offset; no stack trace is recorded; the refused file's
 * bytes are exactly what they were before the attempt.
 */
class RegionRefusalTest {
    static final RegionSpec SPEC = RegionSpec.of(4 * RegionSpec.FRAME_SIZE_BYTES, 16 * 1024);

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void createRegionFile() throws IOException {
        file = dir.resolve("vm.region");
        PreservedRegion.createFile(file, SPEC).close();
    }

    /** Attaches, expects a refusal of {@code type}, and checks the message and that nothing changed. */
    private <T extends RegionException> T refused(Class<T> type, String fieldName, long fieldOffsetBytes)
            throws IOException {
        byte[] before = RegionBytes.read(file);
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> PreservedRegion.attach(file).close());
        assertThat(thrown).isInstanceOf(type);
        T refusal = type.cast(thrown);
        assertThat(refusal.source()).isEqualTo("region file " + file);
        assertThat(refusal.fieldName()).contains(fieldName);
        assertThat(refusal.fieldOffsetBytes()).isEqualTo(fieldOffsetBytes);
        assertThat(refusal.getMessage())
                .startsWith("region file " + file + ": ")
                .contains(fieldName)
                .contains("at offset " + RegionHeaderLayout.hex(fieldOffsetBytes))
                .doesNotContain("\n");
        assertThat(refusal.getStackTrace()).as("no stack trace for a refusal").isEmpty();
        assertThat(RegionBytes.read(file)).as("the refused file is unchanged").isEqualTo(before);
        return refusal;
    }

    @Test
    void aFileWithAnotherMagicIsForeign() throws IOException {
        byte[] elf = "\u007fELF\u0002\u0001\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
        RegionBytes.patch(file, b -> b.put(0, elf));
        ForeignRegionException e = refused(ForeignRegionException.class, "magic", MAGIC_OFFSET);
        assertThat(e.getMessage()).contains("7f 45 4c 46").contains("\"RHYPREG1\"")
                .contains("not a ReHype preserved region");
    }

    @Test
    void anEmptyFileIsForeign() throws IOException {
        Files.write(file, new byte[0]);
        assertThat(refused(ForeignRegionException.class, "magic", MAGIC_OFFSET).getMessage()).contains("0 bytes");
    }

    @Test
    void anUnsealedRegionIsRefused() throws IOException {
        RegionBytes.patch(file, b -> b.putLong(SEALED_OFFSET, UNSEALED_VALUE));
        assertThat(refused(UnsealedRegionException.class, "sealed", SEALED_OFFSET).getMessage())
                .contains("not sealed");
    }

    @Test
    void aCrashBetweenUnsealAndResealLeavesARegionThatIsRefused() {
        try (PreservedRegion owner = PreservedRegion.createAnonymous(SPEC)) {
            RegionHeader.unseal(owner.segment());
            RegionHeader.setGeneration(owner.segment(), 2);
            assertThatThrownBy(() -> PreservedRegion.attach(owner.segment()))
                    .isInstanceOf(UnsealedRegionException.class)
                    .hasMessageStartingWith("anonymous region: sealed at offset 0x030");
        }
    }

    @Test
    void aSealedWordThatIsNeitherSealedNorUnsealedIsDamage() throws IOException {
        RegionBytes.patch(file, b -> b.putLong(SEALED_OFFSET, 0x1234));
        refused(DamagedRegionException.class, "sealed", SEALED_OFFSET);
    }

    @Test
    void anotherMajorVersionIsRefused() throws IOException {
        RegionBytes.patchAndReseal(file, b -> b.putShort(FORMAT_MAJOR_OFFSET, (short) 2));
        assertThat(refused(RegionVersionException.class, "formatMajor", FORMAT_MAJOR_OFFSET).getMessage())
                .contains("format 2.0").contains("format 1.x only");
    }

    @Test
    void aNewerMinorVersionIsAccepted() throws IOException, RegionException {
        RegionBytes.patchAndReseal(file, b -> b.putShort(FORMAT_MINOR_OFFSET, (short) (FORMAT_MINOR + 3)));
        try (PreservedRegion region = PreservedRegion.attach(file)) {
            assertThat(region.formatMinor()).isEqualTo(FORMAT_MINOR + 3);
            region.bumpGeneration();
        }
        try (PreservedRegion region = PreservedRegion.attach(file)) {
            assertThat(region.formatMinor()).as("an older reader keeps the newer minor").isEqualTo(FORMAT_MINOR + 3);
        }
    }

    @Test
    void anUnknownIncompatibleFeatureIsRefusedAndAnUnknownCompatibleOneIsNot() throws IOException, RegionException {
        RegionBytes.patchAndReseal(file, b -> b.putLong(FLAGS_OFFSET, 1L));
        PreservedRegion.attach(file).close();
        RegionBytes.patchAndReseal(file, b -> b.putLong(FLAGS_OFFSET, 1L << 40));
        assertThat(refused(RegionVersionException.class, "flags", FLAGS_OFFSET).getMessage()).contains("0x10000000000");
    }

    @Test
    void aDamagedHeaderFailsItsChecksum() throws IOException {
        RegionBytes.patch(file, b -> b.put(0x400, (byte) 1));
        assertThat(refused(DamagedRegionException.class, "checksum", CHECKSUM_OFFSET).getMessage())
                .contains("header is damaged");
    }

    @Test
    void aTruncatedFileIsRefusedByTheRegionSize() throws IOException {
        truncate(SPEC.totalSizeBytes() / 2);
        assertThat(refused(DamagedRegionException.class, "regionSizeBytes", REGION_SIZE_OFFSET).getMessage())
                .contains("truncated");
    }

    @Test
    void aFileCutInsideTheHeaderIsRefusedByTheHeaderSize() throws IOException {
        truncate(1000);
        assertThat(refused(DamagedRegionException.class, "headerSizeBytes", HEADER_SIZE_OFFSET).getMessage())
                .contains("truncated");
    }

    @Test
    void aFileLongerThanItsRegionIsRefused() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.allocate(1), SPEC.totalSizeBytes() + 100);
        }
        refused(DamagedRegionException.class, "regionSizeBytes", REGION_SIZE_OFFSET);
    }

    @Test
    void aRootSlotPastTheEndOfTheRegionIsDamage() throws IOException {
        long recordsLength = rootEntryOffsetBytes(1) + ROOT_ENTRY_LENGTH_OFFSET;
        RegionBytes.patchAndReseal(file, b -> b.putLong((int) recordsLength, SPEC.totalSizeBytes()));
        DamagedRegionException e = refused(DamagedRegionException.class, "rootTable[1].lengthBytes", recordsLength);
        assertThat(e.getMessage()).contains("slot RECORDS").contains("past the end of the region");
    }

    @Test
    void aRootSlotInsideTheHeaderIsDamage() throws IOException {
        long offset = rootEntryOffsetBytes(0) + ROOT_ENTRY_OFFSET_OFFSET;
        RegionBytes.patchAndReseal(file, b -> b.putLong((int) offset, 0));
        assertThat(refused(DamagedRegionException.class, "rootTable[0].offsetBytes", offset).getMessage())
                .contains("slot MACHINE_MEMORY").contains("inside the header");
    }

    @Test
    void overlappingRootSlotsAreDamage() throws IOException {
        long entry = rootEntryOffsetBytes(2);
        RegionBytes.patchAndReseal(file, b -> {
            b.putInt((int) entry + ROOT_ENTRY_SLOT_ID_OFFSET, RootSlot.FRAME_TABLE);
            b.putLong((int) entry + ROOT_ENTRY_OFFSET_OFFSET, SPEC.machineMemoryOffsetBytes() + 4096);
            b.putLong((int) entry + ROOT_ENTRY_LENGTH_OFFSET, 64);
        });
        assertThat(refused(DamagedRegionException.class, "rootTable[2].offsetBytes",
                entry + ROOT_ENTRY_OFFSET_OFFSET).getMessage()).contains("overlaps slot MACHINE_MEMORY");
    }

    @Test
    void aDuplicateRootSlotIsDamage() throws IOException {
        long entry = rootEntryOffsetBytes(2);
        RegionBytes.patchAndReseal(file, b -> {
            b.putInt((int) entry + ROOT_ENTRY_SLOT_ID_OFFSET, RootSlot.RECORDS);
            b.putLong((int) entry + ROOT_ENTRY_OFFSET_OFFSET, SPEC.recordsOffsetBytes());
            b.putLong((int) entry + ROOT_ENTRY_LENGTH_OFFSET, 64);
        });
        assertThat(refused(DamagedRegionException.class, "rootTable[2].slotId", entry).getMessage())
                .contains("appears twice");
    }

    @Test
    void aMissingMachineMemorySlotIsDamage() throws IOException {
        long entry = rootEntryOffsetBytes(0);
        RegionBytes.patchAndReseal(file, b -> {
            b.putInt((int) entry, 0);
            b.putLong((int) entry + ROOT_ENTRY_OFFSET_OFFSET, 0);
            b.putLong((int) entry + ROOT_ENTRY_LENGTH_OFFSET, 0);
        });
        assertThat(refused(DamagedRegionException.class, "rootTable", ROOT_TABLE_OFFSET).getMessage())
                .contains("has no slot MACHINE_MEMORY");
    }

    @Test
    void anAnonymousRegionIsNamedAsSuchWhenRefused() {
        try (PreservedRegion owner = PreservedRegion.createAnonymous(SPEC)) {
            owner.segment().set(LittleEndian.U8, 0x800, (byte) 9);
            assertThatThrownBy(() -> PreservedRegion.attach(owner.segment()))
                    .isInstanceOf(DamagedRegionException.class)
                    .hasMessageStartingWith("anonymous region: checksum at offset 0x02C");
        }
    }

    @Test
    void aMissingFileIsAnIoErrorNamingIt() {
        Path missing = dir.resolve("missing.region");
        assertThatThrownBy(() -> PreservedRegion.attach(missing)).isInstanceOf(IOException.class)
                .hasMessage("region file " + missing + ": cannot attach: no such file");
        assertThat(missing).doesNotExist();
    }

    private void truncate(long sizeBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(sizeBytes);
        }
    }
}
