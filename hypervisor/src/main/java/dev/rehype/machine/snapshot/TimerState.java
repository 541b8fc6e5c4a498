package dev.rehype.machine.snapshot;

/**
 * A hart's hardware timer: its one deadline in virtual cycles, or {@code Timer.NONE} when it is not
 * armed.
 */
public record TimerState(long deadlineCycles) {
}
