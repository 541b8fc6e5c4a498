package dev.rehype.machine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Accumulates a SHA-256 over the state of the machine (harts, memory, devices) in a fixed order,
 * so that two runs from the same seed can be compared by one hex string. Every component feeds
 * its fields in declaration order; nothing iterates an unordered collection.
 *
 * <p>Large memory does not enter byte by byte but as digests of its parts, kept from one hash to
 * the next so that hashing again costs in proportion to what changed: machine memory as chunk
 * digests over per-frame digests ({@code FrameDigests}: SHA-256 of each 4 KiB frame cut to 16
 * bytes, SHA-256 over 256 frames' digests), the core's tables as SHA-256 per 4 KiB chunk
 * ({@link ShadowedDigest}). Still a strong hash of every byte; the hex differs from the flat
 * SHA-256 over the bytes that earlier versions fed.
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

    /** Finishes the digest; the hasher must not be used afterwards. */
    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
