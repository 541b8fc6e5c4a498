package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.CoreHeaderLayout;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.EvtchnLayout;
import dev.rehype.region.layout.FrameTableLayout;
import dev.rehype.region.layout.VcpuLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * The full audit of the core's preserved state: the free list, every frame's owner, type and
 * reference counts against the P2M mappings that exist, each domain's page count, the symmetry
 * of interdomain event channels, the running vCPUs against the per-CPU current pointers, and the
 * lock words. Returns every problem it finds (tests assert it is empty after each step; recovery
 * runs it to see what a crash left behind).
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
        for (int d = 0; d < st.maxDomains(); d++) {
            if (st.domainExists(d)) {
                checkDomain(d, refs);
            }
        }
        for (int mfn = 0; mfn < frames; mfn++) {
            if (hv.pages.refcount(mfn) != refs[mfn]) {
                problems.add("frame " + mfn + ": reference count " + hv.pages.refcount(mfn) + ", mappings " + refs[mfn]);
            }
            if (hv.pages.typecount(mfn) != refs[mfn]) {
                problems.add("frame " + mfn + ": type count " + hv.pages.typecount(mfn) + ", writable mappings "
                        + refs[mfn]);
            }
            int type = hv.pages.type(mfn);
            if (type == FrameTableLayout.TYPE_RAM && refs[mfn] == 0) {
                problems.add("frame " + mfn + ": RAM of d" + hv.pages.owner(mfn) + " mapped nowhere (leaked)");
            }
        }
        checkVcpus();
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

    private void checkDomain(int d, int[] refs) {
        int[] ram = {0};
        hv.p2m.forEachMapping(d, (gfn, mfn) -> {
            refs[(int) mfn]++;
            ram[0]++;
            if (hv.pages.owner(mfn) != d || hv.pages.type(mfn) != FrameTableLayout.TYPE_RAM) {
                problems.add("d" + d + " maps gfn 0x" + Long.toHexString(gfn) + " to frame " + mfn + " owned by d"
                        + hv.pages.owner(mfn) + " of type " + hv.pages.type(mfn));
            }
        });
        if (ram[0] != st.dom(d, DomainLayout.TOT_PAGES)) {
            problems.add("d" + d + ": tot_pages " + st.dom(d, DomainLayout.TOT_PAGES) + ", mapped " + ram[0]);
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

    private void checkVcpus() {
        int total = st.maxDomains() * st.maxVcpus();
        for (int vid = 0; vid < total; vid++) {
            int d = hv.sched.domid(vid);
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
