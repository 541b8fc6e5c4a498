package dev.rehype.hypervisor.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rehype.hypervisor.system.SnapshotException.Problem;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot file that is missing, foreign, of another format version, truncated or damaged is
 * refused with one {@link SnapshotException} that names the file and says what is wrong, and
 * carries no stack trace; nothing is built from it.
 */
class SnapshotRefusalTest {
    private static byte[] good;

    @TempDir
    Path dir;

    @BeforeAll
    static void takeASnapshot() {
        try (HostSystem system = ProbeSystems.booted(2)) {
            system.machine().run(500_000);
            good = system.snapshot().toBytes();
        }
    }

    private SnapshotException refusal(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        SnapshotException e = catchThrowableOfType(SnapshotException.class, () -> Snapshot.read(file));
        assertThat(e).as("refusal of %s", name).isNotNull();
        assertThat(e.getMessage()).startsWith("snapshot file " + file + ": ");
        assertThat(e.source()).isEqualTo("snapshot file " + file);
        assertThat(e.getStackTrace()).isEmpty();
        return e;
    }

    private static long regionLength() {
        return ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(SnapshotLayout.REGION_LENGTH_OFFSET);
    }

    /** {@code bytes} with its checksum recomputed, as a careless tool would leave them. */
    private static byte[] withChecksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - SnapshotLayout.CHECKSUM_BYTES);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(bytes.length - SnapshotLayout.CHECKSUM_BYTES, (int) crc.getValue());
        return bytes;
    }

    @Test
    void theGoodSnapshotLoads() throws Exception {
        Path file = dir.resolve("good.snap");
        Files.write(file, good);
        assertThat(Snapshot.read(file).toBytes()).isEqualTo(good);
        assertThat(Snapshot.fromBytes(good, "test bytes").config().seed()).isEqualTo(2);
    }

    @Test
    void aMissingFileIsUnreadable() {
        Path file = dir.resolve("nowhere.snap");
        SnapshotException e = catchThrowableOfType(SnapshotException.class, () -> Snapshot.read(file));
        assertThat(e.problem()).isEqualTo(Problem.UNREADABLE);
        assertThat(e).hasMessage("snapshot file " + file + ": cannot be read: no such file");
    }

    @Test
    void aForeignFileIsNotASnapshot() throws Exception {
        byte[] elf = {0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, (byte) 0xf3, 0};
        SnapshotException e = refusal("guest.elf", elf);
        assertThat(e.problem()).isEqualTo(Problem.NOT_A_SNAPSHOT);
        assertThat(e.getMessage()).endsWith(": not a ReHype snapshot: it starts with bytes 7f454c4601010100;"
                + " a snapshot starts with \"RHYPSNAP\" (52485950534e4150)");
    }

    @Test
    void anotherFormatVersionIsRefusedByNumber() throws Exception {
        byte[] v2 = good.clone();
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(SnapshotLayout.VERSION_OFFSET, SnapshotLayout.FORMAT_VERSION + 1);
        SnapshotException e = refusal("v2.snap", v2);
        assertThat(e.problem()).isEqualTo(Problem.OTHER_VERSION);
        assertThat(e.getMessage()).endsWith(": unsupported snapshot format version: the file is format version "
                + (SnapshotLayout.FORMAT_VERSION + 1) + "; this build reads version " + SnapshotLayout.FORMAT_VERSION
                + " only");
    }

    @Test
    void aTruncatedFileSaysHowMuchIsMissing() throws Exception {
        byte[] cut = Arrays.copyOf(good, good.length - 1000);
        SnapshotException e = refusal("cut.snap", cut);
        assertThat(e.problem()).isEqualTo(Problem.TRUNCATED);
        assertThat(e.getMessage()).contains(": truncated: " + cut.length + " bytes, but its header announces "
                + good.length + " (a region image of " + regionLength() + " bytes");

        SnapshotException header = refusal("header-only.snap", Arrays.copyOf(good, 12));
        assertThat(header.problem()).isEqualTo(Problem.TRUNCATED);
        assertThat(header.getMessage()).endsWith(": truncated: 12 bytes, shorter than the 32-byte header");

        assertThat(refusal("empty.snap", new byte[0]).getMessage())
                .endsWith(": truncated: 0 bytes, shorter than the 32-byte header");
    }

    @Test
    void aFlippedBitIsCaughtByTheChecksum() throws Exception {
        byte[] flipped = good.clone();
        flipped[SnapshotLayout.HEADER_BYTES + 5 * 4096 + 17] ^= 0x10;
        SnapshotException e = refusal("flipped.snap", flipped);
        assertThat(e.problem()).isEqualTo(Problem.DAMAGED);
        assertThat(e.getMessage()).contains(": damaged: checksum mismatch: the file says 0x");
    }

    @Test
    void bytesAfterTheEndAreDamage() throws Exception {
        SnapshotException e = refusal("long.snap", Arrays.copyOf(good, good.length + 3));
        assertThat(e.problem()).isEqualTo(Problem.DAMAGED);
        assertThat(e.getMessage()).endsWith(": damaged: 3 bytes follow the end its header announces ("
                + good.length + " bytes)");
    }

    @Test
    void anObjectPartThatDoesNotDecodeIsDamageEvenWithAGoodChecksum() throws Exception {
        int objectStart = (int) (SnapshotLayout.HEADER_BYTES + regionLength());
        byte[] garbage = good.clone();
        Arrays.fill(garbage, objectStart, objectStart + 40, (byte) 0x7f);
        SnapshotException e = refusal("garbage.snap", withChecksum(garbage));
        assertThat(e.problem()).isEqualTo(Problem.DAMAGED);
        assertThat(e.getMessage()).contains(": damaged: object part cannot be decoded: ");
    }

    @Test
    void aRegionImageWithABrokenHeaderIsDamageEvenWithAGoodChecksum() throws Exception {
        byte[] broken = good.clone();
        broken[SnapshotLayout.HEADER_BYTES] ^= 0x01; // the region's own magic
        SnapshotException e = refusal("region.snap", withChecksum(broken));
        assertThat(e.problem()).isEqualTo(Problem.DAMAGED);
        assertThat(e.getMessage()).contains(": damaged: region image refused: anonymous region: ");
    }

    @Test
    void bytesInMemoryAreNamedByTheirSource() {
        SnapshotException e = catchThrowableOfType(SnapshotException.class,
                () -> Snapshot.fromBytes(Arrays.copyOf(good, 100), "campaign cache entry 7"));
        assertThat(e.problem()).isEqualTo(Problem.TRUNCATED);
        assertThat(e.getMessage()).startsWith("campaign cache entry 7: truncated: 100 bytes");
    }
}
