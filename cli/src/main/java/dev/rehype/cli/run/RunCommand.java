/*
 * `rehype run`: boots the standard system (Dom0 and the AppVMs on two physical CPUs), runs it
 * until every VM has shut down or the virtual-cycle limit is hit, and prints one line per VM with
 * its verdict. Exit 0 only if every VM is correct. The seed is printed first; the same seed gives
 * the same output, always.
 */
package dev.rehype.cli.run;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.UserError;
import dev.rehype.cli.VersionProvider;
import dev.rehype.cli.json.JsonWriter;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.system.RunReport;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.VmResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code run} command. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Boot the standard system (Dom0 + compute, hypercall pair, mem) and run it to the end.")
public final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--seed", description = "Root seed of the run (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    private long seed;

    @Option(names = "--max-cycles", description = "Limit in virtual cycles (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + StandardSystem.DEFAULT_MAX_CYCLES)
    private long maxCycles;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of text.")
    private boolean json;

    @Option(names = "--fault", paramLabel = "<plan>", description = "Inject a fault plan: its one-line text form "
            + "(e.g. 'failstop hypervisor site=MemoryOps.op@entry nth=2') or @file.yaml; see fault-injector/README.md.")
    private String fault;

    @Override
    public Integer call() {
        if (maxCycles < 1) {
            throw new UserError("--max-cycles must be at least 1, got " + maxCycles);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (fault != null) {
            return FaultRun.run(fault, seed, maxCycles, json, out);
        }
        if (!json) {
            out.printf(Locale.ROOT, "run: seed=%d max_cycles=%d system=standard cpus=2%n", seed, maxCycles);
            out.flush();
        }
        RunReport report;
        try {
            report = StandardSystem.run(seed, maxCycles);
        } catch (GuestImageException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (json) {
            out.println(toJson(report));
        } else {
            for (VmResult vm : report.vms()) {
                out.printf(Locale.ROOT, "  d%d %-8s %-14s digest=%s instructions=%d%n", vm.domid(), vm.name(),
                        vm.verdict(), vm.digest() == null ? "-" : vm.digest(), vm.instructions());
            }
            out.printf(Locale.ROOT, "virtual_cycles=%d final_state_hash=%s%n", report.virtualCycles(),
                    report.finalStateHash());
            out.println(report.allCorrect() ? "all VMs correct" : "NOT all VMs correct");
        }
        out.flush();
        return report.allCorrect() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    static String toJson(RunReport report) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("seed").value(report.seed());
        w.name("vms").beginArray();
        for (VmResult vm : report.vms()) {
            w.beginObject();
            w.name("domid").value(vm.domid());
            w.name("name").value(vm.name());
            w.name("verdict").value(vm.verdict());
            w.name("digest");
            if (vm.digest() == null) {
                w.nullValue();
            } else {
                w.value(vm.digest());
            }
            w.name("expected_digest");
            if (vm.expectedDigest() == null) {
                w.nullValue();
            } else {
                w.value(vm.expectedDigest());
            }
            w.name("instructions").value(vm.instructions());
            w.endObject();
        }
        w.endArray();
        w.name("all_correct").value(report.allCorrect());
        w.name("final_state_hash").value(report.finalStateHash());
        w.name("virtual_cycles").value(report.virtualCycles());
        return w.endObject().toString();
    }
}
