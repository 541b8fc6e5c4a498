package dev.rehype.hypervisor.core;

import dev.rehype.machine.PhysicalMemory;
import dev.rehype.region.layout.CoreHeaderLayout;
import dev.rehype.region.layout.CoreTablesLayout;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.FrameTableLayout;

/**
 * The frame table (Xen's page_info array, preserved) and the page allocator over it: a free list
 * threaded through the frame table, head and count in the core header. Frames come out zeroed
 * and owned; they go back only when no mapping refers to them.
 *
 * <p>Scrubbing is lazy: machine memory is all zero at boot (a new region), and the header's
 * zeroed-from mark says from which frame up no frame has been handed out since; such frames are
 * not zeroed again, so populating a domain of a GiB does not touch its pages. Frames below the
 * mark are zeroed when allocated.
 */
final class PageAllocator {
    private final CoreState state;
    private final PhysicalMemory memory;
    private final SpinLocks locks;

    PageAllocator(CoreState state, PhysicalMemory memory, SpinLocks locks) {
        this.state = state;
        this.memory = memory;
        this.locks = locks;
    }

    /** Puts every machine frame on the free list, lowest first; memory is all zero (boot of a new region). */
    void initAllFree() {
        int frames = memory.frames();
        for (int mfn = 0; mfn < frames; mfn++) {
            long e = state.layout.frame(mfn);
            Fields.u16(state.s, e + FrameTableLayout.OWNER, FrameTableLayout.OWNER_NONE);
            Fields.u8(state.s, e + FrameTableLayout.TYPE, FrameTableLayout.TYPE_FREE);
            Fields.u32(state.s, e + FrameTableLayout.REFCOUNT, 0);
            Fields.u32(state.s, e + FrameTableLayout.TYPECOUNT, 0);
            Fields.u32(state.s, e + FrameTableLayout.NEXT_FREE, mfn + 1 < frames ? mfn + 1 : -1);
        }
        state.header(CoreHeaderLayout.FREE_HEAD, frames > 0 ? 0 : -1);
        state.header(CoreHeaderLayout.FREE_COUNT, frames);
        state.header(CoreHeaderLayout.ZEROED_FROM, 1);
    }

    int freeCount() {
        return state.header(CoreHeaderLayout.FREE_COUNT);
    }

    /** A zeroed frame owned by {@code owner} with {@code type}, or -1 when memory is exhausted. */
    long alloc(int owner, int type, int cpu) {
        locks.acquire(CoreTablesLayout.LOCK_HEAP, cpu);
        try {
            int head = state.header(CoreHeaderLayout.FREE_HEAD);
            if (head < 0) {
                return -1;
            }
            long e = state.layout.frame(head);
            if (type(head) != FrameTableLayout.TYPE_FREE) {
                throw new HypervisorPanic("free list holds frame " + head + " of type " + type(head));
            }
            state.header(CoreHeaderLayout.FREE_HEAD, Fields.u32(state.s, e + FrameTableLayout.NEXT_FREE));
            state.header(CoreHeaderLayout.FREE_COUNT, freeCount() - 1);
            Fields.u16(state.s, e + FrameTableLayout.OWNER, owner);
            Fields.u8(state.s, e + FrameTableLayout.TYPE, type);
            Fields.u32(state.s, e + FrameTableLayout.REFCOUNT, 0);
            Fields.u32(state.s, e + FrameTableLayout.TYPECOUNT, 0);
            Fields.u32(state.s, e + FrameTableLayout.NEXT_FREE, -1);
            int mark = state.header(CoreHeaderLayout.ZEROED_FROM);
            if (mark == 0 || head < mark - 1) {
                memory.zero((long) head << PhysicalMemory.FRAME_SHIFT, PhysicalMemory.FRAME_SIZE);
            } else {
                state.header(CoreHeaderLayout.ZEROED_FROM, head + 2);
            }
            return head;
        } finally {
            locks.release(CoreTablesLayout.LOCK_HEAP, cpu);
        }
    }

    void free(long mfn, int cpu) {
        locks.acquire(CoreTablesLayout.LOCK_HEAP, cpu);
        try {
            long e = state.layout.frame(mfn);
            if (type(mfn) == FrameTableLayout.TYPE_FREE) {
                throw new HypervisorPanic("double free of frame " + mfn);
            }
            if (refcount(mfn) != 0) {
                throw new HypervisorPanic("freeing frame " + mfn + " with " + refcount(mfn) + " references");
            }
            Fields.u16(state.s, e + FrameTableLayout.OWNER, FrameTableLayout.OWNER_NONE);
            Fields.u8(state.s, e + FrameTableLayout.TYPE, FrameTableLayout.TYPE_FREE);
            Fields.u32(state.s, e + FrameTableLayout.TYPECOUNT, 0);
            Fields.u32(state.s, e + FrameTableLayout.NEXT_FREE, state.header(CoreHeaderLayout.FREE_HEAD));
            state.header(CoreHeaderLayout.FREE_HEAD, (int) mfn);
            state.header(CoreHeaderLayout.FREE_COUNT, freeCount() + 1);
        } finally {
            locks.release(CoreTablesLayout.LOCK_HEAP, cpu);
        }
    }

    int owner(long mfn) {
        return Fields.u16(state.s, state.layout.frame(mfn) + FrameTableLayout.OWNER);
    }

    int type(long mfn) {
        return Fields.u8(state.s, state.layout.frame(mfn) + FrameTableLayout.TYPE);
    }

    int refcount(long mfn) {
        return Fields.u32(state.s, state.layout.frame(mfn) + FrameTableLayout.REFCOUNT);
    }

    int typecount(long mfn) {
        return Fields.u32(state.s, state.layout.frame(mfn) + FrameTableLayout.TYPECOUNT);
    }

    int nextFree(long mfn) {
        return Fields.u32(state.s, state.layout.frame(mfn) + FrameTableLayout.NEXT_FREE);
    }

    /** Adds a mapping reference (and a writable one) to {@code mfn}. */
    void getRef(long mfn, boolean writable) {
        long e = state.layout.frame(mfn);
        Fields.u32(state.s, e + FrameTableLayout.REFCOUNT, refcount(mfn) + 1);
        if (writable) {
            Fields.u32(state.s, e + FrameTableLayout.TYPECOUNT, typecount(mfn) + 1);
        }
    }

    void putRef(long mfn, boolean writable) {
        long e = state.layout.frame(mfn);
        if (refcount(mfn) <= 0 || (writable && typecount(mfn) <= 0)) {
            throw new HypervisorPanic("reference count underflow on frame " + mfn);
        }
        Fields.u32(state.s, e + FrameTableLayout.REFCOUNT, refcount(mfn) - 1);
        if (writable) {
            Fields.u32(state.s, e + FrameTableLayout.TYPECOUNT, typecount(mfn) - 1);
        }
    }
}
