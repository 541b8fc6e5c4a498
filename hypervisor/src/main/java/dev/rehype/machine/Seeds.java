package dev.rehype.machine;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent seeds for components from one root seed (TigerBeetle's VOPR style: one seed
 * drives everything). The derivation is a fixed function of (root, component name): FNV-1a over
 * the name, mixed with the root through SplitMix64's finaliser.
 */
public final class Seeds {
    private Seeds() {
    }

    /** The seed for {@code component} under {@code root}; stable across runs and JVMs. */
    public static long derive(long root, String component) {
        long h = 0xcbf29ce484222325L;
        for (byte b : component.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return mix(root ^ mix(h));
    }

    /** The seed for item {@code index} under {@code root} (for example run k of a campaign). */
    public static long derive(long root, long index) {
        return mix(root + 0x9e3779b97f4a7c15L * (index + 1));
    }

    /** SplitMix64's finaliser. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
