package dev.rehype.hypervisor.system;

import dev.rehype.hypervisor.image.CoreHeapState;
import dev.rehype.machine.snapshot.MachineState;

import java.lang.foreign.MemorySegment;

/**
 * A later moment of a run that started from a {@link ResetPoint}, kept as a difference from that
 * point: the machine's state records, the hypervisor's heap state, the region outside machine
 * memory (header and the core's tables) whole, and the contents of the machine frames written
 * since the reset point — nothing else differs from it. Campaigns capture checkpoints along the
 * fault-free run ({@link ResetPoint#capture}) and start a run whose first fault is armed at cycle
 * {@code c} from the last checkpoint at or before {@code c} ({@link ResetPoint#resetTo(HostSystem,
 * Checkpoint, dev.rehype.hypervisor.image.HypervisorImage)}): the virtual time before it is not
 * emulated again. A checkpoint is immutable and may be shared by the systems marked from the same
 * snapshot; it is only valid with the reset point that captured it.
 *
 * @param cycles       the machine's virtual time at the capture
 * @param machineState the machine's state records (harts, timers, devices, events, the peer)
 * @param heapState    the hypervisor's heap state at the capture
 * @param outside      the region's bytes outside machine memory, in region order (before, then after it)
 * @param frameNumbers the machine frames written since the reset point, in the order first written
 * @param frames       their contents, 4 KiB each in the order of {@code frameNumbers}
 */
public record Checkpoint(long cycles, MachineState machineState, CoreHeapState heapState, MemorySegment outside,
                         int[] frameNumbers, MemorySegment frames) {

    public Checkpoint {
        if (frames.byteSize() != (long) frameNumbers.length << dev.rehype.machine.PhysicalMemory.FRAME_SHIFT) {
            throw new IllegalArgumentException("a checkpoint of " + frameNumbers.length + " frames holds "
                    + frames.byteSize() + " bytes of them");
        }
    }
}
