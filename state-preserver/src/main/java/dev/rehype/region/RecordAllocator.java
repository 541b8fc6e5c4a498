package dev.rehype.region;

import static dev.rehype.region.RecordAllocatorLayout.*;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Allocates fixed-size preserved records in the records area of a {@link PreservedRegion}, with
 * all of its state in the area itself (layouts: {@link RecordAllocatorLayout}, {@link SlabLayout}),
 * so that a rebooted hypervisor re-attaches and carries on where the failed one stopped.
 *
 * <p>The area is cut into equal slabs. A type with an empty free list takes the next uncarved slab
 * (slabs are carved in address order and never given back); carving threads all of the slab's
 * records onto the type's free list in address order. Allocation pops the head of the free list
 * (so a fresh slab is used lowest address first, and freed records are reused last freed, first
 * allocated), sets the record's bit in its slab's bitmap and zeroes the record; freeing pushes it
 * back. The same sequence of calls on the same area therefore leaves the same bytes. Offsets
 * handed out are region offsets: they can be stored in other records and in root slots.
 *
 * <p>Every allocation checks the free-list pointer it follows and every free checks its argument,
 * so a damaged free list is reported (an {@link IllegalStateException}) instead of handing out
 * memory twice. {@link #audit()} walks every slab and free list and lists what is inconsistent,
 * for recovery code to run after a crash. Not thread-safe: the hypervisor serialises its calls.
 */
public final class RecordAllocator {
    private final PreservedRegion region;
    private final MemorySegment area;
    private final long areaOffsetBytes;
    private final RecordTypeRegistry registry;
    private final int slabSizeBytes;
    private final long slabCapacity;

    private RecordAllocator(PreservedRegion region, RecordTypeRegistry registry) {
        this.region = region;
        this.area = region.records();
        this.areaOffsetBytes = region.rootSlot(RootSlot.RECORDS).orElseThrow().offsetBytes();
        this.registry = registry;
        this.slabSizeBytes = area.get(SLAB_SIZE, SLAB_SIZE_OFFSET);
        this.slabCapacity = Integer.toUnsignedLong(area.get(SLAB_CAPACITY, SLAB_CAPACITY_OFFSET));
    }

    /**
     * Erases the records area of {@code region} and lays a fresh allocator over it that knows the
     * types of {@code registry}, in registry order, with slabs of {@code slabSizeBytes}.
     */
    public static RecordAllocator format(PreservedRegion region, RecordTypeRegistry registry, int slabSizeBytes) {
        if (Integer.bitCount(slabSizeBytes) != 1 || slabSizeBytes < MIN_SLAB_SIZE_BYTES
                || slabSizeBytes > MAX_SLAB_SIZE_BYTES) {
            throw new IllegalArgumentException("slabSizeBytes must be a power of two in [" + MIN_SLAB_SIZE_BYTES + ", "
                    + MAX_SLAB_SIZE_BYTES + "], got " + slabSizeBytes);
        }
        MemorySegment area = region.records();
        long capacity = slabCapacityFor(area.byteSize(), slabSizeBytes);
        if (capacity == 0) {
            throw new IllegalArgumentException(region.source() + ": the records area (" + area.byteSize()
                    + " bytes) has no room for one " + slabSizeBytes + "-byte slab after the allocator's "
                    + SLABS_OFFSET + "-byte header");
        }
        capacity = Math.min(capacity, 0xFFFF_FFFFL);
        for (RecordType type : registry.types()) {
            if (SlabLayout.recordsPerSlab(slabSizeBytes, type.sizeBytes()) == 0) {
                throw new IllegalArgumentException("record type " + type + " does not fit a " + slabSizeBytes
                        + "-byte slab");
            }
        }
        area.fill((byte) 0);
        area.set(LAYOUT_MAJOR_FIELD, LAYOUT_MAJOR_OFFSET, (short) LAYOUT_MAJOR);
        area.set(LAYOUT_MINOR_FIELD, LAYOUT_MINOR_OFFSET, (short) LAYOUT_MINOR);
        area.set(SLAB_SIZE, SLAB_SIZE_OFFSET, slabSizeBytes);
        area.set(SLAB_CAPACITY, SLAB_CAPACITY_OFFSET, (int) capacity);
        area.set(SLABS_CARVED, SLABS_CARVED_OFFSET, 0);
        area.set(TYPE_CAPACITY_FIELD, TYPE_CAPACITY_OFFSET, TYPE_CAPACITY);
        area.set(SLABS_OFFSET_FIELD, SLABS_OFFSET_OFFSET, SLABS_OFFSET);
        List<RecordType> types = registry.types();
        for (int i = 0; i < types.size(); i++) {
            writeTypeEntry(area, i, types.get(i), slabSizeBytes);
        }
        area.set(MAGIC, MAGIC_OFFSET, MAGIC_VALUE);
        return new RecordAllocator(region, registry);
    }

    /** {@link #format} with {@link RecordAllocatorLayout#DEFAULT_SLAB_SIZE_BYTES}-byte slabs. */
    public static RecordAllocator format(PreservedRegion region, RecordTypeRegistry registry) {
        return format(region, registry, DEFAULT_SLAB_SIZE_BYTES);
    }

    /**
     * Re-attaches to the allocator in {@code region}'s records area after checking its header and
     * type table (the free lists are {@link #audit()}'s business). Types of {@code registry} that
     * the table lacks are added to it; types in the table that the registry lacks are kept.
     *
     * @throws DamagedRegionException when the header or type table contradicts itself
     * @throws RegionVersionException when the layout version differs, or a type's record size
     *         differs from the registry's, or the type table has no room for a new type
     */
    public static RecordAllocator attach(PreservedRegion region, RecordTypeRegistry registry) throws RegionException {
        MemorySegment area = region.records();
        String source = region.source();
        long base = region.rootSlot(RootSlot.RECORDS).orElseThrow().offsetBytes();
        if (area.byteSize() < SLABS_OFFSET) {
            throw new DamagedRegionException(source, "allocator.magic", base + MAGIC_OFFSET, "the records area is "
                    + area.byteSize() + " bytes, too small for the " + SLABS_OFFSET + "-byte allocator header");
        }
        if (area.get(MAGIC, MAGIC_OFFSET) != MAGIC_VALUE) {
            throw new DamagedRegionException(source, "allocator.magic", base + MAGIC_OFFSET, "is not \"" + MAGIC_TEXT
                    + "\": the records area holds no record allocator (never formatted, or formatting did not finish)");
        }
        int major = Short.toUnsignedInt(area.get(LAYOUT_MAJOR_FIELD, LAYOUT_MAJOR_OFFSET));
        if (major != LAYOUT_MAJOR) {
            throw new RegionVersionException(source, "allocator.layoutMajor", base + LAYOUT_MAJOR_OFFSET, "is " + major
                    + "; this code reads allocator layout " + LAYOUT_MAJOR + ".x only");
        }
        int slabSizeBytes = area.get(SLAB_SIZE, SLAB_SIZE_OFFSET);
        if (Integer.bitCount(slabSizeBytes) != 1 || slabSizeBytes < MIN_SLAB_SIZE_BYTES
                || slabSizeBytes > MAX_SLAB_SIZE_BYTES) {
            throw new DamagedRegionException(source, "allocator.slabSizeBytes", base + SLAB_SIZE_OFFSET, "is "
                    + Integer.toUnsignedString(slabSizeBytes) + ", not a power of two in [" + MIN_SLAB_SIZE_BYTES
                    + ", " + MAX_SLAB_SIZE_BYTES + "]");
        }
        long slabsOffset = area.get(SLABS_OFFSET_FIELD, SLABS_OFFSET_OFFSET);
        if (slabsOffset != SLABS_OFFSET) {
            throw new DamagedRegionException(source, "allocator.slabsOffsetBytes", base + SLABS_OFFSET_OFFSET, "is 0x"
                    + Long.toHexString(slabsOffset) + ", expected 0x" + Integer.toHexString(SLABS_OFFSET));
        }
        int typeCapacity = area.get(TYPE_CAPACITY_FIELD, TYPE_CAPACITY_OFFSET);
        if (typeCapacity != TYPE_CAPACITY) {
            throw new DamagedRegionException(source, "allocator.typeCapacity", base + TYPE_CAPACITY_OFFSET, "is "
                    + Integer.toUnsignedString(typeCapacity) + ", expected " + TYPE_CAPACITY);
        }
        long capacity = Integer.toUnsignedLong(area.get(SLAB_CAPACITY, SLAB_CAPACITY_OFFSET));
        long expectedCapacity = Math.min(slabCapacityFor(area.byteSize(), slabSizeBytes), 0xFFFF_FFFFL);
        if (capacity != expectedCapacity) {
            throw new DamagedRegionException(source, "allocator.slabCapacity", base + SLAB_CAPACITY_OFFSET, "is "
                    + capacity + " but " + expectedCapacity + " slabs of " + slabSizeBytes + " bytes fit the "
                    + area.byteSize() + "-byte records area");
        }
        long carved = Integer.toUnsignedLong(area.get(SLABS_CARVED, SLABS_CARVED_OFFSET));
        if (carved > capacity) {
            throw new DamagedRegionException(source, "allocator.slabsCarved", base + SLABS_CARVED_OFFSET, "is "
                    + carved + ", more than the " + capacity + " slabs the area holds");
        }
        List<Integer> storedIds = new ArrayList<>();
        for (int i = 0; i < TYPE_CAPACITY; i++) {
            long entry = typeEntryOffsetBytes(i);
            int id = area.get(TYPE_ID, entry + TYPE_ID_OFFSET);
            if (id == 0) {
                continue;
            }
            String field = "allocator.typeTable[" + i + "].";
            if (storedIds.contains(id)) {
                throw new DamagedRegionException(source, field + "typeId", base + entry + TYPE_ID_OFFSET,
                        "type " + Integer.toUnsignedString(id) + " appears twice in the type table");
            }
            storedIds.add(id);
            int size = area.get(TYPE_RECORD_SIZE, entry + TYPE_RECORD_SIZE_OFFSET);
            int perSlab = size >= 8 && size % 8 == 0 ? SlabLayout.recordsPerSlab(slabSizeBytes, size) : 0;
            if (perSlab == 0) {
                throw new DamagedRegionException(source, field + "recordSizeBytes",
                        base + entry + TYPE_RECORD_SIZE_OFFSET, "is " + Integer.toUnsignedString(size)
                                + ": not a positive multiple of 8 that fits a " + slabSizeBytes + "-byte slab");
            }
            if (area.get(TYPE_RECORDS_PER_SLAB, entry + TYPE_RECORDS_PER_SLAB_OFFSET) != perSlab
                    || area.get(TYPE_FIRST_RECORD, entry + TYPE_FIRST_RECORD_OFFSET)
                            != SlabLayout.firstRecordOffsetBytes(perSlab)) {
                throw new DamagedRegionException(source, field + "recordsPerSlab",
                        base + entry + TYPE_RECORDS_PER_SLAB_OFFSET, "disagrees with the slab geometry of "
                                + size + "-byte records in " + slabSizeBytes + "-byte slabs (" + perSlab
                                + " records from slab offset " + SlabLayout.firstRecordOffsetBytes(perSlab) + ")");
            }
            RecordType known = registry.byId(id).orElse(null);
            if (known != null && known.sizeBytes() != size) {
                throw new RegionVersionException(source, field + "recordSizeBytes",
                        base + entry + TYPE_RECORD_SIZE_OFFSET, "record type " + known + " is " + size
                                + " bytes in the region; the region was written by code with another record layout");
            }
        }
        for (RecordType type : registry.types()) {
            if (!storedIds.contains(type.id())) {
                int free = firstEmptyTypeEntry(area);
                if (free < 0) {
                    throw new RegionVersionException(source, "allocator.typeTable", base + TYPE_TABLE_OFFSET,
                            "is full (" + TYPE_CAPACITY + " types); cannot add record type " + type);
                }
                writeTypeEntry(area, free, type, slabSizeBytes);
                storedIds.add(type.id());
            }
        }
        return new RecordAllocator(region, registry);
    }

    /** The types this allocator serves. */
    public RecordTypeRegistry registry() {
        return registry;
    }

    public int slabSizeBytes() {
        return slabSizeBytes;
    }

    /** Slabs the records area holds. */
    public long slabCapacity() {
        return slabCapacity;
    }

    /** Slabs carved so far (they stay with their type). */
    public long slabsCarved() {
        return Integer.toUnsignedLong(area.get(SLABS_CARVED, SLABS_CARVED_OFFSET));
    }

    /** Records of {@code type} now allocated. */
    public long allocatedCount(RecordType type) {
        return Integer.toUnsignedLong(area.get(TYPE_ALLOCATED_COUNT, entryOf(type) + TYPE_ALLOCATED_COUNT_OFFSET));
    }

    /** Slabs carved for {@code type}. */
    public long slabCount(RecordType type) {
        return Integer.toUnsignedLong(area.get(TYPE_SLAB_COUNT, entryOf(type) + TYPE_SLAB_COUNT_OFFSET));
    }

    /**
     * Allocates one zeroed record of {@code type} and returns its region offset.
     *
     * @throws RecordsExhaustedException when the type's free list is empty and no slab is left
     * @throws IllegalStateException when the free list is damaged (see {@link #audit()})
     */
    public long allocate(RecordType type) throws RecordsExhaustedException {
        long entry = entryOf(type);
        long head = area.get(TYPE_FREE_HEAD, entry + TYPE_FREE_HEAD_OFFSET);
        if (head == 0) {
            carveSlab(type, entry);
            head = area.get(TYPE_FREE_HEAD, entry + TYPE_FREE_HEAD_OFFSET);
        }
        Location at = locate(type.id(), geometry(type), head);
        if (at.problem() != null) {
            throw new IllegalStateException(region.source() + ": the free list of " + type + " is damaged: its head "
                    + at.text() + "; run audit()");
        }
        if (isAllocated(at)) {
            throw new IllegalStateException(region.source() + ": the free list of " + type
                    + " is damaged: its head, record 0x" + Long.toHexString(head)
                    + ", is already allocated; run audit()");
        }
        long local = head - areaOffsetBytes;
        long next = area.get(SlabLayout.NEXT_FREE, local + SlabLayout.NEXT_FREE_OFFSET);
        setAllocatedBit(at, true);
        area.set(TYPE_FREE_HEAD, entry + TYPE_FREE_HEAD_OFFSET, next);
        addToCount(entry + TYPE_ALLOCATED_COUNT_OFFSET, 1);
        area.asSlice(local, type.sizeBytes()).fill((byte) 0);
        return head;
    }

    /**
     * Frees the record of {@code type} at region offset {@code offsetBytes}.
     *
     * @throws IllegalArgumentException when no record of {@code type} starts there
     * @throws IllegalStateException when the record is not allocated (a double free)
     */
    public void free(RecordType type, long offsetBytes) {
        long entry = entryOf(type);
        Location at = locate(type.id(), geometry(type), offsetBytes);
        if (at.problem() != null) {
            throw new IllegalArgumentException(region.source() + ": cannot free " + type + " at 0x"
                    + Long.toHexString(offsetBytes) + ": the offset " + at.text());
        }
        if (!isAllocated(at)) {
            throw new IllegalStateException(region.source() + ": double free of the " + type + " record at 0x"
                    + Long.toHexString(offsetBytes) + ": it is not allocated");
        }
        long head = area.get(TYPE_FREE_HEAD, entry + TYPE_FREE_HEAD_OFFSET);
        area.set(SlabLayout.NEXT_FREE, offsetBytes - areaOffsetBytes + SlabLayout.NEXT_FREE_OFFSET, head);
        setAllocatedBit(at, false);
        area.set(TYPE_FREE_HEAD, entry + TYPE_FREE_HEAD_OFFSET, offsetBytes);
        addToCount(entry + TYPE_ALLOCATED_COUNT_OFFSET, -1);
    }

    /**
     * The bytes of the allocated record of {@code type} at region offset {@code offsetBytes}.
     *
     * @throws IllegalArgumentException when no allocated record of {@code type} starts there
     */
    public MemorySegment record(RecordType type, long offsetBytes) {
        Location at = locate(type.id(), geometry(type), offsetBytes);
        if (at.problem() != null || !isAllocated(at)) {
            throw new IllegalArgumentException(region.source() + ": no allocated " + type + " record at 0x"
                    + Long.toHexString(offsetBytes) + (at.problem() != null ? ": the offset " + at.text() : ""));
        }
        return region.segment().asSlice(offsetBytes, type.sizeBytes());
    }

    /** Region offsets of the allocated records of {@code type}, in address order. */
    public long[] allocatedOffsets(RecordType type) {
        Geometry g = geometry(type);
        long carved = slabsCarved();
        List<Long> offsets = new ArrayList<>();
        for (long s = 0; s < carved; s++) {
            long slab = SLABS_OFFSET + s * slabSizeBytes;
            if (area.get(SlabLayout.TYPE_ID, slab + SlabLayout.TYPE_ID_OFFSET) != type.id()) {
                continue;
            }
            for (int i = 0; i < g.recordsPerSlab(); i++) {
                if (bit(slab, i)) {
                    offsets.add(areaOffsetBytes + slab + g.firstRecordOffsetBytes() + (long) i * g.recordSizeBytes());
                }
            }
        }
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Walks the allocator header, every carved slab and every type's free list, and returns what is
     * inconsistent (an empty list when nothing is), in a fixed order: header, slabs in address
     * order, then each type in type-table order. Reads only; never throws on damaged state. A free
     * list is followed until its end or its first bad pointer; records that are neither allocated
     * nor on their free list are reported only when the walk reached the end.
     */
    public List<AllocatorProblem> audit() {
        List<AllocatorProblem> problems = new ArrayList<>();
        if (area.get(MAGIC, MAGIC_OFFSET) != MAGIC_VALUE) {
            problems.add(new AllocatorProblem(AllocatorProblem.Kind.HEADER, 0, areaOffsetBytes,
                    "the allocator magic at 0x" + Long.toHexString(areaOffsetBytes) + " is gone"));
            return problems;
        }
        long carved = slabsCarved();
        if (carved > slabCapacity) {
            problems.add(new AllocatorProblem(AllocatorProblem.Kind.HEADER, 0, areaOffsetBytes + SLABS_CARVED_OFFSET,
                    "slabsCarved is " + carved + ", more than the " + slabCapacity + " slabs the area holds"));
            carved = slabCapacity;
        }
        List<Geometry> types = new ArrayList<>();
        for (int i = 0; i < TYPE_CAPACITY; i++) {
            long entry = typeEntryOffsetBytes(i);
            int id = area.get(TYPE_ID, entry + TYPE_ID_OFFSET);
            if (id == 0) {
                continue;
            }
            int size = area.get(TYPE_RECORD_SIZE, entry + TYPE_RECORD_SIZE_OFFSET);
            int perSlab = size >= 8 && size % 8 == 0 ? SlabLayout.recordsPerSlab(slabSizeBytes, size) : 0;
            boolean duplicate = types.stream().anyMatch(t -> t.typeId() == id);
            if (perSlab == 0 || duplicate
                    || area.get(TYPE_RECORDS_PER_SLAB, entry + TYPE_RECORDS_PER_SLAB_OFFSET) != perSlab
                    || area.get(TYPE_FIRST_RECORD, entry + TYPE_FIRST_RECORD_OFFSET)
                            != SlabLayout.firstRecordOffsetBytes(perSlab)) {
                problems.add(new AllocatorProblem(AllocatorProblem.Kind.HEADER, id, areaOffsetBytes + entry,
                        "type-table entry " + i + " (type " + Integer.toUnsignedString(id) + ") is "
                                + (duplicate ? "a duplicate" : "inconsistent: " + Integer.toUnsignedString(size)
                                        + "-byte records in " + slabSizeBytes + "-byte slabs")));
                continue;
            }
            types.add(new Geometry(id, entry, size, perSlab, SlabLayout.firstRecordOffsetBytes(perSlab)));
        }
        int[] slabType = new int[(int) carved];
        for (int s = 0; s < carved; s++) {
            long slab = SLABS_OFFSET + (long) s * slabSizeBytes;
            int id = area.get(SlabLayout.TYPE_ID, slab + SlabLayout.TYPE_ID_OFFSET);
            int index = area.get(SlabLayout.SLAB_INDEX, slab + SlabLayout.SLAB_INDEX_OFFSET);
            slabType[s] = id;
            if (index != s) {
                problems.add(new AllocatorProblem(AllocatorProblem.Kind.SLAB_HEADER, id, areaOffsetBytes + slab,
                        "slab " + s + " at 0x" + Long.toHexString(areaOffsetBytes + slab) + " says it is slab "
                                + Integer.toUnsignedString(index)));
            }
            Geometry g = types.stream().filter(t -> t.typeId() == id).findFirst().orElse(null);
            if (g == null) {
                problems.add(new AllocatorProblem(AllocatorProblem.Kind.SLAB_HEADER, id, areaOffsetBytes + slab,
                        "slab " + s + " at 0x" + Long.toHexString(areaOffsetBytes + slab) + " belongs to type "
                                + Integer.toUnsignedString(id) + ", which the type table does not hold"));
            } else if (strayBits(slab, g.recordsPerSlab())) {
                problems.add(new AllocatorProblem(AllocatorProblem.Kind.SLAB_HEADER, id, areaOffsetBytes + slab,
                        "slab " + s + " at 0x" + Long.toHexString(areaOffsetBytes + slab)
                                + " has allocation bits set past its last record"));
            }
        }
        for (Geometry g : types) {
            auditType(g, slabType, problems);
        }
        return problems;
    }

    private void auditType(Geometry g, int[] slabType, List<AllocatorProblem> problems) {
        String name = registry.byId(g.typeId()).map(RecordType::toString)
                .orElse("type " + Integer.toUnsignedString(g.typeId()));
        long slabs = 0;
        long allocated = 0;
        for (int s = 0; s < slabType.length; s++) {
            if (slabType[s] == g.typeId()) {
                slabs++;
                long slab = SLABS_OFFSET + (long) s * slabSizeBytes;
                for (int i = 0; i < g.recordsPerSlab(); i++) {
                    allocated += bit(slab, i) ? 1 : 0;
                }
            }
        }
        long storedSlabs = Integer.toUnsignedLong(
                area.get(TYPE_SLAB_COUNT, g.entryOffsetBytes() + TYPE_SLAB_COUNT_OFFSET));
        if (storedSlabs != slabs) {
            problems.add(new AllocatorProblem(AllocatorProblem.Kind.COUNT_MISMATCH, g.typeId(),
                    areaOffsetBytes + g.entryOffsetBytes() + TYPE_SLAB_COUNT_OFFSET,
                    name + ": slabCount is " + storedSlabs + " but " + slabs + " slabs belong to it"));
        }
        long storedAllocated = Integer.toUnsignedLong(
                area.get(TYPE_ALLOCATED_COUNT, g.entryOffsetBytes() + TYPE_ALLOCATED_COUNT_OFFSET));
        if (storedAllocated != allocated) {
            problems.add(new AllocatorProblem(AllocatorProblem.Kind.COUNT_MISMATCH, g.typeId(),
                    areaOffsetBytes + g.entryOffsetBytes() + TYPE_ALLOCATED_COUNT_OFFSET, name + ": allocatedCount is "
                            + storedAllocated + " but " + allocated + " records are marked allocated"));
        }
        BitSet onFreeList = new BitSet();
        long pointer = area.get(TYPE_FREE_HEAD, g.entryOffsetBytes() + TYPE_FREE_HEAD_OFFSET);
        String from = "the head of the free list";
        boolean reachedEnd = false;
        while (true) {
            if (pointer == 0) {
                reachedEnd = true;
                break;
            }
            Location at = locate(g.typeId(), g, pointer, slabType);
            if (at.problem() != null) {
                problems.add(new AllocatorProblem(at.problem(), g.typeId(), pointer,
                        name + ": " + from + " " + at.text()));
                break;
            }
            int key = at.slab() * g.recordsPerSlab() + at.index();
            if (onFreeList.get(key)) {
                problems.add(new AllocatorProblem(AllocatorProblem.Kind.CYCLE, g.typeId(), pointer, name + ": "
                        + from + " leads back to record 0x" + Long.toHexString(pointer)
                        + ", already on the list: the free list is a cycle"));
                break;
            }
            onFreeList.set(key);
            if (isAllocated(at)) {
                problems.add(new AllocatorProblem(AllocatorProblem.Kind.DOUBLE_FREE, g.typeId(), pointer, name
                        + ": record 0x" + Long.toHexString(pointer) + " is on the free list but marked allocated"
                        + " (freed twice, or an allocation or free did not finish)"));
                break;
            }
            from = "the next pointer of free record 0x" + Long.toHexString(pointer);
            pointer = area.get(SlabLayout.NEXT_FREE, pointer - areaOffsetBytes + SlabLayout.NEXT_FREE_OFFSET);
        }
        if (!reachedEnd) {
            return;
        }
        for (int s = 0; s < slabType.length; s++) {
            if (slabType[s] != g.typeId()) {
                continue;
            }
            long slab = SLABS_OFFSET + (long) s * slabSizeBytes;
            for (int i = 0; i < g.recordsPerSlab(); i++) {
                if (!bit(slab, i) && !onFreeList.get(s * g.recordsPerSlab() + i)) {
                    long lost = areaOffsetBytes + slab + g.firstRecordOffsetBytes() + (long) i * g.recordSizeBytes();
                    problems.add(new AllocatorProblem(AllocatorProblem.Kind.LOST_FREE_RECORD, g.typeId(), lost,
                            name + ": record 0x" + Long.toHexString(lost)
                                    + " is neither allocated nor on the free list"));
                }
            }
        }
    }

    private void carveSlab(RecordType type, long entry) throws RecordsExhaustedException {
        long carved = slabsCarved();
        if (carved >= slabCapacity) {
            throw new RecordsExhaustedException(type, region.source() + ": cannot allocate a " + type + " record: its "
                    + slabCount(type) + " slabs are full (" + allocatedCount(type) + " records allocated) and all "
                    + slabCapacity + " slabs of " + slabSizeBytes + " bytes in the records area are in use ("
                    + slabUsage() + ")");
        }
        Geometry g = geometry(type);
        long slab = SLABS_OFFSET + carved * slabSizeBytes;
        area.asSlice(slab, slabSizeBytes).fill((byte) 0);
        area.set(SlabLayout.TYPE_ID, slab + SlabLayout.TYPE_ID_OFFSET, type.id());
        area.set(SlabLayout.SLAB_INDEX, slab + SlabLayout.SLAB_INDEX_OFFSET, (int) carved);
        long first = areaOffsetBytes + slab + g.firstRecordOffsetBytes();
        for (int i = 0; i < g.recordsPerSlab(); i++) {
            long record = first + (long) i * g.recordSizeBytes();
            long next = i + 1 < g.recordsPerSlab() ? record + g.recordSizeBytes() : 0;
            area.set(SlabLayout.NEXT_FREE, record - areaOffsetBytes + SlabLayout.NEXT_FREE_OFFSET, next);
        }
        area.set(SLABS_CARVED, SLABS_CARVED_OFFSET, (int) (carved + 1));
        addToCount(entry + TYPE_SLAB_COUNT_OFFSET, 1);
        area.set(TYPE_FREE_HEAD, entry + TYPE_FREE_HEAD_OFFSET, first);
    }

    private String slabUsage() {
        StringBuilder usage = new StringBuilder();
        for (RecordType t : registry.types()) {
            usage.append(usage.isEmpty() ? "" : ", ").append(t.name()).append(": ").append(slabCount(t))
                    .append(" slabs");
        }
        return usage.toString();
    }

    /** Where a pointer lands: slab and record index, or what is wrong with it. */
    private record Location(AllocatorProblem.Kind problem, String text, int slab, int index) {
        static Location bad(AllocatorProblem.Kind problem, String text) {
            return new Location(problem, text, -1, -1);
        }
    }

    /** Slab geometry of one type, as the type table holds it. */
    private record Geometry(int typeId, long entryOffsetBytes, int recordSizeBytes, int recordsPerSlab,
            int firstRecordOffsetBytes) {
    }

    private Location locate(int typeId, Geometry g, long offsetBytes) {
        return locate(typeId, g, offsetBytes, null);
    }

    /** Where region offset {@code offsetBytes} lands among the carved slabs of type {@code typeId}. */
    private Location locate(int typeId, Geometry g, long offsetBytes, int[] slabTypes) {
        long carved = slabTypes != null ? slabTypes.length : Math.min(slabsCarved(), slabCapacity);
        long slabsStart = areaOffsetBytes + SLABS_OFFSET;
        long slabsEnd = slabsStart + carved * slabSizeBytes;
        if (offsetBytes < slabsStart || offsetBytes >= slabsEnd) {
            return Location.bad(AllocatorProblem.Kind.OUT_OF_BOUNDS, "points to 0x" + Long.toHexString(offsetBytes)
                    + ", outside the carved slabs [0x" + Long.toHexString(slabsStart) + ", 0x"
                    + Long.toHexString(slabsEnd) + ")");
        }
        int slab = (int) ((offsetBytes - slabsStart) / slabSizeBytes);
        long inSlab = (offsetBytes - slabsStart) % slabSizeBytes;
        int slabTypeId = slabTypes != null ? slabTypes[slab]
                : area.get(SlabLayout.TYPE_ID, SLABS_OFFSET + (long) slab * slabSizeBytes + SlabLayout.TYPE_ID_OFFSET);
        if (slabTypeId != typeId) {
            return Location.bad(AllocatorProblem.Kind.WRONG_TYPE, "points to 0x" + Long.toHexString(offsetBytes)
                    + ", in slab " + slab + " of type " + Integer.toUnsignedString(slabTypeId));
        }
        long fromFirst = inSlab - g.firstRecordOffsetBytes();
        if (fromFirst < 0 || fromFirst % g.recordSizeBytes() != 0
                || fromFirst / g.recordSizeBytes() >= g.recordsPerSlab()) {
            return Location.bad(AllocatorProblem.Kind.MISALIGNED, "points to 0x" + Long.toHexString(offsetBytes)
                    + ", not the start of a record in slab " + slab);
        }
        return new Location(null, null, slab, (int) (fromFirst / g.recordSizeBytes()));
    }

    private boolean isAllocated(Location at) {
        return bit(SLABS_OFFSET + (long) at.slab() * slabSizeBytes, at.index());
    }

    private boolean bit(long slab, int index) {
        long word = area.get(SlabLayout.ALLOCATED_BITS_WORD,
                slab + SlabLayout.ALLOCATED_BITS_OFFSET + 8L * (index / 64));
        return (word & (1L << (index % 64))) != 0;
    }

    private void setAllocatedBit(Location at, boolean allocated) {
        long address = SLABS_OFFSET + (long) at.slab() * slabSizeBytes + SlabLayout.ALLOCATED_BITS_OFFSET
                + 8L * (at.index() / 64);
        long mask = 1L << (at.index() % 64);
        long word = area.get(SlabLayout.ALLOCATED_BITS_WORD, address);
        area.set(SlabLayout.ALLOCATED_BITS_WORD, address, allocated ? word | mask : word & ~mask);
    }

    /** True when bits past record {@code recordsPerSlab - 1} are set in the slab's last bitmap word. */
    private boolean strayBits(long slab, int recordsPerSlab) {
        int words = SlabLayout.bitmapWords(recordsPerSlab);
        int used = recordsPerSlab - 64 * (words - 1);
        if (used == 64) {
            return false;
        }
        long last = area.get(SlabLayout.ALLOCATED_BITS_WORD,
                slab + SlabLayout.ALLOCATED_BITS_OFFSET + 8L * (words - 1));
        return (last >>> used) != 0;
    }

    private void addToCount(long offset, int delta) {
        area.set(LittleEndian.U32, offset, area.get(LittleEndian.U32, offset) + delta);
    }

    private Geometry geometry(RecordType type) {
        int perSlab = SlabLayout.recordsPerSlab(slabSizeBytes, type.sizeBytes());
        return new Geometry(type.id(), entryOf(type), type.sizeBytes(), perSlab,
                SlabLayout.firstRecordOffsetBytes(perSlab));
    }

    /** Area offset of {@code type}'s type-table entry. */
    private long entryOf(RecordType type) {
        if (!registry.contains(type)) {
            throw new IllegalArgumentException("record type " + type + " is not registered with this allocator");
        }
        for (int i = 0; i < TYPE_CAPACITY; i++) {
            long entry = typeEntryOffsetBytes(i);
            if (area.get(TYPE_ID, entry + TYPE_ID_OFFSET) == type.id()) {
                return entry;
            }
        }
        throw new IllegalStateException(region.source() + ": record type " + type + " has no type-table entry");
    }

    private static int firstEmptyTypeEntry(MemorySegment area) {
        for (int i = 0; i < TYPE_CAPACITY; i++) {
            if (area.get(TYPE_ID, typeEntryOffsetBytes(i) + TYPE_ID_OFFSET) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Writes a type-table entry with an empty free list; the id last, so a torn entry stays empty. */
    private static void writeTypeEntry(MemorySegment area, int index, RecordType type, int slabSizeBytes) {
        long entry = typeEntryOffsetBytes(index);
        int perSlab = SlabLayout.recordsPerSlab(slabSizeBytes, type.sizeBytes());
        area.set(TYPE_RECORD_SIZE, entry + TYPE_RECORD_SIZE_OFFSET, type.sizeBytes());
        area.set(TYPE_RECORDS_PER_SLAB, entry + TYPE_RECORDS_PER_SLAB_OFFSET, perSlab);
        area.set(TYPE_FIRST_RECORD, entry + TYPE_FIRST_RECORD_OFFSET, SlabLayout.firstRecordOffsetBytes(perSlab));
        area.set(TYPE_FREE_HEAD, entry + TYPE_FREE_HEAD_OFFSET, 0L);
        area.set(TYPE_ALLOCATED_COUNT, entry + TYPE_ALLOCATED_COUNT_OFFSET, 0);
        area.set(TYPE_SLAB_COUNT, entry + TYPE_SLAB_COUNT_OFFSET, 0);
        area.set(TYPE_ID, entry + TYPE_ID_OFFSET, type.id());
    }
}
