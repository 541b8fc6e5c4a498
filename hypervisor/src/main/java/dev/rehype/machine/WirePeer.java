package dev.rehype.machine;

import dev.rehype.machine.snapshot.PeerState;

/**
 * Whatever sits at the other end of the {@link Nic}'s wire: an echo service, a traffic
 * generator, a client checking sequence numbers. It runs inside the machine's event loop, in
 * virtual time, and must be deterministic. A peer whose state affects later frames should also
 * implement {@link StateHashable}: the NIC then folds it into its own hash.
 */
public interface WirePeer {
    /** Called when {@code frame} (the peer's own copy) reaches the peer at {@code nowCycles}; may answer through {@code wire}. */
    void receive(byte[] frame, long nowCycles, Wire wire);

    /**
     * This peer's state, for a snapshot of the machine. A peer that can be saved returns a record
     * of its own kind (whose {@link PeerState#newPeer()} builds it again); the default refuses.
     *
     * @throws UnsupportedOperationException if this peer cannot be saved
     */
    default PeerState exportState() {
        throw new UnsupportedOperationException("the NIC's peer " + getClass().getName()
                + " cannot be saved in a snapshot");
    }

    /**
     * Takes the state of a snapshot. The default, for peers whose state never changes, accepts only
     * a state equal to its own.
     *
     * @throws IllegalArgumentException if this peer cannot take {@code state}
     */
    default void importState(PeerState state) {
        PeerState own = exportState();
        if (!own.equals(state)) {
            throw new IllegalArgumentException("snapshot of a peer in state " + state
                    + " imported into a peer in state " + own);
        }
    }
}
