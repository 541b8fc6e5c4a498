package dev.rehype.fault;

/**
 * One fault of a plan (DESIGN §2.6). Every type names its target, its trigger and, in
 * {@code site}, where it applies; an empty site (or a bit of -1, a trigger of
 * {@link Trigger#CHOOSE}) is chosen from the run's seed when the plan is resolved.
 *
 * <p>Sites in the hypervisor are {@code Class.method@bci} (an instruction of the core, as
 * {@code rehype faults sites} lists them) or, for failstops and hangs, a probe point
 * {@code Class.method@entry}, {@code @before:Owner.method#n} or {@code @after:Owner.method#n}.
 * Sites in guests are described by each type.
 */
public sealed interface Fault permits RegisterFault, CodeFault, FailstopFault, HangFault, MemoryFault {
    Target target();

    Trigger trigger();

    /** What must be chosen ({@code site}, {@code bit}) is, for types that have it. */
    String site();

    /** The guest mode the fault waits for (ignored in the hypervisor). */
    Mode mode();

    /** {@code register}, {@code code}, {@code failstop}, {@code hang}, {@code memory}. */
    String type();

    /** The flipped bit, or -1 to choose / not applicable. */
    default int bit() {
        return -1;
    }

    /** True when nothing is left to choose. */
    boolean resolved();

    /** This fault with its site, bit and trigger replaced. */
    Fault with(String site, int bit, Trigger trigger);
}
