/*
 * `rehype campaign`: the group of commands over fault-injection campaigns and their stores. It
 * does nothing on its own; without a subcommand picocli reports the missing subcommand (exit 2).
 * Subcommands are listed in the annotation, so adding one is one entry in that list.
 */
package dev.rehype.cli.campaign;

import dev.rehype.cli.VersionProvider;
import picocli.CommandLine.Command;

/** The {@code campaign} command group. */
@Command(name = "campaign",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        description = "Fault-injection campaigns: reports, comparisons and exports of their stored runs.",
        subcommands = {
            CampaignReportCommand.class,
            CampaignCompareCommand.class,
            CampaignExportCommand.class,
            RunCampaignCommand.class
        })
public final class CampaignCommand {
}
