package dev.rehype.hypervisor.core;

import dev.rehype.machine.PhysicalMemory;
import dev.rehype.machine.Sv32;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.FrameTableLayout;
import dev.rehype.machine.port.MachinePort;

/**
 * A domain's P2M: the second-stage tables the harts walk (Sv32 format, entries naming machine
 * frames), in frames the hypervisor owns inside machine memory, so they are preserved with it.
 * Mapping a RAM frame takes a reference (and a writable one); unmapping drops them and flushes
 * the TLBs.
 */
final class P2m {
    /** Guest-physical window of every domain's RAM: gfn 0x80000 = gpa 0x8000_0000. */
    static final int RAM_BASE_GFN = 0x80000;
    private static final int LEAF_FLAGS = Sv32.V | Sv32.R | Sv32.W | Sv32.X | Sv32.U | Sv32.A | Sv32.D;

    private final CoreState state;
    private final MachinePort machine;
    private final PhysicalMemory memory;
    private final PageAllocator pages;

    P2m(CoreState state, MachinePort machine, PageAllocator pages) {
        this.state = state;
        this.machine = machine;
        this.memory = machine.memory();
        this.pages = pages;
    }

    long root(int domid) {
        return state.dom(domid, DomainLayout.P2M_ROOT) & 0xffffffffL;
    }

    /** Allocates the root table; false when memory is exhausted. */
    boolean create(int domid, int cpu) {
        long root = pages.alloc(domid, FrameTableLayout.TYPE_P2M, cpu);
        if (root < 0) {
            return false;
        }
        state.dom(domid, DomainLayout.P2M_ROOT, (int) root);
        return true;
    }

    /** The machine frame mapped at {@code gfn}, or -1. */
    long lookup(int domid, long gfn) {
        if (gfn < 0 || gfn > 0xfffffL) {
            return -1;
        }
        int rootPte = memory.read32(rootEntry(domid, gfn));
        if ((rootPte & Sv32.V) == 0) {
            return -1;
        }
        int pte = memory.read32(leafEntry(rootPte, gfn));
        return (pte & Sv32.V) == 0 ? -1 : Sv32.ppn(pte);
    }

    /** Maps RAM frame {@code mfn} at {@code gfn}, writable; false if a table frame could not be allocated. */
    boolean map(int domid, long gfn, long mfn, int cpu) {
        return map(domid, gfn, mfn, true, cpu);
    }

    /** Maps a device's register frame (not RAM: no references are taken). */
    boolean mapMmio(int domid, long gfn, long mfn, int cpu) {
        return install(domid, gfn, mfn, Sv32.V | Sv32.R | Sv32.W | Sv32.U | Sv32.A | Sv32.D, cpu);
    }

    /** Maps RAM frame {@code mfn} at {@code gfn}, read-only unless {@code writable}. */
    boolean map(int domid, long gfn, long mfn, boolean writable, int cpu) {
        if (!install(domid, gfn, mfn, writable ? LEAF_FLAGS : LEAF_FLAGS & ~Sv32.W, cpu)) {
            return false;
        }
        pages.getRef(mfn, writable);
        return true;
    }

    private boolean install(int domid, long gfn, long mfn, int flags, int cpu) {
        long re = rootEntry(domid, gfn);
        int rootPte = memory.read32(re);
        if ((rootPte & Sv32.V) == 0) {
            long table = pages.alloc(domid, FrameTableLayout.TYPE_P2M, cpu);
            if (table < 0) {
                return false;
            }
            rootPte = Sv32.pte(table, Sv32.V);
            memory.write32(re, rootPte);
        }
        long le = leafEntry(rootPte, gfn);
        if ((memory.read32(le) & Sv32.V) != 0) {
            throw new HypervisorPanic("d" + domid + ": gfn 0x" + Long.toHexString(gfn) + " is already mapped");
        }
        // An invalid entry becoming valid needs no flush: TLBs cache no failed translations.
        memory.write32(le, Sv32.pte(mfn, flags));
        return true;
    }

    /** True when the mapping at {@code gfn} is writable. */
    boolean writable(int domid, long gfn) {
        int rootPte = memory.read32(rootEntry(domid, gfn));
        if ((rootPte & Sv32.V) == 0) {
            return false;
        }
        int pte = memory.read32(leafEntry(rootPte, gfn));
        return (pte & Sv32.V) != 0 && (pte & Sv32.W) != 0;
    }

