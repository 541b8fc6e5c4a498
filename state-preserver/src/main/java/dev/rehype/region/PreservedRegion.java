package dev.rehype.region;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The preserved region: one {@link MemorySegment} that outlives a hypervisor instance and holds
 * everything a rebooted hypervisor needs to take its VMs back — machine memory (the guests'
 * frames), the records area, and the root table that finds the rest. Anonymous (campaigns, an
 * in-process microreboot re-attaches with {@link #attach(MemorySegment)}) or mapped from a file
 * (for example under /dev/shm, so that it outlives the hypervisor's process; a new process
 * re-attaches with {@link #attach(Path)}). Header layout: {@link RegionHeaderLayout}.
 *
 * <p><b>Seal protocol.</b> The header is valid only while its sealed word holds
 * {@link RegionHeaderLayout#SEALED_VALUE}. Every change of the header (creation,
 * {@link #bumpGeneration()}, {@link #setRootSlot}) first clears the sealed word (a volatile store,
 * so the changes that follow cannot be seen before it), then changes the fields, recomputes the
 * checksum, and writes the sealed word last with release semantics; readers load it with acquire
 * semantics. A crash in between leaves the region unsealed, and attaching then refuses it with
 * {@link UnsealedRegionException} rather than trust a half-written header. Changes through one
 * instance are serialised; only one instance at a time may change a given region.
 *
 * <p>Attaching checks everything (see {@link RegionValidator}) and refuses a bad region with a
 * {@link RegionException}; a refused region is not modified. Attaching does not bump the
 * generation: the rebooting hypervisor calls {@link #bumpGeneration()} once it takes ownership.
 */
public final class PreservedRegion implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreservedRegion.class);
    private static final String ANONYMOUS = "anonymous region";

    private final MemorySegment segment;
    /** The arena that owns the memory, or null when this instance only views it. */
    private final Arena arena;
    private final Path file;
    private final String source;
    private final long headerSizeBytes;
    private final MemorySegment machineMemory;
    private final MemorySegment records;
    private boolean closed;

    private PreservedRegion(MemorySegment segment, Arena arena, Path file) {
        this.segment = segment;
        this.arena = arena;
        this.file = file;
        this.source = describe(file);
        this.headerSizeBytes = RegionHeader.headerSizeBytes(segment);
        this.machineMemory = sliceOf(RootSlot.MACHINE_MEMORY);
        this.records = sliceOf(RootSlot.RECORDS);
    }

    /**
     * A new region in anonymous memory owned by this instance, laid out as {@code spec} says, sealed,
     * all zero. From {@link #LAZY_SIZE_BYTES} up, the memory is a mapping of a deleted scratch file
     * (under /dev/shm when there is one, else the temporary directory) so that it is zero-filled
     * lazily, page by page as it is first touched, and a machine of several GiB costs nothing up
     * front; smaller regions are allocated (and zeroed) at once.
     */
    public static PreservedRegion createAnonymous(RegionSpec spec) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment segment = spec.totalSizeBytes() >= LAZY_SIZE_BYTES
                    ? mapScratch(spec.totalSizeBytes(), arena)
                    : arena.allocate(spec.totalSizeBytes(), RegionSpec.FRAME_SIZE_BYTES);
            RegionHeader.format(segment, spec);
            LOG.debug("created {} of {} bytes", ANONYMOUS, spec.totalSizeBytes());
            return new PreservedRegion(segment, arena, null);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Regions from this size up are zero-filled lazily (see {@link #createAnonymous}). */
    public static final long LAZY_SIZE_BYTES = 256L << 20;

    /** A zero-filled mapping of {@code sizeBytes} backed by a scratch file deleted at once. */
    private static MemorySegment mapScratch(long sizeBytes, Arena arena) {
        Path shm = Path.of("/dev/shm");
        Path dir = java.nio.file.Files.isDirectory(shm) && java.nio.file.Files.isWritable(shm) ? shm
                : Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Path file = java.nio.file.Files.createTempFile(dir, "rehype-region-", ".tmp");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return channel.map(FileChannel.MapMode.READ_WRITE, 0, sizeBytes, arena);
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot map " + sizeBytes + " bytes of scratch memory under " + dir,
                    e);
        }
    }

    /**
     * A new region in {@code file}, created or truncated to {@code spec.totalSizeBytes()} and
     * mapped read-write (works on /dev/shm), laid out as {@code spec} says, sealed.
     */
    public static PreservedRegion createFile(Path file, RegionSpec spec) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, spec.totalSizeBytes(), arena);
            RegionHeader.format(segment, spec);
            LOG.debug("created {} of {} bytes", describe(file), spec.totalSizeBytes());
            return new PreservedRegion(segment, arena, file);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Maps an existing region file read-write and checks it.
     *
     * @throws IOException when the file cannot be opened or mapped (the message names the file)
     * @throws RegionException when its content is refused; the file is left as it was
     */
    public static PreservedRegion attach(Path file) throws IOException, RegionException {
        FileChannel opened;
        try {
            opened = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new IOException(describe(file) + ": cannot attach: no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException(describe(file) + ": cannot attach: read-write access denied", e);
        }
        Arena arena = Arena.ofShared();
        try (FileChannel channel = opened) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
            RegionValidator.validate(segment, describe(file));
            PreservedRegion region = new PreservedRegion(segment, arena, file);
            LOG.debug("attached {} at generation {}", region.source, region.generation());
            return region;
        } catch (IOException | RegionException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Re-attaches to a region already in this process (what an in-process microreboot does) and
     * checks it. The returned instance views the memory without owning it: closing it releases
     * nothing; the memory lives as long as whoever allocated it keeps it.
     *
     * @param segment the whole region, native, writable, starting on a frame boundary
     * @throws RegionException when its content is refused; the memory is left as it was
     */
    public static PreservedRegion attach(MemorySegment segment) throws RegionException {
        if (!segment.isNative() || segment.isReadOnly() || segment.address() % RegionSpec.FRAME_SIZE_BYTES != 0) {
            throw new IllegalArgumentException("a region segment must be native, writable and frame-aligned; got "
                    + segment);
        }
        RegionValidator.validate(segment, ANONYMOUS);
        PreservedRegion region = new PreservedRegion(segment, null, null);
        LOG.debug("attached {} at generation {}", region.source, region.generation());
        return region;
    }

    /** The whole region, header included. */
    public MemorySegment segment() {
        ensureOpen();
        return segment;
    }

    /** Machine memory: the frame-aligned slice named by {@link RootSlot#MACHINE_MEMORY}. */
    public MemorySegment machineMemory() {
        ensureOpen();
        return machineMemory;
    }

    /** The records area: the slice named by {@link RootSlot#RECORDS}. */
    public MemorySegment records() {
        ensureOpen();
        return records;
    }

    /** Total size, header included. */
    public long sizeBytes() {
        return segment.byteSize();
    }

    public long headerSizeBytes() {
        return headerSizeBytes;
    }

    /** The region's file, when it is mapped from one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** How messages name this region: {@code region file PATH} or {@code anonymous region}. */
    public String source() {
        return source;
    }

    /** True when closing this instance releases the memory (it created or mapped it). */
    public boolean ownsMemory() {
        return arena != null;
    }

    public int formatMajor() {
        ensureOpen();
        return Short.toUnsignedInt(segment.get(RegionHeaderLayout.FORMAT_MAJOR_FIELD,
                RegionHeaderLayout.FORMAT_MAJOR_OFFSET));
    }

    public int formatMinor() {
        ensureOpen();
        return Short.toUnsignedInt(segment.get(RegionHeaderLayout.FORMAT_MINOR_FIELD,
                RegionHeaderLayout.FORMAT_MINOR_OFFSET));
    }

    public long flags() {
        ensureOpen();
        return segment.get(RegionHeaderLayout.FLAGS, RegionHeaderLayout.FLAGS_OFFSET);
    }

    /** Which incarnation of the hypervisor owns the region: 1 at creation, +1 per reboot. */
    public long generation() {
        ensureOpen();
        return RegionHeader.generation(segment);
    }

    /** True while the header is whole (always, outside a header change or after a crash in one). */
    public boolean isSealed() {
        ensureOpen();
        return RegionHeader.sealedWord(segment) == RegionHeaderLayout.SEALED_VALUE;
    }

    /**
     * Takes ownership for a new incarnation of the hypervisor: increments the generation under the
     * seal protocol and returns the new value.
     */
    public synchronized long bumpGeneration() {
        ensureOpen();
        long next = RegionHeader.generation(segment) + 1;
        RegionHeader.unseal(segment);
        RegionHeader.setGeneration(segment, next);
        RegionHeader.reseal(segment, headerSizeBytes);
        LOG.debug("{}: generation {}", source, next);
        return next;
    }

    /** The entry of slot {@code slotId}, if the root table has one. */
    public Optional<RootSlotEntry> rootSlot(int slotId) {
        ensureOpen();
        return RegionHeader.rootEntries(segment).stream().filter(e -> e.slotId() == slotId).findFirst();
    }

    /** Every used root-table entry, in table order. */
    public List<RootSlotEntry> rootSlots() {
        ensureOpen();
        return RegionHeader.rootEntries(segment);
    }

    /**
     * Points slot {@code slotId} at {@code lengthBytes} bytes at region offset {@code offsetBytes},
     * under the seal protocol. The slot keeps its entry if it has one, else takes the first empty
     * entry. MACHINE_MEMORY and RECORDS are fixed at creation.
     *
     * @throws IllegalArgumentException when the placement breaks a rule of {@link RegionHeaderLayout}
     * @throws IllegalStateException when the root table is full
     */
    public synchronized void setRootSlot(int slotId, long offsetBytes, long lengthBytes) {
        ensureOpen();
        requireMovable(slotId);
        RootSlotEntry entry = new RootSlotEntry(slotId, offsetBytes, lengthBytes);
        List<RootSlotEntry> others = RegionHeader.rootEntries(segment).stream()
                .filter(e -> e.slotId() != slotId).toList();
        RegionValidator.Placement problem =
                RegionValidator.placementProblem(entry, others, headerSizeBytes, sizeBytes());
        if (problem != null) {
            throw new IllegalArgumentException(source + ": cannot place slot " + RootSlot.name(slotId) + " at 0x"
                    + Long.toHexString(offsetBytes) + " (" + lengthBytes + " bytes): " + problem.field() + " "
                    + problem.text());
        }
        int index = entryIndex(slotId);
        if (index < 0) {
            index = entryIndex(0);
        }
        if (index < 0) {
            throw new IllegalStateException(source + ": the root table is full ("
                    + RegionHeader.rootSlotCapacity(segment) + " entries); cannot add slot " + RootSlot.name(slotId));
        }
        RegionHeader.unseal(segment);
        RegionHeader.writeRootEntry(segment, index, entry);
        RegionHeader.reseal(segment, headerSizeBytes);
    }

    /** Removes slot {@code slotId} from the root table, under the seal protocol; no-op if absent. */
    public synchronized void clearRootSlot(int slotId) {
        ensureOpen();
        requireMovable(slotId);
        int index = entryIndex(slotId);
        if (index >= 0) {
            RegionHeader.unseal(segment);
            RegionHeader.writeRootEntry(segment, index, null);
            RegionHeader.reseal(segment, headerSizeBytes);
        }
    }

    /** Releases the memory if this instance owns it (the file, if any, stays). Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (arena != null) {
                arena.close();
            }
            LOG.debug("closed {}", source);
        }
    }

    private int entryIndex(int slotId) {
        long capacity = RegionHeader.rootSlotCapacity(segment);
        for (int i = 0; i < capacity; i++) {
            RootSlotEntry entry = RegionHeader.readRootEntry(segment, i);
            if ((entry == null ? 0 : entry.slotId()) == slotId) {
                return i;
            }
        }
        return -1;
    }

    private static void requireMovable(int slotId) {
        if (slotId == 0) {
            throw new IllegalArgumentException("slot id 0 marks an empty root-table entry");
        }
        if (slotId == RootSlot.MACHINE_MEMORY || slotId == RootSlot.RECORDS) {
            throw new IllegalArgumentException("slot " + RootSlot.name(slotId)
                    + " is fixed when the region is created");
        }
    }

    private MemorySegment sliceOf(int slotId) {
        RootSlotEntry entry = rootSlot(slotId).orElseThrow(
                () -> new IllegalStateException(source + ": no slot " + RootSlot.name(slotId)));
        return segment.asSlice(entry.offsetBytes(), entry.lengthBytes());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(source + " is closed");
        }
    }

    private static String describe(Path file) {
        return file == null ? ANONYMOUS : "region file " + file;
    }
}
