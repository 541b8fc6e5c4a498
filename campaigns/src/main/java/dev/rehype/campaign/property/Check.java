package dev.rehype.campaign.property;

/** A property applied to one input (for a system property: one run of the system with that input). */
@FunctionalInterface
public interface Check<T> {
    /** What {@code value} fails with, or null when the property holds for it. */
    Throwable failure(T value);
}
