/*
 * `rehype bench reset`: what starting an injection run from the booted system costs with a reset
 * point (only the frames the previous run wrote are put back) next to a full snapshot restore, for
 * AppVMs of several memory sizes, to show that a reset's cost follows what a run changed and not
 * the memory size. Prints the derived options first and one line per size; with --json exactly
 * one JSON object on stdout instead.
 */
package dev.rehype.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.VersionProvider;
import dev.rehype.cli.json.JsonWriter;
import dev.rehype.guests.GuestImageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code bench reset} command. */
@Command(name = "reset",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Measure the reset of the campaigns' system (host-built) to its booted state after a run (only the frames the "
                + "run wrote are copied back) against a full snapshot restore, for AppVMs of each given size. Every "
                + "run after a reset must end exactly as the first one.")
public final class BenchResetCommand implements Callable<Integer> {
    public static final int DEFAULT_ROUNDS = 9;
    public static final int MIN_ROUNDS = 3;
    public static final int MAX_APPVM_MIB = 512;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout instead of the text lines.")
    private boolean json;

    private int rounds = DEFAULT_ROUNDS;
    private List<Integer> appVmMib = List.of(64, 512);

    /** Sets the number of measured rounds per size. */
    @Option(names = "--rounds", paramLabel = "N", defaultValue = "" + DEFAULT_ROUNDS,
            description = "Measured rounds per size, after one warm-up round (default: ${DEFAULT-VALUE}; at least "
                    + MIN_ROUNDS + ").")
    void setRounds(int rounds) {
        if (rounds < MIN_ROUNDS) {
            throw new ParameterException(spec.commandLine(), "--rounds must be at least " + MIN_ROUNDS + ", got "
                    + rounds);
        }
        this.rounds = rounds;
    }

    /** Sets the AppVM memory sizes to measure. */
    @Option(names = "--appvm-mib", paramLabel = "MIB[,MIB...]", split = ",", defaultValue = "64,512",
            description = "Memory of each of compute, hc-ping and hc-pong, one system per size (default: "
                    + "${DEFAULT-VALUE}; 1.." + MAX_APPVM_MIB + ").")
    void setAppVmMib(List<Integer> sizes) {
        for (int mib : sizes) {
            if (mib < 1 || mib > MAX_APPVM_MIB) {
                throw new ParameterException(spec.commandLine(), "--appvm-mib: each size must be 1.." + MAX_APPVM_MIB
                        + " MiB, got " + mib);
            }
        }
        this.appVmMib = List.copyOf(sizes);
    }

    @Override
    public Integer call() throws GuestImageException {
        PrintWriter out = spec.commandLine().getOut();
        String jdk = Runtime.version().toString();
        int hostCpus = Runtime.getRuntime().availableProcessors();
        if (!json) {
            out.printf("bench reset: host-built system on 2 CPUs, seed %d; AppVMs %s sized %s MiB; %d measured rounds"
                            + " per size after 1 warm-up; JDK %s, %d host CPUs%n", ResetBench.SEED,
                    String.join(", ", ResetBench.SIZED_VMS), appVmMib, rounds, jdk, hostCpus);
            out.flush();
        }
        List<ResetBenchResult> results = new ArrayList<>();
        for (int mib : appVmMib) {
            ResetBenchResult r = ResetBench.measure(mib, rounds);
            results.add(r);
            if (!json) {
                out.println("  " + r.text());
                out.flush();
            }
        }
        if (json) {
            JsonWriter w = new JsonWriter().beginObject()
                    .name("seed").value(ResetBench.SEED)
                    .name("rounds").value(rounds)
                    .name("jdk").value(jdk)
                    .name("host_cpus").value(hostCpus)
                    .name("sizes").beginArray();
            for (ResetBenchResult r : results) {
                r.writeTo(w);
            }
            out.println(w.endArray().endObject());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
