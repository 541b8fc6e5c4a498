/*
 * A campaign store that cannot be used: a file that is not a campaign store, a damaged one, a run
 * stored twice, shards of different campaigns. The message is one line that names the file (or
 * the files) and says what is wrong, ready to show a user as it is.
 */
package dev.rehype.results;

/** A campaign store problem, described in one line that names the file. */
public final class CampaignStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the error; {@code message} names the file and the problem. */
    public CampaignStoreException(String message) {
        super(message);
    }

    /** Creates the error caused by {@code cause} (usually the database's own error). */
    public CampaignStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first line of a database error message, without DuckDB's "IO Error: " style prefix kept verbatim. */
    static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline).strip();
    }
}
