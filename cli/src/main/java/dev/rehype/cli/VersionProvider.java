/*
 * What `rehype --version` prints: the toolkit's Maven version (filtered into version.properties at
 * build time), the commit of the checkout when the launcher says where it is, and the JVM.
 */
package dev.rehype.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** Supplies the lines of {@code --version}. */
public final class VersionProvider implements IVersionProvider {

    /** System property the launcher sets to the toolkit's root directory. */
    public static final String HOME_PROPERTY = "rehype.home";

    /** The toolkit's version, for example {@code 0.1.0-SNAPSHOT}; "unknown" outside a built jar. */
    public static String toolkitVersion() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String version = properties.getProperty("version", "unknown");
        return version.startsWith("${") ? "unknown" : version;
    }

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("rehype " + toolkitVersion());
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            SourceCommit.of(Path.of(home)).ifPresent(id -> lines.add("commit " + id + " (checkout at " + home + ")"));
        }
        lines.add("JVM " + Runtime.version() + " (" + System.getProperty("java.vm.vendor", "unknown vendor") + ") on "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return lines.toArray(String[]::new);
    }
}
