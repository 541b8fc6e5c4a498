/*
 * What a campaign store says about the campaign it holds, fixed when the store is created: the
 * campaign's name and spec text, its root seed, which shard of how many this file holds, and the
 * recovery policies the spec declares. A runner that resumes must present the same metadata, so a
 * store never mixes runs of two campaigns.
 */
package dev.rehype.results;

import java.util.List;
import java.util.Objects;

/**
 * The identity of the campaign (shard) a store holds.
 *
 * @param name       the campaign's name (from its spec)
 * @param specText   the spec's full text, as read
 * @param rootSeed   the campaign's root seed
 * @param shardIndex which shard this store holds, 1-based ({@code k} of {@code --shard k/n}); 1 when not sharded
 * @param shardCount how many shards the campaign was split into; 1 when not sharded
 * @param policies   the recovery policies the spec declares (several for an ablation)
 */
public record CampaignMetadata(String name, String specText, long rootSeed, int shardIndex, int shardCount,
                               List<PolicyInfo> policies) {

    public CampaignMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(specText, "specText");
        if (shardCount < 1 || shardIndex < 1 || shardIndex > shardCount) {
            throw new IllegalArgumentException("shard " + shardIndex + "/" + shardCount + " is not k/n with 1 <= k <= n");
        }
        policies = List.copyOf(policies);
    }

    /** The shard as {@code k/n}. */
    public String shard() {
        return shardIndex + "/" + shardCount;
    }
}
