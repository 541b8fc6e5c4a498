package dev.rehype.machine.snapshot;

/**
 * Everything the NIC holds: its identity (name, interrupt source, seed: an import checks them),
 * the jitter generator's position, the arrival time of the last frame put on each direction of the
 * wire, its registers and rings, its counters, the reset epoch, whether a TX step of the current
 * epoch is pending, and the state of the peer at the other end of the wire. Frames on the wire and
 * pending TX work are events in the machine's queue ({@link EventQueueState}), not here.
 *
 * @param name              the device's name, for example "nic0"
 * @param irq               the interrupt source it raises
 * @param seed              the seed its MAC address, wire latency and jitter come from
 * @param jitterSeed        the seed of its jitter generator
 * @param jitterDraws       jitter values drawn so far: with the seed, the generator's whole state
 * @param lastToPeerCycles  arrival time of the last frame sent towards the peer
 * @param lastToNicCycles   arrival time of the last frame sent towards the NIC
 * @param ctrl              CTRL
 * @param status            STATUS
 * @param irqCause          IRQ_CAUSE
 * @param irqMask           IRQ_MASK
 * @param tx                the TX ring
 * @param rx                the RX ring
 * @param counters          the statistics counters
 * @param epoch             bumped by every reset; events of an older epoch do nothing
 * @param txScheduled       a TX step of the current epoch is pending
 * @param dmaRoot           the IOMMU context of its DMA (Nic.DMA_IDENTITY, Nic.DMA_BLOCKED or a table frame)
 * @param peer              the state of the peer on the wire
 */
public record NicState(String name, int irq, long seed, long jitterSeed, long jitterDraws, long lastToPeerCycles,
                       long lastToNicCycles, int ctrl, int status, int irqCause, int irqMask, NicRingState tx,
                       NicRingState rx, NicCountersState counters, long epoch, boolean txScheduled, long dmaRoot,
                       PeerState peer) {
    public NicState {
        if (jitterDraws < 0) {
            throw new IllegalArgumentException("NIC " + name + ": jitter draws must be >= 0, got " + jitterDraws);
        }
    }
}
