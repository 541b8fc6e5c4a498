package dev.rehype.hypervisor.core;

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
 * Inconsistency removed: a multi-step domctl or event-channel operation cut short half done — a
 * domain created whose domid never reached the toolstack, a domain's RAM half populated, a pause
 * count changed with no result, a domain's boot vCPU made runnable by a setup that never
 * answered, the NIC half assigned, a foreign mapping without its map-track record, a port
 * allocated or half bound but never returned, a domain half destroyed. Running the hypercall again
 * cannot fix these (a second createdomain makes a second domain, a second alloc_unbound a second
 * port) and failing it with -EAGAIN leaves the half behind. From each CPU's intent record
 * ({@link Intents}): an operation that adds something is undone, and its hypercall is marked to be
 * run again from its ecall (RETRY_HYPERCALL rewinds it; in a multicall, RESUME_MULTICALL runs the
 * entry again); one that takes something away (destroy, unmap_foreign, deassign, close) is
 * finished and its hypercall completed with 0. An operation whose result had already reached the
 * guest is only completed; a covered operation cut short before it recorded an intent had changed
 * nothing and is marked to run again.
 *
 * <p>Restartable: an undo or finish cut short by a failure during recovery is done again from the
 * state it left (each effect is checked before it is undone or done). Frame counts of the frames
 * it touches are set from the mappings that exist, so it does not depend on RECOMPUTE_FRAME_COUNTS.
 */
final class RepairSettleIntents implements Repair {
    @Override
    public List<String> repair(Hypervisor hv, long nowCycles) {
        List<String> changes = new ArrayList<>();
        Intents in = hv.intents;
        for (int c = 0; c < hv.cpus; c++) {
            long rec = hv.st.layout.perCpu(c);
            int op = in.op(c);
            int phase = in.phase(c);
            if (Fields.u32(hv.st.s, rec + PerCpuLayout.ACTIVE) == 0) {
                if (op != Intents.NONE || phase != PerCpuLayout.PHASE_WORKING) {
                    in.clear(c);
                    changes.add("cpu " + c + ": " + Intents.name(op) + " intent of a finished hypercall cleared");
                }
                continue;
            }
            if (phase == PerCpuLayout.PHASE_UNDONE) {
                continue;
            }
            int nr = Fields.u32(hv.st.s, rec + PerCpuLayout.NR);
            if (op == Intents.NONE) {
                if (nr != Hypercall.MULTICALL && Intents.covered(nr, Fields.u32(hv.st.s, rec + PerCpuLayout.ARGS),
                        Fields.u32(hv.st.s, rec + PerCpuLayout.SUBOP))) {
                    Fields.u32(hv.st.s, rec + PerCpuLayout.INTENT_PHASE, PerCpuLayout.PHASE_UNDONE);
                    changes.add("cpu " + c + ": hypercall " + nr + " cut short before it changed anything: to run again");
                }
                continue;
            }
            int entry = in.entry(c);
            int dom = in.domain(c);
            String what = Intents.name(op) + " of d" + dom;
            if (phase == PerCpuLayout.PHASE_DELIVERED) {
                if (entry < 0) {
                    Fields.u32(hv.st.s, rec + PerCpuLayout.ACTIVE, 0);
                } else if (Fields.u32(hv.st.s, rec + PerCpuLayout.PROGRESS) == entry) {
                    Fields.u32(hv.st.s, rec + PerCpuLayout.PROGRESS, entry + 1);
                }
                in.clear(c);
                changes.add("cpu " + c + ": " + what + " had delivered its result: completed");
                continue;
            }
            if (Intents.undone(op)) {
                String done = undo(hv, c, op, dom, nowCycles);
                if (entry < 0) {
                    Fields.u32(hv.st.s, rec + PerCpuLayout.INTENT_PHASE, PerCpuLayout.PHASE_UNDONE);
                } else {
                    in.clear(c);
                }
                changes.add("cpu " + c + ": " + what + " undone (" + done + "): to run again");
            } else {
                String done = finish(hv, c, op, dom, nowCycles);
                if (entry < 0) {
                    int who = Fields.u32(hv.st.s, rec + PerCpuLayout.VCPU);
                    if (hv.st.domainActive(who >>> 16)) {
                        hv.st.vcpu(who >>> 16, who & 0xffff, VcpuLayout.reg(10), 0);
                    }
                    Fields.u32(hv.st.s, rec + PerCpuLayout.ACTIVE, 0);
                }
                in.clear(c);
                changes.add("cpu " + c + ": " + what + " finished (" + done + ")" + (entry < 0 ? ": completed with 0" : ""));
            }
        }
        return changes;
    }

