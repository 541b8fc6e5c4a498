/*
 * The campaign commands' access to stores: reading a directory's stores and writing an output
 * file, with every store or file problem turned into a UserError (one line naming the file,
 * exit code 2) — never a stack trace.
 */
package dev.rehype.cli.campaign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.rehype.cli.UserError;
import dev.rehype.results.CampaignReport;
import dev.rehype.results.CampaignStoreException;
import dev.rehype.results.CampaignStores;

/** Store reading and file writing for the campaign commands. */
final class Stores {

    private Stores() {
    }

    /** The report of the campaign stored in {@code location} (a directory of store files, or one store file). */
    static CampaignReport report(Path location) {
        try {
            return CampaignReport.of(CampaignStores.read(location));
        } catch (CampaignStoreException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** Writes {@code text} to {@code file} (replacing it). */
    static void write(Path file, String text) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError(file + ": its directory " + parent + " does not exist");
        }
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
