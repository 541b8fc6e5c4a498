package dev.rehype.hypervisor.system;

import java.nio.charset.StandardCharsets;

/**
 * The byte layout of a snapshot file: a fixed header, the whole preserved region as bytes, the
 * object part (Kryo, see {@link SnapshotCodec}), and a checksum over everything before it. Little
 * endian. The header comes first so that a foreign file or another version is told apart before
 * anything else is read; the checksum comes last so that the file is written in one pass.
 *
 * <pre>
 *  offset        size  field             contents
 *  ------------  ----  ----------------  ---------------------------------------------------------
 *  0x00          8     magic             "RHYPSNAP" in ASCII
 *  0x08          4     format version    {@link #FORMAT_VERSION}; any other is refused
 *  0x0C          4     reserved          0
 *  0x10          8     region length R   bytes of the region image (a multiple of 8)
 *  0x18          8     object length K   bytes of the object part
 *  0x20          R     region image      the whole preserved region, header included
 *  0x20+R        K     object part       Kryo encoding of a {@link SnapshotContents}
 *  0x20+R+K      4     checksum          CRC32C of every byte before it
 * </pre>
 */
public final class SnapshotLayout {
    private SnapshotLayout() {
    }

    /** The first eight bytes of every snapshot. */
    public static final byte[] MAGIC = "RHYPSNAP".getBytes(StandardCharsets.US_ASCII);
    /** The format this build writes and the only one it reads. Bumped by any change of layout or object part. */
    public static final int FORMAT_VERSION = 4;

    public static final int MAGIC_OFFSET = 0x00;
    public static final int VERSION_OFFSET = 0x08;
    public static final int RESERVED_OFFSET = 0x0C;
    public static final int REGION_LENGTH_OFFSET = 0x10;
    public static final int OBJECT_LENGTH_OFFSET = 0x18;
    /** Size of the header; the region image starts here. */
    public static final int HEADER_BYTES = 0x20;
    /** Size of the checksum at the end. */
    public static final int CHECKSUM_BYTES = 4;

    /** Total size of a snapshot with a region image and an object part of the given sizes. */
    public static long totalBytes(long regionBytes, long objectBytes) {
        return HEADER_BYTES + regionBytes + objectBytes + CHECKSUM_BYTES;
    }
}
