/*
 * `rehype campaign run SPEC [--out DIR] [--shard k/n] [--verify-determinism K] [--jobs N]`: runs an
 * injection campaign. The spec is checked first (a bad one is one line naming the field and the
 * line, exit 2); the spec is copied to DIR/campaign.yaml (a DIR holding another spec is refused,
 * so a resume never mixes campaigns); the golden run, then every run of the shard not stored yet,
 * in parallel, each stored as it finishes. Ctrl-C stops cleanly: no new runs, in-flight ones
 * abandoned, everything stored stays; the same command continues. At the end: counts, speed, the
 * determinism check and the results report's table. The store is the results module's DuckDB store
 * (DIR/runs.duckdb, or DIR/runs-k-of-n.duckdb per shard), which also keeps the golden run and the
 * determinism check for the report.
 */
package dev.rehype.cli.campaign;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.rehype.campaign.CampaignStore;
import dev.rehype.campaign.CampaignStores;
import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.RunSink;
import dev.rehype.campaign.exec.Backends;
import dev.rehype.campaign.exec.InjectionBackend;
import dev.rehype.campaign.exec.VmEnd;
import dev.rehype.campaign.plan.Planner;
import dev.rehype.campaign.plan.Shard;
import dev.rehype.campaign.run.CampaignResult;
import dev.rehype.campaign.run.CampaignRunner;
import dev.rehype.campaign.run.DeterminismSample;
import dev.rehype.campaign.run.Progress;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.SpecException;
import dev.rehype.campaign.spec.SpecParser;
import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.UserError;
import dev.rehype.cli.VersionProvider;
import dev.rehype.results.CampaignStoreException;
import dev.rehype.results.DuckDbCampaignStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code campaign run} command. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run an injection campaign from a YAML spec; resumable, shardable, parallel.")
public final class RunCampaignCommand implements Callable<Integer> {
    /** The spec's copy in the output directory (replay reads it). */
    public static final String SPEC_COPY = DuckDbCampaignStore.SPEC_COPY;
    /** Exit code after Ctrl-C (128 + SIGINT), as shells expect. */
    static final int INTERRUPTED = 130;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The campaign spec (YAML; schema in campaigns/README.md).")
    private Path specFile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the results go (default: campaign-results/<name>). Rerun with the same DIR to resume.")
    private Path out;

    @Option(names = "--shard", paramLabel = "k/n",
            description = "Run only shard k of n: the runs whose index %% n == k - 1 (default: every run).")
    private String shard;

    @Option(names = "--verify-determinism", paramLabel = "K", defaultValue = "0",
            description = "Afterwards re-run K sampled runs on fresh systems and compare final state hashes.")
    private int verifyDeterminism;

    @Option(names = "--jobs", paramLabel = "N", description = "Parallel workers (default: the machine's cores).")
    private Integer jobs;

