/*
 * `rehype supervise`: a system in process mode (the host-built system, or with --system io the
 * Dom0-built I/O system, whose peer on the wire is judged too). This process owns the machine (the
 * hardware) over a region file; the hypervisor runs in a child JVM, and when it dies — kill -9
 * included; --kill-after-ms / --kill-every-ms make this process do it — a warm spare takes over,
 * re-attaches the region, repairs and resumes the guests. Prints every restart with its latency
 * (kill to guests running again) and every VM's verdict. Exit 0 only if every VM finished with its
 * expected digest.
 */
package dev.rehype.cli.process;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.UserError;
import dev.rehype.cli.VersionProvider;
import dev.rehype.cli.json.JsonWriter;
import dev.rehype.hypervisor.system.VmResult;
import dev.rehype.machine.peer.NetPeerReport;
import dev.rehype.recovery.process.ProcessOptions;
import dev.rehype.recovery.process.ProcessRunReport;
import dev.rehype.recovery.process.ProcessSupervisor;
import dev.rehype.recovery.process.ProcessSystem;
import dev.rehype.recovery.process.RestartRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code supervise} command. */
@Command(name = "supervise",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run the host-built (or, with --system io, the Dom0-built I/O) system with the hypervisor in "
                + "its own process, restarting it when it dies (kill -9 included); print restarts, restart latency "
                + "and per-VM verdicts.")
