package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.CoreHeaderLayout;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.EvtchnLayout;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.FrameTableLayout;
import dev.rehype.region.layout.GrantLayout;
import dev.rehype.region.layout.PerCpuLayout;
import dev.rehype.region.layout.VcpuLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * The full audit of the core's preserved state: the free list, every frame's owner, type and
 * reference counts against the P2M mappings that exist, each domain's page count, the symmetry
 * of interdomain event channels, the running vCPUs against the per-CPU current pointers, vCPUs
 * of domains no longer active (all offline), interrupts left in service, and the lock words; and
 * what a domain build cut short leaves: P2M tables linked nowhere, frames owned by a domain that
 * does not exist, a domain whose root is not its own table, vCPUs or open ports in a free slot,
 * and per-CPU hypercall or intent records left between traps.
 * Returns every problem it finds (tests assert it is empty after each step; recovery runs it to
 * see what a crash left behind).
 */
final class Audit {
    private final Hypervisor hv;
    private final CoreState st;
    private final List<String> problems = new ArrayList<>();

    Audit(Hypervisor hv) {
        this.hv = hv;
        this.st = hv.st;
    }

    List<String> run() {
        int frames = hv.memory.frames();
        checkFreeList(frames);
        int[] refs = new int[frames];
        int[] writableRefs = new int[frames];
        for (int d = 0; d < st.maxDomains(); d++) {
            if (st.domainExists(d)) {
                checkDomain(d, refs, writableRefs);
            }
        }
        checkGrants();
        checkDevices();
        checkInterrupts();
        for (int mfn = 0; mfn < frames; mfn++) {
            if (hv.pages.refcount(mfn) != refs[mfn]) {
                problems.add("frame " + mfn + ": reference count " + hv.pages.refcount(mfn) + ", mappings " + refs[mfn]);
            }
            if (hv.pages.typecount(mfn) != writableRefs[mfn]) {
                problems.add("frame " + mfn + ": type count " + hv.pages.typecount(mfn) + ", writable mappings "
                        + writableRefs[mfn]);
            }
            int type = hv.pages.type(mfn);
            if (type == FrameTableLayout.TYPE_RAM && refs[mfn] == 0) {
                problems.add("frame " + mfn + ": RAM of d" + hv.pages.owner(mfn) + " mapped nowhere (leaked)");
            }
        }
        checkVcpus();
        checkOwnership(frames);
        checkFreeSlots();
        checkPerCpu();
        for (int lock = 0; lock < st.layout.lockCount(); lock++) {
            if (hv.locks.owner(lock) >= 0) {
                problems.add("lock " + lock + " is held by cpu " + hv.locks.owner(lock));
            }
        }
        return problems;
    }

    private void checkFreeList(int frames) {
        int count = 0;
        int mfn = st.header(CoreHeaderLayout.FREE_HEAD);
        while (mfn >= 0) {
            if (mfn >= frames) {
                problems.add("free list points outside memory: " + mfn);
                return;
            }
            if (hv.pages.type(mfn) != FrameTableLayout.TYPE_FREE) {
                problems.add("free list holds frame " + mfn + " of type " + hv.pages.type(mfn));
            }
            if (++count > frames) {
                problems.add("free list has a cycle");
                return;
            }
            mfn = hv.pages.nextFree(mfn);
        }
        if (count != st.header(CoreHeaderLayout.FREE_COUNT)) {
            problems.add("free list holds " + count + " frames, header says " + st.header(CoreHeaderLayout.FREE_COUNT));
        }
        int typedFree = 0;
        for (int f = 0; f < frames; f++) {
            if (hv.pages.type(f) == FrameTableLayout.TYPE_FREE) {
                typedFree++;
            }
        }
        if (typedFree != count) {
            problems.add(typedFree + " frames are typed free, " + count + " are on the free list");
        }
    }

