package dev.rehype.campaign;

import java.util.List;

/** The classifier's judgement of one run: outcome, reason, one line of why, and every VM's verdict. */
public record Classification(Outcome outcome, Reason reason, String why, List<RunRecord.VmVerdict> vms) {
    public Classification {
        vms = List.copyOf(vms);
    }
}
