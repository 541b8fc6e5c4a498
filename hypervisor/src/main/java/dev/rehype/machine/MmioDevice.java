package dev.rehype.machine;

/**
 * A device whose registers sit in the machine-physical MMIO window (at or above
 * {@link Machine#MMIO_BASE}). Accesses are 32-bit and aligned; anything else is an access fault
 * for the hart that made it. A guest reaches a device only where the hypervisor's second stage
 * maps the device's frame into it.
 */
public interface MmioDevice {
    /** A short name for logs and errors, for example "nic0". */
    String name();

    /** Size of the register window in bytes (a multiple of 4 KiB). */
    int windowBytes();

    /** Reads the register at {@code offset} (aligned to 4) within the window. */
    int read32(int offset);

    /** Writes the register at {@code offset} (aligned to 4) within the window. */
    void write32(int offset, int value);
}
