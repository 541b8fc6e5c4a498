package dev.rehype.recovery.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The supervisor's handle on one hypervisor process: the JVM it started (with the startup cache
 * when there is one), the mailbox they share, and the supervisor's side of the exchange —
 * send a request or a reply, wait for the next message, notice when the process is gone.
 */
final class ChildProcess {
    private final int index;
    private final Process process;
    private final Mailbox box;
    private long downSeq;
    private long upSeq;
    private long pid = -1;

    private ChildProcess(int index, Process process, Mailbox box) {
        this.index = index;
        this.process = process;
        this.box = box;
    }

    /** Starts hypervisor process number {@code index} over {@code regionFile}, its mailbox in {@code dir}. */
    static ChildProcess start(int index, Path dir, Path regionFile, List<String> jvmOptions) throws IOException {
        Path mbox = dir.resolve("hypervisor-" + index + ".mbox");
        Mailbox box = Mailbox.create(mbox);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(HypervisorProcess.class.getName());
        cmd.add("--region");
        cmd.add(regionFile.toString());
        cmd.add("--mailbox");
        cmd.add(mbox.toString());
        cmd.add("--supervisor-pid");
        cmd.add(Long.toString(ProcessHandle.current().pid()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            return new ChildProcess(index, pb.start(), box);
        } catch (IOException | RuntimeException e) {
            box.close();
            Files.deleteIfExists(mbox);
            throw e;
        }
    }

    int index() {
        return index;
    }

    /** The hypervisor's pid (the JVM's, known from the start). */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Mailbox mailbox() {
        return box;
    }

    /** Waits for the process's READY; false if it exited first (its stderr said why). */
    boolean awaitReady() {
        int op = awaitUp();
        if (op == Ops.READY) {
            pid = box.arg(Mailbox.UP, 0);
            return true;
        }
        return false;
    }

    /** Sends a request or reply (payload already written into the down area). */
    void send(int op, int payloadLength, long... args) {
        box.message(Mailbox.DOWN, op, payloadLength, args);
        box.publishDown(++downSeq);
    }

    /** Waits for the next message up; returns its op, or -1 if the process is gone. */
    int awaitUp() {
        long seq = box.await(true, upSeq, process::isAlive);
        if (seq < 0) {
            return -1;
        }
        upSeq = seq;
        return box.op(Mailbox.UP);
    }

    /** kill -9. */
    void kill() {
        process.destroyForcibly();
    }

    /** Waits for the process to be gone; its exit code (137 after kill -9). */
    int awaitExit() {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    /** How the process ended, for reports. */
    String describeExit() {
        int code = awaitExit();
        return switch (code) {
            case 137 -> "killed (SIGKILL, exit 137)";
            case HypervisorProcess.EXIT_PANIC -> "hypervisor failure (exit 1)";
            default -> "exit " + code;
        };
    }

    /** Asks the process to quit (if alive), then releases the mailbox and deletes its file. */
    void close() {
        if (process.isAlive()) {
            send(Ops.QUIT, 0);
            try {
                if (!process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        box.close();
        try {
            Files.deleteIfExists(box.file());
        } catch (IOException ignored) {
            // A leftover mailbox file in the run's directory is harmless and deleted with it.
        }
    }
}
