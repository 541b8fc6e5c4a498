/*
 * `rehype run --fault '<plan>'`: runs the standard system with a fault plan (the one-line text form,
 * or @file.yaml) through the fault injector, with ReHype recovering the hypervisor, and prints
 * the resolved plan (which replays the run), each fault's activation, every detection and
 * recovery, and every VM's verdict; --json prints the same as one JSON object.
 */
package dev.rehype.cli.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.UserError;
import dev.rehype.cli.json.JsonWriter;
import dev.rehype.fault.Activation;
import dev.rehype.fault.FaultPlan;
import dev.rehype.fault.FaultPlanException;
import dev.rehype.fault.InjectionLimits;
import dev.rehype.fault.InjectionResult;
import dev.rehype.fault.InjectionRun;
import dev.rehype.fault.SystemUnderTest;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.RepairResult;
import dev.rehype.hypervisor.system.VmResult;
import dev.rehype.recovery.Detection;
import dev.rehype.recovery.RecoveryPhase;
import dev.rehype.recovery.RecoveryReport;

/** One fault-injection run of the standard system, for {@code run --fault}. */
final class FaultRun {
    private FaultRun() {
    }

    /** Reads {@code text} (a plan, or @file with a YAML plan); a bad plan is a user error. */
    static FaultPlan plan(String text) {
        try {
            if (text.startsWith("@")) {
                Path file = Path.of(text.substring(1));
                String yaml;
                try {
                    yaml = Files.readString(file);
                } catch (IOException e) {
                    throw new UserError("--fault: cannot read " + file + ": " + e.getMessage());
                }
                return FaultPlan.fromYaml(yaml);
            }
            return FaultPlan.parse(text);
        } catch (FaultPlanException e) {
            throw new UserError("--fault: " + e.getMessage());
        }
    }