    /** Undoes what {@code op} did to {@code dom}; returns what it undid. */
    private static String undo(Hypervisor hv, int cpu, int op, int dom, long now) {
        Intents in = hv.intents;
        CoreState st = hv.st;
        EventChannels ev = hv.evtchn;
        switch (op) {
            case Intents.CREATEDOMAIN -> {
                boolean existed = st.domainExists(dom);
                hv.destroyDomain(dom, 0, now);
                int frames = settleFramesOf(hv, dom);
                return (existed ? "domain torn down" : "slot released") + ", " + frames + " frames freed";
            }
            case Intents.POPULATE -> {
                int tot0 = in.arg(cpu, 0);
                int nr = in.arg(cpu, 1);
                if (!st.domainExists(dom) || !hv.p2m.rootIsOwn(dom)) {
                    return "domain gone";
                }
                int removed = 0;
                for (int i = 0; i < nr; i++) {
                    long gfn = P2m.RAM_BASE_GFN + (tot0 & 0xffffffffL) + i;
                    long mfn = hv.p2m.lookup(dom, gfn);
                    if (mfn >= 0 && mfn < hv.memory.frames() && hv.pages.owner(mfn) == dom
                            && hv.pages.type(mfn) == FrameTableLayout.TYPE_RAM) {
                        hv.p2m.clear(dom, gfn);
                        setCounts(hv, mfn, 0, 0);
                        hv.pages.free(mfn, 0);
                        removed++;
                    }
                }
                int strays = freeStrays(hv, dom);
                st.dom(dom, DomainLayout.TOT_PAGES, tot0);
                return removed + " of " + nr + " frames unmapped and freed, " + strays + " stray frames freed, tot_pages "
                        + tot0;
            }
            case Intents.PAUSE, Intents.UNPAUSE -> {
                if (!st.domainExists(dom)) {
                    return "domain gone";
                }
                st.dom(dom, DomainLayout.PAUSE_COUNT, in.arg(cpu, 0));
                return "pause count " + in.arg(cpu, 0);
            }
            case Intents.SETUP -> {
                if (!st.domainExists(dom)) {
                    return "domain gone";
                }
                int vid = hv.sched.vid(dom, 0);
                if (hv.sched.vstate(vid) != VcpuLayout.STATE_OFFLINE) {
                    hv.sched.setVstate(vid, VcpuLayout.STATE_OFFLINE, now);
                }
                st.dom(dom, DomainLayout.START_INFO_GFN, in.arg(cpu, 0));
                st.dom(dom, DomainLayout.SHARED_INFO_GFN, in.arg(cpu, 1));
                return "vcpu 0 offline, boot pages unset";
            }
            case Intents.ASSIGN_DEVICE -> {
                boolean undone = hv.devices.undoAssign(dom);
                int strays = st.domainExists(dom) ? freeStrays(hv, dom) : 0;
                return (undone ? "NIC released" : "NIC not yet assigned") + ", " + strays + " stray frames freed";
            }
            case Intents.MAP_FOREIGN -> {
                long localGfn = in.arg(cpu, 0) & 0xffffffffL;
                long mfn = in.arg(cpu, 3) & 0xffffffffL;
                if (!st.domainExists(dom) || !hv.p2m.rootIsOwn(dom)) {
                    return "domain gone";
                }
                int handle = hv.grants.handleAt(dom, localGfn);
                long mt = handle < 0 ? -1 : st.layout.maptrack(dom, handle);
                boolean record = mt >= 0 && Fields.u8(st.s, mt + GrantLayout.MT_KIND) == GrantLayout.KIND_FOREIGN;
                if (record) {
                    st.s.asSlice(mt, GrantLayout.MAPTRACK_BYTES).fill((byte) 0);
                }
                boolean mapped = hv.p2m.lookup(dom, localGfn) == mfn;
                if (mapped) {
                    hv.p2m.clear(dom, localGfn);
                }
                recount(hv, mfn);
                int strays = freeStrays(hv, dom);
                return (record ? "map-track record dropped" : "no map-track record") + ", "
                        + (mapped ? "mapping removed" : "not mapped") + ", " + strays + " stray frames freed";
            }
            case Intents.EVTCHN_ALLOC_UNBOUND -> {
                int port = in.arg(cpu, 0);
                if (st.domainExists(dom) && ev.state(dom, port) == EvtchnLayout.STATE_UNBOUND
                        && ev.remoteDom(dom, port) == in.arg(cpu, 1)) {
                    ev.forceClose(dom, port);
                    return "port " + port + " closed";
                }
                return "port " + port + " not yet allocated";
            }
            case Intents.EVTCHN_BIND_INTERDOMAIN -> {
                int port = in.arg(cpu, 0);
                int remote = in.arg(cpu, 1);
                int remotePort = in.arg(cpu, 2);
                StringBuilder b = new StringBuilder();
                if (st.domainExists(dom) && ev.state(dom, port) != EvtchnLayout.STATE_CLOSED) {
                    ev.forceClose(dom, port);
                    b.append("port ").append(port).append(" closed");
                }
                if (st.domainExists(remote) && ev.state(remote, remotePort) == EvtchnLayout.STATE_INTERDOMAIN
                        && ev.remoteDom(remote, remotePort) == dom
                        && (ev.remotePort(remote, remotePort) == port || ev.remotePort(remote, remotePort) == 0)) {
                    ev.reopen(remote, remotePort, dom);
                    b.append(b.isEmpty() ? "" : ", ").append("d").append(remote).append(" port ").append(remotePort)
                            .append(" unbound again");
                }
                return b.isEmpty() ? "nothing bound yet" : b.toString();
            }
            case Intents.EVTCHN_BIND_VIRQ, Intents.EVTCHN_BIND_PIRQ -> {
                int port = in.arg(cpu, 0);
                if (!st.domainExists(dom)) {
                    return "domain gone";
                }
                if (op == Intents.EVTCHN_BIND_PIRQ && st.dom(dom, DomainLayout.PIRQ_PORT) == port) {
                    st.dom(dom, DomainLayout.PIRQ_PORT, 0);
                }
                if (ev.state(dom, port) != EvtchnLayout.STATE_CLOSED) {
                    ev.forceClose(dom, port);
                    return "port " + port + " closed";
                }
                return "port " + port + " not yet bound";
            }
            default -> throw new HypervisorPanic("intent " + op + " is not one recovery undoes");
        }
    }

