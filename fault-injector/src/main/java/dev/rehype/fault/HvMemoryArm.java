package dev.rehype.fault;

import dev.rehype.fault.hv.EntryHook;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.machine.Hart;
import dev.rehype.region.layout.Fields;

/**
 * A memory fault in the hypervisor: one bit of a preserved table or of a heap object's field,
 * flipped at the nth hypervisor entry (inside the chosen handler, if any) after the trigger time.
 */
final class HvMemoryArm implements ArmedFault, EntryHook {
    private final int index;
    private final MemoryFault fault;
    private final HostSystem system;
    private boolean enabled;
    private long countdown;
    private Activation activation;

    HvMemoryArm(int index, MemoryFault fault, HostSystem system) {
        this.index = index;
        this.fault = fault;
        this.system = system;
        this.countdown = fault.trigger().nth();
    }

    @Override
    public long armAtCycles() {
        return fault.trigger().afterCycles();
    }

    @Override
    public void arm() {
        enabled = true;
    }

    @Override
    public void enter(Hart hart, String context) {
        if (!enabled || activation != null) {
            return;
        }
        String inside = fault.trigger().inside();
        if (!inside.isEmpty() && !inside.equals(context) || --countdown != 0) {
            return;
        }
        String site = fault.site();
        if (site.startsWith("region:")) {
            RegionLocations.Location loc = RegionLocations.parse(site.substring("region:".length()),
                    system.layout().maxDomains());
            long word = loc.offset(system.layout()) + (fault.bit() / 32) * 4L;
            int before = Fields.u32(system.coreState(), word);
            int after = before ^ (1 << (fault.bit() % 32));
            Fields.u32(system.coreState(), word, after);
            activation = Activation.inHypervisorData(index, fault, site, Integer.toHexString(before),
                    Integer.toHexString(after), hart.timeCycles(), "bit " + fault.bit() + " of the preserved "
                            + loc.table() + " record at offset 0x" + Long.toHexString(word) + ", on entry for " + context);
        } else {
            HeapPaths.Flip flip = HeapPaths.flip(system.hypervisor(), site.substring("heap:".length()), fault.bit());
            activation = Activation.inHypervisorData(index, fault, site, flip.before(), flip.after(), hart.timeCycles(),
                    "bit " + fault.bit() + " of a heap field of the running image, on entry for " + context);
        }
    }

    @Override
    public void leave(Hart hart) {
        // Nothing to undo: the flipped bit stays.
    }

    @Override
    public Activation activation() {
        if (!enabled) {
            return Activation.notActivated(index, fault, "the run ended before the trigger time");
        }
        return activation != null ? activation : Activation.notActivated(index, fault, "fewer than "
                + fault.trigger().nth() + " hypervisor entries" + (fault.trigger().inside().isEmpty() ? ""
                : " for " + fault.trigger().inside()) + " after the trigger");
    }
}
