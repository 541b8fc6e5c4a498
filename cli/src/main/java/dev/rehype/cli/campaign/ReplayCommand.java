/*
 * `rehype replay DIR RUN`: replays run RUN of the campaign whose results are in DIR, alone, from the
 * spec copied there: the same planning, golden run and executor. Prints a detailed trace (the
 * fault, its activation, the detection, every recovery phase and what each repair step changed,
 * the management check, the verdicts, the outcome) and compares the outcome and the final state
 * hash with the stored record: exit 0 when both are equal, 3 when not.
 */
package dev.rehype.cli.campaign;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.exec.Backends;
import dev.rehype.campaign.run.Replay;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.UserError;
import dev.rehype.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code replay} command. */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Replay one run of a campaign by its index, with a detailed trace; check it reproduces.")
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The campaign's results directory.")
    private Path dir;

    @Parameters(index = "1", paramLabel = "RUN", description = "The run index (0-based).")
    private String run;

    @Override
    public Integer call() {
        Path copy = dir.resolve(RunCampaignCommand.SPEC_COPY);
        if (!Files.isRegularFile(copy)) {
            throw new UserError(dir + " is not a campaign's results directory (no " + RunCampaignCommand.SPEC_COPY + ")");
        }
        CampaignSpec campaign = RunCampaignCommand.parse(copy);
        long index;
        try {
            index = Long.parseLong(run.trim());
        } catch (NumberFormatException e) {
            throw new UserError("RUN must be a run index, got '" + run + "'");
        }
        if (index < 0 || index >= campaign.totalRuns()) {
            throw new UserError("run " + index + " is not in campaign " + campaign.name() + " (runs 0.."
                    + (campaign.totalRuns() - 1) + ")");
        }
        Optional<RunRecord> stored = RunCampaignCommand.store().find(dir, index);
        Replay.Result r;
        try {
            r = Replay.replay(campaign, index, Backends.forSpec(campaign));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "replay %s run %d: root seed %d, run seed %d, %s into %s, policy %s%n", campaign.name(),
                index, campaign.rootSeed(), r.task().runSeed(), r.task().faultType().label(), r.task().target(),
                r.task().policy().name());
        w.printf(Locale.ROOT, "golden run: final hash %s, %d virtual cycles%n", r.golden().finalStateHash(),
                r.golden().virtualCycles());
        r.trace().forEach(w::println);
        RunRecord now = r.record();
        w.printf(Locale.ROOT, "final hash %s, %d virtual cycles%n", now.finalStateHash(), now.virtualCycles());
        if (stored.isEmpty()) {
            w.printf(Locale.ROOT, "run %d is not stored in %s; nothing to compare with%n", index, dir);
            w.flush();
            return ExitCodes.OK;
        }
        RunRecord was = stored.get();
        boolean same = was.outcome() == now.outcome() && was.reason() == now.reason()
                && was.finalStateHash().equals(now.finalStateHash());
        if (same) {
            w.printf(Locale.ROOT, "reproduced: same outcome (%s) and same final hash as the stored run%n", now.outcome());
        } else {
            w.printf(Locale.ROOT, "NOT REPRODUCED: stored %s/%s hash %s; replay %s/%s hash %s%n", was.outcome(),
                    was.reason(), was.finalStateHash(), now.outcome(), now.reason(), now.finalStateHash());
        }
        w.flush();
        return same ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
