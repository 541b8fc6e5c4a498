/*
 * The `rehype` command: the entry point the ./rehype launcher runs. It wires picocli (subcommands,
 * --help, --version, the global --verbose and --log-file options), configures logging once the
 * options are parsed, and maps every outcome to an exit code (ExitCodes). Results go to stdout;
 * logs and error lines go to stderr.
 */
package dev.rehype.cli;

import java.io.PrintWriter;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.rehype.cli.bench.BenchCampaignCommand;
import dev.rehype.cli.bench.BenchCommand;
import dev.rehype.cli.bench.BenchCpuCommand;
import dev.rehype.cli.bench.BenchRecoveryCommand;
import dev.rehype.cli.bench.CpuBenchPlan;
import dev.rehype.cli.bench.CpuBenchProbe;
import dev.rehype.cli.bench.GuestCpuBenchProbe;
import dev.rehype.cli.campaign.CampaignCommand;
import dev.rehype.cli.machine.MachineCommand;
import dev.rehype.cli.machine.MachineInfoCommand;
import dev.rehype.recovery.bench.ProcessModeRestartProbe;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The root command; {@link #main} runs it and exits with its exit code. */
@Command(name = "rehype",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "ReHype toolkit: a Xen-like hypervisor running RISC-V guests, microreboot recovery, "
                + "fault injection campaigns and reports.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:internal error (a bug; --verbose shows the stack trace)",
            "2:usage error (bad option, missing subcommand, bad or missing file)",
            "3:a check failed (a guest exited non-zero or did not print its success line)"})
public final class RehypeCli {

    private static final Logger LOG = LoggerFactory.getLogger(RehypeCli.class);

    @Mixin
    private GlobalOptions global = new GlobalOptions();

    private RehypeCli() {
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line with the real measurement sources and returns the exit code. */
    public static int run(String... args) {
        return commandLine(GuestCpuBenchProbe::open).execute(args);
    }

    /**
     * Builds the command tree. {@code cpuBenchProbes} opens the source of the CPU benchmark's
     * measurements for a plan (the real one runs guests; tests pass a fake).
     */
    public static CommandLine commandLine(Function<CpuBenchPlan, CpuBenchProbe> cpuBenchProbes) {
        RehypeCli root = new RehypeCli();
        CommandLine cli = new CommandLine(root);
        cli.addSubcommand(new CommandLine(new BenchCommand())
                .addSubcommand(new CommandLine(new BenchCpuCommand(cpuBenchProbes)))
                .addSubcommand(new CommandLine(new dev.rehype.cli.bench.BenchResetCommand()))
                .addSubcommand(new CommandLine(new BenchCampaignCommand()))
                .addSubcommand(new CommandLine(new dev.rehype.cli.bench.BenchFaultsCommand()))
                .addSubcommand(new CommandLine(new BenchRecoveryCommand(new ProcessModeRestartProbe(1)))));
        cli.addSubcommand(new CommandLine(new dev.rehype.cli.run.RunCommand()));
        cli.addSubcommand(new CommandLine(new dev.rehype.cli.demo.DemoCommand()));
        cli.addSubcommand(new CommandLine(new CampaignCommand()));
        cli.addSubcommand(new CommandLine(new dev.rehype.cli.campaign.ReplayCommand()));
        cli.addSubcommand(new CommandLine(new dev.rehype.cli.process.HypervisorCommand()));
        cli.addSubcommand(new CommandLine(new dev.rehype.cli.process.SuperviseCommand()));
        cli.addSubcommand(new CommandLine(new MachineCommand())
                .addSubcommand(new CommandLine(new MachineInfoCommand())));
        cli.setParameterExceptionHandler(new ParameterErrorHandler());
        cli.setExecutionExceptionHandler(new ExecutionErrorHandler(() -> root.global.verbose()));
        cli.setExecutionStrategy(parseResult -> {
            try {
                LoggingSetup.configure(root.global.verbose(), root.global.logFile());
            } catch (UserError e) {
                PrintWriter err = cli.getErr();
                err.println("rehype: " + e.getMessage());
                err.flush();
                return ExitCodes.USAGE;
            }
            LOG.debug("rehype {} {}", VersionProvider.toolkitVersion(), parseResult.originalArgs());
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cli;
    }
}
