/*
 * The file formats a campaign's runs export to. Parquet keeps the nested columns (recovery
 * phases, repairs, VM verdicts) as typed lists of structs; CSV, being flat, holds them as JSON text.
 */
package dev.rehype.results;

/** Export file formats. */
public enum ExportFormat {
    PARQUET,
    CSV
}
