package dev.rehype.machine;

/**
 * What a hart calls when its instruction alarm is due (see {@link Hart#setInstructionAlarm}): the
 * fault injector's hook into guests, at an exact retired-instruction count of one domain.
 */
@FunctionalInterface
public interface InstructionAlarm {
    /** Called between two instructions of {@code hart}, with its state whole; may change it. */
    void due(Hart hart);
}
