package dev.rehype.fault;

import dev.rehype.fault.hv.FaultRuntime;
import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;

/** A register fault in the hypervisor: a value probe's countdown in the {@link FaultRuntime}. */
final class HvRegisterArm implements ArmedFault {
    private final int index;
    private final RegisterFault fault;
    private final SiteCatalog catalog;
    private final FaultRuntime.ValueArm arm;

    HvRegisterArm(int index, RegisterFault fault, SiteCatalog catalog, FaultRuntime runtime) {
        this.index = index;
        this.fault = fault;
        this.catalog = catalog;
        int site = fault.site().equals("*") ? -1 : catalog.byKey(fault.site()).orElseThrow().id();
        this.arm = runtime.armValue(site, fault.bit(), fault.trigger().nth(), fault.trigger().inside());
    }

    @Override
    public boolean doneWithImage() {
        return arm.fired();
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
        arm.enable();
    }

    @Override
    public Activation activation() {
        if (!arm.enabled()) {
            return Activation.notActivated(index, fault, "the run ended before the trigger time");
        }
        if (!arm.fired()) {
            return Activation.notActivated(index, fault, fault.site().equals("*")
                    ? "fewer than " + fault.trigger().nth() + " values produced in the hypervisor after the trigger"
                    : "site " + fault.site() + " executed fewer than " + fault.trigger().nth() + " times after the trigger");
        }
        Site s = catalog.site(arm.firedSite());
        return Activation.inHypervisor(index, fault, s.className(), s.methodName(), s.bci(), s.line(), arm.before(),
                arm.after(), arm.atCycles(), "bit " + (fault.bit() % Math.max(1, s.valueBits())) + " of the "
                        + s.valueBits() + "-bit value of " + s.opcode());
    }
}
