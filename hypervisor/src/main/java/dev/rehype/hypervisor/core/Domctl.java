package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.ConsoleRingLayout;
import dev.rehype.region.layout.CoreTablesLayout;
import dev.rehype.machine.PhysicalMemory;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.GrantLayout;
import dev.rehype.region.layout.PerCpuLayout;
import dev.rehype.region.layout.VcpuLayout;
import dev.rehype.machine.port.HartPort;

/**
 * domctl: management operations of the privileged domain (Xen's do_domctl): query, pause,
 * unpause, destroy, limit memory, query vCPUs, assign the NIC, and the toolstack's building
 * blocks — create an empty paused domain, populate its RAM, copy an image into it, set its boot
 * pages and entry, read its console, map its pages (foreign mappings). Refused with -EPERM for
 * everyone else.
 *
 * <p>Each operation that changes state in more than one step records its intent
 * ({@link Intents}) after its checks and before its first change, so that recovery can undo it
 * (create, populate, pause, unpause, setup, assign, map) or finish it (destroy, deassign, unmap).
 *
 * <pre>
 *  struct domctl { u32 cmd; u32 interface_version (= 1); u16 domain; u16 pad; u32 u[12]; }
 * </pre>
 */
final class Domctl {
    static final int INTERFACE_VERSION = 1;
    static final int GETDOMAININFO = 1;
    static final int PAUSEDOMAIN = 2;
    static final int UNPAUSEDOMAIN = 3;
    static final int DESTROYDOMAIN = 4;
    static final int MAX_MEM = 5;
    static final int GETVCPUINFO = 6;
    static final int ASSIGN_DEVICE = 7;
    static final int DEASSIGN_DEVICE = 8;
    static final int CREATEDOMAIN = 9;
    static final int POPULATE = 10;
    static final int COPY_TO_GUEST = 11;
    static final int SETUP = 12;
    static final int CONSOLE_READ = 13;
    static final int MAP_FOREIGN = 14;
    static final int UNMAP_FOREIGN = 15;
    static final int MAX_COPY_BYTES = 64 * 1024;
    private static final int U = 12;

    private final Hypervisor hv;

    Domctl(Hypervisor hv) {
        this.hv = hv;
    }

