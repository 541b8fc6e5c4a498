package dev.rehype.fault;

import dev.rehype.fault.hv.FaultRuntime;
import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;

/** A code fault in the hypervisor: a mutant guard's countdown in the {@link FaultRuntime}. */
final class HvCodeArm implements ArmedFault {
    private final int index;
    private final CodeFault fault;
    private final Site site;
    private final FaultRuntime.MutantArm arm;

    HvCodeArm(int index, CodeFault fault, SiteCatalog catalog, FaultRuntime runtime) {
        this.index = index;
        this.fault = fault;
        this.site = catalog.byKey(fault.site()).orElseThrow();
        this.arm = runtime.armMutant(site.id(), fault.trigger().nth(), fault.trigger().inside());
    }

    /** The guard's state (tests: a pristine image after a microreboot no longer executes it). */
    FaultRuntime.MutantArm mutant() {
        return arm;
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
        if (!arm.active()) {
            return Activation.notActivated(index, fault, "mutated instruction " + site.key() + " executed "
                    + arm.executions() + " times after the trigger"
                    + (fault.trigger().inside().isEmpty() ? "" : " inside " + fault.trigger().inside())
                    + ", fewer than " + fault.trigger().nth());
        }
        return Activation.inHypervisor(index, fault, site.className(), site.methodName(), site.bci(), site.line(), "", "",
                arm.atCycles(), site.mutation().label() + " of " + site.opcode() + "; the mutant ran "
                        + "from then on in this image (" + arm.executions() + " executions of the site from the trigger on)");
    }
}
