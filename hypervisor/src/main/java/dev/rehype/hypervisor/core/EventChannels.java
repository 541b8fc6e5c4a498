package dev.rehype.hypervisor.core;

import dev.rehype.machine.PhysicalMemory;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.EvtchnLayout;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.VcpuLayout;
import dev.rehype.machine.port.HartPort;

/**
 * Event channels (Xen's event_channel.c with the 2-level ABI of event_2l.c): port records in the
 * preserved region, pending and mask bits in each guest's shared_info page. Ports are handed out
 * lowest first. A send marks the peer port pending, sets the selector bit and the upcall flag of
 * the notified vCPU and kicks it; pollers of the port are woken whatever its mask.
 */
final class EventChannels {
    static final int ALLOC_UNBOUND = 6;
    static final int BIND_INTERDOMAIN = 0;
    static final int BIND_VIRQ = 1;
    static final int BIND_PIRQ = 2;
    static final int CLOSE = 3;
    static final int SEND = 4;
    static final int STATUS = 5;
    static final int BIND_VCPU = 8;
    static final int UNMASK = 9;
    static final int NR_VIRQS = 2;

    private final Hypervisor hv;
    private final CoreState st;
    private final PhysicalMemory memory;

    EventChannels(Hypervisor hv) {
        this.hv = hv;
        this.st = hv.st;
        this.memory = hv.memory;
    }