    int op(int cpu, int vid, HartPort hart, Hypercall.Domctl c, long now) {
        CoreState st = hv.st;
        int self = hv.sched.domid(vid);
        if (!hv.isPrivileged(self)) {
            return -Errno.EPERM;
        }
        GuestMemory g = hv.guest;
        int a = c.arg();
        int cmd = g.readU32(hart, a);
        long pcpu = st.layout.perCpu(cpu);
        if (Fields.u32(st.s, pcpu + PerCpuLayout.NR) == Hypercall.DOMCTL) {
            // Recovery reads it to tell a query, which may run again, from an operation that may not.
            Fields.u32(st.s, pcpu + PerCpuLayout.SUBOP, cmd + 1);
        }
        if (g.readU32(hart, a + 4) != INTERFACE_VERSION) {
            return -Errno.EINVAL;
        }
        int dom = g.readU16(hart, a + 8);
        dom = dom == Hypervisor.DOMID_SELF ? self : dom;
        if (cmd == CREATEDOMAIN) {
            return createDomain(cpu, hart, a, now);
        }
        if (!st.domainExists(dom)) {
            return -Errno.ESRCH;
        }
        hv.locks.acquire(CoreTablesLayout.LOCK_DOMCTL, cpu);
        try {
            switch (cmd) {
                case GETDOMAININFO -> {
                    int state = st.dom(dom, DomainLayout.STATE);
                    int nr = st.dom(dom, DomainLayout.NR_VCPUS);
                    boolean running = false;
                    boolean blocked = true;
                    for (int v = 0; v < nr; v++) {
                        int s = st.vcpu(dom, v, VcpuLayout.STATE);
                        running |= s == VcpuLayout.STATE_RUNNING;
                        blocked &= s == VcpuLayout.STATE_BLOCKED || s == VcpuLayout.STATE_OFFLINE;
                    }
                    int flags = (running ? 1 : 0) | (blocked && state == DomainLayout.STATE_ACTIVE ? 2 : 0)
                            | (st.dom(dom, DomainLayout.PAUSE_COUNT) > 0 ? 4 : 0)
                            | (state == DomainLayout.STATE_SHUTDOWN ? 8 : 0)
                            | (state == DomainLayout.STATE_DYING ? 16 : 0)
                            | ((st.dom(dom, DomainLayout.FLAGS) & DomainLayout.FLAG_PRIVILEGED) != 0 ? 32 : 0);
                    long cpuTime = hv.cpuTime(dom, now);
                    int[] out = {flags, st.dom(dom, DomainLayout.SHUTDOWN_REASON), st.dom(dom, DomainLayout.TOT_PAGES),
                        st.dom(dom, DomainLayout.MAX_PAGES), nr, (int) cpuTime, (int) (cpuTime >>> 32)};
                    for (int i = 0; i < out.length; i++) {
                        g.writeU32(hart, a + U + 4 * i, out[i]);
                    }
                    return 0;
                }
                case PAUSEDOMAIN, UNPAUSEDOMAIN -> {
                    if (dom == self) {
                        return -Errno.EINVAL;
                    }
                    return pause(cpu, dom, cmd == PAUSEDOMAIN, true);
                }
                case DESTROYDOMAIN -> {
                    if (dom == self) {
                        return -Errno.EINVAL;
                    }
                    hv.intents.begin(cpu, Intents.DESTROY, dom);
                    hv.destroyDomain(dom, cpu, now);
                    return 0;
                }
                case MAX_MEM -> {
                    int max = g.readU32(hart, a + U);
                    if (max < st.dom(dom, DomainLayout.TOT_PAGES)) {
                        return -Errno.EINVAL;
                    }
                    st.dom(dom, DomainLayout.MAX_PAGES, max);
                    return 0;
                }
                case GETVCPUINFO -> {
                    int v = g.readU32(hart, a + U);
                    if (v < 0 || v >= st.dom(dom, DomainLayout.NR_VCPUS)) {
                        return -Errno.EINVAL;
                    }
                    int s = st.vcpu(dom, v, VcpuLayout.STATE);
                    g.writeU32(hart, a + U + 4, s == VcpuLayout.STATE_OFFLINE ? 0 : 1);
                    g.writeU32(hart, a + U + 8, s == VcpuLayout.STATE_BLOCKED ? 1 : 0);
                    g.writeU32(hart, a + U + 12, s == VcpuLayout.STATE_RUNNING ? 1 : 0);
                    g.writeU32(hart, a + U + 16, st.vcpu(dom, v, VcpuLayout.PROCESSOR));
                    return 0;
                }
                case ASSIGN_DEVICE -> {
                    return hv.devices.assign(cpu, dom, g.readU32(hart, a + U));
                }
                case DEASSIGN_DEVICE -> {
                    int device = g.readU32(hart, a + U);
                    if (device == Devices.NIC0 && hv.devices.nicOwner() == dom) {
                        hv.intents.begin(cpu, Intents.DEASSIGN_DEVICE, dom, device);
                    }
                    return hv.devices.deassign(dom, device);
                }
                case POPULATE -> {
                    return populate(cpu, dom, g.readU32(hart, a + U));
                }
                case COPY_TO_GUEST -> {
                    return copyToGuest(hart, dom, g.readU32(hart, a + U), g.readU32(hart, a + U + 4),
                            g.readU32(hart, a + U + 8));
                }
                case SETUP -> {
                    return setup(cpu, dom, g.readU32(hart, a + U), g.readU32(hart, a + U + 4),
                            g.readU32(hart, a + U + 8), now);
                }
                case CONSOLE_READ -> {
                    return consoleRead(hart, a, dom, g.readU32(hart, a + U), g.readU32(hart, a + U + 4),
                            g.readU32(hart, a + U + 8));
                }
                case MAP_FOREIGN -> {
                    return mapForeign(cpu, self, dom, g.readU32(hart, a + U) & 0xffffffffL, g.readU32(hart, a + U + 4));
                }
                case UNMAP_FOREIGN -> {
                    long local = (g.readU32(hart, a + U) & 0xffffffffL) >>> PhysicalMemory.FRAME_SHIFT;
                    int handle = hv.grants.handleAt(self, local);
                    int kind = handle < 0 ? GrantLayout.KIND_FREE
                            : Fields.u8(st.s, st.layout.maptrack(self, handle) + GrantLayout.MT_KIND);
                    if (kind != GrantLayout.KIND_FOREIGN && kind != GrantLayout.KIND_ORPHAN) {
                        return -Errno.EINVAL;
                    }
                    hv.intents.begin(cpu, Intents.UNMAP_FOREIGN, self, (int) local,
                            Fields.u32(st.s, st.layout.maptrack(self, handle) + GrantLayout.MT_MFN), kind);
                    hv.grants.release(self, handle, cpu);
                    return 0;
                }
                default -> {
                    return -Errno.ENOSYS;
                }
            }
        } finally {
            hv.locks.release(CoreTablesLayout.LOCK_DOMCTL, cpu);
        }
    }

