package dev.rehype.machine;

import dev.rehype.machine.snapshot.TimerState;

/**
 * A hart's hardware timer: one deadline in virtual cycles. While the machine's time is at or past
 * the deadline the hart has a host timer interrupt pending (level, like mtimecmp), until the
 * hypervisor programs a later deadline or cancels it. Hardware: it survives a hypervisor crash.
 */
public final class Timer implements StateHashable, dev.rehype.machine.port.TimerPort {
    public static final long NONE = Long.MAX_VALUE;

    private long deadlineCycles = NONE;

    /** Arms the timer at an absolute virtual time. */
    public void program(long deadlineCycles) {
        if (deadlineCycles < 0) {
            throw new IllegalArgumentException("timer deadline must be >= 0, got " + deadlineCycles);
        }
        this.deadlineCycles = deadlineCycles;
    }

    public void cancel() {
        deadlineCycles = NONE;
    }

    /** The armed deadline, or {@link #NONE}. */
    public long deadlineCycles() {
        return deadlineCycles;
    }

    public boolean pending(long nowCycles) {
        return nowCycles >= deadlineCycles;
    }

    /** This timer's state, for a snapshot. */
    public TimerState exportState() {
        return new TimerState(deadlineCycles);
    }

    /** Takes the state of a snapshot. */
    public void importState(TimerState state) {
        if (state.deadlineCycles() < 0) {
            throw new IllegalArgumentException("timer deadline must be >= 0, got " + state.deadlineCycles());
        }
        deadlineCycles = state.deadlineCycles();
    }

    @Override
    public void hashInto(StateHasher hasher) {
        hasher.putTag("timer").putLong(deadlineCycles);
    }
}
