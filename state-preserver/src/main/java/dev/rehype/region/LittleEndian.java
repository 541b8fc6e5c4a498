package dev.rehype.region;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The value layouts every preserved structure is made of: unsigned 8/16/32/64-bit integers,
 * little endian and naturally aligned, whatever the host's byte order. The region's base is
 * frame-aligned and every layout class places its fields at offsets that are multiples of their
 * size, so aligned layouts (which also allow the atomic access modes of their var handles) can be
 * used throughout. Java has no unsigned types: readers widen with {@link Short#toUnsignedInt},
 * {@link Integer#toUnsignedLong}, or treat a negative {@code long} as "too large".
 */
public final class LittleEndian {
    /** One byte. */
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    /** 16 bits, little endian, 2-byte aligned. */
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** 32 bits, little endian, 4-byte aligned. */
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** 64 bits, little endian, 8-byte aligned. */
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    /** The 8 ASCII characters of {@code text} as the little-endian u64 that stores them in order. */
    public static long asciiWord(String text) {
        if (text.length() != 8) {
            throw new IllegalArgumentException("an ASCII word has 8 characters, got \"" + text + "\"");
        }
        long word = 0;
        for (int i = 7; i >= 0; i--) {
            char c = text.charAt(i);
            if (c > 0x7F) {
                throw new IllegalArgumentException("not ASCII: \"" + text + "\"");
            }
            word = (word << 8) | c;
        }
        return word;
    }
}