    /**
     * pausedomain / unpausedomain of {@code dom} (not the caller), under the domctl lock; with
     * {@code intent} (a guest's domctl, not the host's) the count it had is recorded first.
     */
    private int pause(int cpu, int dom, boolean pause, boolean intent) {
        CoreState st = hv.st;
        if (!st.domainActive(dom)) {
            return -Errno.EINVAL;
        }
        int count = st.dom(dom, DomainLayout.PAUSE_COUNT);
        if (!pause && count == 0) {
            return -Errno.EINVAL;
        }
        if (intent) {
            hv.intents.begin(cpu, pause ? Intents.PAUSE : Intents.UNPAUSE, dom, count);
        }
        st.dom(dom, DomainLayout.PAUSE_COUNT, pause ? count + 1 : count - 1);
        hv.reschedule(dom, cpu);
        return 0;
    }

    /**
     * The host's management of a domain ({@code xl pause}, {@code unpause}, {@code destroy} run
     * from outside every guest), between runs of the machine: the same checks and effects as the
     * domctl, on behalf of CPU 0; returns 0 or a negative errno. Dom0 cannot be destroyed.
     */
    int host(int cmd, int dom, long now) {
        if (dom < 0 || dom >= hv.st.maxDomains() || !hv.st.domainExists(dom)) {
            return -Errno.ESRCH;
        }
        hv.locks.acquire(CoreTablesLayout.LOCK_DOMCTL, 0);
        try {
            return switch (cmd) {
                case PAUSEDOMAIN -> pause(0, dom, true, false);
                case UNPAUSEDOMAIN -> pause(0, dom, false, false);
                case DESTROYDOMAIN -> {
                    if (dom == 0) {
                        yield -Errno.EINVAL;
                    }
                    hv.destroyDomain(dom, 0, now);
                    yield 0;
                }
                default -> -Errno.ENOSYS;
            };
        } finally {
            hv.locks.release(CoreTablesLayout.LOCK_DOMCTL, 0);
        }
    }