    int op(int cpu, int vid, HartPort hart, Hypercall.EventChannelOp c, long now) {
        int d = hv.sched.domid(vid);
        int a = c.arg();
        GuestMemory g = hv.guest;
        int lock = st.layout.domainLock(d);
        switch (c.cmd()) {
            case ALLOC_UNBOUND -> {
                int dom = g.readU16(hart, a);
                int remote = g.readU16(hart, a + 2);
                if (dom != Hypervisor.DOMID_SELF && dom != d) {
                    return -Errno.EPERM;
                }
                remote = remote == Hypervisor.DOMID_SELF ? d : remote;
                if (!st.domainActive(remote)) {
                    return -Errno.ESRCH;
                }
                hv.locks.acquire(lock, cpu);
                try {
                    int port = freePort(d);
                    if (port < 0) {
                        return -Errno.ENOSPC;
                    }
                    hv.intents.begin(cpu, Intents.EVTCHN_ALLOC_UNBOUND, d, port, remote);
                    set(d, port, EvtchnLayout.STATE_UNBOUND, remote, 0, 0);
                    g.writeU32(hart, a + 4, port);
                    return 0;
                } finally {
                    hv.locks.release(lock, cpu);
                }
            }
            case BIND_INTERDOMAIN -> {
                int remote = g.readU16(hart, a);
                int remotePort = g.readU32(hart, a + 4);
                remote = remote == Hypervisor.DOMID_SELF ? d : remote;
                if (!st.domainActive(remote)) {
                    return -Errno.ESRCH;
                }
                if (!validPort(remotePort)) {
                    return -Errno.EINVAL;
                }
                int first = Math.min(d, remote);
                int second = Math.max(d, remote);
                hv.locks.acquire(st.layout.domainLock(first), cpu);
                hv.locks.acquire(st.layout.domainLock(second), cpu);
                try {
                    if (state(remote, remotePort) != EvtchnLayout.STATE_UNBOUND || remoteDom(remote, remotePort) != d) {
                        return -Errno.EINVAL;
                    }
                    int port = freePort(d);
                    if (port < 0) {
                        return -Errno.ENOSPC;
                    }
                    hv.intents.begin(cpu, Intents.EVTCHN_BIND_INTERDOMAIN, d, port, remote, remotePort);
                    set(d, port, EvtchnLayout.STATE_INTERDOMAIN, remote, remotePort, 0);
                    set(remote, remotePort, EvtchnLayout.STATE_INTERDOMAIN, d, port, notifyVcpu(remote, remotePort));
                    g.writeU32(hart, a + 8, port);
                    return 0;
                } finally {
                    hv.locks.release(st.layout.domainLock(second), cpu);
                    hv.locks.release(st.layout.domainLock(first), cpu);
                }
            }
            case BIND_VIRQ -> {
                int virq = g.readU32(hart, a);
                int vcpu = g.readU32(hart, a + 4);
                if (virq < 0 || virq >= NR_VIRQS || vcpu < 0 || vcpu >= st.dom(d, DomainLayout.NR_VCPUS)) {
                    return -Errno.EINVAL;
                }
                hv.locks.acquire(lock, cpu);
                try {
                    for (int p = 1; p < EvtchnLayout.PORTS_PER_DOMAIN; p++) {
                        if (state(d, p) == EvtchnLayout.STATE_VIRQ && remotePort(d, p) == virq) {
                            return -Errno.EEXIST;
                        }
                    }
                    int port = freePort(d);
                    if (port < 0) {
                        return -Errno.ENOSPC;
                    }
                    hv.intents.begin(cpu, Intents.EVTCHN_BIND_VIRQ, d, port, virq);
                    set(d, port, EvtchnLayout.STATE_VIRQ, 0, virq, vcpu);
                    g.writeU32(hart, a + 8, port);
                    return 0;
                } finally {
                    hv.locks.release(lock, cpu);
                }
            }
            case BIND_PIRQ -> {
                int pirq = g.readU32(hart, a);
                if (pirq != Devices.NIC0) {
                    return -Errno.EINVAL;
                }
                if (hv.devices.nicOwner() != d) {
                    return -Errno.EPERM;
                }
                hv.locks.acquire(lock, cpu);
                try {
                    if (st.dom(d, DomainLayout.PIRQ_PORT) != 0) {
                        return -Errno.EEXIST;
                    }
                    int port = freePort(d);
                    if (port < 0) {
                        return -Errno.ENOSPC;
                    }
                    hv.intents.begin(cpu, Intents.EVTCHN_BIND_PIRQ, d, port, pirq);
                    set(d, port, EvtchnLayout.STATE_PIRQ, 0, pirq, 0);
                    st.dom(d, DomainLayout.PIRQ_PORT, port);
                    g.writeU32(hart, a + 8, port);
                    return 0;
                } finally {
                    hv.locks.release(lock, cpu);
                }
            }
            case CLOSE -> {
                int port = g.readU32(hart, a);
                if (!validPort(port) || state(d, port) == EvtchnLayout.STATE_CLOSED) {
                    return -Errno.EINVAL;
                }
                hv.intents.begin(cpu, Intents.EVTCHN_CLOSE, d, port);
                close(d, port, cpu);
                return 0;
            }
            case SEND -> {
                int port = g.readU32(hart, a);
                if (!validPort(port) || state(d, port) != EvtchnLayout.STATE_INTERDOMAIN) {
                    return -Errno.EINVAL;
                }
                int remote = remoteDom(d, port);
                int remotePort = remotePort(d, port);
                if (st.domainActive(remote)) {
                    setPending(remote, remotePort, now, cpu);
                }
                return 0;
            }
            case STATUS -> {
                int dom = g.readU16(hart, a);
                int port = g.readU32(hart, a + 4);
                dom = dom == Hypervisor.DOMID_SELF ? d : dom;
                if (dom != d && !hv.isPrivileged(d)) {
                    return -Errno.EPERM;
                }
                if (!st.domainExists(dom)) {
                    return -Errno.ESRCH;
                }
                if (!validPort(port)) {
                    return -Errno.EINVAL;
                }
                int s = state(dom, port);
                g.writeU32(hart, a + 8, s);
                g.writeU32(hart, a + 12, notifyVcpu(dom, port));
                g.writeU16(hart, a + 16, s == EvtchnLayout.STATE_CLOSED ? 0 : remoteDom(dom, port));
                g.writeU32(hart, a + 20, s == EvtchnLayout.STATE_INTERDOMAIN || s == EvtchnLayout.STATE_VIRQ
                        || s == EvtchnLayout.STATE_PIRQ ? remotePort(dom, port) : 0);
                return 0;
            }
            case BIND_VCPU -> {
                int port = g.readU32(hart, a);
                int vcpu = g.readU32(hart, a + 4);
                if (!validPort(port) || state(d, port) == EvtchnLayout.STATE_CLOSED || vcpu < 0
                        || vcpu >= st.dom(d, DomainLayout.NR_VCPUS)) {
                    return -Errno.EINVAL;
                }
                Fields.u16(st.s, st.layout.port(d, port) + EvtchnLayout.NOTIFY_VCPU, vcpu);
                return 0;
            }
            case UNMASK -> {
                int port = g.readU32(hart, a);
                if (!validPort(port)) {
                    return -Errno.EINVAL;
                }
                long si = hv.sharedInfo(d);
                if (si < 0) {
                    return -Errno.EINVAL;
                }
                clearBit(si + SharedInfo.EVTCHN_MASK, port);
                if (testBit(si + SharedInfo.EVTCHN_PENDING, port)) {
                    markEventsPending(d, notifyVcpu(d, port), port, now, cpu);
                }
                return 0;
            }
            default -> {
                return -Errno.ENOSYS;
            }
        }
    }

