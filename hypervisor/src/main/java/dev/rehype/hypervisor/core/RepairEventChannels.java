package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.EvtchnLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Inconsistencies removed: (1) an interdomain binding with one end bound and the other not — the
 * failure struck between the two halves of bind_interdomain or close: finish the binding when the
 * other end still offers itself to this domain, otherwise close the half-bound end; (2) a port
 * marked pending whose selector bit, upcall flag or wake-up never followed: raise them again, so
 * no event is lost. Bindings change only inside hypercalls, so (1) is looked for only when one was
 * cut short; (2) reads each domain's pending bitmap a word at a time and looks only at the ports
 * whose bit is set.
 */
final class RepairEventChannels implements Repair {
    private final boolean hypercallCut;

    /** {@code hypercallCut}: some CPU was inside a hypercall when the failure struck. */
    RepairEventChannels(boolean hypercallCut) {
        this.hypercallCut = hypercallCut;
    }

    @Override
    public List<String> repair(Hypervisor hv, long nowCycles) {
        List<String> changes = new ArrayList<>();
        EventChannels ev = hv.evtchn;
        for (int d = 0; hypercallCut && d < hv.st.maxDomains(); d++) {
            if (!hv.st.domainExists(d)) {
                continue;
            }
            for (int p = 1; p < EvtchnLayout.PORTS_PER_DOMAIN; p++) {
                if (ev.state(d, p) != EvtchnLayout.STATE_INTERDOMAIN) {
                    continue;
                }
                int rd = ev.remoteDom(d, p);
                int rp = ev.remotePort(d, p);
                boolean valid = hv.st.domainExists(rd) && rp > 0 && rp < EvtchnLayout.PORTS_PER_DOMAIN;
                if (valid && ev.state(rd, rp) == EvtchnLayout.STATE_INTERDOMAIN && ev.remoteDom(rd, rp) == d
                        && ev.remotePort(rd, rp) == p) {
                    continue;
                }
                if (valid && ev.state(rd, rp) == EvtchnLayout.STATE_UNBOUND && ev.remoteDom(rd, rp) == d) {
                    ev.completeBinding(rd, rp, d, p);
                    changes.add("d" + d + " port " + p + " bound to d" + rd + " port " + rp + ": other end completed");
                } else {
                    ev.forceClose(d, p);
                    changes.add("d" + d + " port " + p + " half-bound to d" + rd + " port " + rp + ": closed");
                }
            }
        }
        for (int d = 0; d < hv.st.maxDomains(); d++) {
            long si = hv.st.domainActive(d) ? hv.sharedInfo(d) : -1;
            if (si < 0) {
                continue;
            }
            for (int w = 0; w < EvtchnLayout.PORTS_PER_DOMAIN / 32; w++) {
                int bits = hv.memory.read32(si + SharedInfo.EVTCHN_PENDING + 4L * w);
                while (bits != 0) {
                    int p = w * 32 + Integer.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    if (p != 0 && ev.state(d, p) != EvtchnLayout.STATE_CLOSED && ev.renotify(d, p, nowCycles)) {
                        changes.add("d" + d + " port " + p + " pending: upcall raised again");
                    }
                }
            }
        }
        return changes;
    }
}
