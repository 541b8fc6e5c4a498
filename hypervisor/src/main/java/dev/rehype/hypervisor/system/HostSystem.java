package dev.rehype.hypervisor.system;

import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.machine.Machine;
import dev.rehype.machine.MachineConfig;
import dev.rehype.machine.StateHasher;
import dev.rehype.region.PreservedRegion;
import dev.rehype.region.RegionSpec;
import dev.rehype.region.RootSlot;
import dev.rehype.region.layout.CoreTablesLayout;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The host side of a running system: the preserved region (machine memory and the core's
 * tables), the machine over it, and the hypervisor image loaded into it. Boots a {@link BootSpec}
 * and runs the machine until the domains it waits for have shut down.
 */
public final class HostSystem implements AutoCloseable {
    /** Virtual cycles between two looks at the domains' states. */
    public static final long CHECK_INTERVAL_CYCLES = 1_000_000;

    private final SystemConfig config;
    private final PreservedRegion region;
    private final CoreTablesLayout layout;
    private final MemorySegment coreState;
    private final Machine machine;
    private final HypervisorEntry hypervisor;

    public HostSystem(SystemConfig config) {
        this.config = config;
        int frames = (int) (config.machineMemoryBytes() / 4096);
        this.layout = new CoreTablesLayout(config.maxDomains(), config.maxVcpus(), frames, config.cpus());
        this.region = PreservedRegion.createAnonymous(RegionSpec.of(config.machineMemoryBytes(), layout.sizeBytes()));
        this.coreState = region.records().asSlice(0, layout.sizeBytes());
        long recordsOffset = region.records().address() - region.segment().address();
        region.setRootSlot(RootSlot.DOMAINS, recordsOffset + layout.domainTable(),
                layout.maxDomains() * dev.rehype.region.layout.DomainLayout.SIZE_BYTES);
        region.setRootSlot(RootSlot.VCPUS, recordsOffset + layout.vcpuTable(), layout.frameTable() - layout.vcpuTable());
        region.setRootSlot(RootSlot.FRAME_TABLE, recordsOffset + layout.frameTable(),
                layout.evtchnTable() - layout.frameTable());
        region.setRootSlot(RootSlot.EVTCHN, recordsOffset + layout.evtchnTable(), layout.lockTable() - layout.evtchnTable());
        region.setRootSlot(RootSlot.LOCKS, recordsOffset + layout.lockTable(), layout.perCpuTable() - layout.lockTable());
        region.setRootSlot(RootSlot.PERCPU_HYPERCALL, recordsOffset + layout.perCpuTable(),
                layout.consoleRings() - layout.perCpuTable());
        region.setRootSlot(RootSlot.CONSOLE, recordsOffset + layout.consoleRings(),
                layout.sizeBytes() - layout.consoleRings());
        this.machine = new Machine(MachineConfig.defaults(config.cpus(), config.seed()), region.machineMemory());
        this.hypervisor = HypervisorImage.pristine().instantiate(machine, coreState, layout);
        machine.setHypervisor(hypervisor);
    }

    public void boot(BootSpec spec) {
        hypervisor.boot(spec);
    }

    /**
     * Runs until every domain for which {@code waitFor} is true has shut down, or {@code maxCycles}
     * of virtual time have passed; returns true in the first case.
     */
    public boolean runUntilShutdown(long maxCycles, java.util.function.Predicate<DomainStatus> waitFor) {
        long start = machine.nowCycles();
        while (machine.nowCycles() - start < maxCycles) {
            if (allShutdown(waitFor)) {
                return true;
            }
            machine.run(Math.min(CHECK_INTERVAL_CYCLES, maxCycles - (machine.nowCycles() - start)));
        }
        return allShutdown(waitFor);
    }

    private boolean allShutdown(java.util.function.Predicate<DomainStatus> waitFor) {
        for (DomainStatus d : hypervisor.domains()) {
            if (waitFor.test(d) && !d.isShutdown()) {
                return false;
            }
        }
        return true;
    }

    public List<DomainStatus> domains() {
        return hypervisor.domains();
    }

    public List<String> audit() {
        return hypervisor.audit();
    }

    public Machine machine() {
        return machine;
    }

    public PreservedRegion region() {
        return region;
    }

    public SystemConfig config() {
        return config;
    }

    /** The core's preserved tables (for tests and recovery tooling that inspect them). */
    public MemorySegment coreState() {
        return coreState;
    }

    public CoreTablesLayout layout() {
        return layout;
    }

    public HypervisorEntry hypervisor() {
        return hypervisor;
    }

    /** SHA-256 of the machine (harts, devices, machine memory) and the core's preserved tables. */
    public String stateHash() {
        StateHasher h = new StateHasher();
        machine.hashInto(h);
        h.putTag("core").putSegment(coreState);
        return h.hex();
    }

    @Override
    public void close() {
        region.close();
    }
}
