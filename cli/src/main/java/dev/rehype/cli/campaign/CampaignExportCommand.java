/*
 * `rehype campaign export DIR --format parquet|csv --out PATH`: every stored run of a campaign
 * (its shard files read together) written to one Parquet or CSV file, one row per run in run
 * order, with the store's columns (results/README.md). Parquet keeps the nested columns typed;
 * CSV holds them as JSON text.
 */
package dev.rehype.cli.campaign;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.UserError;
import dev.rehype.cli.VersionProvider;
import dev.rehype.results.CampaignStoreException;
import dev.rehype.results.CampaignStores;
import dev.rehype.results.ExportFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code campaign export} command. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Export every stored run of a campaign to one Parquet or CSV file.")
public final class CampaignExportCommand implements Callable<Integer> {

    /** Export formats as the command line spells them. */
    enum Format { parquet, csv }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The campaign's directory (or one store file).")
    private Path location;

    @Option(names = "--format", paramLabel = "FORMAT", required = true, description = "parquet or csv.")
    private Format format;

    @Option(names = "--out", paramLabel = "PATH", required = true, description = "The file to write (replaced if it exists).")
    private Path out;

    @Override
    public Integer call() {
        long runs;
        try {
            runs = CampaignStores.export(location, format == Format.parquet ? ExportFormat.PARQUET : ExportFormat.CSV, out);
        } catch (CampaignStoreException e) {
            throw new UserError(e.getMessage(), e);
        }
        spec.commandLine().getOut().println("exported " + runs + " runs to " + out + " (" + format + ")");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
