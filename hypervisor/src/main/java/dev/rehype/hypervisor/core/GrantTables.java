package dev.rehype.hypervisor.core;

import dev.rehype.machine.Hart;
import dev.rehype.machine.PhysicalMemory;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.FrameTableLayout;
import dev.rehype.region.layout.GrantLayout;

/**
 * Grant tables (Xen's grant_table.c, v1 entries): a domain lets another map or copy one of its
 * pages by writing a grant entry in its own grant-table pages; the hypervisor checks every use
 * against the entry (permit, grantee, read-only), pins the frame in an active-grant record and
 * tracks each mapping in the mapper's map-track table — all preserved — and sets the entry's
 * reading/writing flags while it is mapped, so the granter knows when it may revoke.
 *
 * <p>A granter destroyed while others map its frames (Xen: the mapping holds a page reference,
 * so the page outlives its domain): each such mapping becomes an orphan map-track entry, the
 * frame stays allocated — owned by nobody, still RAM — and is freed when the last mapping of it
 * goes, by unmap or by the mapper's own destruction. The mapper sees no change until it unmaps.
 */
final class GrantTables {
    static final int MAP_GRANT_REF = 0;
    static final int UNMAP_GRANT_REF = 1;
    static final int SETUP_TABLE = 2;
    static final int COPY = 5;
    static final int QUERY_SIZE = 6;
    static final int MAX_OPS = 16;

    static final int GTF_PERMIT_ACCESS = 1;
    static final int GTF_READONLY = 1 << 2;
    static final int GTF_READING = 1 << 3;
    static final int GTF_WRITING = 1 << 4;
    static final int GNTMAP_READONLY = 1 << 2;
    static final int GNTCOPY_SOURCE_GREF = 1;
    static final int GNTCOPY_DEST_GREF = 2;

    static final int GNTST_OKAY = 0;
    static final int GNTST_GENERAL_ERROR = -1;
    static final int GNTST_BAD_DOMAIN = -2;
    static final int GNTST_BAD_GNTREF = -3;
    static final int GNTST_BAD_HANDLE = -4;
    static final int GNTST_BAD_VIRT_ADDR = -5;
    static final int GNTST_NO_DEVICE_SPACE = -7;
    static final int GNTST_PERMISSION_DENIED = -8;
    static final int GNTST_BAD_COPY_ARG = -12;

    private final Hypervisor hv;
    private final CoreState st;
    private final PhysicalMemory memory;

    GrantTables(Hypervisor hv) {
        this.hv = hv;
        this.st = hv.st;
        this.memory = hv.memory;
    }

    int op(int cpu, int vid, Hart hart, int cmd, int arg, int count) {
        if (count < 1 || count > MAX_OPS) {
            return -Errno.EINVAL;
        }
        int d = hv.sched.domid(vid);
        GuestMemory g = hv.guest;
        for (int i = 0; i < count; i++) {
            switch (cmd) {
                case SETUP_TABLE -> {
                    int a = arg + 16 * i;
                    g.writeU32(hart, a + 12, setupTable(hart, d, g.readU16(hart, a), g.readU32(hart, a + 4),
                            g.readU32(hart, a + 8)));
                }
                case QUERY_SIZE -> {
                    int a = arg + 16 * i;
                    int dom = g.readU16(hart, a);
                    dom = dom == Hypervisor.DOMID_SELF ? d : dom;
                    if (dom != d && !hv.isPrivileged(d)) {
                        g.writeU32(hart, a + 12, GNTST_PERMISSION_DENIED);
                    } else if (!st.domainExists(dom)) {
                        g.writeU32(hart, a + 12, GNTST_BAD_DOMAIN);
                    } else {
                        g.writeU32(hart, a + 4, st.dom(dom, DomainLayout.GNTTAB_NR_FRAMES));
                        g.writeU32(hart, a + 8, DomainLayout.GNTTAB_MAX_FRAMES);
                        g.writeU32(hart, a + 12, GNTST_OKAY);
                    }
                }
                case MAP_GRANT_REF -> {
                    int a = arg + 24 * i;
                    int hostAddr = g.readU32(hart, a);
                    int flags = g.readU32(hart, a + 4);
                    int ref = g.readU32(hart, a + 8);
                    int dom = g.readU16(hart, a + 12);
                    int[] handle = {-1};
                    int status = map(cpu, d, hostAddr, flags, ref, dom, handle);
                    g.writeU16(hart, a + 16, status & 0xffff);
                    g.writeU32(hart, a + 20, handle[0]);
                }
                case UNMAP_GRANT_REF -> {
                    int a = arg + 12 * i;
                    g.writeU16(hart, a + 8, unmap(cpu, d, g.readU32(hart, a), g.readU32(hart, a + 4)) & 0xffff);
                }
                case COPY -> {
                    int a = arg + 24 * i;
                    g.writeU16(hart, a + 20, copy(hart, d, a) & 0xffff);
                }
                default -> {
                    return -Errno.ENOSYS;
                }
            }
        }
        return 0;
    }

