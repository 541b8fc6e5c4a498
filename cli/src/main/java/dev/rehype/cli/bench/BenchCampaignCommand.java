/*
 * `rehype bench campaign [--runs N] [--jobs N] [--json]`: how fast campaigns run. Runs a fixed
 * campaign of the hypervisor-faults mix (examples/hypervisor-faults.yaml: failstop, register, code
 * and hang into the hypervisor in equal shares, microreboot with every repair step, seed 2026) on
 * the campaign system (campaigns/README.md: host-built, Dom0 and every AppVM) with every core, through the real runner and the real DuckDB store
 * (in a temporary directory, deleted afterwards), and prints runs_per_second (stored runs per
 * second of wall time of the injection runs; boot, snapshot and golden run excluded and shown
 * apart), with the runs, jobs, wall seconds and outcome counts. The fault types of the mix that
 * this build's backend cannot execute are left out of the mix and named in the output.
 */
package dev.rehype.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.RunSink;
import dev.rehype.campaign.exec.Backends;
import dev.rehype.campaign.exec.InjectionBackend;
import dev.rehype.campaign.plan.Planner;
import dev.rehype.campaign.plan.Shard;
import dev.rehype.campaign.run.CampaignResult;
import dev.rehype.campaign.run.CampaignRunner;
import dev.rehype.campaign.run.Progress;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.SpecException;
import dev.rehype.campaign.spec.SpecParser;
import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.UserError;
import dev.rehype.cli.VersionProvider;
import dev.rehype.cli.json.JsonWriter;
import dev.rehype.results.DuckDbCampaignStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code bench campaign} command. */
@Command(name = "campaign",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Measure campaign speed (runs_per_second) on the hypervisor-faults mix (the fault types this "
                + "build executes) on the campaign system, with every core and the DuckDB store.")
public final class BenchCampaignCommand implements Callable<Integer> {
    /** The hypervisor-faults mix, in the order of examples/hypervisor-faults.yaml. */
    static final List<String> MIX = List.of("failstop", "register", "code", "hang");
    /** The speed the toolkit aims at: 10,000 injections in 10 minutes. */
    static final double TARGET_RUNS_PER_SECOND = 17;
    static final long SEED = 2026;
    /**
     * Enough runs that the figure is the steady rate a long campaign sees: the first runs of a JVM
     * load and JIT-compile the shared instrumented images, and a single fault that sends the
     * hypervisor into a long loop (no virtual time passes inside the hypervisor) can cost seconds
     * of one worker; over 200 runs those weigh as much as the rest.
     */
    static final int DEFAULT_RUNS = 1000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "" + DEFAULT_RUNS,
            description = "Injection runs (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--jobs", paramLabel = "N", description = "Parallel workers (default: the machine's cores).")
    private Integer jobs;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout instead of the text lines.")
    private boolean json;

    /** The bench campaign's spec: {@code types} of the mix in equal shares, as in examples/hypervisor-faults.yaml. */
    static String specText(List<String> types, int runs) {
        StringBuilder b = new StringBuilder("name: bench-hypervisor-faults\ntarget: hypervisor\nfaults:\n");
        for (String t : types) {
            b.append("  - type: ").append(t).append("\n    weight: 1\n");
            if (t.equals("hang")) {
                b.append("    trigger:\n      from-cycles: 500000\n      to-cycles: 6000000\n");
            }
        }
        return b.append("trigger:\n  from-cycles: 100000\n  to-cycles: 6000000\n")
                .append("recovery:\n  mode: microreboot\n  steps: all\n")
                .append("runs: ").append(runs).append('\n')
                .append("seed: ").append(SEED).append('\n')
                .append("limits:\n  max-cycles: 40000000\n  wall-clock-seconds: 120\n")
                .toString();
    }

    static CampaignSpec parse(String text) {
        try {
            return SpecParser.parse(text, "bench campaign");
        } catch (SpecException e) {
            throw new IllegalStateException("the bench's own spec is refused: " + e.getMessage(), e);
        }
    }

    /** The fault types of the mix this build's backend executes (a one-run campaign of each type, asked). */
    static List<String> executable() {
        List<String> ok = new ArrayList<>();
        for (String t : MIX) {
            CampaignSpec one = parse(specText(List.of(t), 1));
            if (CampaignRunner.unsupported(Planner.plan(one), Backends.forSpec(one)) == null) {
                ok.add(t);
            }
        }
        return ok;
    }

    @Override
    public Integer call() {
        if (runs < 1) {
            throw new UserError("--runs must be at least 1, got " + runs);
        }
        int workers = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        if (workers < 1) {
            throw new UserError("--jobs must be at least 1, got " + workers);
        }
        List<String> mix = executable();
        List<String> left = MIX.stream().filter(t -> !mix.contains(t)).toList();
        if (mix.isEmpty()) {
            throw new UserError("this build executes none of the hypervisor-faults mix (" + String.join(", ", MIX) + ")");
        }
        String text = specText(mix, runs);
        CampaignSpec campaign = parse(text);
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "bench campaign: the hypervisor-faults mix as this build executes it: %s%s%n",
                    String.join(", ", mix), left.isEmpty() ? "" : " (left out, not executable yet: "
                            + String.join(", ", left) + ")");
            out.printf(Locale.ROOT, "%d runs into the hypervisor, microreboot with every repair step, seed %d, "
                    + "the campaign system (host-built: Dom0 + compute, hc-ping, hc-pong, mem), %d jobs, DuckDB store in a "
                    + "temporary directory%n", runs, SEED, workers);
            out.flush();
        }
        Path dir = temporaryDirectory();
        CampaignResult r;
        long t0 = System.nanoTime();
        try {
            Files.writeString(dir.resolve(DuckDbCampaignStore.SPEC_COPY), text);
            InjectionBackend backend = Backends.forSpec(campaign);
            try (RunSink sink = new DuckDbCampaignStore().open(dir, campaign.name(), Shard.ALL)) {
                r = new CampaignRunner(campaign, backend, sink, json ? Progress.NONE : Progress.forEnvironment(System.err))
                        .run(workers, Shard.ALL, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the bench campaign's spec in " + dir, e);
        } finally {
            delete(dir);
        }
        double wallSeconds = (System.nanoTime() - t0) / 1e9;
        double runsSeconds = r.runsWallNanos() / 1e9;
        if (json) {
            JsonWriter j = new JsonWriter().beginObject()
                    .name("benchmark").value("campaign")
                    .name("mix").beginArray();
            mix.forEach(j::value);
            j.endArray().name("mix_left_out").beginArray();
            left.forEach(j::value);
            j.endArray()
                    .name("runs").value(r.stored())
                    .name("jobs").value(workers)
                    .name("host_cpus").value(Runtime.getRuntime().availableProcessors())
                    .name("runs_per_second").value(round3(r.runsPerSecond()))
                    .name("target_runs_per_second").value(TARGET_RUNS_PER_SECOND)
                    .name("runs_wall_seconds").value(round3(runsSeconds))
                    .name("wall_seconds").value(round3(wallSeconds))
                    .name("prepare_wall_seconds").value(round3(wallSeconds - runsSeconds))
                    .name("errors").value(r.errors().size())
                    .name("outcomes").beginObject();
            for (Outcome o : Outcome.values()) {
                j.name(o.name().toLowerCase(Locale.ROOT)).value(r.counts().get(o));
            }
            out.println(j.endObject().endObject());
        } else {
            out.printf(Locale.ROOT, "runs_per_second %.2f (target %.0f): %d runs in %.1f s of injection runs; "
                    + "%.1f s wall in all (boot, snapshot, golden run: %.1f s)%n", r.runsPerSecond(),
                    TARGET_RUNS_PER_SECOND, r.stored(), runsSeconds, wallSeconds, wallSeconds - runsSeconds);
            out.println("outcomes: " + r.counts().summary());
            r.errors().forEach(e -> out.println("ERROR " + e));
        }
        out.flush();
        return r.errors().isEmpty() && r.complete() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("rehype-bench-campaign");
        } catch (IOException e) {
            throw new UserError("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + dir, e);
        }
    }
}
