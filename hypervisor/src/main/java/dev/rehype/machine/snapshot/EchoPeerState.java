package dev.rehype.machine.snapshot;

import dev.rehype.machine.EchoPeer;
import dev.rehype.machine.WirePeer;

/** An {@link EchoPeer}: stateless apart from how long it takes to send a frame back. */
public record EchoPeerState(long latencyCycles) implements PeerState {
    @Override
    public WirePeer newPeer() {
        return new EchoPeer(latencyCycles);
    }
}
