package dev.rehype.fault;

import dev.rehype.fault.hv.EntryHook;
import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.Probes;
import dev.rehype.machine.Hart;

import java.util.List;

/**
 * A failstop or a hang in the hypervisor at a probe point: armed through {@link Probes} (the
 * mechanism the recovery tests use; a hang spins charging the watchdog until it expires), installed only inside hypervisor entries (inside the chosen handler when the
 * trigger names one), so that the host's own reads of the hypervisor never hit it.
 */
final class HvProbeArm implements ArmedFault, EntryHook {
    private final int index;
    private final Fault fault;
    private final FaultPoint point;
    private final List<FaultPoint> registered;
    private final SiteCatalog catalog;
    private Probes probes;
    private long firedAtCycles = -1;

    HvProbeArm(int index, Fault fault, FaultPoint point, List<FaultPoint> registered, SiteCatalog catalog) {
        this.index = index;
        this.fault = fault;
        this.point = point;
        this.registered = registered;
        this.catalog = catalog;
    }

    @Override
    public boolean doneWithImage() {
        return probes != null && probes.fired() != null;
    }

    @Override
    public boolean needsInstrumentedImage() {
        return true;
    }

    @Override
    public long armAtCycles() {
        return fault.trigger().afterCycles();
    }

    @Override
    public void arm() {
        probes = fault instanceof HangFault ? Probes.armHang(registered, point, fault.trigger().nth())
                : Probes.armFailstop(registered, point, fault.trigger().nth());
        Probes.install(null);
    }

    @Override
    public void enter(Hart hart, String context) {
        if (probes != null) {
            String inside = fault.trigger().inside();
            Probes.install(inside.isEmpty() || context.equals(inside) ? probes : null);
        }
    }

    @Override
    public void leave(Hart hart) {
        if (probes == null) {
            return;
        }
        if (probes.fired() != null && firedAtCycles < 0) {
            firedAtCycles = hart.timeCycles();
        }
        Probes.install(null);
    }

    @Override
    public Activation activation() {
        if (probes == null) {
            return Activation.notActivated(index, fault, "the run ended before the trigger time");
        }
        if (probes.fired() == null) {
            long hits = probes.hits(point);
            return Activation.notActivated(index, fault, "probe point " + point + " reached " + hits
                    + " times after the trigger, fewer than " + fault.trigger().nth());
        }
        Site s = catalog.locate(point).orElse(null);
        int bci = point.anchor() == FaultPoint.Anchor.ENTRY || s == null ? 0 : s.bci();
        int line = s == null ? -1 : s.line();
        return Activation.inHypervisor(index, fault, point.className(), point.methodName(), bci, line, "", "",
                firedAtCycles, fault.type() + " at " + point + " (execution " + fault.trigger().nth() + ")"
                        + (fault instanceof HangFault ? ": spun until the watchdog broke it" : ""));
    }
}
