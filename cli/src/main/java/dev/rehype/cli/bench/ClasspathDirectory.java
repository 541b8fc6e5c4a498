/*
 * Copies a directory of class-path resources (for example the benchmark's C sources, packaged in
 * the guests jar under guests/riscv/bench/) to a directory on disk, whether the class path holds it
 * as a directory (running from target/classes) or inside a jar (running from the built CLI).
 */
package dev.rehype.cli.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Extracts class-path resources to the file system. */
public final class ClasspathDirectory {

    private ClasspathDirectory() {
    }

    /**
     * Copies every file under resource directory {@code dir} (which must contain {@code anchor}) to
     * {@code target}, keeping relative paths, and returns the copied files' relative paths, sorted.
     *
     * @throws IllegalStateException if {@code dir/anchor} is not on the class path
     */
    public static List<String> copy(ClassLoader loader, String dir, String anchor, Path target) {
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        URL url = loader.getResource(prefix + anchor);
        if (url == null) {
            throw new IllegalStateException("resource " + prefix + anchor + " is not on the class path");
        }
        try {
            List<String> copied = switch (url.getProtocol()) {
                case "file" -> copyDirectory(Path.of(url.toURI()).getParent(), target);
                case "jar" -> copyFromJar((JarURLConnection) url.openConnection(), prefix, target);
                default -> throw new IllegalStateException("cannot list resources in " + url);
            };
            return copied.stream().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy resources " + prefix + " to " + target, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad resource URL " + url, e);
        }
    }

    /** Copies one resource to {@code file}. */
    public static void copyFile(ClassLoader loader, String resource, Path file) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is not on the class path");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy resource " + resource + " to " + file, e);
        }
    }

    private static List<String> copyDirectory(Path source, Path target) throws IOException {
        List<String> copied = new ArrayList<>();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
                Path relative = source.relativize(file);
                Path destination = target.resolve(relative.toString());
                Files.createDirectories(destination.getParent());
                Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                copied.add(relative.toString().replace(File.separatorChar, '/'));
            }
        }
        return copied;
    }

    private static List<String> copyFromJar(JarURLConnection connection, String prefix, Path target) throws IOException {
        connection.setUseCaches(false);
        List<String> copied = new ArrayList<>();
        try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().startsWith(prefix)) {
                    continue;
                }
                String relative = entry.getName().substring(prefix.length());
                Path destination = target.resolve(relative).normalize();
                if (!destination.startsWith(target)) {
                    throw new IOException("resource " + entry.getName() + " escapes " + target);
                }
                Files.createDirectories(destination.getParent());
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                }
                copied.add(relative);
            }
        }
        return copied;
    }
}
