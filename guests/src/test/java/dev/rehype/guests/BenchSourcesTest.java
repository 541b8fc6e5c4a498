package dev.rehype.guests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's C sources on the class path, for the native build. */
class BenchSourcesTest {

    @Test
    void theNativeSourcesAreExtracted(@TempDir Path dir) throws IOException {
        List<Path> written = BenchSources.extractNative(dir.resolve("bench"));

        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("cpu.c", "sys_native.c", "sys.h");
        assertThat(Files.readString(dir.resolve("bench/cpu.c"))).contains("bench cpu: crc=");
        assertThat(Files.readString(dir.resolve("bench/sys_native.c")))
                .contains(BenchSources.NATIVE_NANOS_PREFIX).contains("CLOCK_MONOTONIC");
    }

    @Test
    void theSourcesOnTheClassPathAreTheOnesInTheModule() throws IOException {
        for (String file : BenchSources.NATIVE_FILES) {
            try (var in = BenchSources.class.getClassLoader().getResourceAsStream(BenchSources.RESOURCE_DIR + file)) {
                assertThat(in).as(file).isNotNull();
                assertThat(in.readAllBytes()).as(file).isEqualTo(Files.readAllBytes(Path.of("riscv/bench", file)));
            }
        }
    }

    @Test
    void theCompileCommandNamesTheTwoUnits() {
        assertThat(BenchSources.nativeCompileCommand("gcc", Path.of("out/cpu")))
                .containsExactly("gcc", "-O2", "-o", Path.of("out/cpu").toString(), "cpu.c", "sys_native.c");
    }
}