    boolean isPending(int domid, int port) {
        long si = hv.sharedInfo(domid);
        return si >= 0 && testBit(si + SharedInfo.EVTCHN_PENDING, port);
    }

    /** Marks {@code port} of {@code domid} pending and notifies as the 2-level ABI says. */
    void setPending(int domid, int port, long now, int cpu) {
        long si = hv.sharedInfo(domid);
        if (si < 0) {
            return;
        }
        boolean wasPending = testBit(si + SharedInfo.EVTCHN_PENDING, port);
        if (!wasPending) {
            setBit(si + SharedInfo.EVTCHN_PENDING, port);
            if (!testBit(si + SharedInfo.EVTCHN_MASK, port)) {
                markEventsPending(domid, notifyVcpu(domid, port), port, now, cpu);
            }
        }
        wakePollers(domid, port, now, cpu);
    }

    private void markEventsPending(int domid, int vcpu, int port, long now, int cpu) {
        long si = hv.sharedInfo(domid);
        if (si < 0) {
            return;
        }
        long vi = si + SharedInfo.vcpuInfo(vcpu);
        int word = port / 32;
        int sel = memory.read32(vi + SharedInfo.PENDING_SEL);
        memory.write32(vi + SharedInfo.PENDING_SEL, sel | (1 << word));
        if (memory.read8(vi + SharedInfo.UPCALL_PENDING) == 0) {
            memory.write8(vi + SharedInfo.UPCALL_PENDING, 1);
            hv.kick(hv.sched.vid(domid, vcpu), now, cpu);
        }
    }

    private void wakePollers(int domid, int port, long now, int cpu) {
        int nr = st.dom(domid, DomainLayout.NR_VCPUS);
        for (int v = 0; v < nr; v++) {
            if ((st.vcpu(domid, v, VcpuLayout.FLAGS) & VcpuLayout.FLAG_POLLING) == 0) {
                continue;
            }
            int count = st.vcpu(domid, v, VcpuLayout.POLL_COUNT);
            for (int i = 0; i < count; i++) {
                if (st.vcpu(domid, v, VcpuLayout.POLL_PORTS + 4L * i) == port) {
                    hv.wake(hv.sched.vid(domid, v), now, cpu);
                    break;
                }
            }
        }
    }

    /** Recovery: makes the unbound end {@code (domid, port)} the peer of {@code (peer, peerPort)}. */
    void completeBinding(int domid, int port, int peer, int peerPort) {
        set(domid, port, EvtchnLayout.STATE_INTERDOMAIN, peer, peerPort, notifyVcpu(domid, port));
    }

    /**
     * Recovery: makes the interdomain end {@code (domid, port)} unbound again, offered to
     * {@code remoteDom} as it was before a bind cut short (its notified vCPU kept).
     */
    void reopen(int domid, int port, int remoteDom) {
        set(domid, port, EvtchnLayout.STATE_UNBOUND, remoteDom, 0, notifyVcpu(domid, port));
    }

    /** Recovery: closes one end without touching the other. */
    void forceClose(int domid, int port) {
        set(domid, port, EvtchnLayout.STATE_CLOSED, 0, 0, 0);
    }