    /**
     * The results store: the single place where campaigns and replay get their sink and stored
     * records. Finds the store registered on the class path (the results module's DuckDB store).
     */
    public static CampaignStore store() {
        try {
            return CampaignStores.load();
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        CampaignSpec campaign = parse(specFile);
        Shard slice = parseShard(shard);
        int workers = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        if (workers < 1) {
            throw new UserError("--jobs must be at least 1, got " + workers);
        }
        if (verifyDeterminism < 0) {
            throw new UserError("--verify-determinism must be >= 0, got " + verifyDeterminism);
        }
        Path dir = out != null ? out : Path.of("campaign-results", campaign.name());
        InjectionBackend backend = Backends.forSpec(campaign);
        String why = CampaignRunner.unsupported(Planner.plan(campaign), backend);
        if (why != null) {
            throw new UserError(specFile + ": campaign " + campaign.name() + " cannot run in this build: " + why);
        }
        claim(dir, specFile);
        w.printf(Locale.ROOT, "campaign %s: root seed %d, %d runs (%d fault draws x %d policies), shard %s, %d jobs, "
                        + "results in %s%n", campaign.name(), campaign.rootSeed(), campaign.totalRuns(), campaign.draws(),
                campaign.policies().size(), slice, workers, dir);
        w.flush();
        CampaignStore store = store();
        CampaignResult result;
        CountDownLatch closed = new CountDownLatch(1);
        try (RunSink sink = open(store, dir, campaign.name(), slice)) {
            Progress progress = Progress.forEnvironment(System.err);
            CampaignRunner runner = new CampaignRunner(campaign, backend, sink, progress);
            Thread hook = Thread.ofPlatform().unstarted(() -> {
                runner.requestStop();
                try {
                    runner.awaitFinished(campaign.limits().wallClockSeconds() + 10, TimeUnit.SECONDS);
                    closed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                result = runner.run(workers, slice, verifyDeterminism);
            } finally {
                removeHook(hook);
            }
        } finally {
            closed.countDown();
        }
        return summarize(w, campaign, dir, slice, result);
    }

    /** The store's sink for the shard; a store that cannot be used is one line naming its file. */
    private static RunSink open(CampaignStore store, Path dir, String campaign, Shard slice) {
        try {
            return store.open(dir, campaign, slice);
        } catch (CampaignStoreException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** Run {@code runIndex} as stored in {@code dir}, if it is; a store that cannot be read is one line. */
    static Optional<RunRecord> stored(Path dir, long runIndex) {
        try {
            return store().find(dir, runIndex);
        } catch (CampaignStoreException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already shutting down (Ctrl-C): the hook is running and waits for us.
        }
    }

    private int summarize(PrintWriter w, CampaignSpec campaign, Path dir, Shard slice, CampaignResult r) {
        w.printf(Locale.ROOT, "golden run: final hash %s, %d virtual cycles; %s%n", r.golden().finalStateHash(),
                r.golden().virtualCycles(), goldenDigests(r));
        w.printf(Locale.ROOT, "stored %d runs now (%d before) of %d; %.2f runs/s; %s%n", r.stored(), r.alreadyStored(),
                r.shardRuns(), r.runsPerSecond(), r.counts().summary());
        if (r.abandoned() > 0) {
            w.printf(Locale.ROOT, "%d runs abandoned (not stored; the same command runs them again)%n", r.abandoned());
        }
        for (String e : r.errors()) {
            w.println("ERROR " + e);
        }
        boolean determinismOk = true;
        if (!r.determinism().isEmpty()) {
            for (DeterminismSample s : r.determinism()) {
                if (!s.matches()) {
                    w.printf(Locale.ROOT, "DETERMINISM CHECK FAILED: run %d gave %s / %s, then %s / %s%n", s.runIndex(),
                            s.firstOutcome(), s.firstHash(), s.secondOutcome(), s.secondHash());
                }
            }
            determinismOk = r.determinismOk();
            w.printf(Locale.ROOT, "determinism check: %d of %d sampled runs reproduced their final state hash "
                    + "(stored with the runs)%n", r.determinism().stream().filter(DeterminismSample::matches).count(),
                    r.determinism().size());
        }
        if (r.stopped()) {
            w.printf(Locale.ROOT, "stopped: %d of %d runs are stored; run the same command again to continue%n",
                    r.alreadyStored() + r.stored(), r.shardRuns());
            w.flush();
            return r.errors().isEmpty() ? INTERRUPTED : ExitCodes.CHECK_FAILED;
        }
        if (!r.complete()) {
            w.printf(Locale.ROOT, "incomplete: %d of %d runs are stored; run the same command again to retry the others%n",
                    r.alreadyStored() + r.stored(), r.shardRuns());
        }
        w.println();
        try {
            w.print(store().reportTable(dir));
        } catch (CampaignStoreException e) {
            // Another shard's runner may hold its store file; this shard's runs are stored all the same.
            w.println("no report now: " + e.getMessage() + " (run `rehype campaign report " + dir + "` later)");
        }
        w.flush();
        return r.errors().isEmpty() && determinismOk && r.complete() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private static String goldenDigests(CampaignResult r) {
        StringBuilder b = new StringBuilder();
        for (VmEnd v : r.golden().vms()) {
            b.append(b.isEmpty() ? "" : ", ").append(v.name()).append(' ').append(v.digest());
        }
        return b.toString();
    }

    /** Parses a spec file; a bad one is a user error naming the field and the line. */
    static CampaignSpec parse(Path file) {
        try {
            return SpecParser.parse(file);
        } catch (SpecException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private static Shard parseShard(String text) {
        if (text == null) {
            return Shard.ALL;
        }
        try {
            return Shard.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError("--shard: " + e.getMessage());
        }
    }

    /**
     * Makes {@code dir} the home of the campaign of {@code specFile}: copies the spec there, or,
     * when a copy is there already, checks it is the same spec (a resume), refusing another one.
     */
    private static void claim(Path dir, Path specFile) {
        try {
            byte[] bytes = Files.readAllBytes(specFile);
            Files.createDirectories(dir);
            Path copy = dir.resolve(SPEC_COPY);
            if (Files.exists(copy)) {
                if (!java.util.Arrays.equals(Files.readAllBytes(copy), bytes)) {
                    throw new UserError(dir + " holds the results of another spec (" + copy + " differs from "
                            + specFile + "); use another --out, or the same spec to resume");
                }
            } else {
                Path temp = dir.resolve(SPEC_COPY + ".tmp");
                Files.write(temp, bytes);
                Files.move(temp, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (NoSuchFileException e) {
            throw new UserError("no such file: " + e.getFile(), e);
        } catch (IOException e) {
            throw new UserError("cannot use " + dir + ": " + e.getMessage(), e);
        }
    }
}
