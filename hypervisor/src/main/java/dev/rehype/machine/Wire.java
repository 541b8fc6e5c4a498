package dev.rehype.machine;

/**
 * The direction of the wire that runs from a {@link WirePeer} to the {@link Nic}: what a peer
 * uses to send frames. A frame put on the wire reaches the NIC one wire latency (plus seeded
 * jitter) later; frames are never reordered.
 */
public interface Wire {
    /**
     * Puts {@code frame} on the wire at {@code atCycles}. The frame is copied; it must hold
     * 1..{@value NicDescriptor#MAX_FRAME_BYTES} bytes, and {@code atCycles} must not be before the
     * time the peer was called with.
     *
     * @throws IllegalArgumentException on a bad frame length or a time in the past
     */
    void sendToNic(byte[] frame, long atCycles);
}
