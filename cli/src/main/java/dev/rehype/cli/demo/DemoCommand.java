/*
 * `rehype demo`: ReHype end to end. Boots the standard system on a hypervisor with one failstop
 * placed in the middle of a hypercall that holds a lock, and prints the timeline: boot, workload
 * progress, the fault, its detection, every recovery phase with its latency, what each repair step
 * changed, the resume, and the final per-VM verdicts. Exit 0 only if every VM finishes correctly.
 */
package dev.rehype.cli.demo;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.UserError;
import dev.rehype.cli.VersionProvider;
import dev.rehype.cli.json.JsonWriter;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.RepairResult;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.VmResult;
import dev.rehype.recovery.Demo;
import dev.rehype.recovery.RecoveryMode;
import dev.rehype.recovery.RecoveryPhase;
import dev.rehype.recovery.RecoveryReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code demo} command. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Inject one failstop into the hypervisor mid-hypercall, recover it, show the timeline.")
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--seed", description = "Root seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    private long seed;

    @Option(names = "--mode", description = "microreboot or microreset (default: ${DEFAULT-VALUE}).",
            defaultValue = "microreboot")
    private String mode;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the timeline.")
    private boolean json;

    @Override
    public Integer call() {
        RecoveryMode recoveryMode = switch (mode.toLowerCase(Locale.ROOT)) {
            case "microreboot" -> RecoveryMode.MICROREBOOT;
            case "microreset" -> RecoveryMode.MICRORESET;
            default -> throw new UserError("--mode must be microreboot or microreset, got '" + mode + "'");
        };
        PrintWriter out = spec.commandLine().getOut();
        Demo.Result r;
        try {
            r = Demo.run(seed, recoveryMode, StandardSystem.DEFAULT_MAX_CYCLES);
        } catch (GuestImageException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (json) {
            out.println(toJson(r));
        } else {
            out.printf(Locale.ROOT, "demo: seed=%d mode=%s point=%s%n", seed, recoveryMode.name().toLowerCase(Locale.ROOT),
                    Demo.POINT);
            for (Demo.Event e : r.timeline()) {
                out.printf(Locale.ROOT, "%12d  %s%n", e.atCycles(), e.what());
            }
            for (VmResult vm : r.run().vms()) {
                out.printf(Locale.ROOT, "  d%d %-8s %-14s digest=%s%n", vm.domid(), vm.name(), vm.verdict(),
                        vm.digest() == null ? "-" : vm.digest());
            }
            out.println(r.recovered() ? "recovered: every VM finished correctly" : "NOT recovered");
        }
        out.flush();
        return r.recovered() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    static String toJson(Demo.Result r) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("seed").value(r.seed());
        w.name("recovered").value(r.recovered());
        w.name("fault_point").value(Demo.POINT.toString());
        w.name("fault_fired").value(r.faultFired() != null);
        w.name("recovery");
        if (r.recoveries().isEmpty()) {
            w.nullValue();
        } else {
            RecoveryReport rep = r.recoveries().get(0);
            w.beginObject();
            w.name("mode").value(rep.mode().name().toLowerCase(Locale.ROOT));
            w.name("detection").beginObject()
                    .name("kind").value(rep.detection().kind().name().toLowerCase(Locale.ROOT))
                    .name("cpu").value(rep.detection().cpu())
                    .name("hypercall").value(rep.detection().hypercall())
                    .name("at_cycles").value(rep.detection().atCycles())
                    .name("message").value(rep.detection().message())
                    .endObject();
            w.name("phases").beginArray();
            for (RecoveryPhase p : rep.phases()) {
                w.beginObject().name("name").value(p.name()).name("wall_ns").value(p.wallNanos())
                        .name("virtual_cycles").value(p.virtualCycles()).endObject();
            }
            w.endArray();
            w.name("repairs").beginArray();
            for (RepairResult x : rep.repairs()) {
                w.beginObject().name("step").value(x.step().label()).name("ran").value(x.ran());
                w.name("changes").beginArray();
                for (String c : x.changes()) {
                    w.value(c);
                }
                w.endArray().endObject();
            }
            w.endArray();
            w.name("total_ms").value(rep.totalWallNanos() / 1e6);
            w.name("completed").value(rep.completed());
            w.endObject();
        }
        w.name("vms").beginArray();
        for (VmResult vm : r.run().vms()) {
            w.beginObject().name("name").value(vm.name()).name("verdict").value(vm.verdict());
            w.name("digest").value(vm.digest());
            w.name("instructions").value(vm.instructions()).endObject();
        }
        w.endArray();
        w.name("final_state_hash").value(r.run().finalStateHash());
        return w.endObject().toString();
    }
}
