/*
 * Runs programs of the host (gcc, the natively built benchmark, qemu-riscv32) for the benchmarks:
 * finds them on PATH, runs one with its output sent to a file (so no reader thread is needed and
 * a chatty program cannot block), waits with a time limit, and times it.
 */
package dev.rehype.cli.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.rehype.cli.CheckFailure;

/** Finds and runs host programs. */
public final class HostProcess {

    private HostProcess() {
    }

    /** The executable named {@code program} in the first PATH directory that has one. */
    public static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code command} in {@code workDir} with stdin closed and waits for it.
     *
     * @throws CheckFailure if it runs longer than {@code timeout} (it is then killed)
     */
    public static ProcessOutcome run(List<String> command, Path workDir, Duration timeout) {
        Path outputFile = null;
        try {
            outputFile = Files.createTempFile(workDir, "process-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            long startNanos = System.nanoTime();
            Process process = builder.start();
            boolean exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            long elapsedNanos = System.nanoTime() - startNanos;
            if (!exited) {
                process.destroyForcibly().waitFor();
                throw new CheckFailure(String.join(" ", command) + ": still running after " + timeout.toSeconds() + " s; killed");
            }
            String output = Files.readString(outputFile, StandardCharsets.UTF_8);
            return new ProcessOutcome(process.exitValue(), output, elapsedNanos);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (outputFile != null) {
                try {
                    Files.deleteIfExists(outputFile);
                } catch (IOException ignored) {
                    // The whole work directory is deleted when the probe closes.
                }
            }
        }
    }
}
