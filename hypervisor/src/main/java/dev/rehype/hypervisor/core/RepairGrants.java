package dev.rehype.hypervisor.core;


import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.FrameTableLayout;
import dev.rehype.region.layout.GrantLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Inconsistencies removed: a grant map or unmap cut short leaves the mapper's P2M, its map-track
 * table and the granter's active-grant pins (and the reading/writing flags in the granter's
 * entry) disagreeing. Map-track entries whose mapping is gone are dropped; P2M mappings of
 * another domain's frame with no map-track entry are removed; pins and entry flags are then
 * recomputed from the map-track tables. Grant state changes only inside hypercalls: when none was
 * cut short, there is nothing to look for and the step does no work.
 */
final class RepairGrants implements Repair {
    private final boolean hypercallCut;

    /** {@code hypercallCut}: some CPU was inside a hypercall when the failure struck. */
    RepairGrants(boolean hypercallCut) {
        this.hypercallCut = hypercallCut;
    }

    @Override
    public List<String> repair(Hypervisor hv, long nowCycles) {
        if (!hypercallCut) {
            return List.of();
        }
        List<String> changes = new ArrayList<>();
        CoreState st = hv.st;
        int frames = hv.memory.frames();
        for (int d = 0; d < st.maxDomains(); d++) {
            if (!st.domainExists(d)) {
                continue;
            }
            for (int h = 0; h < GrantLayout.MAPTRACK_ENTRIES; h++) {
                long mt = st.layout.maptrack(d, h);
                if (Fields.u8(st.s, mt + GrantLayout.MT_KIND) == GrantLayout.KIND_FREE) {
                    continue;
                }
                long gfn = Fields.u32(st.s, mt + GrantLayout.MT_HOST_GFN) & 0xffffffffL;
                long mfn = Fields.u32(st.s, mt + GrantLayout.MT_MFN) & 0xffffffffL;
                if (hv.p2m.lookup(d, gfn) != mfn) {
                    st.s.asSlice(mt, GrantLayout.MAPTRACK_BYTES).fill((byte) 0);
                    changes.add("d" + d + " map-track " + h + " names gfn 0x" + Long.toHexString(gfn)
                            + " that is not mapped: dropped");
                }
            }
            int dom = d;
            List<long[]> stray = new ArrayList<>();
            hv.p2m.forEachMapping(d, (gfn, mfn) -> {
                if (mfn < frames && !(hv.pages.owner(mfn) == dom && hv.pages.type(mfn) == FrameTableLayout.TYPE_RAM)
                        && hv.grants.handleAt(dom, gfn) < 0) {
                    stray.add(new long[] {gfn, mfn});
                }
            });
            for (long[] m : stray) {
                hv.p2m.unmap(d, m[0]);
                changes.add("d" + d + " gfn 0x" + Long.toHexString(m[0]) + " mapped frame " + m[1]
                        + " of d" + hv.pages.owner(m[1]) + " with no grant: unmapped");
            }
        }
        int[][] ro = new int[st.maxDomains()][GrantLayout.MAX_REFS];
        int[][] rw = new int[st.maxDomains()][GrantLayout.MAX_REFS];
        for (int d = 0; d < st.maxDomains(); d++) {
            for (int h = 0; st.domainExists(d) && h < GrantLayout.MAPTRACK_ENTRIES; h++) {
                long mt = st.layout.maptrack(d, h);
                if (Fields.u8(st.s, mt + GrantLayout.MT_KIND) == GrantLayout.KIND_GRANT) {
                    int g = Fields.u16(st.s, mt + GrantLayout.MT_DOM);
                    int ref = Fields.u32(st.s, mt + GrantLayout.MT_REF);
                    if (Fields.u8(st.s, mt + GrantLayout.MT_READONLY) != 0) {
                        ro[g][ref]++;
                    } else {
                        rw[g][ref]++;
                    }
                }
            }
        }
        for (int g = 0; g < st.maxDomains(); g++) {
            for (int ref = 0; ref < GrantLayout.MAX_REFS; ref++) {
                long act = st.layout.activeGrant(g, ref);
                int pinRo = Fields.u16(st.s, act + GrantLayout.PIN_RO);
                int pinRw = Fields.u16(st.s, act + GrantLayout.PIN_RW);
                if (pinRo == ro[g][ref] && pinRw == rw[g][ref]) {
                    continue;
                }
                Fields.u16(st.s, act + GrantLayout.PIN_RO, ro[g][ref]);
                Fields.u16(st.s, act + GrantLayout.PIN_RW, rw[g][ref]);
                changes.add("grant d" + g + " ref " + ref + " pins " + pinRo + "/" + pinRw + " -> " + ro[g][ref] + "/"
                        + rw[g][ref]);
                if (st.domainActive(g)) {
                    hv.grants.refreshEntryFlags(g, ref);
                }
            }
        }
        return changes;
    }

}
