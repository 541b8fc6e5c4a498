package dev.rehype.machine.snapshot;

/**
 * The NIC's statistics counters: frames sent, frames received into RX buffers, frames dropped,
 * and TX descriptors rejected.
 */
public record NicCountersState(long txPackets, long rxPackets, long rxDropped, long txErrors) {
}
