package dev.rehype.machine.snapshot;

/**
 * The interrupt controller's state: per source its priority, target hart and pending bit; per hart
 * its threshold and the sources in service (claimed, not yet completed). Arrays indexed by source
 * number have {@code sources + 1} entries, entry 0 unused, as in the controller itself.
 *
 * @param sources   number of sources (an import checks it)
 * @param harts     number of harts (an import checks it)
 * @param priority  priority of each source, 0..7
 * @param target    hart each source is routed to
 * @param pending   pending bit of each source
 * @param threshold threshold of each hart
 * @param inService {@code inService[hart][source]}: claimed by that hart and not yet completed
 */
public record InterruptControllerState(int sources, int harts, int[] priority, int[] target, boolean[] pending,
                                       int[] threshold, boolean[][] inService) {
    public InterruptControllerState {
        int perSource = sources + 1;
        if (priority.length != perSource || target.length != perSource || pending.length != perSource) {
            throw new IllegalArgumentException("interrupt controller of " + sources
                    + " sources: per-source arrays must have " + perSource + " entries");
        }
        if (threshold.length != harts || inService.length != harts) {
            throw new IllegalArgumentException("interrupt controller of " + harts
                    + " harts: per-hart arrays must have " + harts + " entries");
        }
        for (boolean[] claimed : inService) {
            if (claimed.length != perSource) {
                throw new IllegalArgumentException("interrupt controller of " + sources
                        + " sources: each hart's in-service array must have " + perSource + " entries");
            }
        }
    }
}
