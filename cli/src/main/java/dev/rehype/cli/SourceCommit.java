/*
 * The git commit of the toolkit's checkout, read from the .git directory under rehype.home (set by
 * the ./rehype launcher) without running git. Shown by --version next to the Maven version so
 * that a figure can be traced to its code. Absent when there is no checkout or no commit yet.
 */
package dev.rehype.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads HEAD's commit id from a git checkout. */
public final class SourceCommit {

    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    private SourceCommit() {
    }

    /** The commit id HEAD names in the checkout at {@code root}, if there is one. */
    public static Optional<String> of(Path root) {
        Path git = root.resolve(".git");
        try {
            if (Files.isRegularFile(git)) { // a worktree: "gitdir: <path>"
                String pointer = read(git);
                if (!pointer.startsWith("gitdir:")) {
                    return Optional.empty();
                }
                git = root.resolve(pointer.substring("gitdir:".length()).trim());
            }
            String head = read(git.resolve("HEAD"));
            if (!head.startsWith("ref:")) {
                return commitId(head);
            }
            String ref = head.substring("ref:".length()).trim();
            Path loose = git.resolve(ref);
            if (Files.isRegularFile(loose)) {
                return commitId(read(loose));
            }
            Path common = Files.isRegularFile(git.resolve("commondir"))
                    ? git.resolve(read(git.resolve("commondir"))) : git;
            Path looseInCommon = common.resolve(ref);
            if (Files.isRegularFile(looseInCommon)) {
                return commitId(read(looseInCommon));
            }
            Path packed = common.resolve("packed-refs");
            if (Files.isRegularFile(packed)) {
                for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                    if (line.endsWith(" " + ref)) {
                        return commitId(line.substring(0, line.indexOf(' ')));
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> commitId(String text) {
        String id = text.trim();
        return COMMIT_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
}
