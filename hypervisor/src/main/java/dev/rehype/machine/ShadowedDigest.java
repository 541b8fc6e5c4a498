package dev.rehype.machine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;

/**
 * The digest of a segment whose writers are not all known (the core's preserved tables: the core
 * writes them directly, resets and recoveries copy them back, the fault injector flips their
 * bits), kept by comparing instead of by tracking: a shadow copy of the segment as last hashed
 * and a digest per chunk. A hash compares the segment with the shadow (memory speed) and digests
 * again only the chunks that differ, so it costs a compare of the whole segment plus SHA over
 * what changed.
 *
 * <pre>
 *   chunk digest  = SHA-256(the chunk's {@value #CHUNK_BYTES} bytes; the last chunk may be shorter)
 *   fed to the state hash: the tag, size in bytes (long), {@value #CHUNK_BYTES} (int), then the
 *                   chunk digests in order (as one length-prefixed byte string)
 * </pre>
 * The shadow is taken at the first hash (a copy of the segment on the heap). Not thread-safe.
 */
public final class ShadowedDigest {
    /** Bytes per chunk. */
    public static final int CHUNK_BYTES = 4096;
    private static final int DIGEST_BYTES = 32;

    private final MemorySegment live;
    private final long sizeBytes;
    private final int chunks;
    private final MessageDigest sha = FrameDigests.sha256();
    /** The segment's bytes at the last hash, or null before the first. */
    private byte[] shadow;
    private MemorySegment shadowSegment;
    private byte[] chunkDigests;
    private int lastRedigestedChunks;

    /** A digest of {@code live}, at most 2 GiB. */
    public ShadowedDigest(MemorySegment live) {
        if (live.byteSize() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a shadowed digest keeps a heap copy: at most 2 GiB, got "
                    + live.byteSize() + " bytes");
        }
        this.live = live;
        this.sizeBytes = live.byteSize();
        this.chunks = (int) ((sizeBytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
    }

    /** Feeds {@code tag} and the segment's digest into {@code h}, digesting only the chunks changed since the last hash. */
    public void hashInto(StateHasher h, String tag) {
        refresh();
        h.putTag(tag).putLong(sizeBytes).putInt(CHUNK_BYTES).putBytes(chunkDigests);
    }

    /** The same value as {@link #hashInto} for {@code segment}, from every byte, with no shadow (tests, benches). */
    public static void hashFromScratchInto(MemorySegment segment, StateHasher h, String tag) {
        new ShadowedDigest(segment).hashInto(h, tag);
    }

    /** Chunks the last {@link #hashInto} digested again (all of them the first time). */
    public int lastRedigestedChunks() {
        return lastRedigestedChunks;
    }

    private void refresh() {
        if (shadow == null) {
            shadow = new byte[(int) sizeBytes];
            shadowSegment = MemorySegment.ofArray(shadow);
            chunkDigests = new byte[chunks * DIGEST_BYTES];
            MemorySegment.copy(live, ValueLayout.JAVA_BYTE, 0, shadow, 0, shadow.length);
            for (int c = 0; c < chunks; c++) {
                digestChunk(c);
            }
            lastRedigestedChunks = chunks;
            return;
        }
        int redigested = 0;
        long at = 0;
        while (at < sizeBytes) {
            long mismatch = MemorySegment.mismatch(live, at, sizeBytes, shadowSegment, at, sizeBytes);
            if (mismatch < 0) {
                break;
            }
            int c = (int) ((at + mismatch) / CHUNK_BYTES);
            long start = (long) c * CHUNK_BYTES;
            int length = (int) Math.min(CHUNK_BYTES, sizeBytes - start);
            MemorySegment.copy(live, ValueLayout.JAVA_BYTE, start, shadow, (int) start, length);
            digestChunk(c);
            redigested++;
            at = start + length;
        }
        lastRedigestedChunks = redigested;
    }

    private void digestChunk(int c) {
        int start = c * CHUNK_BYTES;
        int length = (int) Math.min(CHUNK_BYTES, sizeBytes - start);
        sha.update(shadow, start, length);
        try {
            sha.digest(chunkDigests, c * DIGEST_BYTES, DIGEST_BYTES);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
