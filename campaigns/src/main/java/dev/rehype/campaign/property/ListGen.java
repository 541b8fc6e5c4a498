package dev.rehype.campaign.property;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lists of {@code minSize..maxSize} elements, each drawn from {@code element}. A list shrinks
 * first by dropping one element (the first, then the second, ...) while it is longer than
 * {@code minSize}, then by replacing one element with each of its own shrinks, position by position.
 */
record ListGen<T>(Gen<T> element, int minSize, int maxSize) implements Gen<List<T>> {
    ListGen {
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException("list sizes must be 0 <= min <= max, got " + minSize + ".." + maxSize);
        }
    }

    @Override
    public List<T> generate(SplittableRandom random) {
        int size = minSize + random.nextInt(maxSize - minSize + 1);
        List<T> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(element.generate(random));
        }
        return List.copyOf(out);
    }

    @Override
    public List<List<T>> shrink(List<T> value) {
        List<List<T>> out = new ArrayList<>();
        if (value.size() > minSize) {
            for (int i = 0; i < value.size(); i++) {
                List<T> shorter = new ArrayList<>(value);
                shorter.remove(i);
                out.add(List.copyOf(shorter));
            }
        }
        for (int i = 0; i < value.size(); i++) {
            for (T simpler : element.shrink(value.get(i))) {
                List<T> changed = new ArrayList<>(value);
                changed.set(i, simpler);
                out.add(List.copyOf(changed));
            }
        }
        return out;
    }
}
