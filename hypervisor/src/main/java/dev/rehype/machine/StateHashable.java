package dev.rehype.machine;

/** A piece of machine state that contributes to the machine's state hash. */
public interface StateHashable {
    /** Feeds every field that affects future behaviour into {@code hasher}, in a fixed order. */
    void hashInto(StateHasher hasher);
}
