package dev.rehype.campaign.property;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A generator of inputs for recovery properties: it draws a value from a seeded random source and
 * proposes simpler values than a given one, so that a failing input can be shrunk to a small
 * counterexample ({@link Shrinker}). The kit derives each try's random source from the property's
 * root seed and the try's index, so a seed reproduces every value bit for bit.
 *
 * <p>The combinators below cover what fault plans need: {@link #longs} (a range, shrinking toward
 * its low end), {@link #oneOf} (a fixed list, shrinking toward its front), {@link #lists} (shrinking
 * by dropping elements, then by shrinking each) and {@link #map}.
 */
public interface Gen<T> {
    /** A value drawn with {@code random} alone (no other randomness, no clock, no hash order). */
    T generate(SplittableRandom random);

    /** Values simpler than {@code value}, most promising first, always the same list; empty when it is simplest. */
    List<T> shrink(T value);

    /** This generator's values mapped by {@code to}; {@code from} maps back, so they shrink as their sources do. */
    default <R> Gen<R> map(Function<? super T, ? extends R> to, Function<? super R, ? extends T> from) {
        return new MappedGen<>(this, to, from);
    }

    /** Longs in {@code [fromInclusive, toExclusive)}, shrinking toward {@code fromInclusive}. */
    static Gen<Long> longs(long fromInclusive, long toExclusive) {
        return new LongGen(fromInclusive, toExclusive);
    }

    /** One of {@code choices}, uniformly, shrinking toward the ones listed first. */
    static <T> Gen<T> oneOf(List<T> choices) {
        return new OneOfGen<>(choices);
    }

    /** Lists of {@code minSize..maxSize} elements of {@code element}, shrinking toward fewer and simpler elements. */
    static <T> Gen<List<T>> lists(Gen<T> element, int minSize, int maxSize) {
        return new ListGen<>(element, minSize, maxSize);
    }
}
