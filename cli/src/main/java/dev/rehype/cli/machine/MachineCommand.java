/*
 * `rehype machine`: commands about the emulated machine (the "hardware" under the hypervisor).
 * Without a subcommand picocli reports the missing subcommand (exit code 2).
 */
package dev.rehype.cli.machine;

import dev.rehype.cli.VersionProvider;
import picocli.CommandLine.Command;

/** The {@code machine} command group. */
@Command(name = "machine",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        description = "The emulated machine the hypervisor runs on.")
public final class MachineCommand {
}
