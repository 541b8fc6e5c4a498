package dev.rehype.machine.snapshot;

/**
 * One of the NIC's descriptor rings as its registers hold it: the machine address of descriptor 0,
 * the number of descriptors (0 = no ring), the next descriptor the device handles (head) and one
 * past the last one handed to the device (tail).
 */
public record NicRingState(int base, int size, int head, int tail) {
}
