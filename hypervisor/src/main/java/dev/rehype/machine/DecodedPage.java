package dev.rehype.machine;

/**
 * The decoded-instruction cache entry of one 4 KiB machine frame: 1024 packed operation words
 * and immediates, filled lazily as instructions are first executed. Keyed by machine frame, so
 * that a guest page mapped at several addresses is decoded once; dropped by
 * {@link PhysicalMemory} on any write to the frame. Changes to the second stage do not touch
 * the entry (the frame's contents are unchanged) but flush the harts' TLBs, which is what maps
 * guest addresses onto entries.
 */
final class DecodedPage {
    static final int SLOTS = PhysicalMemory.FRAME_SIZE / 4;

    final long mfn;
    final int[] ops = new int[SLOTS];
    final int[] imms = new int[SLOTS];
    boolean valid = true;

    DecodedPage(long mfn) {
        this.mfn = mfn;
    }

    /** Decodes slot {@code index} from memory and returns its packed operation word. */
    int decode(int index, PhysicalMemory memory) {
        int insn = memory.read32((mfn << PhysicalMemory.FRAME_SHIFT) + ((long) index << 2));
        long d = Decoder.decode(insn);
        imms[index] = (int) (d >>> 32);
        ops[index] = (int) d;
        return (int) d;
    }

    void invalidate() {
        valid = false;
    }
}
