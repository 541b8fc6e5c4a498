package dev.rehype.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InterruptControllerTest {

    private final InterruptController ic = new InterruptController(8, 2);

    @Test
    void a_fresh_controller_delivers_nothing() {
        assertThat(ic.sources()).isEqualTo(8);
        assertThat(ic.harts()).isEqualTo(2);
        assertThat(ic.hasDeliverable(0)).isFalse();
        assertThat(ic.claim(0)).isZero();
        assertThat(ic.inService(0)).isEmpty();
        assertThat(ic.priority(3)).isZero();
        assertThat(ic.target(3)).isZero();
        assertThat(ic.threshold(1)).isZero();
    }

    @Test
    void a_source_of_priority_zero_becomes_pending_but_is_never_delivered() {
        ic.raise(3);
        assertThat(ic.pending(3)).isTrue();
        assertThat(ic.hasDeliverable(0)).isFalse();
        assertThat(ic.claim(0)).isZero();

        ic.setPriority(3, 1);
        assertThat(ic.hasDeliverable(0)).isTrue();
    }

    @Test
    void claim_takes_the_highest_priority_first_and_the_lowest_number_on_ties() {
        ic.setPriority(2, 3);
        ic.setPriority(5, 6);
        ic.setPriority(6, 6);
        ic.raise(2);
        ic.raise(6);
        ic.raise(5);

        assertThat(ic.claim(0)).isEqualTo(5);
        assertThat(ic.pending(5)).isFalse();
        assertThat(ic.inService(0)).containsExactly(5);
        assertThat(ic.complete(0, 5)).isTrue();

        assertThat(ic.claim(0)).isEqualTo(6);
        assertThat(ic.complete(0, 6)).isTrue();
        assertThat(ic.claim(0)).isEqualTo(2);
        assertThat(ic.complete(0, 2)).isTrue();
        assertThat(ic.claim(0)).isZero();
        assertThat(ic.inService(0)).isEmpty();
    }

    @Test
    void raising_is_edge_triggered_and_coalesces_while_pending() {
        ic.setPriority(1, 1);
        ic.raise(1);
        ic.raise(1);
        assertThat(ic.claim(0)).isEqualTo(1);
        ic.complete(0, 1);
        assertThat(ic.claim(0)).isZero();
    }

    @Test
    void a_source_is_delivered_only_to_the_hart_it_is_routed_to() {
        ic.setPriority(4, 2);
        ic.route(4, 1);
        ic.raise(4);

        assertThat(ic.target(4)).isEqualTo(1);
        assertThat(ic.hasDeliverable(0)).isFalse();
        assertThat(ic.claim(0)).isZero();
        assertThat(ic.hasDeliverable(1)).isTrue();
        assertThat(ic.claim(1)).isEqualTo(4);
        assertThat(ic.inService(1)).containsExactly(4);
        assertThat(ic.inService(0)).isEmpty();
    }

    @Test
    void the_threshold_masks_priorities_up_to_and_including_it() {
        ic.setPriority(1, 3);
        ic.setPriority(2, 4);
        ic.raise(1);
        ic.setThreshold(0, 3);
        assertThat(ic.threshold(0)).isEqualTo(3);
        assertThat(ic.hasDeliverable(0)).isFalse();

        ic.raise(2);
        assertThat(ic.claim(0)).isEqualTo(2);
        assertThat(ic.claim(0)).isZero();

        ic.setThreshold(0, 7);
        ic.complete(0, 2);
        assertThat(ic.hasDeliverable(0)).isFalse();
        ic.setThreshold(0, 0);
        assertThat(ic.claim(0)).isEqualTo(1);
    }

    @Test
    void a_source_left_in_service_blocks_equal_and_lower_priorities_but_not_higher() {
        ic.setPriority(1, 4); // left in service: its handler never signalled EOI
        ic.setPriority(2, 4); // equal
        ic.setPriority(3, 2); // lower
        ic.setPriority(4, 5); // higher
        ic.raise(1);
        assertThat(ic.claim(0)).isEqualTo(1);

        ic.raise(2);
        ic.raise(3);
        assertThat(ic.inServicePriority(0)).isEqualTo(4);
        assertThat(ic.hasDeliverable(0)).isFalse();
        assertThat(ic.claim(0)).isZero();
        assertThat(ic.pending(2)).isTrue();
        assertThat(ic.pending(3)).isTrue();

        ic.raise(4);
        assertThat(ic.hasDeliverable(0)).isTrue();
        assertThat(ic.claim(0)).isEqualTo(4);
        assertThat(ic.inService(0)).containsExactly(1, 4);
        assertThat(ic.complete(0, 4)).isTrue();
        assertThat(ic.hasDeliverable(0)).isFalse();

        assertThat(ic.complete(0, 1)).isTrue();
        assertThat(ic.claim(0)).isEqualTo(2);
        ic.complete(0, 2);
        assertThat(ic.claim(0)).isEqualTo(3);
    }

    @Test
    void a_source_in_service_on_one_hart_does_not_block_another_hart() {
        ic.setPriority(1, 5);
        ic.setPriority(2, 1);
        ic.route(2, 1);
        ic.raise(1);
        ic.raise(2);
        assertThat(ic.claim(0)).isEqualTo(1);
        assertThat(ic.claim(1)).isEqualTo(2);
    }

    @Test
    void a_source_raised_again_while_in_service_is_delivered_after_completion() {
        ic.setPriority(1, 1);
        ic.raise(1);
        assertThat(ic.claim(0)).isEqualTo(1);
        ic.raise(1);
        assertThat(ic.pending(1)).isTrue();
        assertThat(ic.hasDeliverable(0)).isFalse();
        ic.complete(0, 1);
        assertThat(ic.claim(0)).isEqualTo(1);
    }

    @Test
    void completing_a_source_not_in_service_on_that_hart_returns_false() {
        ic.setPriority(1, 1);
        assertThat(ic.complete(0, 1)).isFalse();
        ic.raise(1);
        assertThat(ic.claim(0)).isEqualTo(1);
        assertThat(ic.complete(1, 1)).isFalse();
        assertThat(ic.inService(0)).containsExactly(1);
        assertThat(ic.complete(0, 1)).isTrue();
        assertThat(ic.complete(0, 1)).isFalse();
    }

    @Test
    void nested_claims_of_rising_priority_are_listed_in_ascending_source_order() {
        ic.setPriority(8, 1);
        ic.setPriority(5, 3);
        ic.setPriority(2, 6);
        ic.raise(8);
        assertThat(ic.claim(0)).isEqualTo(8);
        ic.raise(5);
        assertThat(ic.claim(0)).isEqualTo(5);
        ic.raise(2);
        assertThat(ic.claim(0)).isEqualTo(2);

        assertThat(ic.inService(0)).containsExactly(2, 5, 8);
        assertThat(ic.inServicePriority(0)).isEqualTo(6);
    }

    @Test
    void bad_arguments_are_refused_with_a_message_naming_them() {
        assertThatThrownBy(() -> ic.raise(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source 0").hasMessageContaining("1..8");
        assertThatThrownBy(() -> ic.raise(9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source 9");
        assertThatThrownBy(() -> ic.setPriority(1, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..7").hasMessageContaining("8");
        assertThatThrownBy(() -> ic.setPriority(1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ic.route(1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hart 2").hasMessageContaining("0..1");
        assertThatThrownBy(() -> ic.setThreshold(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ic.setThreshold(0, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ic.claim(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ic.hasDeliverable(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ic.complete(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ic.inService(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ic.pending(42)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InterruptController(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InterruptController(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_hash_covers_pending_and_in_service_state() {
        InterruptController a = new InterruptController(4, 1);
        InterruptController b = new InterruptController(4, 1);
        for (InterruptController c : new InterruptController[] {a, b}) {
            c.setPriority(1, 2);
            c.raise(1);
        }
        assertThat(hash(a)).isEqualTo(hash(b));

        a.claim(0);
        assertThat(hash(a)).isNotEqualTo(hash(b));
        b.claim(0);
        assertThat(hash(a)).isEqualTo(hash(b));

        a.complete(0, 1);
        assertThat(hash(a)).isNotEqualTo(hash(b));
    }

    private static String hash(InterruptController ic) {
        StateHasher hasher = new StateHasher();
        ic.hashInto(hasher);
        return hasher.hex();
    }
}
