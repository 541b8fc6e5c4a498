package dev.rehype.machine;

import dev.rehype.machine.snapshot.EventQueueState;
import dev.rehype.machine.snapshot.PendingEventState;

import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * The machine's queue of device events, ordered by (time, insertion sequence number). Two events
 * due at the same cycle fire in the order they were scheduled; nothing is ever ordered by hash or
 * identity, so the same schedule always fires the same way. There is no randomness here: devices
 * that want jitter draw it from their own seeded generators before they schedule.
 *
 * <p>The queue keeps its own notion of the present ({@link #timeCycles()}): the time of the event
 * being fired while {@link #runDue} runs, and the {@code nowCycles} of the last {@code runDue}
 * afterwards. Scheduling before the present is a bug in the caller and is refused.
 */
public final class EventQueue implements StateHashable {
    /** One scheduled event; {@code sequence} breaks ties between events due at the same cycle. */
    private record Entry(long atCycles, long sequence, DeviceEvent event) {
    }

    private static final Comparator<Entry> ORDER =
            Comparator.comparingLong(Entry::atCycles).thenComparingLong(Entry::sequence);

    private final PriorityQueue<Entry> queue = new PriorityQueue<>(ORDER);
    private long nextSequence;
    private long timeCycles;

    /**
     * Schedules {@code event} to fire at {@code atCycles}.
     *
     * @throws IllegalArgumentException if {@code atCycles} is before {@link #timeCycles()}
     */
    public void schedule(long atCycles, DeviceEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("cannot schedule a null event");
        }
        if (atCycles < timeCycles) {
            throw new IllegalArgumentException("cannot schedule " + event.getClass().getSimpleName()
                    + " at cycle " + atCycles + ": the queue is already at cycle " + timeCycles);
        }
        queue.add(new Entry(atCycles, nextSequence++, event));
    }

    /** The time of the earliest pending event, or {@link Long#MAX_VALUE} if none is pending. */
    public long nextEventCycles() {
        Entry head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.atCycles();
    }

    /**
     * Fires, in order, every event due at or before {@code nowCycles}, including events that those
     * events schedule if they are due too. Each event is fired with its own time.
     *
     * @throws IllegalArgumentException if {@code nowCycles} is before {@link #timeCycles()}
     */
    public void runDue(long nowCycles) {
        if (nowCycles < timeCycles) {
            throw new IllegalArgumentException("virtual time does not run backwards: runDue("
                    + nowCycles + ") after the queue reached cycle " + timeCycles);
        }
        while (!queue.isEmpty() && queue.peek().atCycles() <= nowCycles) {
            Entry entry = queue.poll();
            timeCycles = entry.atCycles();
            entry.event().fire(entry.atCycles());
        }
        timeCycles = nowCycles;
    }

    /** The queue's present: no event may be scheduled before it. Starts at 0. */
    public long timeCycles() {
        return timeCycles;
    }

    /** Number of pending events. */
    public int size() {
        return queue.size();
    }

    /** The queue as data, pending events in firing order, for a snapshot. */
    public EventQueueState exportState() {
        Entry[] pending = queue.toArray(new Entry[0]);
        Arrays.sort(pending, ORDER);
        PendingEventState[] events = new PendingEventState[pending.length];
        for (int i = 0; i < pending.length; i++) {
            events[i] = pending[i].event().exportState(pending[i].atCycles(), pending[i].sequence());
        }
        return new EventQueueState(timeCycles, nextSequence, events);
    }

    /**
     * Replaces the whole queue with a snapshot's: its present, its next insertion number, and its
     * pending events, each re-created by {@code recreate} (which asks the device the event names)
     * and keeping its time and insertion number, so that events fire in the same order as before.
     */
    public void importState(EventQueueState state, Function<PendingEventState, DeviceEvent> recreate) {
        PriorityQueue<Entry> restored = new PriorityQueue<>(ORDER);
        for (PendingEventState e : state.pending()) {
            restored.add(new Entry(e.atCycles(), e.sequence(), recreate.apply(e)));
        }
        queue.clear();
        queue.addAll(restored);
        nextSequence = state.nextSequence();
        timeCycles = state.timeCycles();
    }

    @Override
    public void hashInto(StateHasher hasher) {
        hasher.putTag("events").putLong(timeCycles).putLong(nextSequence).putInt(queue.size());
        Entry[] pending = queue.toArray(new Entry[0]);
        Arrays.sort(pending, ORDER);
        for (Entry entry : pending) {
            hasher.putLong(entry.atCycles()).putLong(entry.sequence());
            entry.event().hashInto(hasher);
        }
    }
}
