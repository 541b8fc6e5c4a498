/*
 * One campaign store file as read back: which file, the campaign (shard) it holds, and what the
 * runner recorded about the golden run and the determinism check, when it did. A report over
 * several shard files sees one StoredShard per file.
 */
package dev.rehype.results;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A campaign store file's metadata.
 *
 * @param file        the store file
 * @param metadata    the campaign (shard) it holds
 * @param golden      the golden run, when recorded
 * @param determinism the determinism check, when one ran
 */
public record StoredShard(Path file, CampaignMetadata metadata, Optional<GoldenRun> golden,
                          Optional<DeterminismCheck> determinism) {

    public StoredShard {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(golden, "golden");
        Objects.requireNonNull(determinism, "determinism");
    }
}