    private int setupTable(Hart hart, int d, int dom, int nrFrames, int gfnList) {
        if (dom != Hypervisor.DOMID_SELF && dom != d) {
            return GNTST_PERMISSION_DENIED;
        }
        if (nrFrames < 1 || nrFrames > DomainLayout.GNTTAB_MAX_FRAMES) {
            return GNTST_GENERAL_ERROR;
        }
        for (int ref = 0; ref < GrantLayout.MAX_REFS; ref++) {
            if (pins(d, ref) != 0) {
                return -Errno.EBUSY;
            }
        }
        long[] gfns = new long[nrFrames];
        for (int i = 0; i < nrFrames; i++) {
            gfns[i] = hv.guest.readU32(hart, gfnList + 4 * i) & 0xffffffffL;
            long mfn = hv.p2m.lookup(d, gfns[i]);
            if (mfn < 0 || mfn >= memory.frames() || hv.pages.owner(mfn) != d) {
                return GNTST_BAD_VIRT_ADDR;
            }
        }
        for (int i = 0; i < nrFrames; i++) {
            st.dom(d, DomainLayout.GNTTAB_GFNS + 4L * i, (int) gfns[i]);
        }
        st.dom(d, DomainLayout.GNTTAB_NR_FRAMES, nrFrames);
        return GNTST_OKAY;
    }

    /** Machine address of grant entry {@code ref} of {@code granter}, or -1. */
    private long entry(int granter, int ref) {
        int frames = st.dom(granter, DomainLayout.GNTTAB_NR_FRAMES);
        if (ref < 0 || ref >= frames * GrantLayout.ENTRIES_PER_FRAME) {
            return -1;
        }
        long gfn = st.dom(granter, DomainLayout.GNTTAB_GFNS + 4L * (ref / GrantLayout.ENTRIES_PER_FRAME)) & 0xffffffffL;
        long mfn = hv.p2m.lookup(granter, gfn);
        if (mfn < 0 || mfn >= memory.frames()) {
            return -1;
        }
        return (mfn << PhysicalMemory.FRAME_SHIFT) + 8L * (ref % GrantLayout.ENTRIES_PER_FRAME);
    }

    /** Checks a grant for use by {@code user}; returns the granted frame, or a GNTST error (negative). */
    private long check(int user, int granter, int ref, boolean write) {
        if (!st.domainActive(granter) || granter == user) {
            return GNTST_BAD_DOMAIN;
        }
        long e = entry(granter, ref);
        if (e < 0) {
            return GNTST_BAD_GNTREF;
        }
        int flags = memory.read16(e);
        int grantee = memory.read16(e + 2);
        if ((flags & GTF_PERMIT_ACCESS) == 0 || grantee != user || (write && (flags & GTF_READONLY) != 0)) {
            return GNTST_PERMISSION_DENIED;
        }
        long frame = memory.read32(e + 4) & 0xffffffffL;
        long mfn = hv.p2m.lookup(granter, frame);
        if (mfn < 0 || mfn >= memory.frames() || hv.pages.owner(mfn) != granter) {
            return GNTST_BAD_GNTREF;
        }
        return mfn;
    }