public final class SuperviseCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--seed", description = "Root seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    private long seed;

    @Option(names = "--system", paramLabel = "KIND", defaultValue = "host-built",
            description = "host-built (the host builds Dom0's management loop and the AppVMs) or io (the host builds "
                    + "Dom0 only; Dom0 builds the driver domain and the AppVMs, so kills land in its domain building "
                    + "too; the peer on the wire is judged). Default: ${DEFAULT-VALUE}.")
    private String system;

    @Option(names = "--kill-after-ms", paramLabel = "MS", defaultValue = "0",
            description = "kill -9 the hypervisor process once, this long after boot.")
    private long killAfterMs;

    @Option(names = "--kill-every-ms", paramLabel = "MS", defaultValue = "0",
            description = "kill -9 the hypervisor process every MS milliseconds after boot.")
    private long killEveryMs;

    @Option(names = "--kill-in-trap-every", paramLabel = "N", defaultValue = "0",
            description = "kill -9 the hypervisor process inside traps: while it waits for the answer to every N-th "
                    + "hardware call it makes there (the same points run to run).")
    private long killInTrapEvery;

    @Option(names = "--kill-in-trap-of", paramLabel = "HANDLER", defaultValue = "",
            description = "With --kill-in-trap-every: count only calls made inside traps handling HANDLER, e.g. "
                    + "hypercall:domctl (Dom0's domain building and teardown), hypercall:event_channel_op, irq:timer.")
    private String killInTrapOf;

    @Option(names = "--no-spare", description = "Start a new hypervisor process only when one is needed.")
    private boolean noSpare;

    @Option(names = "--no-startup-cache", description = "Do not use the JVM's AOT cache for hypervisor processes.")
    private boolean noStartupCache;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the region and mailbox files go (default: /dev/shm, else the temporary directory).")
    private Path workDir;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    private boolean json;

    @Override
    public Integer call() {
        if (killAfterMs < 0 || killEveryMs < 0 || killInTrapEvery < 0) {
            throw new UserError("--kill-after-ms, --kill-every-ms and --kill-in-trap-every must not be negative");
        }
        if (!killInTrapOf.isEmpty() && !killInTrapOf.matches("(hypercall|irq|trap):[a-z_0-9]+")) {
            throw new UserError("--kill-in-trap-of: '" + killInTrapOf + "' is not a handler (hypercall:<name>, "
                    + "irq:<timer|external|ipi> or trap:<cause>)");
        }
        if (killAfterMs > 0 && killEveryMs > 0) {
            throw new UserError("give --kill-after-ms or --kill-every-ms, not both");
        }
        ProcessSystem kind;
        try {
            kind = ProcessSystem.parse(system);
        } catch (IllegalArgumentException e) {
            throw new UserError("--system: " + e.getMessage());
        }
        ProcessOptions options = ProcessOptions.defaults(seed).withSystem(kind).withWarmSpare(!noSpare)
                .withStartupCache(!noStartupCache).withWorkDir(workDir).withKillInTrapEveryCalls(killInTrapEvery)
                .withKillInTrapOf(killInTrapOf);
        options = killEveryMs > 0 ? options.withKillEveryMs(killEveryMs) : options.withKillAfterMs(killAfterMs);
        PrintWriter out = spec.commandLine().getOut();
        ProcessRunReport r;
        try (ProcessSupervisor supervisor = new ProcessSupervisor(options)) {
            if (!json) {
                out.printf(Locale.ROOT, "supervise: system=%s seed=%d kill-after-ms=%d kill-every-ms=%d "
                        + "kill-in-trap-every=%d kill-in-trap-of=%s spare=%s region=%s%n", kind.label(), seed,
                        killAfterMs, killEveryMs, killInTrapEvery, killInTrapOf.isEmpty() ? "any" : killInTrapOf,
                        noSpare ? "no" : "warm",
                        supervisor.regionFile());
                out.flush();
            }
            r = supervisor.run();
        } catch (IOException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (json) {
            out.println(toJson(r));
        } else {
            for (RestartRecord x : r.restarts()) {
                out.printf(Locale.ROOT, "restart %d at cycle %d: %s; pid %d -> %d, generation %d, failed cpu %s "
                        + "in %s, %d repair changes, %.2f ms %s (detect %.2f, spare %.2f, recover %.2f)%n", x.index(),
                        x.atCycles(), x.cause(), x.oldPid(), x.newPid(), x.generation(),
                        x.failedCpu() < 0 ? "none" : Integer.toString(x.failedCpu()), x.trap(), x.repairChanges(),
                        x.latencyMillis(), x.fromKill() ? "from kill" : "from detection", x.detectionNanos() / 1e6,
                        x.spareWaitNanos() / 1e6, x.recoveryNanos() / 1e6);
            }
            for (VmResult vm : r.vms()) {
                out.printf(Locale.ROOT, "  d%d %-8s %-14s digest=%s%n", vm.domid(), vm.name(), vm.verdict(),
                        vm.digest() == null ? "-" : vm.digest());
            }
            if (r.peer() != null) {
                NetPeerReport p = r.peer();
                out.printf(Locale.ROOT,
                        "  peer     %-14s echoes=%d exchanges=%d mismatches=%d malformed=%d refused=%d%n",
                        r.peerClean() ? "correct" : "MISMATCH", p.echoes(), p.exchanges(), p.mismatches(),
                        p.malformed(), p.refusedHellos());
            }
            double[] ms = latenciesMillis(r.restarts());
            if (ms.length > 0) {
                out.printf(Locale.ROOT, "restarts: %d, restart latency p50 %.2f ms, max %.2f ms%n", ms.length,
                        percentile(ms, 50), ms[ms.length - 1]);
            } else {
                out.println("restarts: 0");
            }
            for (String console : r.failedConsoles()) {
                out.println("console of a VM that did not finish correctly (tail): " + console);
            }
            if (r.lostReason() != null) {
                out.println("LOST: " + r.lostReason());
            }
            out.println(r.allCorrect() ? "every VM finished correctly" : "NOT every VM finished correctly");
        }
        out.flush();
        return r.allCorrect() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    static double[] latenciesMillis(List<RestartRecord> restarts) {
        double[] ms = restarts.stream().mapToDouble(RestartRecord::latencyMillis).toArray();
        Arrays.sort(ms);
        return ms;
    }

    /** Nearest-rank percentile of sorted {@code values}. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String toJson(ProcessRunReport r) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("system").value(r.system().label());
        w.name("seed").value(r.seed());
        w.name("all_correct").value(r.allCorrect());
        w.name("finished").value(r.finished());
        w.name("lost").value(r.lostReason());
        double[] ms = latenciesMillis(r.restarts());
        w.name("restart_count").value(ms.length);
        w.name("process_restart_p50_ms");
        if (ms.length == 0) {
            w.nullValue();
        } else {
            w.value(percentile(ms, 50));
        }
        w.name("restarts").beginArray();
        for (RestartRecord x : r.restarts()) {
            w.beginObject().name("cause").value(x.cause()).name("old_pid").value(x.oldPid())
                    .name("new_pid").value(x.newPid()).name("failed_cpu").value(x.failedCpu())
                    .name("trap").value(x.trap())
                    .name("generation").value(x.generation()).name("repair_changes").value(x.repairChanges())
                    .name("at_cycles").value(x.atCycles()).name("latency_ms").value(x.latencyMillis())
                    .name("from_kill").value(x.fromKill()).name("detection_ms").value(x.detectionNanos() / 1e6)
                    .name("spare_wait_ms").value(x.spareWaitNanos() / 1e6)
                    .name("recovery_ms").value(x.recoveryNanos() / 1e6).endObject();
        }
        w.endArray();
        w.name("vms").beginArray();
        for (VmResult vm : r.vms()) {
            w.beginObject().name("name").value(vm.name()).name("verdict").value(vm.verdict());
            w.name("digest").value(vm.digest());
            w.endObject();
        }
        w.endArray();
        w.name("peer");
        if (r.peer() == null) {
            w.nullValue();
        } else {
            w.beginObject().name("correct").value(r.peerClean()).name("echoes").value(r.peer().echoes())
                    .name("exchanges").value(r.peer().exchanges()).name("mismatches").value(r.peer().mismatches())
                    .name("malformed").value(r.peer().malformed())
                    .name("refused_hellos").value(r.peer().refusedHellos())
                    .endObject();
        }
        return w.endObject().toString();
    }
}
