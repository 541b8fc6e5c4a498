package dev.rehype.campaign;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rehype.campaign.plan.Shard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A test-only results store: one JSON line per record in {@code runs[-k-of-n].jsonl}, each line
 * forced to disk before {@code accept} returns; a torn last line (a kill mid-write) is ignored.
 * Stands in for the results module's DuckDB store in the campaigns and CLI tests.
 */
public final class FileCampaignStore implements CampaignStore {
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            true);

    @Override
    public RunSink open(Path dir, String campaign, Shard shard) {
        return new Sink(dir.resolve(shard.n() == 1 ? "runs.jsonl" : "runs-" + shard.suffix() + ".jsonl"));
    }

    @Override
    public Optional<RunRecord> find(Path dir, long runIndex) {
        return readAll(dir).stream().filter(r -> r.runIndex() == runIndex).findFirst();
    }

    @Override
    public String reportTable(Path dir) {
        TreeMap<String, Long> counts = new TreeMap<>();
        for (RunRecord r : readAll(dir)) {
            counts.merge(r.outcome().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
        }
        StringBuilder b = new StringBuilder("outcome          runs\n");
        counts.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%-16s %d%n", k, v)));
        return b.toString();
    }

    /** Every record of every shard file in {@code dir}. */
    public static List<RunRecord> readAll(Path dir) {
        List<RunRecord> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("runs.*\\.jsonl")).sorted().toList()) {
                out.addAll(read(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<RunRecord> read(Path file) {
        List<RunRecord> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int start = 0;
            int nl;
            while ((nl = text.indexOf('\n', start)) >= 0) {
                out.add(JSON.readValue(text.substring(start, nl), RunRecord.class));
                start = nl + 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static final class Sink implements RunSink {
        private final Path file;
        private final FileChannel channel;
        private final BitSet done = new BitSet();

        Sink(Path file) {
            this.file = file;
            try {
                Files.createDirectories(file.getParent());
                for (RunRecord r : read(file)) {
                    done.set((int) r.runIndex());
                }
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                long valid = validLength();
                channel.truncate(valid);
                channel.position(valid);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private long validLength() throws IOException {
            byte[] bytes = Files.readAllBytes(file);
            int last = -1;
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    last = i;
                    break;
                }
            }
            return last + 1;
        }

        @Override
        public synchronized BitSet completed() {
            return (BitSet) done.clone();
        }

        @Override
        public synchronized void accept(RunRecord record) {
            if (done.get((int) record.runIndex())) {
                throw new IllegalStateException("run " + record.runIndex() + " stored twice");
            }
            try {
                byte[] line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
                ByteBuffer b = ByteBuffer.wrap(line);
                while (b.hasRemaining()) {
                    channel.write(b);
                }
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            done.set((int) record.runIndex());
        }

        @Override
        public synchronized void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
