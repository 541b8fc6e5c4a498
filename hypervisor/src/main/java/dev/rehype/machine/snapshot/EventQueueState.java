package dev.rehype.machine.snapshot;

/**
 * The machine's event queue: its present, the next insertion number it hands out, and every pending
 * event in firing order (time, then insertion number).
 *
 * @param timeCycles    the queue's present: nothing may be scheduled before it
 * @param nextSequence  the insertion number the next scheduled event gets
 * @param pending       the pending events, in firing order
 */
public record EventQueueState(long timeCycles, long nextSequence, PendingEventState[] pending) {
    public EventQueueState {
        PendingEventState previous = null;
        for (PendingEventState e : pending) {
            if (previous != null && (e.atCycles() < previous.atCycles()
                    || (e.atCycles() == previous.atCycles() && e.sequence() <= previous.sequence()))) {
                throw new IllegalArgumentException("pending events out of firing order: " + e.kind() + " at cycle "
                        + e.atCycles() + " (sequence " + e.sequence() + ") after " + previous.kind() + " at cycle "
                        + previous.atCycles() + " (sequence " + previous.sequence() + ")");
            }
            previous = e;
            if (e.atCycles() < timeCycles || e.sequence() < 0 || e.sequence() >= nextSequence) {
                throw new IllegalArgumentException("pending " + e.kind() + " at cycle " + e.atCycles()
                        + " with sequence " + e.sequence() + " does not fit a queue at cycle " + timeCycles
                        + " whose next sequence is " + nextSequence);
            }
        }
    }
}