    /** Finishes what {@code op} began on {@code dom}; returns what it did. */
    private static String finish(Hypervisor hv, int cpu, int op, int dom, long now) {
        Intents in = hv.intents;
        CoreState st = hv.st;
        switch (op) {
            case Intents.DESTROY -> {
                hv.destroyDomain(dom, 0, now);
                return "domain torn down, " + settleFramesOf(hv, dom) + " frames freed or handed to nobody";
            }
            case Intents.UNMAP_FOREIGN -> {
                long localGfn = in.arg(cpu, 0) & 0xffffffffL;
                long mfn = in.arg(cpu, 1) & 0xffffffffL;
                if (st.domainExists(dom) && hv.p2m.rootIsOwn(dom)) {
                    if (hv.p2m.lookup(dom, localGfn) == mfn) {
                        hv.p2m.clear(dom, localGfn);
                    }
                    int handle = hv.grants.handleAt(dom, localGfn);
                    if (handle >= 0) {
                        st.s.asSlice(st.layout.maptrack(dom, handle), GrantLayout.MAPTRACK_BYTES).fill((byte) 0);
                    }
                }
                int refs = recount(hv, mfn);
                if (mfn < hv.memory.frames() && refs == 0 && hv.pages.owner(mfn) == FrameTableLayout.OWNER_NONE
                        && hv.pages.type(mfn) == FrameTableLayout.TYPE_RAM) {
                    hv.pages.free(mfn, 0);
                    return "unmapped; its orphaned frame freed";
                }
                return "unmapped";
            }
            case Intents.DEASSIGN_DEVICE -> {
                hv.devices.finishDeassign(dom);
                return "NIC released";
            }
            case Intents.EVTCHN_CLOSE -> {
                int port = in.arg(cpu, 0);
                if (st.domainExists(dom) && hv.evtchn.state(dom, port) != EvtchnLayout.STATE_CLOSED) {
                    hv.evtchn.close(dom, port, 0);
                }
                return "port " + port + " closed";
            }
            default -> throw new HypervisorPanic("intent " + op + " is not one recovery finishes");
        }
    }

