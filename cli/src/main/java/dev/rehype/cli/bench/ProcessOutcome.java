/*
 * What a finished host process left behind: its exit code, everything it printed (stdout and
 * stderr merged), and the wall time from just before its start to just after its exit.
 */
package dev.rehype.cli.bench;

/**
 * A finished host process.
 *
 * @param exitCode    the process's exit status
 * @param output      stdout and stderr, merged, decoded as UTF-8
 * @param elapsedNanos wall time from start to exit
 */
public record ProcessOutcome(int exitCode, String output, long elapsedNanos) {
}
