package dev.rehype.recovery.process;

import dev.rehype.hypervisor.system.VmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Process mode end to end: the standard system's hypervisor runs in a JVM of its own, is killed
 * with SIGKILL while the guests run, is replaced by a spare process that re-attaches the region and
 * repairs, and every VM still finishes with its expected digest. The supervisor's machine learns
 * every write of the hypervisor process, so its state hash from cached digests stays exact.
 */
class ProcessModeTest {
    @Test
    void killNineOfTheHypervisorProcessWhileGuestsRunIsSurvivedWithCorrectDigests() throws Exception {
        try (ProcessSupervisor supervisor = new ProcessSupervisor(ProcessOptions.defaults(7))) {
            Thread killer = Thread.ofPlatform().daemon().start(() -> killRepeatedly(supervisor));
            ProcessRunReport report = supervisor.run();
            killer.join();
            describe(report);
            assertEquals(KILLS, report.restarts().size(), "restarts: " + report);
            long generation = 1;
            for (RestartRecord r : report.restarts()) {
                assertTrue(r.cause().startsWith("killed (SIGKILL"), r.toString());
                assertTrue(r.generation() > generation, "generation did not grow: " + r);
                generation = r.generation();
                assertTrue(r.newPid() != r.oldPid(), r.toString());
            }
            assertTrue(report.allCorrect(), report.toString());
        }
    }

    private static final int KILLS = 2;

    /** SIGKILLs the hypervisor process {@link #KILLS} times, each once its spare is ready and the guests ran on. */
    private static void killRepeatedly(ProcessSupervisor supervisor) {
        try {
            long last = 0;
            for (int kill = 0; kill < KILLS; kill++) {
                while (!supervisor.spareReady() || supervisor.restarting() || supervisor.hypervisorPid() < 0
                        || supervisor.machine().nowCycles() < last + 300_000) {
                    if (supervisor.finished()) {
                        return;
                    }
                    Thread.sleep(2);
                }
                if (supervisor.killHypervisor() < 0) {
                    kill--;
                    continue;
                }
                while (supervisor.restarts().size() <= kill) {
                    if (supervisor.finished()) {
                        return;
                    }
                    Thread.sleep(2);
                }
                last = supervisor.machine().nowCycles();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theMachinesCachedStateHashSeesEveryWriteOfTheHypervisorProcess() throws Exception {
        try (ProcessSupervisor supervisor = new ProcessSupervisor(ProcessOptions.defaults(5))) {
            // Hashed before the boot: from here on the machine's memory digests are kept, not recomputed.
            String before = supervisor.machine().stateHash();
            ProcessRunReport report = supervisor.run();
            describe(report);
            assertTrue(report.allCorrect(), report.toString());
            assertEquals(0, report.restarts().size(), report.toString());
            String after = supervisor.machine().stateHash();
            assertNotEquals(before, after);
            assertEquals(supervisor.machine().stateHashFromScratch(), after);
        }
    }

    @Test
    void anExternalKillMinus9IsDetectedAndRecovered() throws Exception {
        try (ProcessSupervisor supervisor = new ProcessSupervisor(ProcessOptions.defaults(3))) {
            Thread killer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    long pid;
                    while ((pid = supervisor.hypervisorPid()) < 0 || supervisor.machine().nowCycles() < 1_000_000) {
                        Thread.sleep(5);
                    }
                    Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
                    kill.waitFor(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ProcessRunReport report = supervisor.run();
            killer.join();
            describe(report);
            assertEquals(1, report.restarts().size(), report.toString());
            assertTrue(report.restarts().getFirst().cause().startsWith("killed (SIGKILL"), report.toString());
            assertTrue(report.allCorrect(), report.toString());
        }
    }

    /**
     * The Dom0-built I/O system in process mode, its hypervisor process killed inside Dom0's
     * domctls — while it waits for the answer to every {@link #DOMCTL_CALLS_BETWEEN_KILLS}-th
     * hardware call it makes in one — so the kills cut the toolstack's domain building (and its
     * teardown) wherever a call falls: createdomain, populate, setup, device assignment, foreign
     * maps, destroy. Every VM and the peer on the wire still end correct.
     */
    @Test
    void killsInsideDom0sDomctlsOnTheIoSystemAreSurvived() throws Exception {
        ProcessOptions options = ProcessOptions.defaults(11).withSystem(ProcessSystem.IO)
                .withKillInTrapOf("hypercall:domctl").withKillInTrapEveryCalls(DOMCTL_CALLS_BETWEEN_KILLS);
        try (ProcessSupervisor supervisor = new ProcessSupervisor(options)) {
            ProcessRunReport report = supervisor.run();
            describe(report);
            assertTrue(report.restarts().size() >= 5, "expected at least 5 kills: " + report);
            assertTrue(supervisor.trapCalls() >= report.restarts().size() * (long) DOMCTL_CALLS_BETWEEN_KILLS,
                    supervisor.trapCalls() + " calls inside domctls for " + report.restarts().size() + " kills");
            for (RestartRecord r : report.restarts()) {
                assertTrue(r.cause().startsWith("killed (SIGKILL"), r.toString());
                assertEquals("hypercall:domctl", r.trap(), r.toString());
                assertTrue(r.failedCpu() >= 0, "a kill inside a trap has the trap's CPU as the failed one: " + r);
            }
            assertEquals(List.of("dom0", "netdrv", "hypercall", "hypercall-2", "compute", "mem", "net", "service"),
                    report.vms().stream().map(VmResult::name).toList());
            assertTrue(report.peer() != null && report.peer().exchanges() > 0, "the peer took no part: " + report);
            assertTrue(report.allCorrect(), report.toString());
        }
    }

    /** Dom0's domctls make about 24,000 hardware calls in a run of seed 11 without kills. */
    private static final int DOMCTL_CALLS_BETWEEN_KILLS = 4000;

    @Test
    void aRegionFileThatIsNotARegionGivesOneClearError(@TempDir Path dir) throws Exception {
        Path bogus = dir.resolve("not-a-region");
        Files.write(bogus, "this is not a preserved region".repeat(200).getBytes(StandardCharsets.US_ASCII));
        // Logging's own first-use notices (none when a provider is installed) go to the real stderr.
        org.slf4j.LoggerFactory.getLogger(ProcessModeTest.class);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = HypervisorProcess.run(bogus, null, 0);
        } finally {
            System.setErr(saved);
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(HypervisorProcess.EXIT_BAD_INPUT, code);
        assertEquals(1, lines.size(), "expected one line, got " + lines);
        assertTrue(lines.getFirst().startsWith("rehype hypervisor: ") && lines.getFirst().contains(bogus.toString()),
                lines.getFirst());
        assertEquals("this is not a preserved region".repeat(200), Files.readString(bogus), "the file was changed");
    }

    private static void describe(ProcessRunReport report) {
        for (RestartRecord r : report.restarts()) {
            System.out.printf("restart %d: %s, pid %d -> %d, failed cpu %d in %s, generation %d, %d repair changes, "
                    + "%.2f ms (detect %.2f, spare %.2f, recover %.2f)%n",
                    r.index(), r.cause(), r.oldPid(), r.newPid(), r.failedCpu(), r.trap(), r.generation(),
                    r.repairChanges(),
                    r.latencyMillis(), r.detectionNanos() / 1e6, r.spareWaitNanos() / 1e6, r.recoveryNanos() / 1e6);
        }
        for (VmResult v : report.vms()) {
            System.out.println(v.name() + ": " + v.verdict() + " " + v.digest());
        }
        report.failedConsoles().forEach(System.out::println);
    }
}
