package dev.rehype.hypervisor.system;

import dev.rehype.hypervisor.image.CoreHeapState;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.machine.Machine;
import dev.rehype.machine.PhysicalMemory;
import dev.rehype.machine.snapshot.MachineState;

import java.lang.foreign.MemorySegment;

/**
 * A point a running system can be put back to, cheaply and any number of times: what campaigns
 * start every injection run from. Marking one ({@link HostSystem#markResetPoint()}) keeps what a
 * {@link Snapshot} keeps — the region's bytes, the machine's state records, the hypervisor's heap
 * state — and starts tracking the frames of machine memory written from then on
 * ({@link dev.rehype.machine.PhysicalMemory}). {@link #resetTo} then copies back only those
 * frames, the region outside machine memory whole (the region header and the core's tables, which
 * the core writes directly; copying them whole is faster than comparing them, see
 * {@code rehype bench reset}), and the machine's state through its own import path (harts,
 * timers, devices, the event queue, the peer on the wire, whatever peer it is); a fresh hypervisor
 * instance takes the saved heap state, exactly as a snapshot restore builds one. Its cost follows
 * what the run changed, not the memory size — but for the core's frame table, 16 bytes per
 * frame, copied with the other tables at memory speed.
 *
 * <p>After a reset the system is the marked one: same {@link HostSystem#stateHash()}, and it runs
 * on as the marked system ran. A microreboot during the run (the hypervisor replaced by another
 * image, the region's generation bumped) is undone too: the reset installs a hypervisor of the
 * reset point's own pristine image, or of the image the caller names, as the machine's trap
 * handler, exactly as {@link HostSystem#restore(Snapshot, HypervisorImage)} does; whoever wraps
 * the hypervisor (a recovery supervisor) installs itself again.
 *
 * <p>A run from the point may be captured on its way ({@link #capture}) as a {@link Checkpoint}, a
 * difference from the point, and later runs started from that checkpoint instead.
 *
 * <p>A reset point belongs to the system it was marked on, and stays valid until another reset
 * point is marked on that system. Not thread-safe: one system, one thread.
 */
public final class ResetPoint {
    private final HostSystem system;
    private final MachineState machineState;
    private final CoreHeapState heapState;
    /** The whole region's bytes at the mark (heap memory, read only after the mark). */
    private final MemorySegment regionBase;
    private final MemorySegment ramBase;
    private final long ramOffsetBytes;
    private final long ramEndBytes;
    private final HypervisorImage image;
    /** The memory's tracking period this point's dirty frames are counted in. */
    private long epoch;

    private ResetPoint(HostSystem system, MachineState machineState, CoreHeapState heapState,
                       MemorySegment regionBase, long ramOffsetBytes, long ramSizeBytes, HypervisorImage image,
                       long epoch) {
        this.system = system;
        this.machineState = machineState;
        this.heapState = heapState;
        this.regionBase = regionBase;
        this.ramOffsetBytes = ramOffsetBytes;
        this.ramEndBytes = ramOffsetBytes + ramSizeBytes;
        this.ramBase = regionBase.asSlice(ramOffsetBytes, ramSizeBytes);
        this.image = image;
        this.epoch = epoch;
    }

    /**
     * Marks {@code system} as it is now. Only between runs of the machine. Copies the whole region
     * once and loads a pristine hypervisor image (so that resets load no classes).
     *
     * @throws IllegalStateException if the machine is running or has state that cannot be saved
     */
    static ResetPoint mark(HostSystem system) {
        Machine machine = system.machine();
        MachineState machineState = machine.exportState();
        CoreHeapState heap = system.hypervisor().saveHeap();
        MemorySegment live = system.region().segment();
        MemorySegment base = MemorySegment.ofArray(new long[Math.toIntExact(live.byteSize() / Long.BYTES)]);
        MemorySegment.copy(live, 0, base, 0, live.byteSize());
        MemorySegment ram = system.region().machineMemory();
        long ramOffset = ram.address() - live.address();
        HypervisorImage image = HypervisorImage.pristine();
        image.preload();
        long epoch = machine.clearDirtyMemory();
        return new ResetPoint(system, machineState, heap, base, ramOffset, ram.byteSize(), image, epoch);
    }

    /**
     * What one reset put back: the frames of machine memory, the bytes of the region outside it,
     * and the wall-clock time spent copying that part of the region (for benches).
     */
    public record ResetStats(int framesReverted, long regionBytesCopied, long regionNanos) {
    }

    /**
     * Puts {@code system} back to this point with a fresh hypervisor of the reset point's pristine
     * image. Only between runs of the machine.
     *
     * @throws IllegalArgumentException if {@code system} is not the system this point was marked on
     * @throws IllegalStateException if another reset point was marked on it since, or it is running
     */
    public ResetStats resetTo(HostSystem system) {
        return resetTo(system, image);
    }

    /**
     * As {@link #resetTo(HostSystem)}, with the new hypervisor instantiated from {@code hypervisorImage}
     * (for example one whose classes the fault injector rewrote for the next run).
     */
    public ResetStats resetTo(HostSystem system, HypervisorImage hypervisorImage) {
        checkOwn(system);
        Machine machine = system.machine();
        long start = System.nanoTime();
        long regionBytes = revertOutsideMemory(system.region().segment());
        long regionNanos = System.nanoTime() - start;
        int frames = machine.resetState(machineState, ramBase);
        epoch = machine.memory().dirtyEpoch();
        HypervisorEntry entry = hypervisorImage.instantiate(machine, system.coreState(), system.layout());
        entry.restoreHeap(heapState);
        system.replaceHypervisor(entry);
        machine.setHypervisor(entry);
        return new ResetStats(frames, regionBytes, regionNanos);
    }

