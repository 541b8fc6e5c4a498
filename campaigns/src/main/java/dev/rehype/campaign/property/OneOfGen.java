package dev.rehype.campaign.property;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One of a fixed list of choices, drawn uniformly. The list's order says what is simpler: a
 * value shrinks to every choice listed before it, the first one first.
 */
record OneOfGen<T>(List<T> choices) implements Gen<T> {
    OneOfGen {
        choices = List.copyOf(choices);
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("oneOf needs at least one choice");
        }
    }

    @Override
    public T generate(SplittableRandom random) {
        return choices.get(random.nextInt(choices.size()));
    }

    @Override
    public List<T> shrink(T value) {
        int at = choices.indexOf(value);
        return at <= 0 ? List.of() : choices.subList(0, at);
    }
}
