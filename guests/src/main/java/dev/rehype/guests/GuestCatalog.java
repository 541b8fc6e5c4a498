package dev.rehype.guests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The list of guest images packaged on the class path. Class-path directories cannot be listed
 * portably (inside a jar there is no directory to read), so guests/Makefile writes
 * {@code images/index.txt}, one image path per line relative to images/, sorted; it is packaged
 * as {@code guests/index.txt} beside the images. Paths returned here are what
 * {@link GuestImage#load} takes.
 */
public final class GuestCatalog {
    /** The class-path resource holding the list. */
    public static final String INDEX_RESOURCE = GuestImage.RESOURCE_ROOT + "index.txt";

    private GuestCatalog() {
    }

    /** Every packaged image, sorted, for example "bench/cpu.elf", "tests/isa/alu.elf". */
    public static List<String> images() {
        try (InputStream in = GuestCatalog.class.getClassLoader().getResourceAsStream(INDEX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the guest image index " + INDEX_RESOURCE
                        + " is not on the class path: build the guests module (make -C guests) and package it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the guest image index " + INDEX_RESOURCE, e);
        }
    }

    /** The images directly inside {@code directory}, for example images("tests/isa"). */
    public static List<String> images(String directory) {
        Objects.requireNonNull(directory, "directory");
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        return images().stream()
                .filter(p -> p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0)
                .toList();
    }
}