    private int createDomain(int cpu, HartPort hart, int a, long now) {
        CoreState st = hv.st;
        GuestMemory g = hv.guest;
        int vcpus = g.readU32(hart, a + U);
        int flags = g.readU32(hart, a + U + 4);
        int maxPages = g.readU32(hart, a + U + 8);
        if (vcpus < 1 || vcpus > st.maxVcpus() || (flags & DomainLayout.FLAG_PRIVILEGED) != 0 || maxPages < 8) {
            return -Errno.EINVAL;
        }
        byte[] name = g.readBytes(hart, a + U + 16, DomainLayout.NAME_BYTES);
        StringBuilder b = new StringBuilder();
        for (byte c : name) {
            if (c == 0) {
                break;
            }
            b.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        int domid = -1;
        hv.locks.acquire(CoreTablesLayout.LOCK_DOMCTL, cpu);
        try {
            for (int d = 1; d < st.maxDomains(); d++) {
                if (!st.domainExists(d)) {
                    domid = d;
                    break;
                }
            }
            if (domid < 0) {
                return -Errno.ENOSPC;
            }
            hv.intents.begin(cpu, Intents.CREATEDOMAIN, domid);
            // The slot stays free until everything is in place (its P2M root above all): a domain
            // seen to exist always has its own tables, and one cut short is undone by its domid.
            st.s.asSlice(st.layout.domain(domid), DomainLayout.SIZE_BYTES).fill((byte) 0);
            st.dom(domid, DomainLayout.DOMID, domid);
            st.dom(domid, DomainLayout.NR_VCPUS, vcpus);
            st.dom(domid, DomainLayout.MAX_PAGES, maxPages);
            st.dom(domid, DomainLayout.PAUSE_COUNT, 1);
            st.dom(domid, DomainLayout.PEER_DOMID, 0xFFFF);
            st.dom(domid, DomainLayout.FLAGS, DomainLayout.FLAG_CONSOLE_RELAYED);
            st.domName(domid, b.isEmpty() ? "d" + domid : b.toString());
            if (!hv.p2m.create(domid, cpu)) {
                st.s.asSlice(st.layout.domain(domid), DomainLayout.SIZE_BYTES).fill((byte) 0);
                return -Errno.ENOMEM;
            }
            hv.initVcpus(domid, vcpus, now);
            st.dom(domid, DomainLayout.STATE, DomainLayout.STATE_ACTIVE);
        } finally {
            hv.locks.release(CoreTablesLayout.LOCK_DOMCTL, cpu);
        }
        g.writeU16(hart, a + 8, domid);
        return domid;
    }

    private int populate(int cpu, int dom, int nr) {
        CoreState st = hv.st;
        int tot = st.dom(dom, DomainLayout.TOT_PAGES);
        if (nr < 1 || (long) tot + nr > (st.dom(dom, DomainLayout.MAX_PAGES) & 0xffffffffL)) {
            return -Errno.EINVAL;
        }
        hv.intents.begin(cpu, Intents.POPULATE, dom, tot, nr);
        for (int i = 0; i < nr; i++) {
            long gfn = P2m.RAM_BASE_GFN + tot + i;
            if (hv.p2m.lookup(dom, gfn) >= 0) {
                return -Errno.EEXIST;
            }
            long mfn = hv.pages.alloc(dom, dev.rehype.region.layout.FrameTableLayout.TYPE_RAM, cpu);
            hv.intents.pendingMfn(cpu, mfn);
            if (mfn < 0 || !hv.p2m.map(dom, gfn, mfn, cpu)) {
                if (mfn >= 0) {
                    hv.pages.free(mfn, cpu);
                }
                return -Errno.ENOMEM;
            }
            st.dom(dom, DomainLayout.TOT_PAGES, st.dom(dom, DomainLayout.TOT_PAGES) + 1);
            hv.intents.progress(cpu, i + 1);
        }
        return 0;
    }

    private int copyToGuest(HartPort hart, int dom, int dstGpa, int src, int len) {
        if (len < 0 || len > MAX_COPY_BYTES) {
            return -Errno.EINVAL;
        }
        byte[] bytes = hv.guest.readBytes(hart, src, len);
        int done = 0;
        while (done < len) {
            long gpa = (dstGpa & 0xffffffffL) + done;
            int chunk = Math.min(len - done, PhysicalMemory.FRAME_SIZE - (int) (gpa & 0xfff));
            long mfn = hv.p2m.lookup(dom, gpa >>> PhysicalMemory.FRAME_SHIFT);
            if (mfn < 0 || mfn >= hv.memory.frames() || hv.pages.owner(mfn) != dom) {
                return -Errno.EFAULT;
            }
            hv.memory.writeBytes((mfn << PhysicalMemory.FRAME_SHIFT) + (gpa & 0xfff), bytes, done, chunk);
            done += chunk;
        }
        return 0;
    }

    private int setup(int cpu, int dom, int startInfoGpa, int sharedInfoGpa, int entry, long now) {
        CoreState st = hv.st;
        long startGfn = (startInfoGpa & 0xffffffffL) >>> PhysicalMemory.FRAME_SHIFT;
        long sharedGfn = (sharedInfoGpa & 0xffffffffL) >>> PhysicalMemory.FRAME_SHIFT;
        long sharedMfn = hv.p2m.lookup(dom, sharedGfn);
        if ((startInfoGpa & 0xfff) != 0 || (sharedInfoGpa & 0xfff) != 0 || hv.p2m.lookup(dom, startGfn) < 0
                || sharedMfn < 0 || sharedMfn >= hv.memory.frames() || hv.pages.owner(sharedMfn) != dom
                || (entry & 3) != 0) {
            return -Errno.EINVAL;
        }
        int vid = hv.sched.vid(dom, 0);
        if (hv.sched.vstate(vid) != dev.rehype.region.layout.VcpuLayout.STATE_OFFLINE) {
            return -Errno.EBUSY;
        }
        hv.intents.begin(cpu, Intents.SETUP, dom, st.dom(dom, DomainLayout.START_INFO_GFN),
                st.dom(dom, DomainLayout.SHARED_INFO_GFN));
        hv.memory.zero(sharedMfn << PhysicalMemory.FRAME_SHIFT, PhysicalMemory.FRAME_SIZE);
        st.dom(dom, DomainLayout.START_INFO_GFN, (int) startGfn);
        st.dom(dom, DomainLayout.SHARED_INFO_GFN, (int) sharedGfn);
        st.vcpu(dom, 0, dev.rehype.region.layout.VcpuLayout.PC, entry);
        st.vcpu(dom, 0, dev.rehype.region.layout.VcpuLayout.reg(10), startInfoGpa);
        st.vcpu(dom, 0, dev.rehype.region.layout.VcpuLayout.reg(11), 0);
        hv.sched.setVstate(vid, dev.rehype.region.layout.VcpuLayout.STATE_RUNNABLE, now);
        hv.sched.enqueue(vid);
        return 0;
    }

    /**
     * Copies console bytes from {@code offset} on; OUT u[3] = the offset of the first byte copied,
     * which is past {@code offset} when the ring no longer holds what the caller asked for (the
     * difference is output lost to the caller, who must say so).
     */
    private int consoleRead(HartPort hart, int a, int dom, int dst, int max, int offset) {
        if (max < 0 || max > MAX_COPY_BYTES || offset < 0) {
            return -Errno.EINVAL;
        }
        long written = Fields.u64(hv.st.s, hv.st.layout.console(dom) + ConsoleRingLayout.WRITTEN);
        long first = Math.min(written, Math.max(offset & 0xffffffffL, written - ConsoleRingLayout.RING_BYTES));
        hv.guest.writeU32(hart, a + U + 12, (int) first);
        byte[] bytes = hv.consoleBytes(dom, first, max);
        for (int i = 0; i < bytes.length; i += 4) {
            int word = 0;
            for (int k = 0; k < 4 && i + k < bytes.length; k++) {
                word |= (bytes[i + k] & 0xff) << (8 * k);
            }
            if (i + 4 <= bytes.length) {
                hv.guest.writeU32(hart, dst + i, word);
            } else {
                for (int k = 0; i + k < bytes.length; k++) {
                    writeByte(hart, dst + i + k, bytes[i + k]);
                }
            }
        }
        return bytes.length;
    }

    private void writeByte(HartPort hart, int va, byte b) {
        int aligned = va & ~3;
        int shift = 8 * (va & 3);
        int word = hv.guest.readU32(hart, aligned);
        hv.guest.writeU32(hart, aligned, (word & ~(0xff << shift)) | ((b & 0xff) << shift));
    }

    private int mapForeign(int cpu, int self, int target, long targetGfn, int localGpa) {
        CoreState st = hv.st;
        if (target == self) {
            return -Errno.EINVAL;
        }
        long mfn = hv.p2m.lookup(target, targetGfn);
        if (mfn < 0 || mfn >= hv.memory.frames() || hv.pages.owner(mfn) != target) {
            return -Errno.EINVAL;
        }
        long localGfn = (localGpa & 0xffffffffL) >>> PhysicalMemory.FRAME_SHIFT;
        long max = st.dom(self, DomainLayout.MAX_PAGES) & 0xffffffffL;
        if ((localGpa & 0xfff) != 0 || localGfn < P2m.RAM_BASE_GFN || localGfn >= P2m.RAM_BASE_GFN + max
                || hv.p2m.lookup(self, localGfn) >= 0) {
            return -Errno.EBUSY;
        }
        hv.intents.begin(cpu, Intents.MAP_FOREIGN, self, (int) localGfn, target, (int) targetGfn, (int) mfn);
        if (hv.grants.recordForeign(self, target, targetGfn, localGfn, mfn) < 0) {
            return -Errno.ENOSPC;
        }
        if (!hv.p2m.map(self, localGfn, mfn, true, cpu)) {
            hv.grants.release(self, hv.grants.handleAt(self, localGfn), cpu);
            return -Errno.ENOMEM;
        }
        return 0;
    }
}
