package dev.rehype.machine.snapshot;

/** What a pending device event does when it fires; the device named in the event re-creates it. */
public enum PendingEventKind {
    /** The NIC's TX engine processes the descriptor at TX_HEAD (payload: the reset epoch). */
    NIC_TX_STEP,
    /** A frame sent by the NIC reaches the peer (payload: the frame). */
    NIC_TO_PEER,
    /** A frame sent by the peer reaches the NIC (payload: the frame). */
    NIC_FROM_PEER
}
