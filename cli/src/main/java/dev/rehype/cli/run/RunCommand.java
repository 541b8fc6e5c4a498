/*
 * `rehype run`: boots the standard system on two physical CPUs — the host builds Dom0 only, and
 * Dom0's toolstack builds the driver domain and the AppVMs from boot modules — runs it until every
 * VM has shut down or the virtual-cycle limit is hit, and prints one line per VM with its verdict
 * (and the frames it moved, for the VMs on the network), then what the peer on the wire answered
 * and checked. Exit 0 only if every VM is correct and the peer saw no wrong response. The seed is
 * printed first; the same seed gives the same output, always.
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
import dev.rehype.machine.peer.NetPeerReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code run} command. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Boot the standard system and run it to the end: the host builds Dom0 only; Dom0 builds"
                + " the driver domain (netdrv: NIC driver and network back end) and the AppVMs (the hypercall"
                + " pair, compute, mem, net, service) from boot modules; a seeded peer on the wire answers the"
                + " echoes and plays the service's clients, checking every response.",
                "Exit codes: 0 every VM correct, 2 bad option, 3 a VM (or the peer's check) failed, 1 internal error."})
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
            out.printf(Locale.ROOT, "run: seed=%d max_cycles=%d system=standard (dom0 builds %d domains) cpus=2%n",
                    seed, maxCycles, StandardSystem.vms().size() - 1);
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
                out.printf(Locale.ROOT, "  d%d %-11s %-14s digest=%-8s instructions=%d%s%n", vm.domid(), vm.name(),
                        vm.verdict(), vm.digest() == null ? "-" : vm.digest(), vm.instructions(),
                        vm.packets() == null ? "" : " packets=" + vm.packets());
            }
            NetPeerReport p = report.peer();
            if (p != null) {
                out.printf(Locale.ROOT, "  peer: echoes=%d service exchanges=%d checked, mismatches=%d duplicates=%d"
                        + " clients done=%d/%d malformed=%d unexpected=%d refused_hellos=%d%s%n", p.echoes(),
                        p.exchanges(), p.mismatches(), p.duplicates(), p.clientsDone(), p.clients(), p.malformed(),
                        p.unexpected(), p.refusedHellos(), report.peerClean() ? "" : "  (FAILED)");
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
            w.name("digest").value(vm.digest());
            w.name("expected_digest").value(vm.expectedDigest());
            w.name("instructions").value(vm.instructions());
            w.name("packets").value(vm.packets());
            w.endObject();
        }
        w.endArray();
        NetPeerReport p = report.peer();
        w.name("peer");
        if (p == null) {
            w.nullValue();
        } else {
            w.beginObject();
            w.name("echoes").value(p.echoes());
            w.name("exchanges").value(p.exchanges());
            w.name("mismatches").value(p.mismatches());
            w.name("duplicates").value(p.duplicates());
            w.name("sessions").value(p.sessions());
            w.name("clients").value(p.clients());
            w.name("clients_done").value(p.clientsDone());
            w.name("malformed").value(p.malformed());
            w.name("unexpected").value(p.unexpected());
            w.name("refused_hellos").value(p.refusedHellos());
            w.name("ok").value(report.peerClean());
            w.endObject();
        }
        w.name("all_correct").value(report.allCorrect());
        w.name("final_state_hash").value(report.finalStateHash());
        w.name("virtual_cycles").value(report.virtualCycles());
        return w.endObject().toString();
    }
}
