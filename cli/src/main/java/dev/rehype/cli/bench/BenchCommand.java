/*
 * `rehype bench`: the group of benchmarks that measure the toolkit itself. It does nothing on its
 * own; without a subcommand picocli reports the missing subcommand (exit code 2).
 */
package dev.rehype.cli.bench;

import dev.rehype.cli.VersionProvider;
import picocli.CommandLine.Command;

/** The {@code bench} command group. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        description = "Benchmarks of the toolkit's own speed, measured by running real guest code.")
public final class BenchCommand {
}
