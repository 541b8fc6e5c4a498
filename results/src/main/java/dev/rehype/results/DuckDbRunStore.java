/*
 * The campaign store a runner writes: one DuckDB file per campaign or shard (schema in
 * StoreSchema and results/README.md). accept() returns only after the transaction holding the
 * record has committed (DuckDB writes and fsyncs its write-ahead log at commit), so a record is
 * durable when accept() returns, and a run killed at any moment leaves each row whole or absent.
 * Concurrent accept() calls share one commit (group commit), so parallel runner threads do not
 * queue behind each other's fsync. Reopening the file with the same campaign metadata resumes it:
 * completed() says which runs are already stored. A run stored twice is refused with an error
 * naming the file and the run.
 */
package dev.rehype.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

import org.duckdb.DuckDBDriver;

import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.RunSink;

/** A campaign (shard) store in one DuckDB file; thread-safe (concurrent accepts share commits), one writer process per file. */
public final class DuckDbRunStore implements RunSink {

    private static final DuckDBDriver DRIVER = new DuckDBDriver();

    private final Path file;
    private final Connection connection;
    private final PreparedStatement insert;
    private final CampaignMetadata metadata;
    /** Guards every use of the JDBC connection. */
    private final Object connectionLock = new Object();
    /** Stored runs; guarded by this. */
    private final BitSet completed;
    /** Runs queued or being committed; guarded by this. */
    private final BitSet pending = new BitSet();
    /** Records waiting for the next commit; guarded by this. */
    private final List<Pending> queue = new ArrayList<>();
    /** Whether a leader is committing a batch; guarded by this. */
    private boolean committing;
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
     * already holds the same campaign (same name, spec text, root seed and shard). A DuckDB file
     * without any table (a creation killed before its first commit) is created afresh.
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
            if (!exists || isEmptyDatabase(c)) {
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
     * Stores {@code record}; it is durable when this returns. Threads that call this at the same
     * time share one commit (group commit): the first becomes the leader and commits every record
     * queued so far in one transaction, the others wait for that commit.
     *
     * @throws CampaignStoreException when the run is already stored (or being stored) or cannot be written
     * @throws IllegalArgumentException when the record belongs to another campaign
     */
    @Override
    public void accept(RunRecord record) {
        if (!record.campaign().equals(metadata.name()) || record.rootSeed() != metadata.rootSeed()) {
            throw new IllegalArgumentException("run " + record.runIndex() + " of campaign '" + record.campaign()
                    + "' (root seed " + record.rootSeed() + ") does not belong in " + file + ", which holds '"
                    + metadata.name() + "' (root seed " + metadata.rootSeed() + ")");
        }
        if (record.runIndex() < 0 || record.runIndex() > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("run index out of range: " + record.runIndex());
        }
        int index = (int) record.runIndex();
        Pending mine = new Pending(record);
        List<Pending> batch;
        boolean interrupted = false;
        synchronized (this) {
            ensureOpen();
            if (completed.get(index) || pending.get(index)) {
                throw duplicate(index, null);
            }
            pending.set(index);
            queue.add(mine);
            while (committing && !mine.done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (mine.done) {
                mine.rethrow();
                return;
            }
            committing = true;
            batch = new ArrayList<>(queue);
            queue.clear();
        }
        RuntimeException failure = null;
        try {
            insert(batch);
        } catch (RuntimeException e) {
            failure = e;
        }
        synchronized (this) {
            for (Pending p : batch) {
                int i = (int) p.record.runIndex();
                pending.clear(i);
                if (failure == null) {
                    completed.set(i);
                }
                p.failure = failure;
                p.done = true;
            }
            committing = false;
            notifyAll();
        }
        mine.rethrow();
    }

    /** Inserts {@code batch} in one transaction: all of it is stored, or none. */
    private void insert(List<Pending> batch) {
        synchronized (connectionLock) {
            try {
                connection.setAutoCommit(false);
                try {
                    for (Pending p : batch) {
                        RunRows.bind(insert, p.record);
                        insert.executeUpdate();
                    }
                    connection.commit();
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                String runs = batch.stream().map(p -> Long.toString(p.record.runIndex())).collect(Collectors.joining(", "));
                throw new CampaignStoreException(file + ": cannot store run" + (batch.size() == 1 ? " " : "s ") + runs + ": "
                        + CampaignStoreException.firstLine(e), e);
            }
        }
    }

    /** A record waiting for its commit. */
    private static final class Pending {
        final RunRecord record;
        boolean done;
        RuntimeException failure;

        Pending(RunRecord record) {
            this.record = record;
        }

        void rethrow() {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Records the golden run (replacing an earlier one). */
    public void recordGolden(GoldenRun golden) {
        synchronized (connectionLock) {
            ensureOpen();
            try {
                MetadataRows.updateGolden(connection, golden);
            } catch (SQLException e) {
                throw new CampaignStoreException(file + ": cannot store the golden run: " + CampaignStoreException.firstLine(e), e);
            }
        }
    }

    /** Records a determinism check's result (replacing an earlier one). */
    public void recordDeterminismCheck(DeterminismCheck check) {
        synchronized (connectionLock) {
            ensureOpen();
            try {
                MetadataRows.updateDeterminism(connection, check);
            } catch (SQLException e) {
                throw new CampaignStoreException(file + ": cannot store the determinism check: "
                        + CampaignStoreException.firstLine(e), e);
            }
        }
    }

    /** The stored golden run and determinism check, as they are now. */
    public StoredShard stored() {
        synchronized (connectionLock) {
            ensureOpen();
            try {
                return MetadataRows.read(connection, currentDatabase(connection), file);
            } catch (SQLException e) {
                throw new CampaignStoreException(file + ": damaged campaign store: " + CampaignStoreException.firstLine(e), e);
            }
        }
    }

    /** The stored golden run, when recorded. */
    public Optional<GoldenRun> golden() {
        return stored().golden();
    }

    /** Closes the store; a commit in progress finishes first. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        synchronized (connectionLock) {
            try {
                insert.close();
                connection.close();
            } catch (SQLException e) {
                throw new CampaignStoreException(file + ": closing the store failed: " + CampaignStoreException.firstLine(e), e);
            }
        }
    }

    private void ensureOpen() {
        boolean isClosed;
        synchronized (this) {
            isClosed = closed;
        }
        if (isClosed) {
            throw new IllegalStateException(file + ": the store is closed");
        }
    }

    private CampaignStoreException duplicate(int index, Throwable cause) {
        return new CampaignStoreException(file + ": run " + index + " is already stored; a run is stored once", cause);
    }

    static Connection connect(Path file) {
        try {
            return open("jdbc:duckdb:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw openError(file, e);
        }
    }

    /**
     * A DuckDB connection to {@code url}, from the driver class itself rather than DriverManager's
     * service lookup, which depends on the caller's class loader.
     */
    static Connection open(String url) throws SQLException {
        Connection c = DRIVER.connect(url, new Properties());
        if (c == null) {
            throw new SQLException("DuckDB does not accept the URL " + url);
        }
        return c;
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

    /** True for a DuckDB database with no table at all: a store whose creation was killed before its first commit. */
    private static boolean isEmptyDatabase(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()")) {
            rs.next();
            return rs.getLong(1) == 0;
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
