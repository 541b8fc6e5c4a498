package dev.rehype.hypervisor.system;

import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.CoreHeapState;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.machine.Machine;
import dev.rehype.machine.MachineConfig;
import dev.rehype.machine.Seeds;
import dev.rehype.machine.ShadowedDigest;
import dev.rehype.machine.StateHasher;
import dev.rehype.machine.WirePeer;
import dev.rehype.machine.peer.NetPeer;
import dev.rehype.machine.snapshot.MachineState;
import dev.rehype.region.PreservedRegion;
import dev.rehype.region.RegionSpec;
import dev.rehype.region.RootSlot;
import dev.rehype.region.layout.CoreTablesLayout;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The host side of a running system: the preserved region (machine memory and the core's
 * tables), the machine over it, and the hypervisor image loaded into it. Boots a {@link BootSpec}
 * and runs the machine until the domains it waits for have shut down. The NIC's wire leads to a
 * {@link NetPeer} seeded from the system's seed (the echo server and the service clients of the
 * network workloads).
 *
 * <p>Between runs, {@link #snapshot()} saves the whole system and {@link #restore} builds a new,
 * independent system from a snapshot without booting or parsing any guest image: the region from
 * its bytes, the machine from its state, a pristine hypervisor image over them with its heap state.
 */
public final class HostSystem implements AutoCloseable {
    /** Virtual cycles between two looks at the domains' states. */
    public static final long CHECK_INTERVAL_CYCLES = 1_000_000;

    private final SystemConfig config;
    private final PreservedRegion region;
    private final CoreTablesLayout layout;
    private final MemorySegment coreState;
    private final Machine machine;
    /** The core tables' part of {@link #stateHash()}, kept by comparing with their bytes at the last hash. */
    private final ShadowedDigest coreDigest;
    private HypervisorEntry hypervisor;

    /** A new system of shape {@code config}, not booted yet. */
    public HostSystem(SystemConfig config) {
        this(config, HypervisorImage.pristine());
    }

    /** A new system of shape {@code config} whose hypervisor comes from {@code image} (e.g. instrumented). */
    public HostSystem(SystemConfig config, HypervisorImage image) {
        this(config, image, newPeer(config));
    }

    /** As {@link #HostSystem(SystemConfig, HypervisorImage)}, with {@code peer} on the NIC's wire. */
    public HostSystem(SystemConfig config, HypervisorImage image, WirePeer peer) {
        this(config, newRegion(config), null, null, image, peer);
    }

    /**
     * The system over {@code region}: a fresh machine with {@code peer} on its wire and a fresh
     * hypervisor, or, with {@code machineState} and {@code heap}, the machine (and its peer) and
     * hypervisor of a snapshot.
     */
    private HostSystem(SystemConfig config, PreservedRegion region, MachineState machineState, CoreHeapState heap,
                       HypervisorImage image, WirePeer peer) {
        this.config = config;
        this.layout = layoutOf(config);
        this.region = region;
        this.coreState = region.records().asSlice(0, layout.sizeBytes());
        this.coreDigest = new ShadowedDigest(coreState);
        this.machine = machineState == null
                ? new Machine(machineConfigOf(config), region.machineMemory(), peer)
                : Machine.restore(region.machineMemory(), machineState);
        this.hypervisor = image.instantiate(machine, coreState, layout);
        if (heap != null) {
            hypervisor.restoreHeap(heap);
        }
        machine.setHypervisor(hypervisor);
    }

    /** The core's table layout for a system of shape {@code config}. */
    public static CoreTablesLayout layoutOf(SystemConfig config) {
        int frames = (int) (config.machineMemoryBytes() / RegionSpec.FRAME_SIZE_BYTES);
        return new CoreTablesLayout(config.maxDomains(), config.maxVcpus(), frames, config.cpus());
    }

    /** The region of a system of shape {@code config}: its machine memory and the core's tables. */
    public static RegionSpec regionSpecOf(SystemConfig config) {
        return RegionSpec.of(config.machineMemoryBytes(), layoutOf(config).sizeBytes());
    }

    /** The machine of a system of shape {@code config}. */
    public static MachineConfig machineConfigOf(SystemConfig config) {
        return MachineConfig.defaults(config.cpus(), config.seed());
    }

    /** The peer on the wire of a new system of shape {@code config}. */
    /** The peer every system of shape {@code config} has on its wire by default: a NetPeer seeded from the system's seed. */
    public static NetPeer newPeer(SystemConfig config) {
        return new NetPeer(Seeds.derive(config.seed(), "netpeer"));
    }

    /** A new anonymous region for {@code config} with the root slots of the core's tables. */
    private static PreservedRegion newRegion(SystemConfig config) {
        PreservedRegion region = PreservedRegion.createAnonymous(regionSpecOf(config));
        setRootSlots(region, config);
        return region;
    }

    /** Names the core's tables in the root table of a new {@code region} for {@code config} (also file-backed ones). */
    public static void setRootSlots(PreservedRegion region, SystemConfig config) {
        CoreTablesLayout layout = layoutOf(config);
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
    }

    /**
     * Saves the whole system: the region's bytes, the machine's state and the hypervisor's heap
     * state. Only between runs of the machine (not from inside a trap handler).
     *
     * @throws IllegalStateException if the machine is running or has state that cannot be saved
     */
    public Snapshot snapshot() {
        MachineState machineState = machine.exportState();
        return Snapshot.capture(region.segment(), new SnapshotContents(config, machineState, hypervisor.saveHeap()));
    }

    /**
     * Marks this system as it is now as a point to come back to with
     * {@link ResetPoint#resetTo}, at a cost that follows what was changed since (what campaigns do
     * between injection runs). Only between runs of the machine; a new mark makes older ones stale.
     *
     * @throws IllegalStateException if the machine is running or has state that cannot be saved
     */
    public ResetPoint markResetPoint() {
        return ResetPoint.mark(this);
    }

    /**
     * A new system in the state of {@code snapshot}, with a pristine hypervisor image. Its
     * {@link #stateHash()} is the one the saved system had, and it runs on exactly as that one
     * would have. The new system owns a fresh anonymous region; the snapshot is left as it is.
     */
    public static HostSystem restore(Snapshot snapshot) {
        return restore(snapshot, HypervisorImage.pristine());
    }

    /**
     * As {@link #restore(Snapshot)}, with the hypervisor instantiated from {@code image} (for
     * example one whose classes the fault injector rewrote).
     */
    public static HostSystem restore(Snapshot snapshot, HypervisorImage image) {
        SystemConfig config = snapshot.config();
        PreservedRegion region = PreservedRegion.createAnonymous(regionSpecOf(config));
        try {
            MemorySegment bytes = snapshot.region();
            if (bytes.byteSize() != region.sizeBytes()) {
                throw new IllegalStateException("snapshot region image of " + bytes.byteSize()
                        + " bytes for a system whose region has " + region.sizeBytes());
            }
            MemorySegment.copy(bytes, 0, region.segment(), 0, bytes.byteSize());
            return new HostSystem(config, region, snapshot.machineState(), snapshot.heapState(), image, null);
        } catch (RuntimeException | Error e) {
            region.close();
            throw e;
        }
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

    /** The peer on the NIC's wire, or null if it is not a {@link NetPeer}. */
    public NetPeer peer() {
        return machine.nic().peer() instanceof NetPeer p ? p : null;
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

    /**
     * Replaces the running hypervisor (recovery: the failed image is dropped, the new one has
     * already taken over the preserved state). The machine's trap handler is not changed: whoever
     * installed one (a recovery supervisor) keeps it.
     */
    public void replaceHypervisor(HypervisorEntry entry) {
        this.hypervisor = entry;
    }

    public HypervisorEntry hypervisor() {
        return hypervisor;
    }

    /**
     * SHA-256 of the machine (harts, devices, machine memory) and the core's preserved tables.
     * Memory and the tables enter it as digests of their parts (frames, chunks), kept from one
     * hash to the next, so a hash costs in proportion to what changed since the last one
     * (format: {@link StateHasher}). Between runs of the machine.
     */
    public String stateHash() {
        StateHasher h = new StateHasher();
        machine.hashInto(h);
        coreDigest.hashInto(h, "core");
        return h.hex();
    }

    /** The same value as {@link #stateHash()}, computed from every byte with no cached digest (tests, benches). */
    public String stateHashFromScratch() {
        StateHasher h = new StateHasher();
        machine.hashFromScratchInto(h);
        ShadowedDigest.hashFromScratchInto(coreState, h, "core");
        return h.hex();
    }

    /** What the last {@link #stateHash()} digested again: frames of machine memory and 4 KiB chunks of the core's tables. */
    public HashWork lastHashWork() {
        return new HashWork(machine.memory().lastRedigestedFrames(), coreDigest.lastRedigestedChunks());
    }

    /** What one {@link #stateHash()} digested again, not having it from the hash before. */
    public record HashWork(int memoryFrames, int coreChunks) {
    }

    @Override
    public void close() {
        region.close();
    }
}
