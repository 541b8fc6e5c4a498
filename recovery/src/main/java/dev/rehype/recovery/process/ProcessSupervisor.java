package dev.rehype.recovery.process;

import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.EntryContext;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.hypervisor.system.VmResult;
import dev.rehype.machine.Hart;
import dev.rehype.machine.Machine;
import dev.rehype.machine.TrapHandler;
import dev.rehype.machine.peer.NetPeer;
import dev.rehype.machine.peer.NetPeerReport;
import dev.rehype.region.PreservedRegion;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Process mode's supervisor: it owns the hardware — the machine (harts, timers, interrupt
 * controller, NIC and its peer, console) over machine memory in a region file mapped MAP_SHARED —
 * and runs the machine loop, while the hypervisor runs in a child JVM ({@link HypervisorProcess}).
 * Each trap is forwarded to the child, whose hardware calls the supervisor serves until it
 * answers. When the child dies — kill -9, a panic, any exit — the supervisor notices while
 * waiting for it, hands the machine to a warm spare (started in advance, already loaded), which
 * re-attaches the region (generation bump), flushes the caches, runs the repair steps and resumes
 * the guests; the trap in progress is abandoned (the hart still holds what the trap found, since
 * the hypervisor's register writes reach it only with its answer) and the guests carry on. A new
 * spare is started at once.
 *
 * <p>Determinism across a kill is not promised (the kill's moment is wall-clock), correctness is:
 * every VM must still finish with its expected digest.
 */
public final class ProcessSupervisor implements TrapHandler, AutoCloseable {
    /** Virtual cycles charged for a restart of the hypervisor process. */
    public static final long RESTART_CYCLES = 50_000;
    /** Consecutive failed takeovers after which the system is declared lost. */
    public static final int MAX_TAKEOVER_ATTEMPTS = 5;

    private final ProcessOptions options;
    private final SystemConfig config;
    private final Path dir;
    private final boolean ownsDir;
    private final Path regionFile;
    private final PreservedRegion region;
    private final Machine machine;
    private final HardwareServer server;
    private final HartFrame trapFrame = new HartFrame();
    private final List<String> jvmOptions;
    private final List<RestartRecord> restarts = new ArrayList<>();
    private volatile ChildProcess primary;
    private volatile CompletableFuture<ChildProcess> spare;
    private int nextChild;
    private long trapSeq;
    private volatile long killNanos;
    private volatile boolean restarting;
    private volatile boolean finished;
    /** Hardware calls served inside (chosen) traps since boot (the kill-in-trap counter); machine thread only. */
    private long trapCalls;
    /** The hart whose trap is being served, null outside traps; machine thread only. */
    private Hart trapHart;
    private String lostReason;
    private Thread killer;

    /** Creates the region file and the machine; no process started yet. */
    public ProcessSupervisor(ProcessOptions options) throws IOException {
        this.options = options;
        this.config = options.config();
        Path root = options.workDir() != null ? options.workDir() : defaultWorkRoot();
        Files.createDirectories(root);
        this.dir = Files.createTempDirectory(root, "rehype-process-");
        this.ownsDir = true;
        this.regionFile = dir.resolve("region");
        PreservedRegion r = null;
        try {
            r = PreservedRegion.createFile(regionFile, HostSystem.regionSpecOf(config));
            HostSystem.setRootSlots(r, config);
        } catch (IOException | RuntimeException e) {
            if (r != null) {
                r.close();
            }
            Files.deleteIfExists(regionFile);
            Files.deleteIfExists(dir);
            throw e;
        }
        this.region = r;
        this.machine = new Machine(HostSystem.machineConfigOf(config), region.machineMemory(), HostSystem.newPeer(config));
        this.machine.setHypervisor(this);
        this.server = new HardwareServer(machine);
        this.jvmOptions = StartupCache.jvmOptions(options.startupCache());
    }

    private static Path defaultWorkRoot() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** The region file the hypervisor processes attach. */
    public Path regionFile() {
        return regionFile;
    }

    /** The current hypervisor process's pid, or -1 before it started. */
    public long hypervisorPid() {
        ChildProcess p = primary;
        return p == null ? -1 : p.pid();
    }

    public Machine machine() {
        return machine;
    }

    /** Boots the options' system in a hypervisor process, runs it to the end (or a stop), reports. */
    public ProcessRunReport run() throws IOException {
        primary = startChild();
        if (options.warmSpare()) {
            spare = startSpare();
        }
        if (!primary.awaitReady()) {
            throw new IOException("the hypervisor process ended before it was ready: " + primary.describeExit());
        }
        primary.send(Ops.BOOT, 0, shapeArgs(machine.nowCycles()));
        Outcome boot = serve(primary);
        if (!boot.done()) {
            throw new IOException("the hypervisor process failed to boot the system: " + boot.why());
        }
        startKiller();
        long maxCycles = options.maxCycles();
        long start = machine.nowCycles();
        boolean allDone = false;
        try {
            while (lostReason == null) {
                List<DomainStatus> now = domains();
                if (now == null) {
                    break;
                }
                allDone = !now.isEmpty() && now.stream().allMatch(DomainStatus::isShutdown);
                if (allDone || machine.nowCycles() - start >= maxCycles || stopRequested()) {
                    break;
                }
                machine.run(Math.min(HostSystem.CHECK_INTERVAL_CYCLES, maxCycles - (machine.nowCycles() - start)));
            }
        } finally {
            finished = true;
            if (killer != null) {
                killer.interrupt();
            }
        }
        List<DomainStatus> last = lostReason == null ? domains() : null;
        List<VmResult> vms = last == null ? List.of() : options.system().judge(last);
        List<String> consoles = new ArrayList<>();
        for (int i = 0; i < vms.size(); i++) {
            if (!vms.get(i).correct()) {
                String text = last.get(i).console();
                consoles.add(vms.get(i).name() + ":\n" + text.substring(Math.max(0, text.length() - 1500)));
            }
        }
        synchronized (restarts) {
            NetPeerReport peer = options.system().usesPeer() && machine.nic().peer() instanceof NetPeer p
                    ? p.report() : null;
            return new ProcessRunReport(config.seed(), options.system(), vms, peer, restarts, allDone,
                    machine.nowCycles(), lostReason, consoles);
        }
    }

    private boolean stopRequested() {
        synchronized (restarts) {
            return options.stopAfterRestarts() > 0 && restarts.size() >= options.stopAfterRestarts();
        }
    }

    public List<RestartRecord> restarts() {
        synchronized (restarts) {
            return List.copyOf(restarts);
        }
    }

    /** True when a warm spare process has started and said it is ready (loaded and rehearsed). */
    public boolean spareReady() {
        CompletableFuture<ChildProcess> f = spare;
        if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
            return false;
        }
        return f.join().mailbox().upSeq() > 0;
    }

    /** True once the run is over (or the supervisor closed). */
    public boolean finished() {
        return finished;
    }

    /** True while a restart is under way (between the death's detection and the guests running again). */
    public boolean restarting() {
        return restarting;
    }

    /**
     * Kills the current hypervisor process with SIGKILL now (from any thread); the machine thread
     * notices and restarts it. Returns the pid killed, or -1 while a restart is already under way.
     */
    public long killHypervisor() {
        synchronized (this) {
            ChildProcess p = primary;
            if (p == null || restarting || finished) {
                return -1;
            }
            killNanos = System.nanoTime();
            p.kill();
            return p.pid();
        }
    }

    private void startKiller() {
        long after = options.killAfterMs();
        long every = options.killEveryMs();
        if (after == 0 && every == 0) {
            return;
        }
        killer = Thread.ofPlatform().daemon().name("rehype-killer").start(() -> {
            try {
                Thread.sleep(after > 0 ? after : every);
                while (!finished) {
                    if (killHypervisor() < 0 && !finished) {
                        Thread.sleep(1);
                        continue;
                    }
                    if (after > 0) {
                        return;
                    }
                    Thread.sleep(every);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    // ------------------------------------------------------------------ traps and requests

    /** Why a request ended: answered, or the process died / failed. */
    private record Outcome(boolean done, long value, String why) {
    }

    @Override
    public long onTrap(Hart hart) {
        if (lostReason != null) {
            hart.halt();
            machine.stop();
            return 1;
        }
        long seq = ++trapSeq;
        ChildProcess p = primary;
        trapFrame.load(hart);
        trapFrame.encode(p.mailbox().payload(Mailbox.DOWN), 0);
        p.send(Ops.TRAP, HartFrame.ENCODED_BYTES, hart.id(), machine.nowCycles(), seq);
        trapHart = hart;
        Outcome o;
        try {
            o = serve(p);
        } finally {
            trapHart = null;
        }
        if (o.done()) {
            return o.value();
        }
        return restart(hart.id(), seq, o.why());
    }

    /** Serves {@code p}'s hardware calls until it answers the request, fails, or dies. */
    private Outcome serve(ChildProcess p) {
        while (true) {
            int op = p.awaitUp();
            switch (op) {
                case Ops.CALL -> {
                    if (trapHart != null && killInTrap()) {
                        continue;
                    }
                    server.serve(p);
                }
                case Ops.DONE -> {
                    server.applyDone(p);
                    return new Outcome(true, p.mailbox().arg(Mailbox.UP, 0), null);
                }
                case Ops.REPORT -> {
                    return new Outcome(true, p.mailbox().arg(Mailbox.UP, 0), null);
                }
                case Ops.FAILED -> {
                    Mailbox box = p.mailbox();
                    byte[] b = new byte[box.payloadLength(Mailbox.UP)];
                    MemorySegment.copy(box.payload(Mailbox.UP), ValueLayout.JAVA_BYTE, 0, b, 0, b.length);
                    return new Outcome(false, 0, new String(b, StandardCharsets.UTF_8));
                }
                case -1 -> {
                    return new Outcome(false, 0, null);
                }
                default -> throw new IllegalStateException("hypervisor process sent unexpected message " + op);
            }
        }
    }

    /**
     * Counts a hardware call made inside a trap; at every {@code killInTrapEveryCalls}-th one kills
     * the hypervisor process while it waits for the answer (mid-hypercall or mid-interrupt, its
     * operation cut wherever that call is) and says so: the call is then never served. The calls
     * come in the order the guests' execution makes them, so the kill points are the same run to run.
     */
    private boolean killInTrap() {
        long every = options.killInTrapEveryCalls();
        String of = options.killInTrapOf();
        if (!of.isEmpty() && !of.equals(EntryContext.of(trapHart))) {
            return false;
        }
        trapCalls++;
        return every > 0 && trapCalls % every == 0 && killHypervisor() > 0;
    }

    /**
     * Hardware calls the hypervisor processes made since boot inside traps (handling the options'
     * {@code killInTrapOf}, if given); read after {@link #run}.
     */
    public long trapCalls() {
        return trapCalls;
    }

    /** The domains as the hypervisor reports them; restarts a dead hypervisor first. Null if lost. */
    private List<DomainStatus> domains() {
        while (lostReason == null) {
            ChildProcess p = primary;
            p.send(Ops.DOMAINS, 0, machine.nowCycles());
            Outcome o = serve(p);
            if (o.done()) {
                return decodeDomains(p.mailbox(), (int) o.value());
            }
            restart(-1, -1, o.why());
        }
        return null;
    }

    /**
     * The hypervisor process died (or failed) while serving trap {@code seq} of {@code cpu} (or
     * outside any trap): hands the machine to the spare, which recovers; returns the trap's cycles.
     */
    private long restart(int cpu, long seq, String failure) {
        long detectNanos = System.nanoTime();
        restarting = true;
        try {
            ChildProcess dead = primary;
            int failedCpu = seq >= 0 && dead.mailbox().contextSavedTrap() == seq ? cpu : -1;
            // The hart is as the trap found it: the dead process's writes reach it only with an answer.
            String trap = seq >= 0 ? EntryContext.of(machine.hart(cpu)) : "-";
            StringBuilder cause = new StringBuilder();
            for (int attempt = 1; attempt <= MAX_TAKEOVER_ATTEMPTS; attempt++) {
                if (failure != null) {
                    dead.kill();
                }
                cause.append(cause.isEmpty() ? "" : "; then ").append(dead.describeExit())
                        .append(failure != null ? ": " + failure : "");
                long oldPid = dead.pid();
                dead.close();
                long spareStart = System.nanoTime();
                ChildProcess next = takeSpare();
                long spareReady = System.nanoTime();
                if (next == null) {
                    cause.append("; the spare hypervisor process did not start");
                    break;
                }
                synchronized (this) {
                    primary = next;
                }
                long recoverSeq = ++trapSeq;
                next.send(Ops.RECOVER, 0, recoverArgs(failedCpu, recoverSeq));
                Outcome o = serve(next);
                if (o.done()) {
                    long doneNanos = System.nanoTime();
                    long kill = killNanos;
                    boolean fromKill = kill != 0 && kill <= detectNanos;
                    killNanos = 0;
                    long generation = o.value() >>> 16;
                    Mailbox nb = next.mailbox();
                    long inChild = nb.arg(Mailbox.UP, 1) + nb.arg(Mailbox.UP, 2) + nb.arg(Mailbox.UP, 3);
                    int changes = (int) (o.value() & 0xffff);
                    synchronized (restarts) {
                        restarts.add(new RestartRecord(restarts.size() + 1, cause.toString(), oldPid, next.pid(),
                                failedCpu, trap, generation, changes, machine.nowCycles(),
                                doneNanos - (fromKill ? kill : detectNanos), fromKill,
                                fromKill ? detectNanos - kill : 0, spareReady - spareStart, doneNanos - spareReady,
                                inChild));
                    }
                    return RESTART_CYCLES;
                }
                if (next.mailbox().contextSavedTrap() == recoverSeq) {
                    // The dead recovery had saved every context and may have re-assigned vCPUs to
                    // harts in the region: from now on the region, not the harts, is the authority.
                    failedCpu = HypervisorEntry.CONTEXTS_SAVED;
                }
                dead = next;
                failure = o.why();
            }
            lostReason = "no hypervisor process could take over: " + cause;
            for (int c = 0; c < machine.hartCount(); c++) {
                machine.hart(c).halt();
            }
            machine.stop();
            return 1;
        } finally {
            restarting = false;
        }
    }

    /** The warm spare, ready (or, without spares, a process started now); null if none could start. */
    private ChildProcess takeSpare() {
        for (int tries = 0; tries < 2; tries++) {
            ChildProcess next;
            try {
                next = spare != null ? spare.get() : startChild();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException | IOException e) {
                spare = null;
                continue;
            } finally {
                spare = null;
            }
            if (options.warmSpare()) {
                spare = startSpare();
            }
            if (next.awaitReady()) {
                return next;
            }
            next.close();
        }
        return null;
    }

    private CompletableFuture<ChildProcess> startSpare() {
        int index = ++nextChild;
        CompletableFuture<ChildProcess> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("rehype-spare-" + index).start(() -> {
            try {
                f.complete(ChildProcess.start(index, dir, regionFile, jvmOptions));
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private ChildProcess startChild() throws IOException {
        return ChildProcess.start(++nextChild, dir, regionFile, jvmOptions);
    }

    private long[] shapeArgs(long now) {
        return new long[] {config.cpus(), config.seed(), config.machineMemoryBytes(), config.maxDomains(),
            config.maxVcpus(), now, options.system().ordinal()};
    }

    private long[] recoverArgs(int failedCpu, long seq) {
        return new long[] {failedCpu, machine.nowCycles(), HypervisorProcess.maskOf(options.policy()), config.cpus(),
            config.seed(), config.machineMemoryBytes(), config.maxDomains(), config.maxVcpus(), seq};
    }

    private static List<DomainStatus> decodeDomains(Mailbox box, int count) {
        byte[] b = new byte[box.payloadLength(Mailbox.UP)];
        MemorySegment.copy(box.payload(Mailbox.UP), ValueLayout.JAVA_BYTE, 0, b, 0, b.length);
        List<DomainStatus> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            int n = in.readInt();
            if (n != count) {
                throw new IllegalStateException("domain report of " + n + " domains, announced " + count);
            }
            for (int i = 0; i < n; i++) {
                int domid = in.readInt();
                String name = in.readUTF();
                String state = in.readUTF();
                boolean privileged = in.readBoolean();
                int reason = in.readInt();
                int code = in.readInt();
                byte[] console = new byte[in.readInt()];
                in.readFully(console);
                out.add(new DomainStatus(domid, name, state, privileged, reason, code,
                        new String(console, StandardCharsets.UTF_8), in.readLong(), in.readLong(), in.readInt()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("decoding the domain report", e);
        }
        return out;
    }

    /** Stops every hypervisor process, releases the region and deletes the run's files. */
    @Override
    public void close() {
        finished = true;
        if (killer != null) {
            killer.interrupt();
        }
        ChildProcess p = primary;
        if (p != null) {
            p.close();
        }
        if (spare != null) {
            try {
                spare.get().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException ignored) {
                // The spare never started: nothing to stop.
            }
        }
        region.close();
        if (ownsDir) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException ignored) {
                // Leftover files under the work directory are harmless.
            }
        }
    }
}
