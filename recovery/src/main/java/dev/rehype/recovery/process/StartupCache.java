package dev.rehype.recovery.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVM options of a hypervisor process, chosen to shorten its start: the serial collector, and
 * the JDK's AOT cache (JEP 483/514: classes loaded and linked ahead of time) for the hypervisor's
 * class path. The cache is made on first use by a training run of the hypervisor process
 * ({@code --train}: it loads what a real one loads, then exits) and kept under the temporary
 * directory, named by a hash of the JDK and every class-path entry (path, size, time), so that a
 * rebuilt jar gets a new one. The JDK's AOT cache takes jar files only: with a directory on the
 * class path (tests run from target/classes) no cache is made and the plain options are used.
 */
final class StartupCache {
    private static final List<String> BASE = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xss8m", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

    private StartupCache() {
    }

    /** The options for a hypervisor process; with {@code useCache}, the AOT cache (made now if missing). */
    static List<String> jvmOptions(boolean useCache) {
        List<String> options = new ArrayList<>(BASE);
        if (useCache) {
            Path cache = cacheFile();
            if (cache != null && (Files.isRegularFile(cache) || train(cache))) {
                options.add("-XX:AOTCache=" + cache);
                options.add("-Xlog:aot=off");
                options.add("-Xlog:cds=off");
            }
        }
        return options;
    }

    /** Where the cache of this JDK and class path lives, or null when the class path has directories. */
    static Path cacheFile() {
        String cp = System.getProperty("java.class.path");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(System.getProperty("java.home").getBytes(StandardCharsets.UTF_8));
            sha.update(System.getProperty("java.vm.version").getBytes(StandardCharsets.UTF_8));
            for (String entry : cp.split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) {
                    return null;
                }
                sha.update(entry.getBytes(StandardCharsets.UTF_8));
                sha.update(Long.toString(Files.size(p)).getBytes(StandardCharsets.UTF_8));
                sha.update(Files.getLastModifiedTime(p).toString().getBytes(StandardCharsets.UTF_8));
            }
            String name = HexFormat.of().formatHex(sha.digest(), 0, 12) + ".aot";
            return Path.of(System.getProperty("java.io.tmpdir"), "rehype-aot", name);
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** Runs the training process that writes {@code cache}; true when the cache exists afterwards. */
    private static boolean train(Path cache) {
        try {
            Files.createDirectories(cache.getParent());
            Path partial = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(BASE);
            cmd.add("-XX:AOTCacheOutput=" + partial);
            cmd.add("-Xlog:aot=off");
            cmd.add("-Xlog:cds=off");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(HypervisorProcess.class.getName());
            cmd.add("--train");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(partial)) {
                Files.deleteIfExists(partial);
                return false;
            }
            Files.move(partial, cache, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
