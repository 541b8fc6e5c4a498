package dev.rehype.fault;

import dev.rehype.machine.Seeds;

import java.util.SplittableRandom;

/**
 * Plans for campaigns: one fault of a type at a target, its trigger time drawn from a window with
 * the seed, everything else (site, bit, count) left open for {@link InjectionRun#execute} to
 * choose from the run's seed. The resolved plan ({@link InjectionResult#plan()}) is the one to
 * store: its text form replays the run.
 */
public final class FaultPlans {
    private FaultPlans() {
    }

    /**
     * One fault of {@code type} ({@code register}, {@code code}, {@code failstop}, {@code hang},
     * {@code memory}) at {@code target}, triggered at a time in {@code [fromCycles, toCycles)} of
     * the run chosen from {@code seed}.
     *
     * @throws FaultPlanException for an unknown type or an empty window
     */
    public static FaultPlan generate(String type, Target target, long fromCycles, long toCycles, long seed) {
        if (fromCycles < 0 || toCycles <= fromCycles) {
            throw new FaultPlanException("trigger window [" + fromCycles + ", " + toCycles + ") is empty");
        }
        long after = fromCycles + new SplittableRandom(Seeds.derive(seed, "fault-window")).nextLong(toCycles - fromCycles);
        Trigger t = new Trigger(after, 0, "");
        Fault f = switch (type) {
            case "register" -> new RegisterFault(target, t, "", -1, null);
            case "code" -> new CodeFault(target, t, "", -1, null);
            case "failstop" -> new FailstopFault(target, t, "", null);
            case "hang" -> new HangFault(target, t, "", null);
            case "memory" -> new MemoryFault(target, t, "", -1, null);
            default -> throw new FaultPlanException("unknown fault type '" + type
                    + "' (expected register, code, failstop, hang or memory)");
        };
        return FaultPlan.of(f);
    }
}
