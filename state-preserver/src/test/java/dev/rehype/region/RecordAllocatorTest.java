package dev.rehype.region;

import static dev.rehype.region.RecordAllocatorLayout.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record allocator: allocation, freeing and reuse, exhaustion, re-attaching after the
 * hypervisor is gone (file and in-process), the audit of damaged free lists, and determinism.
 */
class RecordAllocatorTest {
    static final RecordType DOMAIN = new RecordType(1, "domain", 256);
    static final RecordType VCPU = new RecordType(2, "vcpu", 64);
    static final RecordType EVTCHN = new RecordType(3, "evtchn", 16);
    static final RecordTypeRegistry TYPES = RecordTypeRegistry.of(DOMAIN, VCPU, EVTCHN);
    static final RegionSpec SPEC = RegionSpec.of(4 * RegionSpec.FRAME_SIZE_BYTES, 64 * 1024);

    @TempDir
    Path dir;

    @Test
    void recordsAreHandedOutInAddressOrderZeroedAndReusedLastFreedFirst() throws RecordsExhaustedException {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            RecordAllocator allocator = RecordAllocator.format(region, TYPES);
            long first = allocator.allocate(VCPU);
            long second = allocator.allocate(VCPU);
            long third = allocator.allocate(VCPU);
            long slab0 = SPEC.recordsOffsetBytes() + SLABS_OFFSET;
            int perSlab = SlabLayout.recordsPerSlab(DEFAULT_SLAB_SIZE_BYTES, VCPU.sizeBytes());
            assertThat(first).isEqualTo(slab0 + SlabLayout.firstRecordOffsetBytes(perSlab));
            assertThat(second).isEqualTo(first + 64);
            assertThat(third).isEqualTo(second + 64);
            assertThat(allocator.allocatedCount(VCPU)).isEqualTo(3);

            allocator.record(VCPU, second).fill((byte) 0x5A);
            allocator.free(VCPU, second);
            allocator.free(VCPU, first);
            assertThat(allocator.allocatedCount(VCPU)).isEqualTo(1);
            assertThat(allocator.allocate(VCPU)).isEqualTo(first);
            long reused = allocator.allocate(VCPU);
            assertThat(reused).isEqualTo(second);
            assertThat(allocator.record(VCPU, reused).toArray(LittleEndian.U8)).containsOnly((byte) 0);
            assertThat(allocator.allocatedOffsets(VCPU)).containsExactly(first, second, third);
            assertThat(allocator.audit()).isEmpty();
        }
    }

    @Test
    void eachTypeGetsItsOwnSlabsAndRecordsNeverOverlap() throws RecordsExhaustedException {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            RecordAllocator allocator = RecordAllocator.format(region, TYPES);
            List<long[]> ranges = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                for (RecordType type : TYPES.types()) {
                    long offset = allocator.allocate(type);
                    ranges.add(new long[] {offset, offset + type.sizeBytes()});
                }
            }
            assertThat(allocator.slabCount(DOMAIN)).isEqualTo(3);
            assertThat(allocator.slabCount(VCPU)).isEqualTo(1);
            assertThat(allocator.slabCount(EVTCHN)).isEqualTo(1);
            assertNoOverlap(ranges);
            assertThat(allocator.audit()).isEmpty();
        }
    }

    @Test
    void freeingSomethingThatIsNotAnAllocatedRecordIsRefused() throws RecordsExhaustedException {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            RecordAllocator allocator = RecordAllocator.format(region, TYPES);
            long domain = allocator.allocate(DOMAIN);
            long vcpu = allocator.allocate(VCPU);
            allocator.free(DOMAIN, domain);
            assertThatThrownBy(() -> allocator.free(DOMAIN, domain)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("double free").hasMessageContaining("'domain'");
            assertThatThrownBy(() -> allocator.free(DOMAIN, vcpu)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("of type 2");
            assertThatThrownBy(() -> allocator.free(VCPU, vcpu + 8)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not the start of a record");
            assertThatThrownBy(() -> allocator.free(VCPU, 16)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the carved slabs");
            assertThatThrownBy(() -> allocator.record(DOMAIN, domain)).isInstanceOf(IllegalArgumentException.class);
            RecordType unknown = new RecordType(9, "unknown", 8);
            assertThatThrownBy(() -> allocator.allocate(unknown)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not registered");
            assertThat(allocator.audit()).isEmpty();
        }
    }

    @Test
    void exhaustionIsAClearErrorAndFreeingMakesRoomAgain() throws RecordsExhaustedException {
        int slab = MIN_SLAB_SIZE_BYTES;
        RegionSpec small = RegionSpec.of(RegionSpec.FRAME_SIZE_BYTES, SLABS_OFFSET + 2L * slab);
        RecordType big = new RecordType(1, "big", 64);
        try (PreservedRegion region = PreservedRegion.createAnonymous(small)) {
            RecordAllocator allocator = RecordAllocator.format(region, RecordTypeRegistry.of(big), slab);
            assertThat(allocator.slabCapacity()).isEqualTo(2);
            int perSlab = SlabLayout.recordsPerSlab(slab, 64);
            assertThat(perSlab).isEqualTo(3);
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < 2 * perSlab; i++) {
                offsets.add(allocator.allocate(big));
            }
            assertThatThrownBy(() -> allocator.allocate(big)).isInstanceOf(RecordsExhaustedException.class)
                    .hasMessage("anonymous region: cannot allocate a 'big' (type 1, 64 bytes) record: its 2 slabs are"
                            + " full (6 records allocated) and all 2 slabs of 256 bytes in the records area are in use"
                            + " (big: 2 slabs)")
                    .satisfies(e -> assertThat(((RecordsExhaustedException) e).type()).isEqualTo(big));
            allocator.free(big, offsets.get(4));
            assertThat(allocator.allocate(big)).isEqualTo(offsets.get(4));
            assertThat(allocator.audit()).isEmpty();
        }
    }

    @Test
    void theAllocatorSurvivesTheProcessThroughItsFile() throws IOException, RegionException,
            RecordsExhaustedException {
        Path file = dir.resolve("alloc.region");
        Set<Long> live = new HashSet<>();
        try (PreservedRegion region = PreservedRegion.createFile(file, SPEC)) {
            RecordAllocator allocator = RecordAllocator.format(region, TYPES);
            for (int i = 0; i < 20; i++) {
                long offset = allocator.allocate(DOMAIN);
                allocator.record(DOMAIN, offset).set(LittleEndian.U64, 0, offset);
                live.add(offset);
            }
            for (long offset : allocator.allocatedOffsets(DOMAIN)) {
                if ((offset / DOMAIN.sizeBytes()) % 3 == 0) {
                    allocator.free(DOMAIN, offset);
                    live.remove(offset);
                }
            }
        }
        try (PreservedRegion region = PreservedRegion.attach(file)) {
            region.bumpGeneration();
            RecordAllocator allocator = RecordAllocator.attach(region, TYPES);
            assertThat(allocator.audit()).isEmpty();
            assertThat(allocator.allocatedOffsets(DOMAIN))
                    .containsExactlyInAnyOrder(live.stream().mapToLong(Long::longValue).toArray());
            for (long offset : live) {
                assertThat(allocator.record(DOMAIN, offset).get(LittleEndian.U64, 0)).isEqualTo(offset);
            }
            for (int i = 0; i < 20; i++) {
                long offset = allocator.allocate(DOMAIN);
                assertThat(live.add(offset)).as("0x%x handed out twice", offset).isTrue();
            }
            assertNoOverlap(live.stream().map(o -> new long[] {o, o + DOMAIN.sizeBytes()}).toList());
            assertThat(allocator.allocatedCount(DOMAIN)).isEqualTo(live.size());
            assertThat(allocator.audit()).isEmpty();
        }
    }

    @Test
    void theAllocatorSurvivesAnInProcessReattach() throws RegionException, RecordsExhaustedException {
        try (PreservedRegion owner = PreservedRegion.createAnonymous(SPEC)) {
            RecordAllocator before = RecordAllocator.format(owner, TYPES);
            long a = before.allocate(VCPU);
            long b = before.allocate(VCPU);
            before.free(VCPU, a);

            PreservedRegion rebooted = PreservedRegion.attach(owner.segment());
            assertThat(rebooted.bumpGeneration()).isEqualTo(2);
            RecordAllocator after = RecordAllocator.attach(rebooted, TYPES);
            assertThat(after.allocatedOffsets(VCPU)).containsExactly(b);
            assertThat(after.allocate(VCPU)).isEqualTo(a);
            assertThat(after.allocate(VCPU)).isNotIn(a, b);
            assertThat(after.audit()).isEmpty();
        }
    }

    @Test
    void aNewerImageMayAddTypesButNotChangeOne() throws RegionException, RecordsExhaustedException {
        try (PreservedRegion owner = PreservedRegion.createAnonymous(SPEC)) {
            RecordAllocator.format(owner, RecordTypeRegistry.of(DOMAIN)).allocate(DOMAIN);
            RecordAllocator grown = RecordAllocator.attach(owner, TYPES);
            grown.allocate(EVTCHN);
            assertThat(grown.audit()).isEmpty();

            RecordType resized = new RecordType(DOMAIN.id(), DOMAIN.name(), 512);
            assertThatThrownBy(() -> RecordAllocator.attach(owner, RecordTypeRegistry.of(resized)))
                    .isInstanceOf(RegionVersionException.class)
                    .hasMessageContaining("allocator.typeTable[0].recordSizeBytes");
        }
    }

    @Test
    void anUnformattedRecordsAreaIsRefused() {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            long at = SPEC.recordsOffsetBytes();
            assertThatThrownBy(() -> RecordAllocator.attach(region, TYPES))
                    .isInstanceOf(DamagedRegionException.class)
                    .hasMessage("anonymous region: allocator.magic at offset 0x" + Long.toHexString(at).toUpperCase()
                            + ": is not \"RHYPALC1\": the records area holds no record allocator (never formatted,"
                            + " or formatting did not finish)");
        }
    }

    @Test
    void theAuditFindsAFreeListThatLoopsBackOnItself() throws RecordsExhaustedException {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            RecordAllocator allocator = RecordAllocator.format(region, TYPES);
            allocator.allocate(VCPU);
            long head = freeHead(region, 1);
            long second = next(region, head);
            setNext(region, second, head);
            assertThat(allocator.audit()).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(AllocatorProblem.Kind.CYCLE);
                assertThat(p.typeId()).isEqualTo(VCPU.id());
                assertThat(p.offsetBytes()).isEqualTo(head);
                assertThat(p.description()).contains("'vcpu'").contains("cycle");
            });
        }
    }

    @Test
    void theAuditFindsAPointerOutOfBoundsAndAllocationRefusesToFollowIt() throws RecordsExhaustedException {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            RecordAllocator allocator = RecordAllocator.format(region, TYPES);
            allocator.allocate(DOMAIN);
            setFreeHead(region, 0, 0x10);
            assertThat(allocator.audit()).extracting(AllocatorProblem::kind)
                    .containsExactly(AllocatorProblem.Kind.OUT_OF_BOUNDS);
            assertThatThrownBy(() -> allocator.allocate(DOMAIN)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("free list of 'domain'").hasMessageContaining("is damaged");
        }
    }

    @Test
    void theAuditFindsADoubleFree() throws RecordsExhaustedException {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            RecordAllocator allocator = RecordAllocator.format(region, TYPES);
            long record = allocator.allocate(EVTCHN);
            setNext(region, record, freeHead(region, 2));
            setFreeHead(region, 2, record);
            assertThat(allocator.audit()).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(AllocatorProblem.Kind.DOUBLE_FREE);
                assertThat(p.offsetBytes()).isEqualTo(record);
            });
        }
    }

    @Test
    void theAuditFindsPointersIntoTheWrongTypeOrMidRecordAndLostRecords() throws RecordsExhaustedException {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            RecordAllocator allocator = RecordAllocator.format(region, TYPES);
            long domain = allocator.allocate(DOMAIN);
            long vcpu = allocator.allocate(VCPU);
            long vcpuHead = freeHead(region, 1);

            setFreeHead(region, 1, domain + 256);
            assertThat(allocator.audit()).extracting(AllocatorProblem::kind)
                    .containsExactly(AllocatorProblem.Kind.WRONG_TYPE);
            setFreeHead(region, 1, vcpu + 8);
            assertThat(allocator.audit()).extracting(AllocatorProblem::kind)
                    .containsExactly(AllocatorProblem.Kind.MISALIGNED);
            setFreeHead(region, 1, next(region, vcpuHead));
            assertThat(allocator.audit()).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(AllocatorProblem.Kind.LOST_FREE_RECORD);
                assertThat(p.offsetBytes()).isEqualTo(vcpuHead);
            });
        }
    }

    @Test
    void theAuditFindsCountsThatDisagreeWithTheSlabs() throws RecordsExhaustedException {
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            RecordAllocator allocator = RecordAllocator.format(region, TYPES);
            allocator.allocate(DOMAIN);
            region.records().set(TYPE_ALLOCATED_COUNT, typeEntryOffsetBytes(0) + TYPE_ALLOCATED_COUNT_OFFSET, 5);
            assertThat(allocator.audit()).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(AllocatorProblem.Kind.COUNT_MISMATCH);
                assertThat(p.description()).contains("allocatedCount is 5 but 1");
            });
        }
    }

    @Test
    void theSameSequenceLeavesTheSameBytes() {
        byte[] first = runScript(1234);
        byte[] second = runScript(1234);
        assertThat(second).isEqualTo(first);
        assertThat(runScript(99)).isNotEqualTo(first);
    }

    /** A seeded sequence of allocations and frees of every type; the region's bytes afterwards. */
    private static byte[] runScript(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try (PreservedRegion region = PreservedRegion.createAnonymous(SPEC)) {
            RecordAllocator allocator = RecordAllocator.format(region, TYPES);
            List<long[]> live = new ArrayList<>();
            for (int step = 0; step < 2000; step++) {
                if (!live.isEmpty() && random.nextInt(3) == 0) {
                    long[] victim = live.remove(random.nextInt(live.size()));
                    allocator.free(TYPES.types().get((int) victim[0]), victim[1]);
                } else {
                    int typeIndex = random.nextInt(TYPES.types().size());
                    try {
                        long offset = allocator.allocate(TYPES.types().get(typeIndex));
                        allocator.record(TYPES.types().get(typeIndex), offset).set(LittleEndian.U64, 0, step);
                        live.add(new long[] {typeIndex, offset});
                    } catch (RecordsExhaustedException e) {
                        live.clear();
                    }
                }
            }
            assertThat(allocator.audit()).isEmpty();
            return region.segment().toArray(LittleEndian.U8);
        }
    }

    private static void assertNoOverlap(List<long[]> ranges) {
        List<long[]> sorted = new ArrayList<>(ranges);
        sorted.sort((x, y) -> Long.compare(x[0], y[0]));
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i)[0]).as("record at 0x%x overlaps the one before", sorted.get(i)[0])
                    .isGreaterThanOrEqualTo(sorted.get(i - 1)[1]);
        }
    }

    private static long freeHead(PreservedRegion region, int typeEntry) {
        return region.records().get(TYPE_FREE_HEAD, typeEntryOffsetBytes(typeEntry) + TYPE_FREE_HEAD_OFFSET);
    }

    private static void setFreeHead(PreservedRegion region, int typeEntry, long offsetBytes) {
        region.records().set(TYPE_FREE_HEAD, typeEntryOffsetBytes(typeEntry) + TYPE_FREE_HEAD_OFFSET, offsetBytes);
    }

    private static long next(PreservedRegion region, long record) {
        return region.segment().get(SlabLayout.NEXT_FREE, record);
    }

    private static void setNext(PreservedRegion region, long record, long next) {
        MemorySegment segment = region.segment();
        segment.set(SlabLayout.NEXT_FREE, record, next);
    }
}