    /**
     * Recovery: for a pending, unmasked port, makes sure its selector bit and the notified vCPU's
     * upcall flag are set and the vCPU (and any poller) is woken; true when something was missing.
     */
    boolean renotify(int domid, int port, long now) {
        long si = hv.sharedInfo(domid);
        boolean changed = false;
        if (!testBit(si + SharedInfo.EVTCHN_MASK, port)) {
            int vcpu = notifyVcpu(domid, port);
            long vi = si + SharedInfo.vcpuInfo(vcpu);
            int sel = memory.read32(vi + SharedInfo.PENDING_SEL);
            int bit = 1 << (port / 32);
            if ((sel & bit) == 0 || memory.read8(vi + SharedInfo.UPCALL_PENDING) == 0) {
                memory.write32(vi + SharedInfo.PENDING_SEL, sel | bit);
                memory.write8(vi + SharedInfo.UPCALL_PENDING, 1);
                changed = true;
            }
            int vid = hv.sched.vid(domid, vcpu);
            if (hv.sched.vstate(vid) == dev.rehype.region.layout.VcpuLayout.STATE_BLOCKED) {
                hv.wake(vid, now, -1);
                changed = true;
            }
        }
        int nr = st.dom(domid, DomainLayout.NR_VCPUS);
        for (int v = 0; v < nr; v++) {
            if ((st.vcpu(domid, v, VcpuLayout.FLAGS) & VcpuLayout.FLAG_POLLING) != 0
                    && hv.sched.vstate(hv.sched.vid(domid, v)) == VcpuLayout.STATE_BLOCKED) {
                int count = st.vcpu(domid, v, VcpuLayout.POLL_COUNT);
                for (int i = 0; i < count; i++) {
                    if (st.vcpu(domid, v, VcpuLayout.POLL_PORTS + 4L * i) == port) {
                        hv.wake(hv.sched.vid(domid, v), now, -1);
                        changed = true;
                        break;
                    }
                }
            }
        }
        return changed;
    }

    void close(int domid, int port, int cpu) {
        int s = state(domid, port);
        if (s == EvtchnLayout.STATE_INTERDOMAIN) {
            int remote = remoteDom(domid, port);
            int remotePort = remotePort(domid, port);
            if (st.domainExists(remote) && state(remote, remotePort) == EvtchnLayout.STATE_INTERDOMAIN
                    && remoteDom(remote, remotePort) == domid && remotePort(remote, remotePort) == port) {
                set(remote, remotePort, EvtchnLayout.STATE_UNBOUND, domid, 0, notifyVcpu(remote, remotePort));
            }
        }
        if (s == EvtchnLayout.STATE_PIRQ && st.dom(domid, DomainLayout.PIRQ_PORT) == port) {
            st.dom(domid, DomainLayout.PIRQ_PORT, 0);
        }
        set(domid, port, EvtchnLayout.STATE_CLOSED, 0, 0, 0);
    }

    void closeAll(int domid) {
        for (int p = 1; p < EvtchnLayout.PORTS_PER_DOMAIN; p++) {
            if (state(domid, p) != EvtchnLayout.STATE_CLOSED) {
                close(domid, p, 0);
            }
        }
    }

    int state(int domid, int port) {
        return Fields.u8(st.s, st.layout.port(domid, port) + EvtchnLayout.STATE);
    }

    int remoteDom(int domid, int port) {
        return Fields.u16(st.s, st.layout.port(domid, port) + EvtchnLayout.REMOTE_DOM);
    }

    int remotePort(int domid, int port) {
        return Fields.u32(st.s, st.layout.port(domid, port) + EvtchnLayout.REMOTE_PORT);
    }

    int notifyVcpu(int domid, int port) {
        return Fields.u16(st.s, st.layout.port(domid, port) + EvtchnLayout.NOTIFY_VCPU);
    }

    private void set(int domid, int port, int state, int remoteDom, int remotePort, int vcpu) {
        long e = st.layout.port(domid, port);
        Fields.u8(st.s, e + EvtchnLayout.STATE, state);
        Fields.u16(st.s, e + EvtchnLayout.NOTIFY_VCPU, vcpu);
        Fields.u16(st.s, e + EvtchnLayout.REMOTE_DOM, remoteDom);
        Fields.u32(st.s, e + EvtchnLayout.REMOTE_PORT, remotePort);
    }

    private int freePort(int domid) {
        for (int p = 1; p < EvtchnLayout.PORTS_PER_DOMAIN; p++) {
            if (state(domid, p) == EvtchnLayout.STATE_CLOSED) {
                return p;
            }
        }
        return -1;
    }

    private static boolean validPort(int port) {
        return port > 0 && port < EvtchnLayout.PORTS_PER_DOMAIN;
    }

    private boolean testBit(long base, int bit) {
        return (memory.read32(base + 4L * (bit / 32)) & (1 << (bit % 32))) != 0;
    }

    private void setBit(long base, int bit) {
        long at = base + 4L * (bit / 32);
        memory.write32(at, memory.read32(at) | (1 << (bit % 32)));
    }

    private void clearBit(long base, int bit) {
        long at = base + 4L * (bit / 32);
        memory.write32(at, memory.read32(at) & ~(1 << (bit % 32)));
    }
}
