/*
 * The campaign store's schema in one place: the two tables (`campaign`, one row of metadata;
 * `runs`, one row per run), the format marker that tells a campaign store from any other DuckDB
 * file, and the DuckDB types of the nested columns. results/README.md documents the same schema;
 * keep them together.
 */
package dev.rehype.results;

import java.util.List;

/** Table definitions and format constants of a campaign store (format version {@value #VERSION}). */
final class StoreSchema {

    /** The value of {@code campaign.store_format} in every campaign store. */
    static final String FORMAT = "rehype-campaign-store";
    /** The schema version this code writes and reads. */
    static final int VERSION = 1;
    /** File name suffix of campaign stores; a directory's stores are its {@code *.duckdb} files. */
    static final String FILE_SUFFIX = ".duckdb";

    static final String PHASES_TYPE = "STRUCT(name VARCHAR, wall_nanos BIGINT, cycles BIGINT)[]";
    static final String REPAIRS_TYPE = "STRUCT(step VARCHAR, changes INTEGER, description VARCHAR)[]";
    static final String VMS_TYPE = "STRUCT(name VARCHAR, verdict VARCHAR, digest VARCHAR, packets BIGINT)[]";
    static final String POLICIES_TYPE = "STRUCT(name VARCHAR, mode VARCHAR, repair_steps VARCHAR[])[]";
    static final String DIGESTS_TYPE = "STRUCT(vm VARCHAR, digest VARCHAR)[]";

    static final String CREATE_CAMPAIGN = """
            CREATE TABLE campaign (
                store_format                VARCHAR NOT NULL,
                store_version               INTEGER NOT NULL,
                name                        VARCHAR NOT NULL,
                spec_text                   VARCHAR NOT NULL,
                root_seed                   BIGINT NOT NULL,
                shard_index                 INTEGER NOT NULL,
                shard_count                 INTEGER NOT NULL,
                policies                    %s NOT NULL,
                golden_state_hash           VARCHAR,
                golden_digests              %s,
                determinism_checked_runs    INTEGER,
                determinism_mismatched_runs BIGINT[]
            )""".formatted(POLICIES_TYPE, DIGESTS_TYPE);

    static final String CREATE_RUNS = """
            CREATE TABLE runs (
                run_index                BIGINT PRIMARY KEY,
                campaign                 VARCHAR NOT NULL,
                root_seed                BIGINT NOT NULL,
                run_seed                 BIGINT NOT NULL,
                fault_type               VARCHAR NOT NULL,
                target                   VARCHAR NOT NULL,
                fault_plan               VARCHAR NOT NULL,
                policy                   VARCHAR NOT NULL,
                activated                BOOLEAN NOT NULL,
                activation_site          VARCHAR NOT NULL,
                activation_value_before  VARCHAR NOT NULL,
                activation_value_after   VARCHAR NOT NULL,
                activation_cycles        BIGINT NOT NULL,
                detected                 BOOLEAN NOT NULL,
                detection_kind           VARCHAR NOT NULL,
                detection_cpu            INTEGER NOT NULL,
                detection_in_progress    VARCHAR NOT NULL,
                detection_cycles         BIGINT NOT NULL,
                detection_latency_cycles BIGINT NOT NULL,
                recovery_mode            VARCHAR NOT NULL,
                recovery_succeeded       BOOLEAN NOT NULL,
                recovery_latency_nanos   BIGINT NOT NULL,
                recovery_phases          %s NOT NULL,
                recovery_repairs         %s NOT NULL,
                outcome                  VARCHAR NOT NULL,
                reason                   VARCHAR NOT NULL,
                vms                      %s NOT NULL,
                virtual_cycles           BIGINT NOT NULL,
                wall_nanos               BIGINT NOT NULL,
                final_state_hash         VARCHAR NOT NULL
            )""".formatted(PHASES_TYPE, REPAIRS_TYPE, VMS_TYPE);

    /** The runs table's columns in table order. */
    static final List<String> RUN_COLUMNS = List.of(
            "run_index", "campaign", "root_seed", "run_seed", "fault_type", "target", "fault_plan", "policy",
            "activated", "activation_site", "activation_value_before", "activation_value_after", "activation_cycles",
            "detected", "detection_kind", "detection_cpu", "detection_in_progress", "detection_cycles",
            "detection_latency_cycles", "recovery_mode", "recovery_succeeded", "recovery_latency_nanos",
            "recovery_phases", "recovery_repairs", "outcome", "reason", "vms", "virtual_cycles", "wall_nanos",
            "final_state_hash");

    /** The metadata table's columns in table order. */
    static final List<String> CAMPAIGN_COLUMNS = List.of(
            "store_format", "store_version", "name", "spec_text", "root_seed", "shard_index", "shard_count",
            "policies", "golden_state_hash", "golden_digests", "determinism_checked_runs",
            "determinism_mismatched_runs");

    private StoreSchema() {
    }

    /** {@code s} as a SQL string literal. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
