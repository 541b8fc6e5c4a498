package dev.rehype.campaign.plan;

/**
 * One slice of a campaign: shard {@code k} of {@code n} (1-based) owns the runs whose index
 * satisfies {@code index % n == k - 1} (strided, so every shard gets every fault type and
 * policy in the same proportions and the shards finish together). The n shards together own
 * every run exactly once; their stores merge by reading them together.
 */
public record Shard(int k, int n) {
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (n < 1 || k < 1 || k > n) {
            throw new IllegalArgumentException("shard " + k + "/" + n + ": need 1 <= k <= n");
        }
    }

    /** Parses "k/n". */
    public static Shard parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("shard '" + text + "' is not of the form k/n (e.g. 2/4)");
        }
        try {
            return new Shard(Integer.parseInt(text.substring(0, slash).trim()),
                    Integer.parseInt(text.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard '" + text + "' is not of the form k/n (e.g. 2/4)");
        }
    }

    public boolean owns(long runIndex) {
        return runIndex % n == k - 1;
    }

    /** "k-of-n", for file names; empty for the whole campaign. */
    public String suffix() {
        return n == 1 ? "" : k + "-of-" + n;
    }

    @Override
    public String toString() {
        return k + "/" + n;
    }
}
