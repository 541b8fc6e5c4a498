package dev.rehype.campaign.run;

import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.exec.GoldenRun;
import dev.rehype.campaign.exec.InjectionBackend;
import dev.rehype.campaign.exec.InjectionExecutor;
import dev.rehype.campaign.exec.ManagementCheck;
import dev.rehype.campaign.exec.Observation;
import dev.rehype.campaign.exec.RunAbandoned;
import dev.rehype.campaign.exec.VmEnd;
import dev.rehype.campaign.plan.RunTask;
import dev.rehype.machine.Seeds;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test backend whose observations are a pure function of the task (so that runner behaviour —
 * resume, shards, parallelism — is tested fast), with every outcome class represented. It may
 * take {@code pauseMillis} per run (so that a child JVM can be killed mid-campaign), and may be
 * made nondeterministic on purpose: its final hash then also depends on how many runs this
 * backend has executed.
 */
final class FakeBackend implements InjectionBackend {
    static final GoldenRun GOLDEN = new GoldenRun(List.of(new VmEnd("dom0", true, VmEnd.State.FINISHED, 0, "d0"),
            new VmEnd("compute", false, VmEnd.State.FINISHED, 0, "c0")), "golden", 1000);

    private final long pauseMillis;
    private final boolean nondeterministic;
    private final AtomicLong executed = new AtomicLong();

    FakeBackend(long pauseMillis, boolean nondeterministic) {
        this.pauseMillis = pauseMillis;
        this.nondeterministic = nondeterministic;
    }

    @Override
    public String unsupported(RunTask task) {
        return null;
    }

    @Override
    public GoldenRun prepare() {
        return GOLDEN;
    }

    @Override
    public InjectionExecutor newExecutor() {
        return new InjectionExecutor() {
            @Override
            public Observation execute(RunTask task, dev.rehype.campaign.exec.Trace trace,
                                       java.util.function.BooleanSupplier stop) {
                if (pauseMillis > 0) {
                    try {
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RunAbandoned("interrupted");
                    }
                }
                if (stop.getAsBoolean()) {
                    throw new RunAbandoned("stopping");
                }
                long n = executed.incrementAndGet();
                long h = Seeds.derive(task.faultSeed(), task.runIndex()) ^ (nondeterministic ? n : 0);
                int kind = Math.floorMod(task.faultSeed(), 4);
                boolean fired = kind != 0;
                boolean detected = kind >= 2;
                String digest = kind == 3 ? "bad" : "c0";
                RunRecord.Activation a = fired ? new RunRecord.Activation(true, "X.y@entry", "", "", 5)
                        : RunRecord.Activation.NONE;
                RunRecord.Detection d = detected ? new RunRecord.Detection(true, "panic", 0, "", 5, 0)
                        : RunRecord.Detection.NONE;
                RunRecord.Recovery r = detected ? new RunRecord.Recovery("microreboot", true, 1, List.of(), List.of())
                        : RunRecord.Recovery.NONE;
                return new Observation("fake " + task.faultType().label(), a, d, r,
                        List.of(GOLDEN.vms().get(0), new VmEnd("compute", false, VmEnd.State.FINISHED, 0, digest)),
                        ManagementCheck.ok("fake"), false, 1000 + task.runIndex(),
                        HexFormat.of().toHexDigits(h));
            }

            @Override
            public void close() {
            }
        };
    }
}
