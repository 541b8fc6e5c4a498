package dev.rehype.machine.snapshot;

/**
 * One event waiting in the machine's event queue, as data: when it fires, its place among events
 * due at the same cycle, the device it belongs to, what it does, and its payload (an epoch or a
 * frame, as {@link PendingEventKind} says; the unused one is 0 or empty).
 *
 * @param atCycles  virtual time at which it fires
 * @param sequence  the queue's insertion number (breaks ties between events due at the same cycle)
 * @param device    the name of the device that re-creates it, for example "nic0"
 * @param kind      what it does
 * @param epoch     the reset epoch it was scheduled in ({@link PendingEventKind#NIC_TX_STEP})
 * @param frame     the frame it carries (the wire events)
 */
public record PendingEventState(long atCycles, long sequence, String device, PendingEventKind kind, long epoch,
                                byte[] frame) {
    private static final byte[] NO_FRAME = new byte[0];

    public PendingEventState {
        if (device == null || kind == null) {
            throw new IllegalArgumentException("a pending event needs a device and a kind");
        }
        frame = frame == null ? NO_FRAME : frame;
    }
}
