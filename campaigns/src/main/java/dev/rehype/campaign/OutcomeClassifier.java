package dev.rehype.campaign;

import dev.rehype.campaign.exec.GoldenRun;
import dev.rehype.campaign.exec.Observation;
import dev.rehype.campaign.exec.VmEnd;

import java.util.ArrayList;
import java.util.List;

/**
 * Classifies one injection run (DESIGN §2.7), a pure function of the golden run and the run's
 * observations. In order:
 * <ol>
 * <li>the fault never fired: {@link Outcome#NOT_ACTIVATED};</li>
 * <li>nothing detected: a crashed or missing VM is {@link Outcome#UNDETECTED}/{@link Reason#CRASH},
 *     an unfinished one /{@link Reason#HANG}, output other than the golden run's /
 *     {@link Reason#WRONG_OUTPUT} (every VM, Dom0 included); otherwise {@link Outcome#NOT_MANIFESTED};</li>
 * <li>detected: recovery that did not complete is {@link Reason#RECOVERY_FAILED}; then, over the
 *     AppVMs, a crashed or missing one {@link Reason#VM_LOST}, an unfinished one
 *     {@link Reason#HANG_AFTER_RECOVERY}, wrong output (exit code or digest)
 *     {@link Reason#WRONG_OUTPUT}; then a management check that is not OK (failed, or no management
 *     operation after recovery) {@link Reason#NOT_MANAGEABLE}; otherwise {@link Outcome#RECOVERED}.</li>
 * </ol>
 * Each VM's verdict: {@code ok}, {@code wrong-output}, {@code crashed}, {@code hung} or {@code lost}.
 */
public final class OutcomeClassifier {
    private OutcomeClassifier() {
    }

    public static Classification classify(GoldenRun golden, Observation o) {
        List<RunRecord.VmVerdict> verdicts = new ArrayList<>();
        for (VmEnd v : o.vms()) {
            verdicts.add(new RunRecord.VmVerdict(v.name(), verdict(golden, v), v.digest(), -1));
        }
        if (!o.activation().activated()) {
            return new Classification(Outcome.NOT_ACTIVATED, Reason.NONE, "the fault never fired", verdicts);
        }
        if (!o.detection().detected()) {
            RunRecord.VmVerdict bad = first(verdicts, "crashed", "lost");
            if (bad != null) {
                return new Classification(Outcome.UNDETECTED, Reason.CRASH, bad.name() + " " + bad.verdict()
                        + " and nothing detected a failure", verdicts);
            }
            bad = first(verdicts, "hung");
            if (bad != null) {
                return new Classification(Outcome.UNDETECTED, Reason.HANG, bad.name()
                        + " did not finish and nothing detected a failure", verdicts);
            }
            bad = first(verdicts, "wrong-output");
            if (bad != null) {
                return new Classification(Outcome.UNDETECTED, Reason.WRONG_OUTPUT, bad.name()
                        + " finished with output other than the golden run's and nothing detected a failure", verdicts);
            }
            return new Classification(Outcome.NOT_MANIFESTED, Reason.NONE,
                    "the fault fired; every VM finished with the golden output", verdicts);
        }
        if (!o.recovery().succeeded()) {
            return new Classification(Outcome.NOT_RECOVERED, Reason.RECOVERY_FAILED,
                    o.recovery().mode().isEmpty() ? "detected, but no recovery ran" : "recovery did not complete",
                    verdicts);
        }
        List<RunRecord.VmVerdict> appvms = new ArrayList<>();
        for (int i = 0; i < o.vms().size(); i++) {
            if (!o.vms().get(i).privileged()) {
                appvms.add(verdicts.get(i));
            }
        }
        for (VmEnd g : golden.vms()) {
            if (!g.privileged() && appvms.stream().noneMatch(v -> v.name().equals(g.name()))) {
                return new Classification(Outcome.NOT_RECOVERED, Reason.VM_LOST, g.name() + " is gone", verdicts);
            }
        }
        RunRecord.VmVerdict bad = first(appvms, "crashed", "lost");
        if (bad != null) {
            return new Classification(Outcome.NOT_RECOVERED, Reason.VM_LOST, bad.name() + " " + bad.verdict()
                    + " after the failure", verdicts);
        }
        bad = first(appvms, "hung");
        if (bad != null) {
            return new Classification(Outcome.NOT_RECOVERED, Reason.HANG_AFTER_RECOVERY, bad.name()
                    + " did not finish after recovery", verdicts);
        }
        bad = first(appvms, "wrong-output");
        if (bad != null) {
            return new Classification(Outcome.NOT_RECOVERED, Reason.WRONG_OUTPUT, bad.name()
                    + " finished with output other than the golden run's", verdicts);
        }
        if (!o.management().ok()) {
            return new Classification(Outcome.NOT_RECOVERED, Reason.NOT_MANAGEABLE, "management check "
                    + o.management().status() + ": " + o.management().detail(), verdicts);
        }
        return new Classification(Outcome.RECOVERED, Reason.NONE,
                "every AppVM finished with the golden output and the system accepted management operations", verdicts);
    }

    /** A VM's verdict against the golden run. */
    static String verdict(GoldenRun golden, VmEnd v) {
        return switch (v.state()) {
            case MISSING -> "lost";
            case CRASHED -> "crashed";
            case UNFINISHED -> "hung";
            case FINISHED -> {
                VmEnd g = golden.vm(v.name());
                boolean same = g != null && v.exitCode() == g.exitCode() && v.digest().equals(g.digest());
                yield same ? "ok" : "wrong-output";
            }
        };
    }

    private static RunRecord.VmVerdict first(List<RunRecord.VmVerdict> vms, String... verdicts) {
        for (RunRecord.VmVerdict v : vms) {
            for (String s : verdicts) {
                if (v.verdict().equals(s)) {
                    return v;
                }
            }
        }
        return null;
    }
}
