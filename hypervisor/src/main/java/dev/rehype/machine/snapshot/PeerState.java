package dev.rehype.machine.snapshot;

import dev.rehype.machine.WirePeer;

/**
 * The state of whatever sits at the other end of the NIC's wire, as data. Each kind of snapshottable
 * peer has its own record implementing this interface, with value equality, and knows how to build
 * a peer in that state (a restored machine gets its peer from here). A snapshot file can hold only
 * the kinds its encoder registers, so a new kind is registered there too.
 */
public interface PeerState {
    /** A new peer in this state. */
    WirePeer newPeer();
}
