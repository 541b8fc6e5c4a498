package dev.rehype.guests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The C sources of the CPU bench (guests/riscv/bench), packaged on the class path under
 * {@code guests/riscv/bench/} so that a tool can build the same program for the host and compare
 * the machine's speed with native execution. The native build is
 * {@code gcc -O2 -o <output> cpu.c sys_native.c}; it prints the bench's result line and then
 * {@code native_nanos=N}, the elapsed CLOCK_MONOTONIC time of the work.
 */
public final class BenchSources {
    /** Class-path directory of the sources. */
    public static final String RESOURCE_DIR = GuestImage.RESOURCE_ROOT + "riscv/bench/";
    /** The files the native build needs. */
    public static final List<String> NATIVE_FILES = List.of("cpu.c", "sys_native.c", "sys.h");
    /** The sources handed to the host compiler, in order. */
    public static final List<String> NATIVE_UNITS = List.of("cpu.c", "sys_native.c");
    /** The line prefix of the native build's timing report. */
    public static final String NATIVE_NANOS_PREFIX = "native_nanos=";

    private BenchSources() {
    }

    /** Copies {@link #NATIVE_FILES} into {@code directory} (created if needed); returns the written paths. */
    public static List<Path> extractNative(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        for (String file : NATIVE_FILES) {
            String resource = RESOURCE_DIR + file;
            try (InputStream in = BenchSources.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("bench source " + resource + " is not on the class path");
                }
                Path target = directory.resolve(file);
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                written.add(target);
            }
        }
        return written;
    }

    /** The host compiler command line, to run in the directory the sources were extracted to. */
    public static List<String> nativeCompileCommand(String compiler, Path output) {
        List<String> command = new ArrayList<>(List.of(compiler, "-O2", "-o", output.toString()));
        command.addAll(NATIVE_UNITS);
        return List.copyOf(command);
    }
}
