package dev.rehype.machine;

/**
 * Whatever sits at the other end of the {@link Nic}'s wire: an echo service, a traffic
 * generator, a client checking sequence numbers. It runs inside the machine's event loop, in
 * virtual time, and must be deterministic. A peer whose state affects later frames should also
 * implement {@link StateHashable}: the NIC then folds it into its own hash.
 */
public interface WirePeer {
    /** Called when {@code frame} (the peer's own copy) reaches the peer at {@code nowCycles}; may answer through {@code wire}. */
    void receive(byte[] frame, long nowCycles, Wire wire);
}