    /**
     * Frames still owned by {@code dom}, whose slot is free (creation undone, destruction
     * finished): tables are freed; RAM is freed when nothing maps it, or else handed to nobody (an
     * orphan's frame) with counts set from the mappings. Returns how many frames it settled.
     */
    static int settleFramesOf(Hypervisor hv, int dom) {
        int frames = hv.memory.frames();
        int[][] counts = null;
        int settled = 0;
        for (int mfn = 0; mfn < frames; mfn++) {
            if (hv.pages.owner(mfn) != dom || hv.pages.type(mfn) == FrameTableLayout.TYPE_FREE) {
                continue;
            }
            if (counts == null) {
                counts = mappingCounts(hv);
            }
            setCounts(hv, mfn, counts[0][mfn], counts[1][mfn]);
            if (hv.pages.type(mfn) == FrameTableLayout.TYPE_RAM && counts[0][mfn] > 0) {
                Fields.u16(hv.st.s, hv.st.layout.frame(mfn) + FrameTableLayout.OWNER, FrameTableLayout.OWNER_NONE);
            } else {
                setCounts(hv, mfn, 0, 0);
                hv.pages.free(mfn, 0);
            }
            settled++;
        }
        return settled;
    }

    /**
     * Frames of existing domain {@code dom} that an operation cut short left unreachable: P2M
     * tables linked nowhere (allocated, never entered in the root) and RAM mapped nowhere
     * (allocated, never mapped); freed. Returns how many.
     */
    static int freeStrays(Hypervisor hv, int dom) {
        int frames = hv.memory.frames();
        if (!hv.p2m.rootIsOwn(dom)) {
            return 0;
        }
        boolean[] reached = new boolean[frames];
        reached[(int) hv.p2m.root(dom)] = true;
        hv.p2m.forEachTable(dom, t -> {
            if (t < frames) {
                reached[(int) t] = true;
            }
        });
        hv.p2m.forEachMapping(dom, (gfn, mfn) -> {
            if (mfn < frames) {
                reached[(int) mfn] = true;
            }
        });
        int freed = 0;
        for (int mfn = 0; mfn < frames; mfn++) {
            int type = hv.pages.type(mfn);
            if (hv.pages.owner(mfn) != dom || reached[mfn] || type == FrameTableLayout.TYPE_FREE
                    || (type == FrameTableLayout.TYPE_RAM && hv.pages.refcount(mfn) != 0)) {
                continue;
            }
            setCounts(hv, mfn, 0, 0);
            hv.pages.free(mfn, 0);
            freed++;
        }
        return freed;
    }

    /** Sets {@code mfn}'s counts from the mappings that exist; returns its reference count. */
    static int recount(Hypervisor hv, long mfn) {
        if (mfn < 0 || mfn >= hv.memory.frames()) {
            return 0;
        }
        int[][] counts = mappingCounts(hv);
        setCounts(hv, mfn, counts[0][(int) mfn], counts[1][(int) mfn]);
        return counts[0][(int) mfn];
    }

    /** References and writable references of every frame, from every existing domain's P2M. */
    static int[][] mappingCounts(Hypervisor hv) {
        int frames = hv.memory.frames();
        int[] refs = new int[frames];
        int[] writable = new int[frames];
        for (int d = 0; d < hv.st.maxDomains(); d++) {
            if (!hv.st.domainExists(d) || !hv.p2m.rootIsOwn(d)) {
                continue;
            }
            int dom = d;
            hv.p2m.forEachMapping(d, (gfn, mfn) -> {
                if (mfn < frames) {
                    refs[(int) mfn]++;
                    if (hv.p2m.writable(dom, gfn)) {
                        writable[(int) mfn]++;
                    }
                }
            });
        }
        return new int[][] {refs, writable};
    }

    private static void setCounts(Hypervisor hv, long mfn, int refs, int writable) {
        long e = hv.st.layout.frame(mfn);
        Fields.u32(hv.st.s, e + FrameTableLayout.REFCOUNT, refs);
        Fields.u32(hv.st.s, e + FrameTableLayout.TYPECOUNT, writable);
    }
}
