/*
 * Reading campaign stores back: a directory's store files (every *.duckdb in it, or one store
 * file named directly) attached read-only to one in-memory DuckDB database and read together as
 * one campaign, so shards merge by reading their files together. Every file is checked to be a
 * campaign store of the same campaign, and a run index stored in two files is reported with both
 * file names. Also exports the merged runs to Parquet or CSV.
 */
package dev.rehype.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.rehype.campaign.RunRecord;

/** Opens, merges and exports campaign stores. */
public final class CampaignStores {

    private CampaignStores() {
    }

    /**
     * The store files of {@code location}: the file itself when it is a file, else the directory's
     * {@code *.duckdb} files in name order.
     *
     * @throws CampaignStoreException when the location does not exist or holds no store file
     */
    public static List<Path> storeFiles(Path location) {
        if (Files.isRegularFile(location)) {
            return List.of(location);
        }
        if (!Files.isDirectory(location)) {
            throw new CampaignStoreException(location + ": no such directory");
        }
        try (Stream<Path> entries = Files.list(location)) {
            List<Path> files = entries
                    .filter(p -> p.getFileName().toString().endsWith(StoreSchema.FILE_SUFFIX) && Files.isRegularFile(p))
                    .sorted()
                    .toList();
            if (files.isEmpty()) {
                throw new CampaignStoreException(location + ": no campaign store in it (no *" + StoreSchema.FILE_SUFFIX
                        + " file)");
            }
            return files;
        } catch (IOException e) {
            throw new CampaignStoreException(location + ": cannot list the directory: " + e.getMessage(), e);
        }
    }

    /** Reads every store of {@code location} as one campaign. */
    public static CampaignData read(Path location) {
        try (Merged merged = Merged.open(storeFiles(location))) {
            return merged.read();
        }
    }

    /** Reads the given store files together as one campaign. */
    public static CampaignData read(List<Path> files) {
        try (Merged merged = Merged.open(files)) {
            return merged.read();
        }
    }

