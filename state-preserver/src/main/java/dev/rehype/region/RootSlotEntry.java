package dev.rehype.region;

/**
 * One used entry of the root table: slot {@code slotId} names the {@code lengthBytes} bytes at
 * region offset {@code offsetBytes}. See {@link RegionHeaderLayout} for the stored form.
 */
public record RootSlotEntry(int slotId, long offsetBytes, long lengthBytes) {
    /** First region offset after the slot. */
    public long endOffsetBytes() {
        return offsetBytes + lengthBytes;
    }

    /** True when the two byte ranges share at least one byte. */
    public boolean overlaps(RootSlotEntry other) {
        return offsetBytes < other.endOffsetBytes() && other.offsetBytes < endOffsetBytes();
    }

    /** True when {@code other}'s bytes all lie inside this slot. */
    public boolean contains(RootSlotEntry other) {
        return other.offsetBytes >= offsetBytes && other.endOffsetBytes() <= endOffsetBytes();
    }

    @Override
    public String toString() {
        return RootSlot.name(slotId) + " [0x" + Long.toHexString(offsetBytes) + ", 0x"
                + Long.toHexString(endOffsetBytes()) + ")";
    }
}