    private void checkDomain(int d, int[] refs, int[] writableRefs) {
        int frames = hv.memory.frames();
        int[] own = {0};
        hv.p2m.forEachMapping(d, (gfn, mfn) -> {
            if (mfn >= frames) {
                if (hv.devices.nicOwner() != d || gfn != Devices.NIC_GFN) {
                    problems.add("d" + d + " maps gfn 0x" + Long.toHexString(gfn) + " to non-RAM frame 0x"
                            + Long.toHexString(mfn) + " it was not assigned");
                }
                return;
            }
            refs[(int) mfn]++;
            if (hv.p2m.writable(d, gfn)) {
                writableRefs[(int) mfn]++;
            }
            if (hv.pages.owner(mfn) == d && hv.pages.type(mfn) == FrameTableLayout.TYPE_RAM) {
                own[0]++;
                return;
            }
            int handle = hv.grants.handleAt(d, gfn);
            if (handle < 0 || (Fields.u32(st.s, st.layout.maptrack(d, handle) + GrantLayout.MT_MFN) & 0xffffffffL) != mfn) {
                problems.add("d" + d + " maps gfn 0x" + Long.toHexString(gfn) + " to frame " + mfn + " owned by d"
                        + hv.pages.owner(mfn) + " (type " + hv.pages.type(mfn) + ") without a grant or foreign mapping");
            }
        });
        if (own[0] != st.dom(d, DomainLayout.TOT_PAGES)) {
            problems.add("d" + d + ": tot_pages " + st.dom(d, DomainLayout.TOT_PAGES) + ", own pages mapped " + own[0]);
        }
        for (int p = 1; p < EvtchnLayout.PORTS_PER_DOMAIN; p++) {
            if (hv.evtchn.state(d, p) != EvtchnLayout.STATE_INTERDOMAIN) {
                continue;
            }
            int rd = hv.evtchn.remoteDom(d, p);
            int rp = hv.evtchn.remotePort(d, p);
            if (!st.domainExists(rd) || rp <= 0 || rp >= EvtchnLayout.PORTS_PER_DOMAIN
                    || hv.evtchn.state(rd, rp) != EvtchnLayout.STATE_INTERDOMAIN
                    || hv.evtchn.remoteDom(rd, rp) != d || hv.evtchn.remotePort(rd, rp) != p) {
                problems.add("d" + d + " port " + p + " is bound to d" + rd + " port " + rp + " which is not bound back");
            }
        }
    }

    /** Every active grant's pins equal the map-track entries that name it. */
    private void checkGrants() {
        int[][] ro = new int[st.maxDomains()][GrantLayout.MAX_REFS];
        int[][] rw = new int[st.maxDomains()][GrantLayout.MAX_REFS];
        for (int d = 0; d < st.maxDomains(); d++) {
            if (!st.domainExists(d)) {
                continue;
            }
            for (int h = 0; h < GrantLayout.MAPTRACK_ENTRIES; h++) {
                long mt = st.layout.maptrack(d, h);
                int kind = Fields.u8(st.s, mt + GrantLayout.MT_KIND);
                if (kind == GrantLayout.KIND_ORPHAN) {
                    long mfn = Fields.u32(st.s, mt + GrantLayout.MT_MFN) & 0xffffffffL;
                    if (mfn >= hv.memory.frames() || hv.pages.owner(mfn) != FrameTableLayout.OWNER_NONE
                            || hv.pages.type(mfn) != FrameTableLayout.TYPE_RAM) {
                        problems.add("d" + d + " map-track " + h + " is an orphan of frame " + mfn
                                + " which is not an ownerless RAM frame");
                    }
                }
                if (kind != GrantLayout.KIND_GRANT) {
                    continue;
                }
                int granter = Fields.u16(st.s, mt + GrantLayout.MT_DOM);
                int ref = Fields.u32(st.s, mt + GrantLayout.MT_REF);
                if (granter >= st.maxDomains() || ref < 0 || ref >= GrantLayout.MAX_REFS) {
                    problems.add("d" + d + " map-track " + h + " names grant d" + granter + " ref " + ref);
                    continue;
                }
                if (Fields.u8(st.s, mt + GrantLayout.MT_READONLY) != 0) {
                    ro[granter][ref]++;
                } else {
                    rw[granter][ref]++;
                }
            }
        }
        for (int g = 0; g < st.maxDomains(); g++) {
            for (int ref = 0; ref < GrantLayout.MAX_REFS; ref++) {
                long act = st.layout.activeGrant(g, ref);
                int pinRo = Fields.u16(st.s, act + GrantLayout.PIN_RO);
                int pinRw = Fields.u16(st.s, act + GrantLayout.PIN_RW);
                if (pinRo != ro[g][ref] || pinRw != rw[g][ref]) {
                    problems.add("grant d" + g + " ref " + ref + ": pins " + pinRo + "/" + pinRw + ", mappings "
                            + ro[g][ref] + "/" + rw[g][ref]);
                }
            }
        }
    }

    private void checkDevices() {
        int owner = hv.devices.nicOwner();
        long root = hv.machine.nic().dmaRoot();
        if (owner >= 0 ? !st.domainExists(owner) || root != hv.p2m.root(owner) : root != dev.rehype.machine.Nic.DMA_BLOCKED) {
            problems.add("NIC DMA context " + root + " does not match its owner d" + owner);
        }
    }

    /** Between traps no CPU is inside an interrupt handler: no source may be left in service. */
    private void checkInterrupts() {
        for (int c = 0; c < hv.cpus; c++) {
            for (int source : hv.machine.interrupts().inService(c)) {
                problems.add("interrupt " + source + " in service on cpu " + c + " with no handler running");
            }
        }
    }

