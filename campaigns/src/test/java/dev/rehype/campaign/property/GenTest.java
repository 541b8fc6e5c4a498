package dev.rehype.campaign.property;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The combinators: values stay in their range, the same seed draws the same values, and each
 * shrinks toward what it calls simpler, in a fixed order.
 */
class GenTest {
    static <T> List<T> draw(Gen<T> gen, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(gen.generate(r));
        }
        return out;
    }

    @Test
    void longsStayInTheirRangeAndRepeatPerSeed() {
        Gen<Long> g = Gen.longs(100, 110);
        List<Long> a = draw(g, 7, 200);
        assertThat(a).allMatch(v -> v >= 100 && v < 110);
        assertThat(a).contains(100L, 109L);
        assertThat(draw(g, 7, 200)).isEqualTo(a);
        assertThat(draw(g, 8, 200)).isNotEqualTo(a);
    }

    @Test
    void longsShrinkTowardTheLowEndFirstThenCloser() {
        Gen<Long> g = Gen.longs(100, 1_000);
        assertThat(g.shrink(180L)).containsExactly(100L, 140L, 160L, 170L, 175L, 178L, 179L);
        assertThat(g.shrink(101L)).containsExactly(100L);
        assertThat(g.shrink(100L)).isEmpty();
    }

    @Test
    void oneOfShrinksTowardTheChoicesListedFirst() {
        Gen<String> g = Gen.oneOf(List.of("a", "b", "c"));
        assertThat(draw(g, 1, 100)).containsOnly("a", "b", "c").contains("a", "b", "c");
        assertThat(g.shrink("c")).containsExactly("a", "b");
        assertThat(g.shrink("a")).isEmpty();
    }

    @Test
    void listsShrinkByDroppingElementsThenBySimplerElements() {
        Gen<List<Long>> g = Gen.lists(Gen.longs(0, 10), 1, 3);
        assertThat(draw(g, 3, 100)).allMatch(l -> l.size() >= 1 && l.size() <= 3).anyMatch(l -> l.size() == 3);
        assertThat(g.shrink(List.of(2L, 1L))).containsExactly(List.of(1L), List.of(2L), List.of(0L, 1L),
                List.of(1L, 1L), List.of(2L, 0L));
        assertThat(g.shrink(List.of(0L))).isEmpty();
    }

    @Test
    void mappedValuesShrinkAsTheirSources() {
        Gen<String> g = Gen.longs(0, 100).map(v -> "v" + v, s -> Long.parseLong(s.substring(1)));
        assertThat(draw(g, 5, 20)).allMatch(s -> s.startsWith("v"));
        assertThat(g.shrink("v4")).containsExactly("v0", "v2", "v3");
    }
}
