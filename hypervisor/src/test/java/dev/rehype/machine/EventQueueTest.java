package dev.rehype.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    /** Logs "label@time" when fired. */
    record Mark(List<String> log, String label) implements DeviceEvent {
        @Override
        public void fire(long nowCycles) {
            log.add(label + "@" + nowCycles);
        }

        @Override
        public void hashInto(StateHasher hasher) {
            hasher.putTag(label);
        }
    }

    /** When fired, schedules {@code then} at {@code nowCycles + delayCycles}. */
    record Chain(List<String> log, EventQueue queue, String label, long delayCycles, DeviceEvent then)
            implements DeviceEvent {
        @Override
        public void fire(long nowCycles) {
            log.add(label + "@" + nowCycles);
            queue.schedule(nowCycles + delayCycles, then);
        }

        @Override
        public void hashInto(StateHasher hasher) {
            hasher.putTag(label).putLong(delayCycles);
        }
    }

    private final List<String> log = new ArrayList<>();
    private final EventQueue queue = new EventQueue();

    @Test
    void an_empty_queue_has_no_next_event() {
        assertThat(queue.nextEventCycles()).isEqualTo(Long.MAX_VALUE);
        assertThat(queue.size()).isZero();
        queue.runDue(1_000);
        assertThat(log).isEmpty();
    }

    @Test
    void events_fire_by_time_then_by_insertion_order() {
        queue.schedule(30, new Mark(log, "c"));
        queue.schedule(10, new Mark(log, "a1"));
        queue.schedule(20, new Mark(log, "b"));
        queue.schedule(10, new Mark(log, "a2"));
        queue.schedule(10, new Mark(log, "a3"));

        assertThat(queue.size()).isEqualTo(5);
        assertThat(queue.nextEventCycles()).isEqualTo(10);

        queue.runDue(25);
        assertThat(log).containsExactly("a1@10", "a2@10", "a3@10", "b@20");
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.nextEventCycles()).isEqualTo(30);

        queue.runDue(30);
        assertThat(log).containsExactly("a1@10", "a2@10", "a3@10", "b@20", "c@30");
        assertThat(queue.size()).isZero();
    }

    @Test
    void events_fire_with_their_own_time_not_the_time_the_queue_is_run() {
        queue.schedule(7, new Mark(log, "x"));
        queue.runDue(500);
        assertThat(log).containsExactly("x@7");
        assertThat(queue.timeCycles()).isEqualTo(500);
    }

    @Test
    void events_scheduled_while_firing_run_in_the_same_pass_when_due() {
        Mark late = new Mark(log, "late");
        Mark soon = new Mark(log, "soon");
        queue.schedule(10, new Chain(log, queue, "first", 5, soon));
        queue.schedule(12, new Mark(log, "other"));
        queue.schedule(20, new Chain(log, queue, "second", 100, late));

        queue.runDue(50);

        assertThat(log).containsExactly("first@10", "other@12", "soon@15", "second@20");
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.nextEventCycles()).isEqualTo(120);
    }

    @Test
    void an_event_scheduled_while_firing_at_the_same_time_runs_after_those_already_due_then() {
        queue.schedule(10, new Chain(log, queue, "parent", 0, new Mark(log, "child")));
        queue.schedule(10, new Mark(log, "sibling"));

        queue.runDue(10);

        assertThat(log).containsExactly("parent@10", "sibling@10", "child@10");
    }

    @Test
    void scheduling_before_the_last_run_is_refused() {
        queue.runDue(100);
        assertThatThrownBy(() -> queue.schedule(99, new Mark(log, "past")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("99")
                .hasMessageContaining("100");
        queue.schedule(100, new Mark(log, "now"));
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void time_does_not_run_backwards() {
        queue.runDue(100);
        assertThatThrownBy(() -> queue.runDue(50)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backwards");
    }

    @Test
    void a_null_event_is_refused() {
        assertThatThrownBy(() -> queue.schedule(1, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_hash_depends_on_what_is_pending_and_in_which_order() {
        EventQueue a = new EventQueue();
        EventQueue b = new EventQueue();
        EventQueue c = new EventQueue();
        a.schedule(5, new Mark(log, "x"));
        a.schedule(5, new Mark(log, "y"));
        b.schedule(5, new Mark(log, "x"));
        b.schedule(5, new Mark(log, "y"));
        c.schedule(5, new Mark(log, "y"));
        c.schedule(5, new Mark(log, "x"));

        assertThat(hash(a)).isEqualTo(hash(b));
        assertThat(hash(a)).isNotEqualTo(hash(c));

        a.runDue(5);
        assertThat(hash(a)).isNotEqualTo(hash(b));
    }

    private static String hash(EventQueue queue) {
        StateHasher hasher = new StateHasher();
        queue.hashInto(hasher);
        return hasher.hex();
    }
}
