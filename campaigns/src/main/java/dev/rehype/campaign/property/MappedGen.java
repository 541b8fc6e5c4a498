package dev.rehype.campaign.property;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A generator's values passed through {@code to}. Shrinking maps a value back with {@code from},
 * shrinks that, and maps the candidates forward again, so mapped values shrink as their sources do.
 */
record MappedGen<S, T>(Gen<S> source, Function<? super S, ? extends T> to, Function<? super T, ? extends S> from)
        implements Gen<T> {
    @Override
    public T generate(SplittableRandom random) {
        return to.apply(source.generate(random));
    }

    @Override
    public List<T> shrink(T value) {
        return source.shrink(from.apply(value)).stream().<T>map(to).toList();
    }
}