    /**
     * Writes every run of {@code location}'s stores to {@code out}, one row per run in run order.
     *
     * @return the number of runs written
     */
    public static long export(Path location, ExportFormat format, Path out) {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new CampaignStoreException(out + ": its directory " + parent + " does not exist");
        }
        if (Files.isDirectory(out)) {
            throw new CampaignStoreException(out + ": is a directory; give a file name");
        }
        try (Merged merged = Merged.open(storeFiles(location))) {
            return merged.export(format, out);
        }
    }

    /** The store files attached to one in-memory database, with a view {@code all_runs} over them. */
    private static final class Merged implements AutoCloseable {

        private final Connection connection;
        private final List<StoredShard> shards;
        private final List<Path> files;

        private Merged(Connection connection, List<StoredShard> shards, List<Path> files) {
            this.connection = connection;
            this.shards = shards;
            this.files = files;
        }

        static Merged open(List<Path> files) {
            Connection c;
            try {
                c = DuckDbRunStore.open("jdbc:duckdb:");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot start an in-memory DuckDB database", e);
            }
            try {
                List<StoredShard> shards = new ArrayList<>();
                List<String> selects = new ArrayList<>();
                for (int i = 0; i < files.size(); i++) {
                    Path file = files.get(i);
                    String alias = "s" + i;
                    try (Statement s = c.createStatement()) {
                        s.execute("ATTACH " + StoreSchema.literal(file.toAbsolutePath().toString()) + " AS " + alias
                                + " (READ_ONLY)");
                    } catch (SQLException e) {
                        throw DuckDbRunStore.openError(file, e);
                    }
                    try {
                        shards.add(MetadataRows.read(c, alias, file));
                    } catch (SQLException e) {
                        throw damaged(file, e);
                    }
                    selects.add("SELECT " + String.join(", ", StoreSchema.RUN_COLUMNS) + ", " + i + " AS shard_file FROM "
                            + alias + ".main.runs");
                }
                checkSameCampaign(shards);
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TEMP VIEW all_runs AS " + String.join(" UNION ALL ", selects));
                } catch (SQLException e) {
                    throw damaged(files, e);
                }
                Merged merged = new Merged(c, shards, files);
                merged.checkNoDuplicates();
                return merged;
            } catch (RuntimeException e) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the first error is the one to report
                }
                throw e;
            }
        }

        CampaignData read() {
            List<RunRecord> runs = new ArrayList<>();
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT " + RunRows.selectList() + " FROM all_runs ORDER BY run_index")) {
                while (rs.next()) {
                    runs.add(RunRows.read(rs));
                }
            } catch (SQLException | IllegalStateException e) {
                throw damagedFile(e);
            }
            return new CampaignData(shards, runs);
        }

        /** The error naming the first store file whose runs cannot be read, or all files when each reads alone. */
        private CampaignStoreException damagedFile(Exception merged) {
            for (int i = 0; i < files.size(); i++) {
                try (Statement s = connection.createStatement();
                     ResultSet rs = s.executeQuery("SELECT " + RunRows.selectList() + " FROM s" + i + ".main.runs")) {
                    while (rs.next()) {
                        RunRows.read(rs);
                    }
                } catch (SQLException | IllegalStateException e) {
                    return damaged(files.get(i), e);
                }
            }
            return damaged(files, merged);
        }

        long export(ExportFormat format, Path out) {
            String columns = format == ExportFormat.PARQUET
                    ? String.join(", ", StoreSchema.RUN_COLUMNS)
                    : RunRows.selectList();
            String options = format == ExportFormat.PARQUET ? "(FORMAT parquet)" : "(FORMAT csv, HEADER true)";
            try (Statement s = connection.createStatement()) {
                return s.executeLargeUpdate("COPY (SELECT " + columns + " FROM all_runs ORDER BY run_index) TO "
                        + StoreSchema.literal(out.toAbsolutePath().toString()) + " " + options);
            } catch (SQLException e) {
                String line = CampaignStoreException.firstLine(e);
                if (line.startsWith("IO Error")) {
                    throw new CampaignStoreException(out + ": cannot write the export: " + line, e);
                }
                throw damaged(files, e);
            }
        }

        private void checkNoDuplicates() {
            String sql = "SELECT run_index, list(shard_file ORDER BY shard_file) FROM all_runs GROUP BY run_index "
                    + "HAVING count(*) > 1 ORDER BY run_index LIMIT 5";
            List<String> duplicates = new ArrayList<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    Object[] where = (Object[]) rs.getArray(2).getArray();
                    String names = java.util.Arrays.stream(where)
                            .map(o -> files.get(((Number) o).intValue()).toString())
                            .collect(Collectors.joining(" and "));
                    duplicates.add("run " + rs.getLong(1) + " is in " + names);
                }
            } catch (SQLException e) {
                throw damaged(files, e);
            }
            if (!duplicates.isEmpty()) {
                throw new CampaignStoreException("runs stored in more than one shard file: "
                        + String.join("; ", duplicates) + (duplicates.size() == 5 ? "; ..." : ""));
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException("closing the in-memory DuckDB database failed", e);
            }
        }
    }

    private static void checkSameCampaign(List<StoredShard> shards) {
        CampaignMetadata first = shards.getFirst().metadata();
        for (StoredShard shard : shards.subList(1, shards.size())) {
            CampaignMetadata m = shard.metadata();
            if (!m.name().equals(first.name()) || m.rootSeed() != first.rootSeed() || !m.specText().equals(first.specText())) {
                throw new CampaignStoreException(shards.getFirst().file() + " holds campaign '" + first.name()
                        + "' (root seed " + first.rootSeed() + ") but " + shard.file() + " holds '" + m.name()
                        + "' (root seed " + m.rootSeed() + ")" + (m.name().equals(first.name()) && m.rootSeed() == first.rootSeed()
                        ? " with another spec text" : "") + ": not shards of one campaign");
            }
        }
    }

    private static CampaignStoreException damaged(Path file, Exception e) {
        return new CampaignStoreException(file + ": damaged campaign store: " + CampaignStoreException.firstLine(e), e);
    }

    private static CampaignStoreException damaged(List<Path> files, Exception e) {
        if (files.size() == 1) {
            return damaged(files.getFirst(), e);
        }
        return new CampaignStoreException(files.stream().map(Path::toString).collect(Collectors.joining(", "))
                + ": damaged campaign store among these: " + CampaignStoreException.firstLine(e), e);
    }
}
