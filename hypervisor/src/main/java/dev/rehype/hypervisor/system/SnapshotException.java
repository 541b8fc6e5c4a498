package dev.rehype.hypervisor.system;

import java.util.Objects;

/**
 * Why a snapshot was refused: the file cannot be read, is not a ReHype snapshot, is of another
 * format version, is truncated, or is damaged. One message names the snapshot (its file, or how
 * the bytes were named) and says what is wrong, and is meant to be shown to the user as it is:
 * like a refused region it records no stack trace, since the fault is in the data, not the code.
 */
public final class SnapshotException extends Exception {
    /** The kind of refusal. */
    public enum Problem {
        /** The file could not be opened or read. */
        UNREADABLE("cannot be read"),
        /** The bytes do not start with the snapshot magic. */
        NOT_A_SNAPSHOT("not a ReHype snapshot"),
        /** A snapshot of a format version this build does not read. */
        OTHER_VERSION("unsupported snapshot format version"),
        /** Fewer bytes than the header announces. */
        TRUNCATED("truncated"),
        /** The bytes contradict themselves: checksum, lengths, region header, object part. */
        DAMAGED("damaged");

        private final String label;

        Problem(String label) {
            this.label = label;
        }

        /** How messages name this problem. */
        public String label() {
            return label;
        }
    }

    private final String source;
    private final Problem problem;

    /**
     * @param source  the snapshot, as {@code snapshot file PATH} or a caller's name for the bytes
     * @param problem the kind of refusal
     * @param detail  what is wrong, as one clause
     */
    public SnapshotException(String source, Problem problem, String detail) {
        this(source, problem, detail, null);
    }

    /** As above, keeping the I/O error that caused it (for {@link Problem#UNREADABLE}). */
    public SnapshotException(String source, Problem problem, String detail, Throwable cause) {
        super(source + ": " + problem.label() + ": " + detail, cause, false, false);
        this.source = Objects.requireNonNull(source);
        this.problem = problem;
    }

    /** The snapshot: {@code snapshot file PATH}, or the name given to the bytes. */
    public String source() {
        return source;
    }

    public Problem problem() {
        return problem;
    }
}
