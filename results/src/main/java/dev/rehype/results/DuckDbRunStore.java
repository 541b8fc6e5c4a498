/*
 * The campaign store a runner writes: one DuckDB file per campaign or shard (schema in
 * StoreSchema and results/README.md). Every accept() is one INSERT committed on its own, so a
 * record is durable when accept() returns (DuckDB writes its write-ahead log at commit) and a run
 * killed at any moment leaves either the whole row or nothing. Reopening the file with the same
 * campaign metadata resumes it: completed() says which runs are already stored. A run stored twice
 * is refused with an error naming the file and the run.
 */
package dev.rehype.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;

import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.RunSink;

/** A campaign (shard) store in one DuckDB file; thread-safe, one writer per file. */
public final class DuckDbRunStore implements RunSink {

    private final Path file;
    private final Connection connection;
    private final PreparedStatement insert;
    private final CampaignMetadata metadata;
    private final BitSet completed;
    private boolean closed;

    private DuckDbRunStore(Path file, Connection connection, CampaignMetadata metadata, BitSet completed)
            throws SQLException {
        this.file = file;
        this.connection = connection;
        this.metadata = metadata;
        this.completed = completed;
        this.insert = connection.prepareStatement(RunRows.insertSql());
    }

    /**
     * Creates the store for {@code metadata} at {@code file}, or reopens it to resume when it
     * already holds the same campaign (same name, spec text, root seed and shard).
     *
     * @throws CampaignStoreException when the file is not a campaign store, is damaged, is in use,
     *                                or holds another campaign
     */
    public static DuckDbRunStore openOrCreate(Path file, CampaignMetadata metadata) {
        Objects.requireNonNull(metadata, "metadata");
        boolean exists = Files.exists(file);
        if (exists && !Files.isRegularFile(file)) {
            throw new CampaignStoreException(file + ": not a file");
        }
        Connection c = connect(file);
        try {
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    s.execute(StoreSchema.CREATE_CAMPAIGN);
                    s.execute(StoreSchema.CREATE_RUNS);
                    MetadataRows.insert(c, metadata);
                    c.commit();
                    c.setAutoCommit(true);
                }
                return new DuckDbRunStore(file, c, metadata, new BitSet());
            }
            StoredShard stored = MetadataRows.read(c, currentDatabase(c), file);
            String difference = difference(stored.metadata(), metadata);
            if (difference != null) {
                throw new CampaignStoreException(file + ": holds campaign '" + stored.metadata().name() + "' (root seed "
                        + stored.metadata().rootSeed() + ", shard " + stored.metadata().shard() + "); cannot resume it as '"
                        + metadata.name() + "': " + difference + " differs");
            }
            return new DuckDbRunStore(file, c, stored.metadata(), readCompleted(c, file));
        } catch (SQLException e) {
            closeQuietly(c);
            throw new CampaignStoreException(file + ": damaged campaign store: " + CampaignStoreException.firstLine(e), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * Opens an existing store to add to it (for example a determinism check after the runs).
     *
     * @throws CampaignStoreException when the file is missing, not a campaign store, damaged or in use
     */
    public static DuckDbRunStore open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CampaignStoreException(file + ": no such campaign store");
        }
        Connection c = connect(file);
        try {
            StoredShard stored = MetadataRows.read(c, currentDatabase(c), file);
            return new DuckDbRunStore(file, c, stored.metadata(), readCompleted(c, file));
        } catch (SQLException e) {
            closeQuietly(c);
            throw new CampaignStoreException(file + ": damaged campaign store: " + CampaignStoreException.firstLine(e), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** The store's file. */
    public Path file() {
        return file;
    }

    /** The campaign (shard) this store holds. */
    public CampaignMetadata metadata() {
        return metadata;
    }

    @Override
    public synchronized BitSet completed() {
        return (BitSet) completed.clone();
    }

    /**
     * Stores {@code record}; it is durable when this returns.
     *
     * @throws CampaignStoreException when the run is already stored or cannot be written
     * @throws IllegalArgumentException when the record belongs to another campaign
     */
    @Override
    public synchronized void accept(RunRecord record) {
        ensureOpen();
        if (!record.campaign().equals(metadata.name()) || record.rootSeed() != metadata.rootSeed()) {
            throw new IllegalArgumentException("run " + record.runIndex() + " of campaign '" + record.campaign()
                    + "' (root seed " + record.rootSeed() + ") does not belong in " + file + ", which holds '"
                    + metadata.name() + "' (root seed " + metadata.rootSeed() + ")");
        }
        if (record.runIndex() < 0 || record.runIndex() > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("run index out of range: " + record.runIndex());
        }
        int index = (int) record.runIndex();
        if (completed.get(index)) {
            throw duplicate(index, null);
        }
        try {
            RunRows.bind(insert, record);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (CampaignStoreException.firstLine(e).contains("Duplicate key")) {
                throw duplicate(index, e);
            }
            throw new CampaignStoreException(file + ": cannot store run " + index + ": "
                    + CampaignStoreException.firstLine(e), e);
        }
        completed.set(index);
    }

    /** Records the golden run (replacing an earlier one). */
    public synchronized void recordGolden(GoldenRun golden) {
        ensureOpen();
        try {
            MetadataRows.updateGolden(connection, golden);
        } catch (SQLException e) {
            throw new CampaignStoreException(file + ": cannot store the golden run: " + CampaignStoreException.firstLine(e), e);
        }
    }

    /** Records a determinism check's result (replacing an earlier one). */
    public synchronized void recordDeterminismCheck(DeterminismCheck check) {
        ensureOpen();
        try {
            MetadataRows.updateDeterminism(connection, check);
        } catch (SQLException e) {
            throw new CampaignStoreException(file + ": cannot store the determinism check: "
                    + CampaignStoreException.firstLine(e), e);
        }
    }

    /** The stored golden run and determinism check, as they are now. */
    public synchronized StoredShard stored() {
        ensureOpen();
        try {
            return MetadataRows.read(connection, currentDatabase(connection), file);
        } catch (SQLException e) {
            throw new CampaignStoreException(file + ": damaged campaign store: " + CampaignStoreException.firstLine(e), e);
        }
    }

    /** The stored golden run, when recorded. */
    public Optional<GoldenRun> golden() {
        return stored().golden();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            insert.close();
            connection.close();
        } catch (SQLException e) {
            throw new CampaignStoreException(file + ": closing the store failed: " + CampaignStoreException.firstLine(e), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(file + ": the store is closed");
        }
    }

    private CampaignStoreException duplicate(int index, Throwable cause) {
        return new CampaignStoreException(file + ": run " + index + " is already stored; a run is stored once", cause);
    }

    static Connection connect(Path file) {
        try {
            return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw openError(file, e);
        }
    }

    /** The one-line error for a file DuckDB cannot open. */
    static CampaignStoreException openError(Path file, SQLException e) {
        String line = CampaignStoreException.firstLine(e);
        if (line.contains("not a valid DuckDB database file")) {
            return new CampaignStoreException(file + ": not a campaign store (not a DuckDB database file)", e);
        }
        if (line.contains("Could not set lock") || line.contains("Conflicting lock")) {
            return new CampaignStoreException(file + ": in use by another process (is a campaign still writing it?): "
                    + line, e);
        }
        return new CampaignStoreException(file + ": damaged campaign store: " + line, e);
    }

    private static String currentDatabase(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static BitSet readCompleted(Connection c, Path file) throws SQLException {
        BitSet done = new BitSet();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT run_index FROM runs")) {
            while (rs.next()) {
                long index = rs.getLong(1);
                if (index < 0 || index > Integer.MAX_VALUE - 1) {
                    throw new CampaignStoreException(file + ": damaged campaign store (run index " + index + ")");
                }
                done.set((int) index);
            }
        }
        return done;
    }

    private static String difference(CampaignMetadata stored, CampaignMetadata wanted) {
        if (!stored.name().equals(wanted.name())) {
            return "the campaign name";
        }
        if (stored.rootSeed() != wanted.rootSeed()) {
            return "the root seed";
        }
        if (stored.shardIndex() != wanted.shardIndex() || stored.shardCount() != wanted.shardCount()) {
            return "the shard (" + stored.shard() + " stored, " + wanted.shard() + " asked)";
        }
        if (!stored.specText().equals(wanted.specText())) {
            return "the spec text";
        }
        return null;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the open failed already; that error is the one to report
        }
    }
}
