/*
 * `rehype campaign report DIR`: the report of a stored campaign (every *.duckdb store in DIR read
 * together, so shards merge) — outcomes per fault type × target with 95% Wilson intervals, the
 * recovery rate, recovery latency percentiles, the ablation table when policies were swept, and
 * the determinism check — as a terminal table, JSON, or a self-contained HTML page with charts.
 */
package dev.rehype.cli.campaign;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.VersionProvider;
import dev.rehype.results.CampaignReport;
import dev.rehype.results.HtmlReport;
import dev.rehype.results.JsonReport;
import dev.rehype.results.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code campaign report} command. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Report a stored campaign: outcomes per fault type and target with 95% Wilson intervals, "
                + "recovery rate, recovery latency (p50/p90/p99/max), ablation and determinism check.")
public final class CampaignReportCommand implements Callable<Integer> {

    /** Report formats. */
    enum Format { text, json, html }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR",
            description = "The campaign's directory (its *.duckdb store files are read together), or one store file.")
    private Path location;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or html (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    private Path out;

    @Override
    public Integer call() {
        CampaignReport report = Stores.report(location);
        String rendered = switch (format) {
            case text -> TextReport.render(report);
            case json -> JsonReport.render(report) + System.lineSeparator();
            case html -> HtmlReport.render(report);
        };
        PrintWriter stdout = spec.commandLine().getOut();
        if (out == null) {
            stdout.print(rendered);
        } else {
            Stores.write(out, rendered);
            stdout.println("wrote the " + format + " report of campaign " + report.metadata().name() + " ("
                    + report.totalRuns() + " runs) to " + out);
        }
        stdout.flush();
        return ExitCodes.OK;
    }
}