    /**
     * Every frame that is not free belongs to a domain that exists (or to nobody: an orphan's
     * RAM), and every P2M frame is its domain's root or linked from it.
     */
    private void checkOwnership(int frames) {
        boolean[] linked = new boolean[frames];
        for (int d = 0; d < st.maxDomains(); d++) {
            if (!st.domainExists(d)) {
                continue;
            }
            long root = hv.p2m.root(d);
            if (!hv.p2m.rootIsOwn(d)) {
                problems.add("d" + d + ": P2M root " + root + " is not a P2M table of its own");
                continue;
            }
            linked[(int) root] = true;
            hv.p2m.forEachTable(d, t -> {
                if (t < frames) {
                    linked[(int) t] = true;
                }
            });
        }
        for (int mfn = 0; mfn < frames; mfn++) {
            int type = hv.pages.type(mfn);
            if (type == FrameTableLayout.TYPE_FREE) {
                continue;
            }
            int owner = hv.pages.owner(mfn);
            if (owner == FrameTableLayout.OWNER_HYPERVISOR) {
                continue;
            }
            if (owner == FrameTableLayout.OWNER_NONE) {
                if (type != FrameTableLayout.TYPE_RAM) {
                    problems.add("frame " + mfn + ": type " + type + " owned by nobody");
                }
                continue;
            }
            if (!st.domainExists(owner)) {
                problems.add("frame " + mfn + ": " + (type == FrameTableLayout.TYPE_RAM ? "RAM" : "type " + type)
                        + " owned by d" + owner + ", which does not exist");
            } else if (type == FrameTableLayout.TYPE_P2M && !linked[mfn]) {
                problems.add("frame " + mfn + ": P2M table of d" + owner + " linked nowhere");
            }
        }
    }

    /** A free domain slot has no vCPU out of offline and no open port. */
    private void checkFreeSlots() {
        for (int d = 0; d < st.maxDomains(); d++) {
            if (st.domainExists(d)) {
                continue;
            }
            for (int v = 0; v < st.maxVcpus(); v++) {
                if (st.vcpu(d, v, VcpuLayout.STATE) != VcpuLayout.STATE_OFFLINE) {
                    problems.add("free slot d" + d + ": vcpu " + v + " in state " + st.vcpu(d, v, VcpuLayout.STATE));
                }
            }
            for (int p = 1; p < EvtchnLayout.PORTS_PER_DOMAIN; p++) {
                if (hv.evtchn.state(d, p) != EvtchnLayout.STATE_CLOSED) {
                    problems.add("free slot d" + d + ": port " + p + " in state " + hv.evtchn.state(d, p));
                }
            }
        }
    }

    /** Between traps no CPU is inside a hypercall or a domctl/event-channel operation. */
    private void checkPerCpu() {
        for (int c = 0; c < hv.cpus; c++) {
            long rec = st.layout.perCpu(c);
            if (Fields.u32(st.s, rec + PerCpuLayout.ACTIVE) != 0) {
                problems.add("cpu " + c + ": hypercall " + Fields.u32(st.s, rec + PerCpuLayout.NR)
                        + " recorded in progress between traps");
            }
            int op = hv.intents.op(c);
            if (op != Intents.NONE || hv.intents.phase(c) != PerCpuLayout.PHASE_WORKING) {
                problems.add("cpu " + c + ": " + Intents.name(op) + " intent of d" + hv.intents.domain(c)
                        + " left recorded (phase " + hv.intents.phase(c) + ")");
            }
        }
    }

    private void checkVcpus() {
        int total = st.maxDomains() * st.maxVcpus();
        for (int vid = 0; vid < total; vid++) {
            int d = hv.sched.domid(vid);
            if (st.domainExists(d) && !st.domainActive(d) && hv.sched.vstate(vid) != VcpuLayout.STATE_OFFLINE) {
                problems.add("vcpu d" + d + "v" + hv.sched.vcpuid(vid) + " is in state " + hv.sched.vstate(vid)
                        + " for a domain that is no longer active");
            }
            if (!st.domainActive(d) || hv.sched.vstate(vid) != VcpuLayout.STATE_RUNNING) {
                continue;
            }
            int cpu = hv.sched.processor(vid);
            if (cpu < 0 || cpu >= hv.cpus || hv.sched.current[cpu] != vid) {
                problems.add("vcpu d" + d + "v" + hv.sched.vcpuid(vid) + " is RUNNING on cpu " + cpu
                        + " which runs " + (cpu >= 0 && cpu < hv.cpus ? hv.sched.current[cpu] : -1));
            }
        }
    }
}
