/*
 * `rehype hypervisor --region FILE`: the hypervisor in a process of its own (process mode). It maps
 * the preserved region from FILE and serves the machine of the supervisor that started it (the
 * mailbox file beside the region) until told to quit. Normally started by `rehype supervise`; run
 * by hand it checks the region and refuses a bad one with one clear line (exit 2).
 */
package dev.rehype.cli.process;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.rehype.cli.VersionProvider;
import dev.rehype.recovery.process.HypervisorProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code hypervisor} command. */
@Command(name = "hypervisor",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run the hypervisor in its own process over a region file, serving a supervisor's machine "
                + "(process mode; normally started by `rehype supervise`).")
public final class HypervisorCommand implements Callable<Integer> {

    @Option(names = "--region", required = true, paramLabel = "FILE", description = "The preserved region file.")
    private Path region;

    @Option(names = "--mailbox", paramLabel = "FILE",
            description = "The supervisor's mailbox file (default: the region file's name + .mbox).")
    private Path mailbox;

    @Option(names = "--supervisor-pid", paramLabel = "PID", defaultValue = "0",
            description = "Exit when this process is gone (default: the parent process).")
    private long supervisorPid;

    @Override
    public Integer call() {
        return HypervisorProcess.run(region, mailbox, supervisorPid);
    }
}