    private int map(int cpu, int d, int hostAddr, int flags, int ref, int granter, int[] handleOut) {
        boolean readonly = (flags & GNTMAP_READONLY) != 0;
        long mfn = check(d, granter, ref, !readonly);
        if (mfn < 0) {
            return (int) mfn;
        }
        long e = entry(granter, ref);
        readonly |= (memory.read16(e) & GTF_READONLY) != 0;
        long hostGfn = (hostAddr & 0xffffffffL) >>> PhysicalMemory.FRAME_SHIFT;
        if ((hostAddr & 0xfff) != 0 || !inWindow(d, hostGfn) || hv.p2m.lookup(d, hostGfn) >= 0) {
            return GNTST_BAD_VIRT_ADDR;
        }
        int handle = freeHandle(d);
        if (handle < 0) {
            return GNTST_NO_DEVICE_SPACE;
        }
        if (!hv.p2m.map(d, hostGfn, mfn, !readonly, cpu)) {
            return GNTST_GENERAL_ERROR;
        }
        long mt = st.layout.maptrack(d, handle);
        Fields.u8(st.s, mt + GrantLayout.MT_KIND, GrantLayout.KIND_GRANT);
        Fields.u8(st.s, mt + GrantLayout.MT_READONLY, readonly ? 1 : 0);
        Fields.u16(st.s, mt + GrantLayout.MT_DOM, granter);
        Fields.u32(st.s, mt + GrantLayout.MT_REF, ref);
        Fields.u32(st.s, mt + GrantLayout.MT_HOST_GFN, (int) hostGfn);
        Fields.u32(st.s, mt + GrantLayout.MT_MFN, (int) mfn);
        long act = st.layout.activeGrant(granter, ref);
        long pinField = readonly ? GrantLayout.PIN_RO : GrantLayout.PIN_RW;
        Fields.u16(st.s, act + pinField, Fields.u16(st.s, act + pinField) + 1);
        Fields.u16(st.s, act + GrantLayout.MAPPER, d);
        Fields.u32(st.s, act + GrantLayout.MFN, (int) mfn);
        updateEntryFlags(granter, ref);
        handleOut[0] = handle;
        return GNTST_OKAY;
    }

    /** Unmaps a grant mapping, or an orphan (its granter has died since). */
    private int unmap(int cpu, int d, int hostAddr, int handle) {
        if (handle < 0 || handle >= GrantLayout.MAPTRACK_ENTRIES) {
            return GNTST_BAD_HANDLE;
        }
        long mt = st.layout.maptrack(d, handle);
        int kind = Fields.u8(st.s, mt + GrantLayout.MT_KIND);
        if (kind != GrantLayout.KIND_GRANT && kind != GrantLayout.KIND_ORPHAN) {
            return GNTST_BAD_HANDLE;
        }
        long hostGfn = (hostAddr & 0xffffffffL) >>> PhysicalMemory.FRAME_SHIFT;
        if ((Fields.u32(st.s, mt + GrantLayout.MT_HOST_GFN) & 0xffffffffL) != hostGfn) {
            return GNTST_BAD_VIRT_ADDR;
        }
        release(d, handle, cpu);
        return GNTST_OKAY;
    }

    /**
     * Drops mapping {@code handle} of {@code d}: P2M entry, pin, entry flags, map-track slot; an
     * orphan's frame is freed when this was its last mapping.
     */
    void release(int d, int handle, int cpu) {
        long mt = st.layout.maptrack(d, handle);
        int kind = Fields.u8(st.s, mt + GrantLayout.MT_KIND);
        long hostGfn = Fields.u32(st.s, mt + GrantLayout.MT_HOST_GFN) & 0xffffffffL;
        long mfn = hv.p2m.unmap(d, hostGfn);
        if (kind == GrantLayout.KIND_ORPHAN && mfn >= 0 && mfn < memory.frames()
                && hv.pages.owner(mfn) == FrameTableLayout.OWNER_NONE && hv.pages.refcount(mfn) == 0) {
            hv.pages.free(mfn, cpu);
        }
        if (kind == GrantLayout.KIND_GRANT) {
            int granter = Fields.u16(st.s, mt + GrantLayout.MT_DOM);
            int ref = Fields.u32(st.s, mt + GrantLayout.MT_REF);
            long act = st.layout.activeGrant(granter, ref);
            long pinField = Fields.u8(st.s, mt + GrantLayout.MT_READONLY) != 0 ? GrantLayout.PIN_RO : GrantLayout.PIN_RW;
            int pin = Fields.u16(st.s, act + pinField);
            if (pin <= 0) {
                throw new HypervisorPanic("grant d" + granter + " ref " + ref + " unmapped with no pin");
            }
            Fields.u16(st.s, act + pinField, pin - 1);
            if (st.domainExists(granter)) {
                updateEntryFlags(granter, ref);
            }
        }
        st.s.asSlice(mt, GrantLayout.MAPTRACK_BYTES).fill((byte) 0);
    }

