package dev.rehype.region.layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The little-endian value layouts every preserved record uses, and small accessors over a
 * segment. One place so that every layout class reads and writes the same way.
 */
public final class Fields {
    private Fields() {
    }

    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;

    public static int u32(MemorySegment s, long offset) {
        return s.get(U32, offset);
    }

    public static void u32(MemorySegment s, long offset, int value) {
        s.set(U32, offset, value);
    }

    public static long u64(MemorySegment s, long offset) {
        return s.get(U64, offset);
    }

    public static void u64(MemorySegment s, long offset, long value) {
        s.set(U64, offset, value);
    }

    public static int u16(MemorySegment s, long offset) {
        return s.get(U16, offset) & 0xffff;
    }

    public static void u16(MemorySegment s, long offset, int value) {
        s.set(U16, offset, (short) value);
    }

    public static int u8(MemorySegment s, long offset) {
        return s.get(U8, offset) & 0xff;
    }

    public static void u8(MemorySegment s, long offset, int value) {
        s.set(U8, offset, (byte) value);
    }
}
