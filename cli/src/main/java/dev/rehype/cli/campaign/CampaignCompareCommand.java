/*
 * `rehype campaign compare A B`: two stored campaigns side by side — per fault type × target and
 * in total, both recovery rates with 95% Wilson intervals, the difference B − A, and the two-sided
 * p-value of Fisher's exact test.
 */
package dev.rehype.cli.campaign;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.VersionProvider;
import dev.rehype.results.CampaignComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code campaign compare} command. */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Compare the recovery rates of two stored campaigns per fault type and target, "
                + "with the difference and Fisher's exact test (two-sided).")
public final class CampaignCompareCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The first campaign's directory (or store file).")
    private Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The second campaign's directory (or store file).")
    private Path b;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the table.")
    private boolean json;

    @Override
    public Integer call() {
        CampaignComparison comparison = CampaignComparison.of(Stores.report(a), Stores.report(b));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? comparison.json() + System.lineSeparator() : comparison.text());
        out.flush();
        return ExitCodes.OK;
    }
}
