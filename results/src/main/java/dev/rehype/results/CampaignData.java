/*
 * Everything a report is computed from: the stored runs of one campaign (every shard file read
 * together, ordered by run index) and each file's metadata. Nothing here is computed; reports
 * derive their figures from these records only.
 */
package dev.rehype.results;

import java.util.List;
import java.util.Optional;

import dev.rehype.campaign.RunRecord;

/**
 * One campaign's stored records.
 *
 * @param shards every store file read, in file-name order
 * @param runs   every stored run, ascending run index, no index twice
 */
public record CampaignData(List<StoredShard> shards, List<RunRecord> runs) {

    public CampaignData {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("a campaign is read from at least one store file");
        }
        shards = List.copyOf(shards);
        runs = List.copyOf(runs);
    }

    /** The campaign's metadata (every shard holds the same name, spec and root seed). */
    public CampaignMetadata metadata() {
        return shards.getFirst().metadata();
    }

    /** The golden run, from the first shard that recorded it. */
    public Optional<GoldenRun> golden() {
        return shards.stream().flatMap(s -> s.golden().stream()).findFirst();
    }

    /** Every shard's determinism check added up; empty when no shard ran one. */
    public Optional<DeterminismCheck> determinism() {
        return shards.stream().flatMap(s -> s.determinism().stream()).reduce(DeterminismCheck::plus);
    }
}
