package dev.rehype.region;

/**
 * The records area has no room for one more record of a type: its free list is empty and every
 * slab of the area is already carved. The hypervisor turns this into an out-of-memory error for
 * whoever asked (a hypercall returns an error code); it is an expected outcome, not a bug, so it
 * records no stack trace.
 */
public final class RecordsExhaustedException extends Exception {
    private final RecordType type;

    public RecordsExhaustedException(RecordType type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    /** The type that could not be allocated. */
    public RecordType type() {
        return type;
    }
}
