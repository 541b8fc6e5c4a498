/*
 * The HTML report as a browser shows it: a small campaign is stored in a DuckDB store, read back
 * and rendered to a file exactly as `rehype campaign report --format html` does, then loaded by a
 * headless Chromium. The DOM Chromium dumps must hold every chart as an SVG element with the
 * shapes JFreeChart drew, and refer to nothing outside the page (no script, style sheet, image or
 * frame; only in-page fragments and data: URLs); the screenshot must be a real picture with the
 * charts' colours in it. Without a browser the test is skipped, unless REHYPE_REQUIRE_BROWSER=1
 * (CI), where a missing browser fails it.
 */
package dev.rehype.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportBrowserTest {
    /** Browsers tried in order, on the PATH (REHYPE_BROWSER names another). */
    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome",
            "google-chrome-stable");
    private static final long BROWSER_TIMEOUT_SECONDS = 180;
    private static final int WINDOW_WIDTH = 1000;
    private static final int WINDOW_HEIGHT = 4200;

    @TempDir
    static Path dir;

    private static Path browser;
    private static Path page;

    @BeforeAll
    static void storeAndRender() throws IOException {
        Optional<Path> found = findBrowser();
        boolean required = "1".equals(System.getenv("REHYPE_REQUIRE_BROWSER"));
        if (found.isEmpty() && required) {
            String named = System.getenv("REHYPE_BROWSER");
            fail("REHYPE_REQUIRE_BROWSER=1 but no headless browser was found: " + (named != null && !named.isBlank()
                    ? "REHYPE_BROWSER=" + named + " is not an executable file"
                    : "none of " + BROWSERS + " is on the PATH") + " (install Debian's chromium)");
        }
        assumeTrue(found.isPresent(), "no headless browser (" + String.join(", ", BROWSERS)
                + ") on the PATH: the HTML report is not checked in a browser");
        browser = found.get();

        Path store = dir.resolve("campaign");
        Files.createDirectories(store);
        try (DuckDbRunStore s = DuckDbRunStore.openOrCreate(store.resolve("campaign.duckdb"), ReportFixture.metadata())) {
            ReportFixture.runs().forEach(s::accept);
            s.recordGolden(new GoldenRun("goldhash", List.of(new GoldenRun.VmDigest("compute", "c0ffee00"))));
            s.recordDeterminismCheck(new DeterminismCheck(4, List.of()));
        }
        page = dir.resolve("report.html");
        Files.writeString(page, HtmlReport.render(CampaignReport.of(CampaignStores.read(store))), StandardCharsets.UTF_8);
    }

    @Test
    void theBrowserBuildsEveryChartAsSvgWithItsShapes() throws IOException {
        String dom = run(List.of("--dump-dom", page.toUri().toString()), "dump-dom").stdout();
        assertThat(dom).contains("<h1>Campaign unit</h1>");
        for (String id : List.of("chart-outcomes", "chart-recovery-rate", "chart-latency", "chart-ablation")) {
            String svg = element(dom, id);
            assertThat(svg.contains("xmlns=\"http://www.w3.org/2000/svg\"")).as("chart %s is SVG", id).isTrue();
            assertThat(count(svg, "<rect")).as("rectangles in %s", id).isGreaterThan(3);
            assertThat(count(svg, "<text")).as("labels in %s", id).isGreaterThan(3);
        }
        // The outcome chart has a bar (a filled rect) in each outcome colour the fixture has runs of.
        String outcomes = element(dom, "chart-outcomes").replace(" ", "");
        for (String colour : List.of("rgb(60,154,74)", "rgb(194,59,59)", "rgb(176,176,176)", "rgb(127,167,217)")) {
            assertThat(Pattern.compile("<rect[^>]*style=\"fill:" + Pattern.quote(colour) + "\"").matcher(outcomes).find())
                    .as("a bar filled %s in the outcome chart", colour).isTrue();
        }
    }

    @Test
    void thePageLoadsNothingFromElsewhere() throws IOException {
        String dom = run(List.of("--dump-dom", page.toUri().toString()), "dump-dom").stdout();
        String lower = dom.toLowerCase(java.util.Locale.ROOT);
        for (String tag : List.of("<script", "<link", "<iframe", "<img", "<object", "<embed", "<video", "<audio",
                "<image", "@import")) {
            assertThat(lower).as("the page has no %s", tag).doesNotContain(tag);
        }
        List<String> references = new ArrayList<>();
        Matcher attributes = Pattern.compile("(?i)\\s(?:src|href|xlink:href|action|poster|srcset)\\s*=\\s*[\"']([^\"']*)")
                .matcher(dom);
        while (attributes.find()) {
            references.add(attributes.group(1));
        }
        Matcher urls = Pattern.compile("(?i)url\\(\\s*[\"']?([^\"')]*)").matcher(dom);
        while (urls.find()) {
            references.add(urls.group(1));
        }
        assertThat(references).as("in-page references (clip paths)").isNotEmpty();
        assertThat(references).allSatisfy(r -> assertThat(r.startsWith("#") || r.startsWith("data:"))
                .as("reference '%s' stays in the page", r).isTrue());
    }

    @Test
    void theScreenshotShowsTheCharts() throws IOException {
        Path png = dir.resolve("report.png");
        run(List.of("--screenshot=" + png, "--window-size=" + WINDOW_WIDTH + "," + WINDOW_HEIGHT, "--hide-scrollbars",
                page.toUri().toString()), "screenshot");
        assertThat(png).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG javax.imageio decodes").isNotNull();
        assertThat(image.getWidth()).isEqualTo(WINDOW_WIDTH);

        int background = image.getRGB(0, 0) & 0xFFFFFF;
        long notBackground = 0;
        int[] colours = {0x3C9A4A, 0xC23B3B, 0x7FA7D9, 0x1F4E79};
        long[] seen = new long[colours.length];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                if (rgb != background) {
                    notBackground++;
                }
                for (int i = 0; i < colours.length; i++) {
                    if (close(rgb, colours[i])) {
                        seen[i]++;
                    }
                }
            }
        }
        assertThat(notBackground).as("pixels that are not the background").isGreaterThan(50_000);
        // Recovered bars (green), undetected bars (red), not-manifested bars (light blue), the rate
        // points and error bars (dark blue): each drawn over at least a few dozen pixels.
        for (int i = 0; i < colours.length; i++) {
            assertThat(seen[i]).as("pixels of chart colour #%06X", colours[i]).isGreaterThan(30);
        }
    }

    private static boolean close(int rgb, int colour) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xFF) - ((colour >> shift) & 0xFF)) > 6) {
                return false;
            }
        }
        return true;
    }

    /** The element with id {@code id} (an svg) as the browser serialised it. */
    private static String element(String dom, String id) {
        int at = dom.indexOf("id=\"" + id + "\"");
        assertThat(at).as("element %s in the browser's DOM", id).isGreaterThanOrEqualTo(0);
        int start = dom.lastIndexOf("<svg", at);
        int end = dom.indexOf("</svg>", at);
        assertThat(start).as("element %s is an svg", id).isGreaterThanOrEqualTo(0);
        assertThat(end).isGreaterThan(start);
        return dom.substring(start, end);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private record Output(String stdout, String stderr) {
    }

    /** Runs the headless browser with {@code args}; its own profile directory, no network wanted. */
    private static Output run(List<String> args, String what) throws IOException {
        Path profile = Files.createTempDirectory(dir, "profile-");
        Path out = dir.resolve(what + ".out");
        Path err = dir.resolve(what + ".err");
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile,
                "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(browser + " " + what + " did not finish within " + BROWSER_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for " + browser);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s %s exit code; stderr:%n%s", browser, what, stderr).isZero();
        return new Output(stdout, stderr);
    }

    private static Optional<Path> findBrowser() {
        String named = System.getenv("REHYPE_BROWSER");
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : BROWSERS) {
            for (String d : path.split(File.pathSeparator)) {
                if (d.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(d, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
