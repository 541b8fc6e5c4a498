package dev.rehype.machine;

import dev.rehype.machine.snapshot.PendingEventState;

/**
 * Something a device has arranged to happen at a point of virtual time: a NIC finishing a DMA, a
 * frame reaching the end of the wire, a timer expiring. Events live in the machine's
 * {@link EventQueue}, which is hardware state: they survive a hypervisor crash exactly as a frame
 * already on the wire would.
 *
 * <p>Implementations are records holding only what the event needs, so that a pending queue can
 * be hashed now and snapshotted later. {@link #hashInto} feeds the event's data fields (not the
 * device it points back to, which hashes itself).
 */
public interface DeviceEvent extends StateHashable {
    /**
     * Performs the event. {@code nowCycles} is the event's own scheduled time (never later than
     * the machine's clock when the queue is run), so a device's timing does not depend on how often
     * the machine polls the queue. May schedule further events at {@code nowCycles} or later.
     */
    void fire(long nowCycles);

    /**
     * This event as data, for a snapshot: scheduled at {@code atCycles} with insertion number
     * {@code sequence}. The device it belongs to re-creates it from that data on import. An event
     * of a kind no device can re-create (a test's own event, say) refuses, and so the snapshot.
     *
     * @throws UnsupportedOperationException if this kind of event cannot be saved
     */
    default PendingEventState exportState(long atCycles, long sequence) {
        throw new UnsupportedOperationException(getClass().getName() + " pending at cycle " + atCycles
                + " cannot be saved in a snapshot: no device re-creates it");
    }
}
