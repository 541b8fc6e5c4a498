package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.FrameTableLayout;
import dev.rehype.machine.port.HartPort;

/**
 * memory_op: a domain grows and shrinks its own RAM one 4 KiB extent at a time inside its
 * guest-physical window, and asks how much it has. Fresh frames come zeroed; the shared_info
 * page cannot be given back. Each extent done is recorded as the hypercall's progress, and, as
 * in Xen, the bits of cmd above {@link #EXTENT_SHIFT} say from which extent a continued
 * operation resumes — which is how recovery continues one cut short.
 */
final class MemoryOps {
    static final int INCREASE_RESERVATION = 0;
    static final int DECREASE_RESERVATION = 1;
    static final int CURRENT_RESERVATION = 3;
    static final int MAXIMUM_RESERVATION = 4;
    static final int POPULATE_PHYSMAP = 6;
    /** As Xen's MEMOP_EXTENT_SHIFT: the bits of cmd above it say where a continued operation resumes. */
    static final int EXTENT_SHIFT = 6;
    static final int CMD_MASK = (1 << EXTENT_SHIFT) - 1;

    private final Hypervisor hv;

    MemoryOps(Hypervisor hv) {
        this.hv = hv;
    }

    int op(int cpu, int vid, HartPort hart, Hypercall.MemoryOp c) {
        CoreState st = hv.st;
        int d = hv.sched.domid(vid);
        GuestMemory g = hv.guest;
        // A continuation (written by recovery) says "resume at extent k, which may be half done":
        // its high bits hold k + 1. A plain call has them zero.
        int resumeAt = (c.cmd() >>> EXTENT_SHIFT) - 1;
        int start = Math.max(0, resumeAt);
        switch (c.cmd() & CMD_MASK) {
            case CURRENT_RESERVATION, MAXIMUM_RESERVATION -> {
                int dom = g.readU16(hart, c.arg());
                dom = dom == Hypervisor.DOMID_SELF ? d : dom;
                if (dom != d && !hv.isPrivileged(d)) {
                    return -Errno.EPERM;
                }
                if (!st.domainExists(dom)) {
                    return -Errno.ESRCH;
                }
                return st.dom(dom, (c.cmd() & CMD_MASK) == CURRENT_RESERVATION ? DomainLayout.TOT_PAGES
                        : DomainLayout.MAX_PAGES);
            }
            case INCREASE_RESERVATION, POPULATE_PHYSMAP, DECREASE_RESERVATION -> {
                int a = c.arg();
                int extents = g.readU32(hart, a);
                int nr = g.readU32(hart, a + 4);
                int order = g.readU32(hart, a + 8);
                int dom = g.readU16(hart, a + 12);
                if (order != 0 || nr < 0 || start > nr) {
                    return -Errno.EINVAL;
                }
                if (dom != Hypervisor.DOMID_SELF && dom != d) {
                    return -Errno.EPERM;
                }
                int lock = st.layout.domainLock(d);
                hv.locks.acquire(lock, cpu);
                try {
                    return (c.cmd() & CMD_MASK) == DECREASE_RESERVATION
                            ? decrease(cpu, d, hart, extents, start, resumeAt, nr)
                            : populate(cpu, d, hart, extents, start, resumeAt, nr);
                } finally {
                    hv.locks.release(lock, cpu);
                }
            }
            default -> {
                return -Errno.ENOSYS;
            }
        }
    }

    private boolean inWindow(int d, long gfn) {
        long max = hv.st.dom(d, DomainLayout.MAX_PAGES) & 0xffffffffL;
        return gfn >= P2m.RAM_BASE_GFN && gfn < P2m.RAM_BASE_GFN + max;
    }

    private int populate(int cpu, int d, HartPort hart, int extents, int start, int resumeAt, int nr) {
        CoreState st = hv.st;
        for (int i = start; i < nr; i++) {
            long gfn = hv.guest.readU32(hart, extents + 4 * i) & 0xffffffffL;
            long mapped = inWindow(d, gfn) ? hv.p2m.lookup(d, gfn) : -1;
            if (i == resumeAt && mapped >= 0 && mapped < hv.memory.frames() && hv.pages.owner(mapped) == d) {
                progress(cpu, i + 1); // the extent in flight when the failure struck had been mapped
                continue;
            }
            if (!inWindow(d, gfn) || mapped >= 0) {
                return i;
            }
            if (st.dom(d, DomainLayout.TOT_PAGES) >= st.dom(d, DomainLayout.MAX_PAGES)) {
                return i == 0 ? -Errno.ENOMEM : i;
            }
            long mfn = hv.pages.alloc(d, FrameTableLayout.TYPE_RAM, cpu);
            if (mfn < 0) {
                return i == 0 ? -Errno.ENOMEM : i;
            }
            if (!hv.p2m.map(d, gfn, mfn, cpu)) {
                hv.pages.free(mfn, cpu);
                return i == 0 ? -Errno.ENOMEM : i;
            }
            st.dom(d, DomainLayout.TOT_PAGES, st.dom(d, DomainLayout.TOT_PAGES) + 1);
            progress(cpu, i + 1);
        }
        return nr;
    }

    /** Records in the per-CPU hypercall record how many extents are done (a continuation point). */
    private void progress(int cpu, int done) {
        dev.rehype.region.layout.Fields.u32(hv.st.s, hv.st.layout.perCpu(cpu)
                + dev.rehype.region.layout.PerCpuLayout.PROGRESS, done);
    }

    private int decrease(int cpu, int d, HartPort hart, int extents, int start, int resumeAt, int nr) {
        CoreState st = hv.st;
        long shared = st.dom(d, DomainLayout.SHARED_INFO_GFN) & 0xffffffffL;
        for (int i = start; i < nr; i++) {
            long gfn = hv.guest.readU32(hart, extents + 4 * i) & 0xffffffffL;
            if (i == resumeAt && inWindow(d, gfn) && gfn != shared && hv.p2m.lookup(d, gfn) < 0) {
                progress(cpu, i + 1); // the extent in flight had been unmapped (its frame is freed by recovery)
                continue;
            }
            if (!inWindow(d, gfn) || gfn == shared || hv.p2m.lookup(d, gfn) < 0) {
                return i;
            }
            long mfn = hv.p2m.unmap(d, gfn);
            if (hv.pages.refcount(mfn) == 0) {
                hv.pages.free(mfn, cpu);
            }
            st.dom(d, DomainLayout.TOT_PAGES, st.dom(d, DomainLayout.TOT_PAGES) - 1);
            progress(cpu, i + 1);
        }
        return nr;
    }
}
