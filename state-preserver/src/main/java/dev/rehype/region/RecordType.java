package dev.rehype.region;

/**
 * A kind of fixed-size preserved record (a domain, a vCPU, an event channel bucket, ...): its id
 * as stored in the region (never reused for another kind), a name for messages, and its size.
 * Records are 8-byte aligned and at least 8 bytes, since a free record holds the free list's
 * next pointer in its first 8 bytes.
 */
public record RecordType(int id, String name, int sizeBytes) {
    public RecordType {
        if (id <= 0) {
            throw new IllegalArgumentException("a record type id is positive (0 marks an empty entry), got " + id);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("record type " + id + " needs a name");
        }
        if (sizeBytes < 8 || sizeBytes % 8 != 0) {
            throw new IllegalArgumentException("record type '" + name + "' must be a positive multiple of 8 bytes, got "
                    + sizeBytes);
        }
    }

    @Override
    public String toString() {
        return "'" + name + "' (type " + id + ", " + sizeBytes + " bytes)";
    }
}
