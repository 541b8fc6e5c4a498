package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.FrameTableLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Inconsistency removed: a failure between changing a mapping and counting it leaves frame
 * reference and type counts that disagree with the mappings that exist (a later unmap underflows,
 * a frame is freed while mapped, or never freed). Recompute every frame's counts from all P2M
 * mappings (own RAM, grants and foreign mappings alike), each domain's page count, and free RAM
 * frames that a domain owns but maps nowhere (allocated, never mapped). Mappings and counts
 * change only inside hypercalls: when none was cut short they cannot disagree, and the step does
 * no work (its cost would otherwise grow with machine memory).
 */
final class RepairRecomputeFrameCounts implements Repair {
    private final boolean hypercallCut;

    /** {@code hypercallCut}: some CPU was inside a hypercall when the failure struck. */
    RepairRecomputeFrameCounts(boolean hypercallCut) {
        this.hypercallCut = hypercallCut;
    }

    @Override
    public List<String> repair(Hypervisor hv, long nowCycles) {
        if (!hypercallCut) {
            return List.of();
        }
        List<String> changes = new ArrayList<>();
        int frames = hv.memory.frames();
        int[] refs = new int[frames];
        int[] writable = new int[frames];
        for (int d = 0; d < hv.st.maxDomains(); d++) {
            if (!hv.st.domainExists(d)) {
                continue;
            }
            int dom = d;
            int[] own = {0};
            hv.p2m.forEachMapping(d, (gfn, mfn) -> {
                if (mfn >= frames) {
                    return;
                }
                refs[(int) mfn]++;
                if (hv.p2m.writable(dom, gfn)) {
                    writable[(int) mfn]++;
                }
                if (hv.pages.owner(mfn) == dom && hv.pages.type(mfn) == FrameTableLayout.TYPE_RAM) {
                    own[0]++;
                }
            });
            if (hv.st.dom(d, DomainLayout.TOT_PAGES) != own[0]) {
                changes.add("d" + d + " tot_pages " + hv.st.dom(d, DomainLayout.TOT_PAGES) + " -> " + own[0]);
                hv.st.dom(d, DomainLayout.TOT_PAGES, own[0]);
            }
        }
        for (int mfn = 0; mfn < frames; mfn++) {
            long e = hv.st.layout.frame(mfn);
            if (hv.pages.refcount(mfn) != refs[mfn] || hv.pages.typecount(mfn) != writable[mfn]) {
                changes.add("frame " + mfn + " counts " + hv.pages.refcount(mfn) + "/" + hv.pages.typecount(mfn)
                        + " -> " + refs[mfn] + "/" + writable[mfn]);
                Fields.u32(hv.st.s, e + FrameTableLayout.REFCOUNT, refs[mfn]);
                Fields.u32(hv.st.s, e + FrameTableLayout.TYPECOUNT, writable[mfn]);
            }
        }
        for (int mfn = 0; mfn < frames; mfn++) {
            if (hv.pages.type(mfn) == FrameTableLayout.TYPE_RAM && refs[mfn] == 0) {
                changes.add("frame " + mfn + " of d" + hv.pages.owner(mfn) + " mapped nowhere: freed");
                hv.pages.free(mfn, 0);
            }
        }
        return changes;
    }
}
