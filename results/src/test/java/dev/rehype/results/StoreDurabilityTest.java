/*
 * Durability under a real kill -9: a writer process stores runs and is killed with SIGKILL
 * while it is still writing (the store never closed). Reopened, the store holds every run the
 * writer reported stored, each one whole and equal to what was written, with no gap; a restarted
 * writer resumes from there and the finished store holds every run exactly once. While the writer
 * holds the store, a reader gets one line saying the file is in use.
 */
package dev.rehype.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rehype.campaign.Reason;
import dev.rehype.campaign.RunRecord;

class StoreDurabilityTest {

    private static final int RUNS = 400;
    private static final int KILL_AFTER = 60;

    @TempDir
    Path dir;

    /** The record the writer stores as run {@code i}: outcomes cycle through every class. */
    static RunRecord expected(long i) {
        return switch ((int) (i % 5)) {
            case 0 -> TestRuns.notActivated(i, "register", "hypervisor");
            case 1 -> TestRuns.notManifested(i, "code", "hypervisor");
            case 2 -> TestRuns.recovered(i, "failstop", "hypervisor", "full", 1_000_000 + i);
            case 3 -> TestRuns.notRecovered(i, "hang", "hypervisor", "full", Reason.WRONG_OUTPUT);
            default -> TestRuns.undetected(i, "register", "dom0", Reason.HANG);
        };
    }

    @Test
    void everyRunReportedStoredSurvivesAKillNineAndTheCampaignResumes() throws Exception {
        Path file = dir.resolve("unit.duckdb");
        Process writer = startWriter(file);
        int lastReported;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            lastReported = readUntil(out, KILL_AFTER);
            assertThatThrownBy(() -> CampaignStores.read(file))
                    .isInstanceOf(CampaignStoreException.class)
                    .hasMessageStartingWith(file + ": in use by another process");
            writer.destroyForcibly();
            assertThat(writer.waitFor()).isEqualTo(137);
        }
        List<RunRecord> stored = CampaignStores.read(file).runs();
        assertThat(stored.size()).isGreaterThanOrEqualTo(lastReported + 1).isLessThanOrEqualTo(RUNS);
        for (int i = 0; i < stored.size(); i++) {
            assertThat(stored.get(i)).isEqualTo(expected(i));
        }

        Process resumed = startWriter(file);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(resumed.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line = out.readLine(); line != null && !line.equals("all stored"); line = out.readLine()) {
                lines.add(line);
            }
            assertThat(lines).hasSize(RUNS - stored.size());
            if (!lines.isEmpty()) {
                assertThat(lines.getFirst()).isEqualTo("stored " + stored.size());
            }
            resumed.destroyForcibly();
            resumed.waitFor();
        }
        List<RunRecord> all = CampaignStores.read(file).runs();
        assertThat(all).hasSize(RUNS);
        for (int i = 0; i < RUNS; i++) {
            assertThat(all.get(i)).isEqualTo(expected(i));
        }
    }

    private static int readUntil(BufferedReader out, int index) throws IOException {
        int last = -1;
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("stored ")) {
                last = Integer.parseInt(line.substring("stored ".length()));
                if (last >= index) {
                    return last;
                }
            }
        }
        throw new IllegalStateException("the writer ended before storing run " + index);
    }

    private static Process startWriter(Path file) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                StoreWriterMain.class.getName(), file.toString(), Integer.toString(RUNS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