    /** Unmaps {@code gfn}; returns the frame that was mapped, or -1. */
    long unmap(int domid, long gfn) {
        int pte = clearEntry(domid, gfn);
        if (pte == 0) {
            return -1;
        }
        long mfn = Sv32.ppn(pte);
        if (mfn < memory.frames()) {
            pages.putRef(mfn, (pte & Sv32.W) != 0);
        }
        machine.flushAllTlbs();
        return mfn;
    }

    /** Calls {@code visitor} for every mapped gfn, in ascending order. */
    void forEachMapping(int domid, MappingVisitor visitor) {
        long root = root(domid) << PhysicalMemory.FRAME_SHIFT;
        for (int i = 0; i < Sv32.ENTRIES; i++) {
            int rootPte = memory.read32(root + 4L * i);
            if ((rootPte & Sv32.V) == 0) {
                continue;
            }
            long table = Sv32.ppn(rootPte) << PhysicalMemory.FRAME_SHIFT;
            for (int j = 0; j < Sv32.ENTRIES; j++) {
                int pte = memory.read32(table + 4L * j);
                if ((pte & Sv32.V) != 0) {
                    visitor.visit(((long) i << 10) | j, Sv32.ppn(pte));
                }
            }
        }
    }

    /**
     * True when the domain's root names a frame that is its own P2M table (a domain whose
     * creation or destruction was cut short may have none, or one already freed).
     */
    boolean rootIsOwn(int domid) {
        long root = root(domid);
        return root < memory.frames() && pages.owner(root) == domid && pages.type(root) == FrameTableLayout.TYPE_P2M;
    }

    /**
     * Destruction: clears each root entry, then hands its leaf table to {@code free} — in that
     * order, so that a teardown cut short and run again never frees a table twice.
     */
    void unlinkTables(int domid, java.util.function.LongConsumer free) {
        long root = root(domid) << PhysicalMemory.FRAME_SHIFT;
        for (int i = 0; i < Sv32.ENTRIES; i++) {
            int rootPte = memory.read32(root + 4L * i);
            if ((rootPte & Sv32.V) != 0) {
                memory.write32(root + 4L * i, 0);
                free.accept(Sv32.ppn(rootPte));
            }
        }
    }

    /**
     * Recovery: removes the entry at {@code gfn} without touching any count (the caller sets the
     * counts of the frame it names from the mappings that remain); returns the frame, or -1.
     */
    long clear(int domid, long gfn) {
        int pte = clearEntry(domid, gfn);
        if (pte == 0) {
            return -1;
        }
        machine.flushAllTlbs();
        return Sv32.ppn(pte);
    }

    /** Zeroes the valid leaf entry at {@code gfn} (no count, no TLB flush); returns it, or 0 when none. */
    private int clearEntry(int domid, long gfn) {
        int rootPte = memory.read32(rootEntry(domid, gfn));
        if ((rootPte & Sv32.V) == 0) {
            return 0;
        }
        long le = leafEntry(rootPte, gfn);
        int pte = memory.read32(le);
        if ((pte & Sv32.V) == 0) {
            return 0;
        }
        memory.write32(le, 0);
        return pte;
    }

    /** Calls {@code visitor} for every leaf-table frame. */
    void forEachTable(int domid, java.util.function.LongConsumer visitor) {
        long root = root(domid) << PhysicalMemory.FRAME_SHIFT;
        for (int i = 0; i < Sv32.ENTRIES; i++) {
            int rootPte = memory.read32(root + 4L * i);
            if ((rootPte & Sv32.V) != 0) {
                visitor.accept(Sv32.ppn(rootPte));
            }
        }
    }

    interface MappingVisitor {
        void visit(long gfn, long mfn);
    }

    private long rootEntry(int domid, long gfn) {
        return (root(domid) << PhysicalMemory.FRAME_SHIFT) + 4 * (gfn >>> 10);
    }

    private static long leafEntry(int rootPte, long gfn) {
        return (Sv32.ppn(rootPte) << PhysicalMemory.FRAME_SHIFT) + 4 * (gfn & 0x3ff);
    }
}
