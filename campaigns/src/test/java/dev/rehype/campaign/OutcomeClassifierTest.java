package dev.rehype.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.campaign.exec.GoldenRun;
import dev.rehype.campaign.exec.ManagementCheck;
import dev.rehype.campaign.exec.Observation;
import dev.rehype.campaign.exec.VmEnd;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The classifier on hand-made observations: every outcome and every reason. */
class OutcomeClassifierTest {
    static final GoldenRun GOLDEN = new GoldenRun(List.of(
            new VmEnd("dom0", true, VmEnd.State.FINISHED, 0, "00000000"),
            new VmEnd("compute", false, VmEnd.State.FINISHED, 0, "11111111"),
            new VmEnd("mem", false, VmEnd.State.FINISHED, 0, "22222222")), "h", 100);
    static final RunRecord.Activation FIRED = new RunRecord.Activation(true, "X.y@entry", "", "", 10);
    static final RunRecord.Detection PANIC = new RunRecord.Detection(true, "panic", 0, "hypercall 12", 10, 0);
    static final RunRecord.Recovery DONE = new RunRecord.Recovery("microreboot", true, 1000, List.of(), List.of());
    static final RunRecord.Recovery FAILED = new RunRecord.Recovery("microreboot", false, 1000, List.of(), List.of());

    static List<VmEnd> vms(VmEnd... changed) {
        List<VmEnd> out = new ArrayList<>(GOLDEN.vms());
        for (VmEnd c : changed) {
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).name().equals(c.name())) {
                    out.set(i, c);
                }
            }
        }
        return out;
    }

    static Observation obs(RunRecord.Activation a, RunRecord.Detection d, RunRecord.Recovery r, List<VmEnd> vms,
                           ManagementCheck m) {
        return new Observation("plan", a, d, r, vms, m, false, 100, "h");
    }

    static Classification classify(RunRecord.Activation a, RunRecord.Detection d, RunRecord.Recovery r,
                                   List<VmEnd> vms, ManagementCheck m) {
        return OutcomeClassifier.classify(GOLDEN, obs(a, d, r, vms, m));
    }

    static final ManagementCheck OK = ManagementCheck.ok("fine");

    @Test
    void notActivated() {
        Classification c = classify(RunRecord.Activation.NONE, RunRecord.Detection.NONE, RunRecord.Recovery.NONE,
                vms(), OK);
        assertThat(c.outcome()).isEqualTo(Outcome.NOT_ACTIVATED);
        assertThat(c.reason()).isEqualTo(Reason.NONE);
        assertThat(c.vms()).extracting(RunRecord.VmVerdict::verdict).containsOnly("ok");
    }

    @Test
    void notManifested() {
        Classification c = classify(FIRED, RunRecord.Detection.NONE, RunRecord.Recovery.NONE, vms(), OK);
        assertThat(c.outcome()).isEqualTo(Outcome.NOT_MANIFESTED);
    }

    @Test
    void undetectedFailures() {
        var none = RunRecord.Detection.NONE;
        var rec = RunRecord.Recovery.NONE;
        assertThat(classify(FIRED, none, rec, vms(new VmEnd("mem", false, VmEnd.State.CRASHED, 3, "")), OK))
                .extracting(Classification::outcome, Classification::reason).containsExactly(Outcome.UNDETECTED,
                        Reason.CRASH);
        assertThat(classify(FIRED, none, rec, vms(new VmEnd("compute", false, VmEnd.State.UNFINISHED, -1, "")), OK))
                .extracting(Classification::outcome, Classification::reason).containsExactly(Outcome.UNDETECTED,
                        Reason.HANG);
        assertThat(classify(FIRED, none, rec, vms(new VmEnd("compute", false, VmEnd.State.FINISHED, 0, "deadbeef")),
                OK)).extracting(Classification::outcome, Classification::reason).containsExactly(Outcome.UNDETECTED,
                        Reason.WRONG_OUTPUT);
        Classification dom0Wrong = classify(FIRED, none, rec,
                vms(new VmEnd("dom0", true, VmEnd.State.FINISHED, 1, "00000000")), OK);
        assertThat(dom0Wrong.reason()).isEqualTo(Reason.WRONG_OUTPUT);
        assertThat(dom0Wrong.vms().get(0).verdict()).isEqualTo("wrong-output");
    }

    @Test
    void recovered() {
        Classification c = classify(FIRED, PANIC, DONE, vms(), OK);
        assertThat(c.outcome()).isEqualTo(Outcome.RECOVERED);
        assertThat(c.outcome().detected()).isTrue();
    }

    @Test
    void notRecoveredForEveryReason() {
        assertThat(classify(FIRED, PANIC, FAILED, vms(), OK).reason()).isEqualTo(Reason.RECOVERY_FAILED);
        assertThat(classify(FIRED, PANIC, DONE, vms(new VmEnd("mem", false, VmEnd.State.CRASHED, 0, "")), OK)
                .reason()).isEqualTo(Reason.VM_LOST);
        assertThat(classify(FIRED, PANIC, DONE, vms(new VmEnd("mem", false, VmEnd.State.MISSING, -1, "")), OK)
                .reason()).isEqualTo(Reason.VM_LOST);
        assertThat(classify(FIRED, PANIC, DONE, List.of(GOLDEN.vms().get(0), GOLDEN.vms().get(1)), OK).reason())
                .as("a VM absent from the observations").isEqualTo(Reason.VM_LOST);
        assertThat(classify(FIRED, PANIC, DONE, vms(new VmEnd("compute", false, VmEnd.State.UNFINISHED, -1, "")),
                OK).reason()).isEqualTo(Reason.HANG_AFTER_RECOVERY);
        assertThat(classify(FIRED, PANIC, DONE, vms(new VmEnd("compute", false, VmEnd.State.FINISHED, 0, "99999999")),
                OK).reason()).isEqualTo(Reason.WRONG_OUTPUT);
        assertThat(classify(FIRED, PANIC, DONE, vms(new VmEnd("compute", false, VmEnd.State.FINISHED, 1, "11111111")),
                OK).reason()).as("a non-zero exit is wrong output").isEqualTo(Reason.WRONG_OUTPUT);
        assertThat(classify(FIRED, PANIC, DONE, vms(), ManagementCheck.failed("domctl refused")).reason())
                .isEqualTo(Reason.NOT_MANAGEABLE);
        Classification notRun = classify(FIRED, PANIC, DONE, vms(), ManagementCheck.notRun("dom0 ended first"));
        assertThat(notRun.outcome()).as("no management operation after recovery is never a success")
                .isEqualTo(Outcome.NOT_RECOVERED);
        assertThat(notRun.reason()).isEqualTo(Reason.NOT_MANAGEABLE);
        for (Reason r : new Reason[] {Reason.RECOVERY_FAILED, Reason.VM_LOST}) {
            assertThat(r).isNotEqualTo(Reason.NONE);
        }
    }

    @Test
    void theOrderOfJudgement() {
        Classification c = classify(FIRED, PANIC, FAILED,
                vms(new VmEnd("mem", false, VmEnd.State.CRASHED, 0, "")), ManagementCheck.failed("x"));
        assertThat(c.reason()).as("a failed recovery explains everything after it").isEqualTo(Reason.RECOVERY_FAILED);
        Classification lostAndWrong = classify(FIRED, PANIC, DONE, vms(new VmEnd("mem", false, VmEnd.State.CRASHED,
                0, ""), new VmEnd("compute", false, VmEnd.State.FINISHED, 0, "99999999")), OK);
        assertThat(lostAndWrong.reason()).isEqualTo(Reason.VM_LOST);
    }
}
