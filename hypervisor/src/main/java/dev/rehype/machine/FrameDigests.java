package dev.rehype.machine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The digest of machine memory, kept so that hashing it again costs in proportion to the frames
 * written since the last hash, not to the memory size: what lets a campaign hash the system after
 * every injection run. {@link PhysicalMemory} owns one and tells it every frame written
 * ({@link #stale}); the machine adds the frames its harts may store to behind memory's back
 * ({@link Machine#hashInto}).
 *
 * <p>Two levels, both strong (final hashes back bit-for-bit reproducibility claims):
 * <pre>
 *   frame digest  = SHA-256(the frame's 4096 bytes), first {@value #FRAME_DIGEST_BYTES} bytes
 *   chunk digest  = SHA-256(the frame digests of {@value #CHUNK_FRAMES} consecutive frames, in order;
 *                   the last chunk may have fewer)
 *   fed to the state hash: tag "memory", size in bytes (long), {@value #CHUNK_FRAMES} (int),
 *                   then the chunk digests in order (as one length-prefixed byte string)
 * </pre>
 * A frame's digest is recomputed when it was marked stale since the last hash, a chunk's when one
 * of its frames was. Staleness is its own period, apart from the dirty frames of reset points:
 * clearing dirtiness does not make digests fresh, and a reset's copied-back frames are stale.
 * Until the first hash nothing is tracked (everything is stale); the digests then take 16 bytes
 * per frame. Not thread-safe.
 */
final class FrameDigests {
    /** Frames per chunk. */
    static final int CHUNK_FRAMES = 256;
    /** Bytes kept of each frame's SHA-256. */
    static final int FRAME_DIGEST_BYTES = 16;
    static final int CHUNK_DIGEST_BYTES = 32;

    private static final int FRAME_SIZE = PhysicalMemory.FRAME_SIZE;
    private static final MemorySegment ZERO_FRAME = MemorySegment.ofArray(new byte[FRAME_SIZE]);

    private final MemorySegment ram;
    private final long sizeBytes;
    private final int frames;
    private final int chunks;
    private final MessageDigest sha = sha256();
    private final byte[] frameBytes = new byte[FRAME_SIZE];
    private final byte[] digestOut = new byte[32];
    /** The digest of a frame of zeros (most of a fresh machine's memory). */
    private final byte[] zeroFrameDigest;

    /** True until the first hash and after {@link #markAllStale()}: nothing below is valid. */
    private boolean allStale = true;
    /** Per frame, {@link #FRAME_DIGEST_BYTES} bytes; null until the first hash. */
    private byte[] frameDigests;
    /** Per chunk, {@link #CHUNK_DIGEST_BYTES} bytes. */
    private byte[] chunkDigests;
    /** One byte per frame, non-zero when marked stale since the last hash. */
    private byte[] staleMarks;
    /** The stale frames' numbers; the first {@link #staleCount} are valid. */
    private int[] staleFrames;
    private int staleCount;
    private byte[] chunkStale;
    private int lastRedigestedFrames;

    FrameDigests(MemorySegment ram) {
        this.ram = ram;
        this.sizeBytes = ram.byteSize();
        this.frames = (int) (sizeBytes / FRAME_SIZE);
        this.chunks = (frames + CHUNK_FRAMES - 1) / CHUNK_FRAMES;
        sha.update(new byte[FRAME_SIZE]);
        this.zeroFrameDigest = java.util.Arrays.copyOf(finish(), FRAME_DIGEST_BYTES);
    }

    /** Frame {@code mfn} may have changed since the last hash. Cheap: a mark and a list entry. */
    void stale(int mfn) {
        if (allStale || staleMarks[mfn] != 0) {
            return;
        }
        staleMarks[mfn] = 1;
        staleFrames[staleCount++] = mfn;
    }

    /** Any frame may have changed (a bulk restore): the next hash digests everything. */
    void markAllStale() {
        allStale = true;
    }

    /** Frames whose digests the last {@link #hashInto} recomputed. */
    int lastRedigestedFrames() {
        return lastRedigestedFrames;
    }

    /** Brings the stale digests up to date and feeds the memory's digest into {@code h}. */
    void hashInto(StateHasher h) {
        refresh();
        h.putTag("memory").putLong(sizeBytes).putInt(CHUNK_FRAMES).putBytes(chunkDigests);
    }

    private void refresh() {
        if (frameDigests == null) {
            frameDigests = new byte[frames * FRAME_DIGEST_BYTES];
            chunkDigests = new byte[chunks * CHUNK_DIGEST_BYTES];
            staleMarks = new byte[frames];
            staleFrames = new int[frames];
            chunkStale = new byte[chunks];
        }
        if (allStale) {
            for (int mfn = 0; mfn < frames; mfn++) {
                digestFrame(mfn);
            }
            for (int c = 0; c < chunks; c++) {
                digestChunk(c);
            }
            for (int i = 0; i < staleCount; i++) {
                staleMarks[staleFrames[i]] = 0;
            }
            staleCount = 0;
            allStale = false;
            lastRedigestedFrames = frames;
            return;
        }
        for (int i = 0; i < staleCount; i++) {
            int mfn = staleFrames[i];
            staleMarks[mfn] = 0;
            digestFrame(mfn);
            chunkStale[mfn / CHUNK_FRAMES] = 1;
        }
        lastRedigestedFrames = staleCount;
        staleCount = 0;
        for (int c = 0; c < chunks; c++) {
            if (chunkStale[c] != 0) {
                chunkStale[c] = 0;
                digestChunk(c);
            }
        }
    }

    private void digestFrame(int mfn) {
        long at = (long) mfn * FRAME_SIZE;
        int to = mfn * FRAME_DIGEST_BYTES;
        if (MemorySegment.mismatch(ram, at, at + FRAME_SIZE, ZERO_FRAME, 0, FRAME_SIZE) < 0) {
            System.arraycopy(zeroFrameDigest, 0, frameDigests, to, FRAME_DIGEST_BYTES);
            return;
        }
        MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, at, frameBytes, 0, FRAME_SIZE);
        sha.update(frameBytes);
        System.arraycopy(finish(), 0, frameDigests, to, FRAME_DIGEST_BYTES);
    }

    private void digestChunk(int c) {
        int first = c * CHUNK_FRAMES;
        int count = Math.min(CHUNK_FRAMES, frames - first);
        sha.update(frameDigests, first * FRAME_DIGEST_BYTES, count * FRAME_DIGEST_BYTES);
        System.arraycopy(finish(), 0, chunkDigests, c * CHUNK_DIGEST_BYTES, CHUNK_DIGEST_BYTES);
    }

    private byte[] finish() {
        try {
            sha.digest(digestOut, 0, digestOut.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        return digestOut;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
