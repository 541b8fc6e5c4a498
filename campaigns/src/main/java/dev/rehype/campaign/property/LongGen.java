package dev.rehype.campaign.property;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Longs drawn uniformly from {@code [fromInclusive, toExclusive)}. A value shrinks toward the low
 * end: first the low end itself, then values halfway there, a quarter of the way, ..., down to one
 * less — so a greedy shrinker reaches the smallest failing value in about log² steps.
 */
record LongGen(long fromInclusive, long toExclusive) implements Gen<Long> {
    LongGen {
        if (toExclusive <= fromInclusive) {
            throw new IllegalArgumentException("an empty range of longs: [" + fromInclusive + ", " + toExclusive + ")");
        }
    }

    @Override
    public Long generate(SplittableRandom random) {
        return fromInclusive + random.nextLong(toExclusive - fromInclusive);
    }

    @Override
    public List<Long> shrink(Long value) {
        long v = value;
        List<Long> out = new ArrayList<>();
        if (v <= fromInclusive) {
            return out;
        }
        long distance = v - fromInclusive;
        out.add(fromInclusive);
        for (long step = distance / 2; step > 0; step /= 2) {
            if (v - step != fromInclusive) {
                out.add(v - step);
            }
        }
        return out;
    }
}