    /** Recovery: sets the granter's entry flags from the active-grant pins. */
    void refreshEntryFlags(int granter, int ref) {
        updateEntryFlags(granter, ref);
    }

    private void updateEntryFlags(int granter, int ref) {
        long e = entry(granter, ref);
        if (e < 0) {
            return;
        }
        long act = st.layout.activeGrant(granter, ref);
        int flags = memory.read16(e) & ~(GTF_READING | GTF_WRITING);
        if (Fields.u16(st.s, act + GrantLayout.PIN_RO) + Fields.u16(st.s, act + GrantLayout.PIN_RW) > 0) {
            flags |= GTF_READING;
        }
        if (Fields.u16(st.s, act + GrantLayout.PIN_RW) > 0) {
            flags |= GTF_WRITING;
        }
        memory.write16(e, flags);
    }

    private int copy(Hart hart, int d, int a) {
        GuestMemory g = hv.guest;
        int srcRef = g.readU32(hart, a);
        int srcDom = g.readU16(hart, a + 4);
        int srcOff = g.readU16(hart, a + 6);
        int dstRef = g.readU32(hart, a + 8);
        int dstDom = g.readU16(hart, a + 12);
        int dstOff = g.readU16(hart, a + 14);
        int len = g.readU16(hart, a + 16);
        int flags = g.readU16(hart, a + 18);
        if (srcOff + len > PhysicalMemory.FRAME_SIZE || dstOff + len > PhysicalMemory.FRAME_SIZE) {
            return GNTST_BAD_COPY_ARG;
        }
        long src = side(d, srcRef, srcDom, (flags & GNTCOPY_SOURCE_GREF) != 0, false);
        if (src < 0) {
            return (int) src;
        }
        long dst = side(d, dstRef, dstDom, (flags & GNTCOPY_DEST_GREF) != 0, true);
        if (dst < 0) {
            return (int) dst;
        }
        byte[] bytes = new byte[len];
        memory.readBytes((src << PhysicalMemory.FRAME_SHIFT) + srcOff, bytes, 0, len);
        memory.writeBytes((dst << PhysicalMemory.FRAME_SHIFT) + dstOff, bytes, 0, len);
        return GNTST_OKAY;
    }

    private long side(int d, int refOrGfn, int dom, boolean gref, boolean write) {
        if (gref) {
            return check(d, dom, refOrGfn, write);
        }
        if (dom != Hypervisor.DOMID_SELF && dom != d) {
            return GNTST_BAD_DOMAIN;
        }
        long gfn = refOrGfn & 0xffffffffL;
        long mfn = hv.p2m.lookup(d, gfn);
        if (mfn < 0 || mfn >= memory.frames() || (write && !hv.p2m.writable(d, gfn))) {
            return GNTST_BAD_COPY_ARG;
        }
        return mfn;
    }

    /** Records a privileged foreign mapping (map_foreign) in the mapper's map-track table. */
    int recordForeign(int d, int target, long targetGfn, long hostGfn, long mfn) {
        int handle = freeHandle(d);
        if (handle < 0) {
            return -1;
        }
        long mt = st.layout.maptrack(d, handle);
        Fields.u8(st.s, mt + GrantLayout.MT_KIND, GrantLayout.KIND_FOREIGN);
        Fields.u16(st.s, mt + GrantLayout.MT_DOM, target);
        Fields.u32(st.s, mt + GrantLayout.MT_REF, (int) targetGfn);
        Fields.u32(st.s, mt + GrantLayout.MT_HOST_GFN, (int) hostGfn);
        Fields.u32(st.s, mt + GrantLayout.MT_MFN, (int) mfn);
        return handle;
    }

