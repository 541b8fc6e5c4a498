package dev.rehype.campaign;

import dev.rehype.campaign.plan.Shard;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A results store as campaigns see it: where a campaign's records go, where replay finds a stored
 * run, and the report's table printed at the end of a campaign. The results module's store
 * implements it; {@link CampaignStores#load()} finds the implementation on the class path.
 */
public interface CampaignStore {
    /** Opens (creating or resuming) the sink of {@code campaign}'s records for {@code shard} in {@code dir}. */
    RunSink open(Path dir, String campaign, Shard shard);

    /** The stored record of run {@code runIndex} among every shard's records in {@code dir}, if any. */
    Optional<RunRecord> find(Path dir, long runIndex);

    /** The report's outcome table for the campaign in {@code dir}, as plain text. */
    String reportTable(Path dir);
}
