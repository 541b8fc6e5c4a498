package dev.rehype.fault;

import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.probe.FaultPoint;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The instrumented hypervisor images of recent runs, by what they instrument (value sites,
 * mutant sites, probe points), least recently used dropped first: a campaign's runs that
 * instrument the same sites (every {@code register hypervisor site=*} run, failstops at the same
 * point) share one image instead of loading the core's classes again. An image holds no run
 * state (the core keeps none in statics; faults are armed per thread), so sharing changes no
 * result. Thread-safe.
 */
final class ImageCache {
    private record Key(BitSet values, BitSet mutants, List<String> points) {
    }

    private final Map<Key, HypervisorImage> images;

    ImageCache(int capacity) {
        this.images = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, HypervisorImage> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The image instrumenting exactly these sites, built with {@code build} when none is kept. */
    HypervisorImage get(BitSet values, BitSet mutants, List<FaultPoint> points, Supplier<HypervisorImage> build) {
        Key key = new Key((BitSet) values.clone(), (BitSet) mutants.clone(),
                points.stream().map(String::valueOf).toList());
        synchronized (images) {
            HypervisorImage kept = images.get(key);
            if (kept != null) {
                return kept;
            }
        }
        HypervisorImage built = build.get();
        synchronized (images) {
            HypervisorImage raced = images.putIfAbsent(key, built);
            return raced != null ? raced : built;
        }
    }
}