    /** The map-track handle of {@code d} whose host gfn is {@code hostGfn}, or -1. */
    int handleAt(int d, long hostGfn) {
        for (int h = 0; h < GrantLayout.MAPTRACK_ENTRIES; h++) {
            long mt = st.layout.maptrack(d, h);
            if (Fields.u8(st.s, mt + GrantLayout.MT_KIND) != GrantLayout.KIND_FREE
                    && (Fields.u32(st.s, mt + GrantLayout.MT_HOST_GFN) & 0xffffffffL) == hostGfn) {
                return h;
            }
        }
        return -1;
    }

    /**
     * Before {@code target} dies: its own mappings of others' frames are dropped, and the other
     * domains' grant and foreign mappings of its frames become orphans (their pins on its active
     * grants go; the frames stay mapped and referenced). The caller then frees the target's
     * frames that nothing else maps and hands the rest to nobody ({@link #keepsFrame}).
     */
    void releaseAllOf(int target, int cpu) {
        for (int h = 0; h < GrantLayout.MAPTRACK_ENTRIES; h++) {
            if (Fields.u8(st.s, st.layout.maptrack(target, h) + GrantLayout.MT_KIND) != GrantLayout.KIND_FREE) {
                release(target, h, cpu);
            }
        }
        for (int d = 0; d < st.maxDomains(); d++) {
            if (d == target || !st.domainExists(d)) {
                continue;
            }
            for (int h = 0; h < GrantLayout.MAPTRACK_ENTRIES; h++) {
                long mt = st.layout.maptrack(d, h);
                int kind = Fields.u8(st.s, mt + GrantLayout.MT_KIND);
                if ((kind == GrantLayout.KIND_GRANT || kind == GrantLayout.KIND_FOREIGN)
                        && Fields.u16(st.s, mt + GrantLayout.MT_DOM) == target) {
                    orphan(mt, kind);
                }
            }
        }
    }

    /** Turns a live mapping of a dying domain's frame into an orphan: its pin goes, the mapping stays. */
    private void orphan(long mt, int kind) {
        if (kind == GrantLayout.KIND_GRANT) {
            int granter = Fields.u16(st.s, mt + GrantLayout.MT_DOM);
            int ref = Fields.u32(st.s, mt + GrantLayout.MT_REF);
            long act = st.layout.activeGrant(granter, ref);
            long pinField = Fields.u8(st.s, mt + GrantLayout.MT_READONLY) != 0 ? GrantLayout.PIN_RO : GrantLayout.PIN_RW;
            int pin = Fields.u16(st.s, act + pinField);
            if (pin <= 0) {
                throw new HypervisorPanic("grant d" + granter + " ref " + ref + " orphaned with no pin");
            }
            Fields.u16(st.s, act + pinField, pin - 1);
        }
        Fields.u8(st.s, mt + GrantLayout.MT_KIND, GrantLayout.KIND_ORPHAN);
    }

    /**
     * True when frame {@code mfn} of a dying domain, already unmapped from the domain itself, is
     * still mapped elsewhere (by an orphan); it is then handed to nobody instead of being freed.
     */
    boolean keepsFrame(long mfn) {
        if (hv.pages.refcount(mfn) == 0) {
            return false;
        }
        long e = st.layout.frame(mfn);
        Fields.u16(st.s, e + FrameTableLayout.OWNER, FrameTableLayout.OWNER_NONE);
        return true;
    }

    int pins(int granter, int ref) {
        long act = st.layout.activeGrant(granter, ref);
        return Fields.u16(st.s, act + GrantLayout.PIN_RO) + Fields.u16(st.s, act + GrantLayout.PIN_RW);
    }

    private int freeHandle(int d) {
        for (int h = 0; h < GrantLayout.MAPTRACK_ENTRIES; h++) {
            if (Fields.u8(st.s, st.layout.maptrack(d, h) + GrantLayout.MT_KIND) == GrantLayout.KIND_FREE) {
                return h;
            }
        }
        return -1;
    }

    private boolean inWindow(int d, long gfn) {
        long max = st.dom(d, DomainLayout.MAX_PAGES) & 0xffffffffL;
        return gfn >= P2m.RAM_BASE_GFN && gfn < P2m.RAM_BASE_GFN + max;
    }
}
