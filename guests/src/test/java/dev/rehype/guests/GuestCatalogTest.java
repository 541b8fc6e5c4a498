package dev.rehype.guests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The packaged index of guest images against the images/ directory it describes. */
class GuestCatalogTest {

    @Test
    void theIndexListsExactlyTheBuiltImages() throws IOException {
        Path images = Path.of("images");
        List<String> onDisk;
        try (Stream<Path> files = Files.walk(images)) {
            onDisk = files.filter(p -> p.toString().endsWith(".elf"))
                    .map(p -> images.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }

        assertThat(GuestCatalog.images()).isEqualTo(onDisk);
    }

    @Test
    void theIndexIsSortedAndHoldsTheBenchAndTheIsaTests() {
        List<String> all = GuestCatalog.images();

        assertThat(all).isSorted().contains("bench/cpu.elf", "tests/isa/alu.elf", "tests/isa/fence.elf");
    }

    @Test
    void aDirectoryListsOnlyItsOwnImages() {
        assertThat(GuestCatalog.images("tests/isa")).isNotEmpty()
                .allMatch(p -> p.startsWith("tests/isa/") && p.indexOf('/', "tests/isa/".length()) < 0);
        assertThat(GuestCatalog.images("tests/isa/")).isEqualTo(GuestCatalog.images("tests/isa"));
        assertThat(GuestCatalog.images("tests")).isEmpty();
        assertThat(GuestCatalog.images("bench")).containsExactly("bench/cpu.elf");
    }
}
