package dev.rehype.hypervisor.core;

import dev.rehype.machine.Hart;
import dev.rehype.region.layout.CoreTablesLayout;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.VcpuLayout;

/**
 * domctl: management operations of the privileged domain (Xen's do_domctl): query, pause,
 * unpause, destroy, limit memory, query vCPUs. Refused with -EPERM for everyone else.
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
    private static final int U = 12;

    private final Hypervisor hv;

    Domctl(Hypervisor hv) {
        this.hv = hv;
    }

    int op(int cpu, int vid, Hart hart, Hypercall.Domctl c, long now) {
        CoreState st = hv.st;
        int self = hv.sched.domid(vid);
        if (!hv.isPrivileged(self)) {
            return -Errno.EPERM;
        }
        GuestMemory g = hv.guest;
        int a = c.arg();
        int cmd = g.readU32(hart, a);
        if (g.readU32(hart, a + 4) != INTERFACE_VERSION) {
            return -Errno.EINVAL;
        }
        int dom = g.readU16(hart, a + 8);
        dom = dom == Hypervisor.DOMID_SELF ? self : dom;
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
                    if (!st.domainActive(dom)) {
                        return -Errno.EINVAL;
                    }
                    int count = st.dom(dom, DomainLayout.PAUSE_COUNT);
                    if (cmd == UNPAUSEDOMAIN && count == 0) {
                        return -Errno.EINVAL;
                    }
                    st.dom(dom, DomainLayout.PAUSE_COUNT, cmd == PAUSEDOMAIN ? count + 1 : count - 1);
                    hv.reschedule(dom, cpu);
                    return 0;
                }
                case DESTROYDOMAIN -> {
                    if (dom == self) {
                        return -Errno.EINVAL;
                    }
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
                default -> {
                    return -Errno.ENOSYS;
                }
            }
        } finally {
            hv.locks.release(CoreTablesLayout.LOCK_DOMCTL, cpu);
        }
    }
}