    /**
     * Captures {@code system} as it is now, a run from this point having reached there: a
     * {@link Checkpoint} holding what differs from this point (the frames written since, the
     * region outside machine memory, the machine's and the hypervisor's state). Only between runs
     * of the machine; the system runs on unchanged.
     *
     * @throws IllegalArgumentException if {@code system} is not the system this point was marked on
     * @throws IllegalStateException if another reset point was marked on it since, or it is running
     */
    public Checkpoint capture(HostSystem system) {
        checkOwn(system);
        Machine machine = system.machine();
        MachineState state = machine.exportState();
        CoreHeapState heap = system.hypervisor().saveHeap();
        MemorySegment live = system.region().segment();
        MemorySegment outside = MemorySegment.ofArray(new byte[Math.toIntExact(outsideMemoryBytes())]);
        MemorySegment.copy(live, 0, outside, 0, ramOffsetBytes);
        MemorySegment.copy(live, ramEndBytes, outside, ramOffsetBytes, live.byteSize() - ramEndBytes);
        int[] numbers = machine.memory().dirtyFrameNumbers();
        MemorySegment frames = MemorySegment.ofArray(new byte[Math.multiplyExact(numbers.length, PhysicalMemory.FRAME_SIZE)]);
        MemorySegment ram = machine.memory().segment();
        for (int i = 0; i < numbers.length; i++) {
            MemorySegment.copy(ram, (long) numbers[i] << PhysicalMemory.FRAME_SHIFT, frames,
                    (long) i << PhysicalMemory.FRAME_SHIFT, PhysicalMemory.FRAME_SIZE);
        }
        return new Checkpoint(machine.nowCycles(), state, heap, outside, numbers, frames);
    }

    /**
     * Puts {@code system} into the state {@code checkpoint} captured, with a fresh hypervisor of
     * {@code hypervisorImage}: the frames the last run wrote back to this point, then the
     * checkpoint's frames over them (counted as written since this point, so the next reset puts
     * them back too), the region outside machine memory and the machine's state from the
     * checkpoint. The system is then exactly as the run that captured it was at that moment.
     *
     * @throws IllegalArgumentException if {@code system} is not the system this point was marked on
     * @throws IllegalStateException if another reset point was marked on it since, or it is running
     */
    public ResetStats resetTo(HostSystem system, Checkpoint checkpoint, HypervisorImage hypervisorImage) {
        checkOwn(system);
        Machine machine = system.machine();
        long start = System.nanoTime();
        MemorySegment live = system.region().segment();
        MemorySegment.copy(checkpoint.outside(), 0, live, 0, ramOffsetBytes);
        MemorySegment.copy(checkpoint.outside(), ramOffsetBytes, live, ramEndBytes, live.byteSize() - ramEndBytes);
        long regionNanos = System.nanoTime() - start;
        int frames = machine.resetState(checkpoint.machineState(), ramBase);
        PhysicalMemory memory = machine.memory();
        MemorySegment ram = memory.segment();
        int[] numbers = checkpoint.frameNumbers();
        for (int i = 0; i < numbers.length; i++) {
            MemorySegment.copy(checkpoint.frames(), (long) i << PhysicalMemory.FRAME_SHIFT, ram,
                    (long) numbers[i] << PhysicalMemory.FRAME_SHIFT, PhysicalMemory.FRAME_SIZE);
            memory.invalidateCode(numbers[i]);
        }
        epoch = memory.dirtyEpoch();
        HypervisorEntry entry = hypervisorImage.instantiate(machine, system.coreState(), system.layout());
        entry.restoreHeap(checkpoint.heapState());
        system.replaceHypervisor(entry);
        machine.setHypervisor(entry);
        return new ResetStats(frames + numbers.length, outsideMemoryBytes(), regionNanos);
    }

    /** The machine's virtual time at this point. */
    public long cycles() {
        return machineState.nowCycles();
    }

    /** This point's pristine hypervisor image (loaded when the point was marked). */
    public HypervisorImage image() {
        return image;
    }

    private void checkOwn(HostSystem system) {
        if (system != this.system) {
            throw new IllegalArgumentException("a reset point belongs to the system it was marked on");
        }
        if (system.machine().memory().dirtyEpoch() != epoch) {
            throw new IllegalStateException("another reset point was marked on this system since; this one is stale");
        }
    }

    /** Bytes of the region outside machine memory (header, the core's tables), copied back at every reset. */
    public long outsideMemoryBytes() {
        return regionBase.byteSize() - (ramEndBytes - ramOffsetBytes);
    }

    /** The number of machine frames written since the mark or the last reset. */
    public int dirtyFrames() {
        return system.machine().memory().dirtyFrameCount();
    }

    /** Copies back the region outside machine memory; returns the bytes copied. */
    private long revertOutsideMemory(MemorySegment live) {
        MemorySegment.copy(regionBase, 0, live, 0, ramOffsetBytes);
        MemorySegment.copy(regionBase, ramEndBytes, live, ramEndBytes, live.byteSize() - ramEndBytes);
        return outsideMemoryBytes();
    }
}