    /** Runs {@code planText} with {@code seed}; returns the exit code (0 only if every VM is correct). */
    static int run(String planText, long seed, long maxCycles, boolean json, PrintWriter out) {
        FaultPlan plan = plan(planText);
        if (!json) {
            out.printf(Locale.ROOT, "run: seed=%d max_cycles=%d system=standard cpus=2 fault='%s'%n", seed, maxCycles,
                    plan.toText());
            out.flush();
        }
        InjectionResult r;
        try {
            r = InjectionRun.execute(SystemUnderTest.standard(seed), plan, seed,
                    InjectionLimits.DEFAULT.withMaxCycles(maxCycles));
        } catch (GuestImageException e) {
            throw new UserError(e.getMessage(), e);
        } catch (FaultPlanException e) {
            throw new UserError("--fault: " + e.getMessage());
        }
        if (json) {
            out.println(toJson(r));
        } else {
            printText(r, out);
        }
        out.flush();
        return r.allCorrect() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    static void printText(InjectionResult r, PrintWriter out) {
        out.printf(Locale.ROOT, "fault plan: %s%n", r.plan().toText());
        out.println("activation:");
        for (Activation a : r.activations()) {
            if (a.activated()) {
                out.printf(Locale.ROOT, "  fault %d %s %s: fired at cycle %d at %s%s; %s%n", a.fault() + 1, a.type(),
                        a.target(), a.atCycles(), a.site(), a.valueBefore().isEmpty() && a.valueAfter().isEmpty() ? ""
                                : " value " + a.valueBefore() + " -> " + a.valueAfter(), a.note());
            } else {
                out.printf(Locale.ROOT, "  fault %d %s %s: NOT ACTIVATED (%s)%n", a.fault() + 1, a.type(), a.target(),
                        a.note());
            }
        }
        out.println("detection:");
        if (r.recoveries().isEmpty()) {
            out.println("  none");
        }
        for (RecoveryReport rec : r.recoveries()) {
            Detection d = rec.detection();
            out.printf(Locale.ROOT, "  %s on cpu %d in %s, hypercall %s, at cycle %d: %s%n",
                    d.kind().name().toLowerCase(Locale.ROOT), d.cpu(), d.trap(),
                    d.hypercall() < 0 ? "none" : Integer.toString(d.hypercall()), d.atCycles(), d.message());
        }
        out.println("recovery:");
        if (r.recoveries().isEmpty()) {
            out.println("  none");
        }
        for (RecoveryReport rec : r.recoveries()) {
            out.printf(Locale.ROOT, "  %s %s in %.3f ms (generation %d)%s%n", rec.mode().name().toLowerCase(Locale.ROOT),
                    rec.completed() ? "completed" : "FAILED", rec.totalWallNanos() / 1e6, rec.generation(),
                    rec.failure() == null ? "" : ": " + rec.failure());
            for (RepairResult rep : rec.repairs()) {
                if (rep.ran() && !rep.changes().isEmpty()) {
                    out.printf(Locale.ROOT, "    %s: %s%n", rep.step().label(), String.join("; ", rep.changes()));
                }
            }
        }
        if (r.systemLost()) {
            out.printf(Locale.ROOT, "system lost: %s%n", r.lostReason());
        }
        out.println("verdicts:");
        for (VmResult vm : r.vms()) {
            out.printf(Locale.ROOT, "  d%d %-11s %-14s digest=%-8s instructions=%d%n", vm.domid(), vm.name(), vm.verdict(),
                    vm.digest() == null ? "-" : vm.digest(), vm.instructions());
        }
        if (!r.audit().isEmpty()) {
            out.printf(Locale.ROOT, "audit: %s%n", String.join("; ", r.audit()));
        }
        out.printf(Locale.ROOT, "virtual_cycles=%d final_state_hash=%s%n", r.virtualCycles(), r.finalStateHash());
        out.println(r.allCorrect() ? "all VMs correct" : "NOT all VMs correct");
    }

    static String toJson(InjectionResult r) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("seed").value(r.seed());
        w.name("fault_plan").value(r.plan().toText());
        w.name("activations").beginArray();
        for (Activation a : r.activations()) {
            w.beginObject();
            w.name("fault").value(a.fault() + 1);
            w.name("type").value(a.type());
            w.name("target").value(a.target());
            w.name("activated").value(a.activated());
            w.name("site").value(a.site());
            w.name("class").value(a.className());
            w.name("method").value(a.methodName());
            w.name("bci").value(a.bci());
            w.name("line").value(a.line());
            w.name("domid").value(a.domid());
            w.name("pc").value(a.pc());
            w.name("symbol").value(a.symbol());
            w.name("value_before").value(a.valueBefore());
            w.name("value_after").value(a.valueAfter());
            w.name("at_cycles").value(a.atCycles());
            w.name("note").value(a.note());
            w.endObject();
        }
        w.endArray();
        w.name("recoveries").beginArray();
        for (RecoveryReport rec : r.recoveries()) {
            Detection d = rec.detection();
            w.beginObject();
            w.name("detection").beginObject();
            w.name("kind").value(d.kind().name().toLowerCase(Locale.ROOT));
            w.name("cpu").value(d.cpu());
            w.name("trap").value(d.trap());
            w.name("hypercall").value(d.hypercall());
            w.name("at_cycles").value(d.atCycles());
            w.name("message").value(d.message());
            w.endObject();
            w.name("mode").value(rec.mode().name().toLowerCase(Locale.ROOT));
            w.name("completed").value(rec.completed());
            w.name("wall_nanos").value(rec.totalWallNanos());
            w.name("virtual_cycles").value(rec.totalVirtualCycles());
            w.name("phases").beginArray();
            for (RecoveryPhase p : rec.phases()) {
                w.beginObject().name("name").value(p.name()).name("wall_nanos").value(p.wallNanos())
                        .name("virtual_cycles").value(p.virtualCycles()).endObject();
            }
            w.endArray();
            w.name("repairs").beginArray();
            for (RepairResult rep : rec.repairs()) {
                if (rep.ran()) {
                    w.beginObject().name("step").value(rep.step().label()).name("changes").beginArray();
                    for (String c : rep.changes()) {
                        w.value(c);
                    }
                    w.endArray().endObject();
                }
            }
            w.endArray();
            w.endObject();
        }
        w.endArray();
        w.name("system_lost").value(r.systemLost());
        w.name("lost_reason").value(r.lostReason());
        w.name("vms").beginArray();
        for (VmResult vm : r.vms()) {
            w.beginObject();
            w.name("domid").value(vm.domid());
            w.name("name").value(vm.name());
            w.name("verdict").value(vm.verdict());
            w.name("digest").value(vm.digest());
            w.name("instructions").value(vm.instructions());
            w.endObject();
        }
        w.endArray();
        w.name("audit").beginArray();
        for (String line : r.audit()) {
            w.value(line);
        }
        w.endArray();
        w.name("all_correct").value(r.allCorrect());
        w.name("finished").value(r.finished());
        w.name("final_state_hash").value(r.finalStateHash());
        w.name("virtual_cycles").value(r.virtualCycles());
        return w.endObject().toString();
    }
}
