package dev.rehype.hypervisor.system;

import dev.rehype.hypervisor.image.CoreHeapState;
import dev.rehype.machine.snapshot.MachineState;

/**
 * The object part of a snapshot: what a {@link HostSystem} needs besides the region bytes to be
 * built again exactly as it was. The system's shape (from which the core's table layout and the
 * region's size follow), the machine's state (everything but memory), and the hypervisor's
 * non-preserved heap state. No boot spec: the guests are already in machine memory, so a restore
 * parses no guest image and boots nothing.
 *
 * @param config  the system's shape
 * @param machine the machine's state
 * @param heap    the hypervisor image's heap state
 */
public record SnapshotContents(SystemConfig config, MachineState machine, CoreHeapState heap) {
    public SnapshotContents {
        if (config == null || machine == null || heap == null) {
            throw new IllegalArgumentException("a snapshot needs a system config, a machine state and a heap state");
        }
    }
}
