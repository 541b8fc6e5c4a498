/*
 * The results store as campaigns see it (dev.rehype.campaign.CampaignStore, found through
 * META-INF/services): one DuckDB file per shard in the campaign's directory (runs.duckdb, or
 * runs-k-of-n.duckdb for shard k of n), created with the metadata of the spec the runner copied to
 * DIR/campaign.yaml; stored runs looked up across every shard's file; the text report at the end
 * of a campaign, read after the runner closed its sink (DuckDB lets one process open a file).
 */
package dev.rehype.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import dev.rehype.campaign.CampaignStore;
import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.RunSink;
import dev.rehype.campaign.plan.Shard;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.PolicySpec;
import dev.rehype.campaign.spec.SpecException;
import dev.rehype.campaign.spec.SpecParser;
import dev.rehype.hypervisor.image.RepairStep;

/** The DuckDB campaign store: {@link DuckDbRunStore} files in a campaign's directory. */
public final class DuckDbCampaignStore implements CampaignStore {
    /** The spec's copy in a campaign's directory, written by the runner before it opens the store. */
    public static final String SPEC_COPY = "campaign.yaml";

    /** The store file of {@code shard}: {@code runs.duckdb}, or {@code runs-k-of-n.duckdb}. */
    public static String fileName(Shard shard) {
        return (shard.n() == 1 ? "runs" : "runs-" + shard.suffix()) + StoreSchema.FILE_SUFFIX;
    }

    /**
     * Opens (creating or resuming) {@code shard}'s store file in {@code dir} with the metadata of
     * the spec in {@code dir/campaign.yaml}.
     *
     * @throws CampaignStoreException when the spec copy is missing or names another campaign, or the
     *                                store file cannot be used (another campaign's, damaged, in use)
     */
    @Override
    public RunSink open(Path dir, String campaign, Shard shard) {
        CampaignMetadata metadata = metadata(dir, shard);
        if (!metadata.name().equals(campaign)) {
            throw new CampaignStoreException(dir.resolve(SPEC_COPY) + ": holds campaign '" + metadata.name()
                    + "', not '" + campaign + "'");
        }
        return DuckDbRunStore.openOrCreate(dir.resolve(fileName(shard)), metadata);
    }

    /** The metadata of the campaign whose spec was copied to {@code dir/campaign.yaml}, for {@code shard}. */
    static CampaignMetadata metadata(Path dir, Shard shard) {
        Path copy = dir.resolve(SPEC_COPY);
        String text;
        CampaignSpec spec;
        try {
            text = Files.readString(copy);
            spec = SpecParser.parse(text, copy.toString());
        } catch (IOException e) {
            throw new CampaignStoreException(copy + ": cannot read the campaign's spec: " + e.getMessage(), e);
        } catch (SpecException e) {
            throw new CampaignStoreException(e.getMessage(), e);
        }
        return new CampaignMetadata(spec.name(), text, spec.rootSeed(), shard.k(), shard.n(),
                spec.policies().stream().map(DuckDbCampaignStore::policy).toList());
    }

    private static PolicyInfo policy(PolicySpec p) {
        return new PolicyInfo(p.name(), p.modeLabel(), p.steps().stream().map(RepairStep::label).toList());
    }

    /** Run {@code runIndex} from the store files in {@code dir}; empty when it (or any store file) is not there. */
    @Override
    public Optional<RunRecord> find(Path dir, long runIndex) {
        if (!hasStore(dir)) {
            return Optional.empty();
        }
        return CampaignStores.read(dir).runs().stream().filter(r -> r.runIndex() == runIndex).findFirst();
    }

    /** The text report of every store file in {@code dir} read together. */
    @Override
    public String reportTable(Path dir) {
        return TextReport.render(CampaignReport.of(CampaignStores.read(dir)));
    }

    private static boolean hasStore(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.anyMatch(p -> p.getFileName().toString().endsWith(StoreSchema.FILE_SUFFIX));
        } catch (IOException e) {
            throw new CampaignStoreException(dir + ": cannot list the directory: " + e.getMessage(), e);
        }
    }
}
