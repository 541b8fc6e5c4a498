/**
 * The preserved region: the off-heap memory that outlives a hypervisor instance, so that a
 * microrebooted hypervisor (ReHype) can re-attach to every VM's state and carry on.
 *
 * <p>{@link dev.rehype.region.PreservedRegion} owns the memory and its header (magic, format
 * version, generation, root table, checksum, sealed word; see
 * {@link dev.rehype.region.RegionHeaderLayout}); attaching checks everything and refuses a bad
 * region with a {@link dev.rehype.region.RegionException}. Machine memory (the guests' frames)
 * and the records area are slices of the region; {@link dev.rehype.region.RecordAllocator} hands
 * out fixed-size preserved records in the records area and keeps all of its own state there.
 * All multi-byte values are little endian ({@link dev.rehype.region.LittleEndian}).
 */
package dev.rehype.region;
