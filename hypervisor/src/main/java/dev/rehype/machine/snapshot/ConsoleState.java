package dev.rehype.machine.snapshot;

/**
 * The console's state: the bytes it keeps (oldest first, at most its capacity) and the count of
 * every byte ever written. The tee (a terminal, a log) is not state and is not saved.
 *
 * @param capacityBytes how many bytes the console keeps at most (an import checks it)
 * @param keptBytes     the kept bytes, oldest first
 * @param bytesWritten  every byte ever written, including those no longer kept
 */
public record ConsoleState(int capacityBytes, byte[] keptBytes, long bytesWritten) {
    public ConsoleState {
        if (keptBytes.length > capacityBytes || bytesWritten < keptBytes.length) {
            throw new IllegalArgumentException("console keeps " + keptBytes.length + " bytes of "
                    + bytesWritten + " written, with a capacity of " + capacityBytes);
        }
    }
}
