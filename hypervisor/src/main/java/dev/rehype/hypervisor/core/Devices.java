package dev.rehype.hypervisor.core;

import dev.rehype.machine.Machine;
import dev.rehype.machine.Nic;
import dev.rehype.machine.PhysicalMemory;
import dev.rehype.region.layout.CoreHeaderLayout;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.machine.port.MachinePort;
import dev.rehype.machine.port.InterruptPort;

/**
 * Device assignment (Xen's passthrough): the NIC is given to one domain — its register frame
 * mapped into that domain at {@link #NIC_GFN}, its DMA translated through that domain's P2M (the
 * IOMMU context), and its interrupt, which the hypervisor takes and acknowledges, delivered as an
 * event on the port the domain bound with EVTCHNOP_bind_pirq. The owner is preserved in the core
 * header; a device nobody owns has its DMA blocked and its interrupt disabled.
 */
final class Devices {
    static final int NIC0 = 0;
    /** Where the NIC's registers appear in the owner's guest-physical space (XEN_NIC_WINDOW_GPA). */
    static final long NIC_GFN = 0xF000_0000L >>> PhysicalMemory.FRAME_SHIFT;
    /** The machine frame of the NIC's registers. */
    static final long NIC_MFN = Machine.NIC0_BASE >>> PhysicalMemory.FRAME_SHIFT;
    static final int NIC_IRQ_PRIORITY = 1;

    private final Hypervisor hv;
    private final CoreState st;
    private final MachinePort machine;

    Devices(Hypervisor hv) {
        this.hv = hv;
        this.st = hv.st;
        this.machine = hv.machine;
    }

    /** At boot: nobody owns the NIC. */
    void reset() {
        st.header(CoreHeaderLayout.NIC_OWNER, 0);
        machine.nic().setDmaRoot(Nic.DMA_BLOCKED);
        machine.interrupts().setPriority(Machine.NIC0_IRQ, 0);
    }

    /** The NIC's owner domid, or -1. */
    int nicOwner() {
        return st.header(CoreHeaderLayout.NIC_OWNER) - 1;
    }

    int assign(int cpu, int domid, int device) {
        if (device != NIC0) {
            return -Errno.ENOENT;
        }
        if (!st.domainActive(domid)) {
            return -Errno.ESRCH;
        }
        if (nicOwner() >= 0) {
            return -Errno.EBUSY;
        }
        if (hv.p2m.lookup(domid, NIC_GFN) >= 0) {
            return -Errno.EBUSY;
        }
        hv.intents.begin(cpu, Intents.ASSIGN_DEVICE, domid, device);
        if (!hv.p2m.mapMmio(domid, NIC_GFN, NIC_MFN, cpu)) {
            return -Errno.ENOMEM;
        }
        st.header(CoreHeaderLayout.NIC_OWNER, domid + 1);
        machine.nic().setDmaRoot(hv.p2m.root(domid));
        InterruptPort ic = machine.interrupts();
        ic.route(Machine.NIC0_IRQ, 0);
        ic.setPriority(Machine.NIC0_IRQ, NIC_IRQ_PRIORITY);
        return 0;
    }

    int deassign(int domid, int device) {
        if (device != NIC0) {
            return -Errno.ENOENT;
        }
        if (nicOwner() != domid) {
            return -Errno.EINVAL;
        }
        hv.p2m.unmap(domid, NIC_GFN);
        machine.nic().setDmaRoot(Nic.DMA_BLOCKED);
        machine.interrupts().setPriority(Machine.NIC0_IRQ, 0);
        st.header(CoreHeaderLayout.NIC_OWNER, 0);
        int port = st.dom(domid, DomainLayout.PIRQ_PORT);
        if (port != 0) {
            hv.evtchn.close(domid, port, 0);
        }
        return 0;
    }

    /**
     * Recovery: undoes an assignment of the NIC to {@code domid} cut short (its register frame
     * mapped, its DMA context or interrupt set, or not yet); true when something was undone.
     */
    boolean undoAssign(int domid) {
        boolean changed = false;
        if (nicOwner() == domid) {
            machine.nic().setDmaRoot(Nic.DMA_BLOCKED);
            machine.interrupts().setPriority(Machine.NIC0_IRQ, 0);
            st.header(CoreHeaderLayout.NIC_OWNER, 0);
            changed = true;
        }
        if (st.domainExists(domid) && hv.p2m.rootIsOwn(domid) && hv.p2m.lookup(domid, NIC_GFN) == NIC_MFN) {
            hv.p2m.clear(domid, NIC_GFN);
            changed = true;
        }
        return changed;
    }

    /**
     * Recovery: finishes a deassignment of the NIC from {@code domid} cut short, from wherever it
     * was (each of its effects is done again only if it is still missing).
     */
    void finishDeassign(int domid) {
        if (st.domainExists(domid) && hv.p2m.rootIsOwn(domid) && hv.p2m.lookup(domid, NIC_GFN) == NIC_MFN) {
            hv.p2m.clear(domid, NIC_GFN);
        }
        if (nicOwner() == domid || nicOwner() < 0) {
            machine.nic().setDmaRoot(Nic.DMA_BLOCKED);
            machine.interrupts().setPriority(Machine.NIC0_IRQ, 0);
            st.header(CoreHeaderLayout.NIC_OWNER, 0);
        }
        int port = st.domainExists(domid) ? st.dom(domid, DomainLayout.PIRQ_PORT) : 0;
        if (port != 0) {
            hv.evtchn.close(domid, port, 0);
        }
    }

    void releaseAllOf(int domid) {
        if (nicOwner() == domid) {
            deassign(domid, NIC0);
        }
    }

    /** A host external interrupt: acknowledge every pending source, forward the NIC's as an event. */
    void onInterrupt(int cpu, long now) {
        InterruptPort ic = machine.interrupts();
        int source;
        while ((source = ic.claim(cpu)) != 0) {
            if (source == Machine.NIC0_IRQ) {
                int owner = nicOwner();
                int port = owner >= 0 ? st.dom(owner, DomainLayout.PIRQ_PORT) : 0;
                if (port != 0 && st.domainActive(owner)) {
                    hv.evtchn.setPending(owner, port, now, cpu);
                }
            }
            ic.complete(cpu, source);
        }
    }
}
