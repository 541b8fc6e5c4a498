package dev.rehype.machine;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Accumulates a SHA-256 over the state of the machine (harts, memory, devices) in a fixed order,
 * so that two runs from the same seed can be compared by one hex string. Every component feeds
 * its fields in declaration order; nothing iterates an unordered collection.
 */
public final class StateHasher {
    private final MessageDigest digest;
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    public StateHasher() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Adds a label so that fields of different components cannot alias. */
    public StateHasher putTag(String tag) {
        digest.update(tag.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update((byte) 0);
        return this;
    }

    public StateHasher putLong(long v) {
        scratch.clear();
        scratch.putLong(v);
        digest.update(scratch.array(), 0, 8);
        return this;
    }

    public StateHasher putInt(int v) {
        scratch.clear();
        scratch.putInt(v);
        digest.update(scratch.array(), 0, 4);
        return this;
    }

    public StateHasher putBoolean(boolean v) {
        digest.update((byte) (v ? 1 : 0));
        return this;
    }

    public StateHasher putBytes(byte[] bytes) {
        putInt(bytes.length);
        digest.update(bytes);
        return this;
    }

    /** Segments are fed in slices of this size (a ByteBuffer holds at most 2 GiB); the digest is the same. */
    private static final long CHUNK_BYTES = 1L << 30;

    /** Adds the contents of a memory segment (for example all of machine memory). */
    public StateHasher putSegment(MemorySegment segment) {
        putLong(segment.byteSize());
        for (long at = 0; at < segment.byteSize(); at += CHUNK_BYTES) {
            digest.update(segment.asSlice(at, Math.min(CHUNK_BYTES, segment.byteSize() - at)).asByteBuffer());
        }
        return this;
    }

    /** Finishes the digest; the hasher must not be used afterwards. */
    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
