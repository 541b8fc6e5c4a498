package dev.rehype.region;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The record types a hypervisor image knows, in a fixed order (the order in which a fresh
 * allocator enters them in its type table). Ids and names are unique; at most
 * {@link RecordAllocatorLayout#TYPE_CAPACITY} types.
 */
public final class RecordTypeRegistry {
    private final List<RecordType> types;

    private RecordTypeRegistry(List<RecordType> types) {
        this.types = List.copyOf(types);
    }

    public static RecordTypeRegistry of(RecordType... types) {
        return of(List.of(types));
    }

    public static RecordTypeRegistry of(List<RecordType> types) {
        if (types.size() > RecordAllocatorLayout.TYPE_CAPACITY) {
            throw new IllegalArgumentException(types.size() + " record types; the type table holds at most "
                    + RecordAllocatorLayout.TYPE_CAPACITY);
        }
        List<RecordType> seen = new ArrayList<>();
        for (RecordType type : types) {
            for (RecordType earlier : seen) {
                if (earlier.id() == type.id() || earlier.name().equals(type.name())) {
                    throw new IllegalArgumentException("record types " + earlier + " and " + type
                            + " share an id or a name");
                }
            }
            seen.add(type);
        }
        return new RecordTypeRegistry(seen);
    }

    /** Every type, in registry order. */
    public List<RecordType> types() {
        return types;
    }

    public Optional<RecordType> byId(int id) {
        return types.stream().filter(t -> t.id() == id).findFirst();
    }

    /** True when {@code type} is registered here (same id, name and size). */
    public boolean contains(RecordType type) {
        return types.contains(type);
    }
}
