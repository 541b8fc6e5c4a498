package dev.rehype.hypervisor.system;

import dev.rehype.hypervisor.image.CoreHeapState;
import dev.rehype.machine.snapshot.MachineState;
import dev.rehype.region.PreservedRegion;
import dev.rehype.region.RegionException;
import dev.rehype.region.RegionSpec;
import dev.rehype.region.layout.CoreTablesLayout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * A saved system: the bytes of its whole preserved region (machine memory, the core's tables) and
 * the state that lives outside the region (the machine's, the hypervisor's heap), with the shape
 * needed to build it again. {@link HostSystem#snapshot()} takes one, {@link HostSystem#restore}
 * builds a system from one; campaigns boot once, snapshot, and start every run from the snapshot.
 *
 * <p>The file format is {@link SnapshotLayout}: magic, format version, lengths, the region image,
 * the Kryo object part ({@link SnapshotCodec}), a CRC32C. Loading checks all of it, and the region
 * header, before anything is built; a file that is foreign, of another version, truncated or
 * damaged is refused with one {@link SnapshotException}.
 *
 * <p>A snapshot is immutable and may be restored any number of times, from any number of threads.
 * The region bytes are kept on the Java heap (so that a program taking many snapshots is paced by
 * the garbage collector like any other allocation).
 */
public final class Snapshot {
    private static final int IO_CHUNK_BYTES = 1 << 20;
    private static final HexFormat HEX = HexFormat.of();

    private final MemorySegment region;
    private final SnapshotContents contents;

    private Snapshot(MemorySegment region, SnapshotContents contents) {
        this.region = region;
        this.contents = contents;
    }

    /** A snapshot of a system whose region is {@code liveRegion}: its bytes are copied now. */
    static Snapshot capture(MemorySegment liveRegion, SnapshotContents contents) {
        MemorySegment copy = allocateRegion(liveRegion.byteSize());
        MemorySegment.copy(liveRegion, 0, copy, 0, liveRegion.byteSize());
        return new Snapshot(copy, contents);
    }

    private static MemorySegment allocateRegion(long sizeBytes) {
        if (sizeBytes % Long.BYTES != 0 || sizeBytes / Long.BYTES > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a region image must be a multiple of 8 bytes and at most 16 GiB, got "
                    + sizeBytes);
        }
        return MemorySegment.ofArray(new long[(int) (sizeBytes / Long.BYTES)]);
    }

    public SnapshotContents contents() {
        return contents;
    }

    /** The shape of the saved system. */
    public SystemConfig config() {
        return contents.config();
    }

    /** The machine's state, everything but memory. */
    public MachineState machineState() {
        return contents.machine();
    }

    /** The hypervisor image's heap state. */
    public CoreHeapState heapState() {
        return contents.heap();
    }

    /** The bytes of the whole preserved region, read-only. */
    public MemorySegment region() {
        return region.asReadOnly();
    }

    /** Virtual time of the machine when the snapshot was taken. */
    public long takenAtCycles() {
        return contents.machine().nowCycles();
    }

    // ------------------------------------------------------------------------------ saving

    /**
     * The snapshot in the file format, as one array.
     *
     * @throws IllegalStateException if it does not fit in an array (write it to a file instead)
     */
    public byte[] toBytes() {
        byte[] object = SnapshotCodec.encode(contents);
        long total = SnapshotLayout.totalBytes(region.byteSize(), object.length);
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a snapshot of " + total
                    + " bytes does not fit in an array; write it to a file");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        try {
            writeTo(object, out::put);
        } catch (IOException e) {
            throw new IllegalStateException("writing to an array failed", e);
        }
        return out.array();
    }

    /**
     * Writes the snapshot to {@code file}: first to a temporary file beside it, then moved over
     * it, so that an existing file is never left half-written.
     */
    public void write(Path file) throws IOException {
        byte[] object = SnapshotCodec.encode(contents);
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeTo(object, chunk -> {
                    while (chunk.hasRemaining()) {
                        ch.write(chunk);
                    }
                });
                ch.force(false);
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    @FunctionalInterface
    private interface Sink {
        void put(ByteBuffer chunk) throws IOException;
    }

    /** Writes the file format to {@code sink}: header, region image, object part, checksum. */
    private void writeTo(byte[] object, Sink sink) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer header = ByteBuffer.allocate(SnapshotLayout.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(SnapshotLayout.MAGIC_OFFSET, SnapshotLayout.MAGIC)
                .putInt(SnapshotLayout.VERSION_OFFSET, SnapshotLayout.FORMAT_VERSION)
                .putInt(SnapshotLayout.RESERVED_OFFSET, 0)
                .putLong(SnapshotLayout.REGION_LENGTH_OFFSET, region.byteSize())
                .putLong(SnapshotLayout.OBJECT_LENGTH_OFFSET, object.length);
        put(header.array(), header.capacity(), sink, crc);
        byte[] chunk = new byte[IO_CHUNK_BYTES];
        for (long off = 0; off < region.byteSize(); off += IO_CHUNK_BYTES) {
            int n = (int) Math.min(IO_CHUNK_BYTES, region.byteSize() - off);
            MemorySegment.copy(region, ValueLayout.JAVA_BYTE, off, chunk, 0, n);
            put(chunk, n, sink, crc);
        }
        put(object, object.length, sink, crc);
        ByteBuffer checksum = ByteBuffer.allocate(SnapshotLayout.CHECKSUM_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        checksum.putInt(0, (int) crc.getValue());
        sink.put(checksum);
    }

    private static void put(byte[] bytes, int length, Sink sink, CRC32C crc) throws IOException {
        crc.update(bytes, 0, length);
        sink.put(ByteBuffer.wrap(bytes, 0, length));
    }

    // ------------------------------------------------------------------------------ loading

    /**
     * Loads and checks a snapshot file.
     *
     * @throws SnapshotException naming the file and what is wrong with it
     */
    public static Snapshot read(Path file) throws SnapshotException {
        String source = "snapshot file " + file;
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SnapshotException(source, SnapshotException.Problem.UNREADABLE, "no such file", e);
        } catch (IOException e) {
            throw unreadable(source, e);
        }
        try (ch) {
            return parse(ch, ch.size(), source);
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /**
     * Loads and checks a snapshot from {@code bytes}; {@code source} names them in messages.
     *
     * @throws SnapshotException naming the source and what is wrong with the bytes
     */
    public static Snapshot fromBytes(byte[] bytes, String source) throws SnapshotException {
        try {
            return parse(Channels.newChannel(new ByteArrayInputStream(bytes)), bytes.length, source);
        } catch (IOException e) {
            throw new IllegalStateException("reading from an array failed", e);
        }
    }

    private static Snapshot parse(ReadableByteChannel ch, long sizeBytes, String source)
            throws IOException, SnapshotException {
        CRC32C crc = new CRC32C();
        int headerRead = (int) Math.min(sizeBytes, SnapshotLayout.HEADER_BYTES);
        ByteBuffer header = readExactly(ch, headerRead, crc);
        checkMagic(header, sizeBytes, source);
        if (sizeBytes < SnapshotLayout.HEADER_BYTES) {
            throw new SnapshotException(source, SnapshotException.Problem.TRUNCATED, sizeBytes
                    + " bytes, shorter than the " + SnapshotLayout.HEADER_BYTES + "-byte header");
        }
        int version = header.getInt(SnapshotLayout.VERSION_OFFSET);
        if (version != SnapshotLayout.FORMAT_VERSION) {
            throw new SnapshotException(source, SnapshotException.Problem.OTHER_VERSION, "the file is format version "
                    + Integer.toUnsignedString(version) + "; this build reads version " + SnapshotLayout.FORMAT_VERSION
                    + " only");
        }
        if (header.getInt(SnapshotLayout.RESERVED_OFFSET) != 0) {
            throw damaged(source, "reserved header field at offset 0x"
                    + Integer.toHexString(SnapshotLayout.RESERVED_OFFSET) + " is 0x"
                    + Integer.toHexString(header.getInt(SnapshotLayout.RESERVED_OFFSET)) + ", not 0");
        }
        long regionBytes = header.getLong(SnapshotLayout.REGION_LENGTH_OFFSET);
        long objectBytes = header.getLong(SnapshotLayout.OBJECT_LENGTH_OFFSET);
        if (regionBytes <= 0 || regionBytes % Long.BYTES != 0 || regionBytes / Long.BYTES > Integer.MAX_VALUE - 8) {
            throw damaged(source, "region length " + regionBytes + " is not a positive multiple of 8 up to 16 GiB");
        }
        if (objectBytes <= 0 || objectBytes > Integer.MAX_VALUE - 8) {
            throw damaged(source, "object part length " + objectBytes + " is not between 1 and 2 GiB");
        }
        long total = SnapshotLayout.totalBytes(regionBytes, objectBytes);
        if (sizeBytes < total) {
            throw new SnapshotException(source, SnapshotException.Problem.TRUNCATED, sizeBytes
                    + " bytes, but its header announces " + total + " (a region image of " + regionBytes
                    + " bytes and an object part of " + objectBytes + ")");
        }
        if (sizeBytes > total) {
            throw damaged(source, (sizeBytes - total) + " bytes follow the end its header announces (" + total
                    + " bytes)");
        }
        MemorySegment region = allocateRegion(regionBytes);
        readInto(ch, region, crc);
        byte[] object = readExactly(ch, (int) objectBytes, crc).array();
        int expected = (int) crc.getValue();
        int stored = readExactly(ch, SnapshotLayout.CHECKSUM_BYTES, null).getInt(0);
        if (stored != expected) {
            throw damaged(source, "checksum mismatch: the file says 0x" + Integer.toHexString(stored)
                    + ", its contents give 0x" + Integer.toHexString(expected));
        }
        SnapshotContents contents;
        try {
            contents = SnapshotCodec.decode(object);
        } catch (IllegalArgumentException e) {
            throw damaged(source, e.getMessage());
        }
        checkConsistent(source, region, contents);
        return new Snapshot(region, contents);
    }

    private static void checkMagic(ByteBuffer header, long sizeBytes, String source) throws SnapshotException {
        int n = Math.min(header.limit(), SnapshotLayout.MAGIC.length);
        byte[] start = new byte[n];
        header.get(0, start);
        if (!Arrays.equals(start, 0, n, SnapshotLayout.MAGIC, 0, n)) {
            throw new SnapshotException(source, SnapshotException.Problem.NOT_A_SNAPSHOT, "it starts with bytes "
                    + HEX.formatHex(start) + "; a snapshot starts with \"RHYPSNAP\" ("
                    + HEX.formatHex(SnapshotLayout.MAGIC) + ")");
        }
        if (sizeBytes < SnapshotLayout.MAGIC.length) {
            throw new SnapshotException(source, SnapshotException.Problem.TRUNCATED, sizeBytes
                    + " bytes, shorter than the " + SnapshotLayout.HEADER_BYTES + "-byte header");
        }
    }

    /** The region, the machine and the heap state must describe one system of the config's shape. */
    private static void checkConsistent(String source, MemorySegment region, SnapshotContents c)
            throws SnapshotException {
        SystemConfig config = c.config();
        RegionSpec spec = HostSystem.regionSpecOf(config);
        if (region.byteSize() != spec.totalSizeBytes()) {
            throw damaged(source, "region image of " + region.byteSize() + " bytes, but the system " + config
                    + " has a region of " + spec.totalSizeBytes());
        }
        MachineState m = c.machine();
        if (!m.config().equals(HostSystem.machineConfigOf(config)) || m.ramBytes() != config.machineMemoryBytes()) {
            throw damaged(source, "machine state of a machine " + m.config() + " with " + m.ramBytes()
                    + " bytes of memory does not belong to the system " + config);
        }
        CoreHeapState heap = c.heap();
        int cpus = config.cpus();
        if (heap.current().length != cpus || heap.needResched().length != cpus || heap.nextTickCycles().length != cpus
                || heap.sliceLeft().length != cpus || heap.runQueues().length != cpus
                || heap.consoleLineStart().length != config.maxDomains()) {
            throw damaged(source, "hypervisor heap state does not fit " + cpus + " cpus and " + config.maxDomains()
                    + " domains");
        }
        checkRegionHeader(source, region, spec, HostSystem.layoutOf(config));
    }

    /** Checks the region image's header as attaching would, on a scratch copy. */
    private static void checkRegionHeader(String source, MemorySegment region, RegionSpec spec, CoreTablesLayout layout)
            throws SnapshotException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment scratch = arena.allocate(region.byteSize(), RegionSpec.FRAME_SIZE_BYTES);
            MemorySegment.copy(region, 0, scratch, 0, region.byteSize());
            PreservedRegion view = PreservedRegion.attach(scratch);
            long machineOffset = view.machineMemory().address() - scratch.address();
            long recordsOffset = view.records().address() - scratch.address();
            if (machineOffset != spec.machineMemoryOffsetBytes()
                    || view.machineMemory().byteSize() != spec.machineMemorySizeBytes()
                    || recordsOffset != spec.recordsOffsetBytes() || view.records().byteSize() < layout.sizeBytes()) {
                throw damaged(source, "region image places machine memory at 0x" + Long.toHexString(machineOffset)
                        + " (" + view.machineMemory().byteSize() + " bytes) and records at 0x"
                        + Long.toHexString(recordsOffset) + " (" + view.records().byteSize()
                        + " bytes), not where the system's shape puts them");
            }
        } catch (RegionException e) {
            throw damaged(source, "region image refused: " + e.getMessage());
        }
    }

    private static SnapshotException unreadable(String source, IOException e) {
        return new SnapshotException(source, SnapshotException.Problem.UNREADABLE, String.valueOf(e.getMessage()), e);
    }

    private static SnapshotException damaged(String source, String detail) {
        return new SnapshotException(source, SnapshotException.Problem.DAMAGED, detail);
    }

    private static ByteBuffer readExactly(ReadableByteChannel ch, int length, CRC32C crc) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        fill(ch, buffer);
        if (crc != null) {
            crc.update(buffer.array(), 0, length);
        }
        return buffer;
    }

    private static void readInto(ReadableByteChannel ch, MemorySegment target, CRC32C crc) throws IOException {
        byte[] chunk = new byte[IO_CHUNK_BYTES];
        for (long off = 0; off < target.byteSize(); off += IO_CHUNK_BYTES) {
            int n = (int) Math.min(IO_CHUNK_BYTES, target.byteSize() - off);
            fill(ch, ByteBuffer.wrap(chunk, 0, n));
            crc.update(chunk, 0, n);
            MemorySegment.copy(chunk, 0, target, ValueLayout.JAVA_BYTE, off, n);
        }
    }

    private static void fill(ReadableByteChannel ch, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (ch.read(buffer) < 0) {
                throw new java.io.EOFException("the file ended early (it changed while being read)");
            }
        }
    }
}
