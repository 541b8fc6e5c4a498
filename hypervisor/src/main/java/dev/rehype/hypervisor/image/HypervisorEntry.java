package dev.rehype.hypervisor.image;

import dev.rehype.machine.TrapHandler;
import dev.rehype.machine.port.HartPort;

import java.util.List;

/**
 * What the host sees of a loaded hypervisor image: the trap handler the machine calls, and the
 * few operations the host side needs. Implemented inside the image (its own class loader), so
 * this interface and the records it uses are the whole contract between the two.
 */
public interface HypervisorEntry extends TrapHandler {
    /**
     * Handles a trap of a hart seen through a port (process mode: the hart belongs to another
     * process); the same as {@link #onTrap(dev.rehype.machine.Hart)} otherwise.
     */
    long onTrap(HartPort hart);

    /**
     * The machine's callback: the same as {@link #onTrap(HartPort)}. A default here, so that the
     * core has one trap method (fault sites name it {@code Hypervisor.onTrap@bci}).
     */
    @Override
    default long onTrap(dev.rehype.machine.Hart hart) {
        return onTrap((HartPort) hart);
    }

    /** Fresh boot: lays out the preserved tables, builds every domain of {@code spec}, starts vCPU 0 of each. */
    void boot(BootSpec spec);

    /** Every domain that exists, read from the preserved state. */
    List<DomainStatus> domains();

    /** The non-preserved (heap) state, for a snapshot. */
    CoreHeapState saveHeap();

    /** Replaces the heap state with a snapshot's (the preserved state is restored separately). */
    void restoreHeap(CoreHeapState state);

    /**
     * Recovery mode, after a failure on {@code failedCpu} (or -1 when no CPU was inside the
     * hypervisor, or {@link #CONTEXTS_SAVED}): saves the guest context of every other CPU, re-initialises what is not
     * preserved (scheduler state, per-CPU state, the timer hardware), runs the repair steps the
     * policy enables in {@link RepairStep} order, and resumes every CPU. Runs on a pristine image
     * over the preserved state (microreboot) or on the failed one (microreset).
     */
    List<RepairResult> recover(RecoveryPolicy policy, int failedCpu);

    /**
     * The {@code failedCpu} of a recovery that follows one cut short after it had saved every
     * CPU's guest context (process mode: the recovering process died too): the preserved contexts
     * are the authority and no hart's registers are read.
     */
    int CONTEXTS_SAVED = -2;

    /** A full audit of the core's invariants; empty when everything is consistent. */
    List<String> audit();

    /**
     * The host's management of domain {@code domid}, between runs of the machine, with the checks
     * and effects of the domctl Dom0 would use: {@code pause} true is {@code pausedomain}, false
     * {@code unpausedomain}. Returns 0 or a negative errno (no such domain, not running, not paused).
     */
    int pauseDomain(int domid, boolean pause);

    /** As {@link #pauseDomain}, for {@code destroydomain} (not Dom0). */
    int destroyDomain(int domid);
}
