package dev.rehype.cli.campaign;

import dev.rehype.campaign.CampaignStore;
import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.RunSink;
import dev.rehype.campaign.plan.Shard;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test-only results store kept in memory for the life of the test JVM, by directory: stands in
 * for the results module's DuckDB store in the CLI tests of campaign run and replay.
 */
public final class MemoryCampaignStore implements CampaignStore {
    static final Map<Path, Map<Long, RunRecord>> STORED = new ConcurrentHashMap<>();

    static Map<Long, RunRecord> of(Path dir) {
        return STORED.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new TreeMap<>());
    }

    @Override
    public RunSink open(Path dir, String campaign, Shard shard) {
        Map<Long, RunRecord> records = of(dir);
        return new RunSink() {
            @Override
            public BitSet completed() {
                synchronized (records) {
                    BitSet b = new BitSet();
                    records.keySet().forEach(i -> b.set(i.intValue()));
                    return b;
                }
            }

            @Override
            public void accept(RunRecord record) {
                synchronized (records) {
                    if (records.putIfAbsent(record.runIndex(), record) != null) {
                        throw new IllegalStateException("run " + record.runIndex() + " stored twice");
                    }
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Optional<RunRecord> find(Path dir, long runIndex) {
        synchronized (of(dir)) {
            return Optional.ofNullable(of(dir).get(runIndex));
        }
    }

    @Override
    public String reportTable(Path dir) {
        TreeMap<String, Integer> counts = new TreeMap<>();
        synchronized (of(dir)) {
            of(dir).values().forEach(r -> counts.merge(r.outcome().name().toLowerCase(Locale.ROOT), 1, Integer::sum));
        }
        StringBuilder b = new StringBuilder("test report: outcome runs\n");
        counts.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
        return b.toString();
    }
}
