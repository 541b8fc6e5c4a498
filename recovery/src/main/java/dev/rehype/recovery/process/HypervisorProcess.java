package dev.rehype.recovery.process;

import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.image.HypervisorImage;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.image.RepairResult;
import dev.rehype.hypervisor.image.RepairStep;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.HostBuiltSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.region.PreservedRegion;
import dev.rehype.region.RegionException;
import dev.rehype.region.layout.CoreTablesLayout;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The hypervisor in a process of its own (process mode): maps the preserved region from its file,
 * loads a pristine hypervisor image, tells the supervisor it is ready, and then serves the
 * supervisor's requests over the mailbox — boot, a trap, recovery after a predecessor died, a
 * report of the domains — until told to quit or the supervisor goes away. The machine it drives is
 * the supervisor's, through {@link RemoteMachine}. A process started ahead of need waits, already
 * loaded, as the warm spare.
 */
public final class HypervisorProcess {
    /** Exit codes: 0 done, 1 the hypervisor failed (panic), 2 bad region or mailbox. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_PANIC = 1;
    public static final int EXIT_BAD_INPUT = 2;

    private final Path regionFile;
    private final PreservedRegion region;
    private final Mailbox box;
    private final RemoteMachine machine;
    private final HypervisorImage image;
    private HypervisorEntry hypervisor;

    private HypervisorProcess(Path regionFile, PreservedRegion region, Mailbox box, long supervisorPid) {
        this.regionFile = regionFile;
        this.region = region;
        this.box = box;
        Optional<ProcessHandle> supervisor = supervisorPid > 0 ? ProcessHandle.of(supervisorPid)
                : ProcessHandle.current().parent();
        this.machine = new RemoteMachine(box, () -> supervisor.map(ProcessHandle::isAlive).orElse(false));
        this.image = HypervisorImage.pristine();
        this.image.preload();
        rehearse(image);
    }

    /** Rehearsals of a warm spare: recoveries of a private system, so that the code a takeover runs is compiled. */
    static final int REHEARSALS = 30;

    /**
     * Warms {@code image} up before the process says it is ready: boots the standard system on a
     * private machine over a private anonymous region (nothing shared is touched), runs it a little
     * and recovers it {@link #REHEARSALS} times, so that the JIT has compiled the image's trap and
     * recovery paths (compiled code belongs to the image's classes, which serve the real takeover).
     */
    static void rehearse(HypervisorImage image) {
        try (HostSystem rehearsal = new HostSystem(SystemConfig.defaults(0), image)) {
            rehearsal.boot(HostBuiltSystem.bootSpec());
            for (int i = 0; i < REHEARSALS; i++) {
                rehearsal.machine().run(REHEARSAL_CYCLES);
                rehearsal.hypervisor().recover(RecoveryPolicy.all(), -1);
            }
        } catch (GuestImageException e) {
            throw new IllegalStateException("the standard system's guest images cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static final long REHEARSAL_CYCLES = 100_000;

    public static void main(String[] args) {
        Path region = null;
        Path mailbox = null;
        long supervisor = 0;
        if (args.length == 1 && args[0].equals("--train")) {
            System.exit(train());
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                System.err.println("rehype hypervisor: option " + a + " needs a value");
                System.exit(EXIT_BAD_INPUT);
            }
            switch (a) {
                case "--region" -> region = Path.of(args[++i]);
                case "--mailbox" -> mailbox = Path.of(args[++i]);
                case "--supervisor-pid" -> supervisor = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("rehype hypervisor: unknown option " + a);
                    System.exit(EXIT_BAD_INPUT);
                }
            }
        }
        if (region == null) {
            System.err.println("rehype hypervisor: --region FILE is required");
            System.exit(EXIT_BAD_INPUT);
        }
        System.exit(run(region, mailbox, supervisor));
    }

    /**
     * The training run of the startup cache: loads and links what a hypervisor process loads
     * (the process-mode classes, the region code, the image's classes, the guest images), exits.
     */
    static int train() {
        try {
            Class<?>[] used = {Mailbox.class, RemoteMachine.class, RemoteHart.class, HartFrame.class, Ops.class,
                PreservedRegion.class, CoreTablesLayout.class, DomainStatus.class, RecoveryPolicy.class,
                RepairResult.class, DataOutputStream.class};
            for (Class<?> c : used) {
                Class.forName(c.getName(), true, HypervisorProcess.class.getClassLoader());
            }
            HypervisorImage image = HypervisorImage.pristine();
            image.preload();
            rehearse(image);
            return EXIT_OK;
        } catch (ClassNotFoundException | RuntimeException e) {
            System.err.println("rehype hypervisor --train: " + e);
            return EXIT_PANIC;
        }
    }

    /** The default mailbox of a region file: the file's name with {@code .mbox} appended. */
    public static Path defaultMailbox(Path region) {
        return region.resolveSibling(region.getFileName() + ".mbox");
    }

    /**
     * Runs the hypervisor over {@code regionFile}, serving the supervisor at {@code mailboxFile}
     * (default {@link #defaultMailbox}); returns the exit code. Bad input gets one line on stderr.
     */
    public static int run(Path regionFile, Path mailboxFile, long supervisorPid) {
        PreservedRegion region;
        try {
            region = attachChecked(regionFile);
        } catch (IOException | RegionException e) {
            System.err.println("rehype hypervisor: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        Path mbox = mailboxFile != null ? mailboxFile : defaultMailbox(regionFile);
        Mailbox box;
        try {
            box = Mailbox.open(mbox);
        } catch (IOException e) {
            System.err.println("rehype hypervisor: no supervisor mailbox: " + e.getMessage()
                    + " (process mode is started by `rehype supervise`)");
            region.close();
            return EXIT_BAD_INPUT;
        }
        HypervisorProcess p = new HypervisorProcess(regionFile, region, box, supervisorPid);
        return p.serve();
    }

    /**
     * Maps and checks the region file. A spare starting while the running hypervisor changes the
     * header (a generation bump) may see it mid-change: a refusal is looked at again a few times
     * before it is believed; a region that is really bad stays bad.
     */
    private static PreservedRegion attachChecked(Path file) throws IOException, RegionException {
        for (int attempt = 1; ; attempt++) {
            try {
                return PreservedRegion.attach(file);
            } catch (RegionException e) {
                if (attempt >= ATTACH_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static final int ATTACH_ATTEMPTS = 5;

    private int serve() {
        machine.sendReady(ProcessHandle.current().pid());
        try {
            while (machine.awaitRequest()) {
                int op = box.op(Mailbox.DOWN);
                switch (op) {
                    case Ops.BOOT -> boot();
                    case Ops.RECOVER -> recover();
                    case Ops.TRAP -> trap();
                    case Ops.DOMAINS -> domains();
                    case Ops.QUIT -> {
                        return EXIT_OK;
                    }
                    default -> throw new IllegalStateException("unknown request " + op);
                }
            }
            return EXIT_OK;
        } catch (RemoteMachine.SupervisorGone gone) {
            return EXIT_OK;
        } catch (RuntimeException | Error | RegionException | GuestImageException failure) {
            String why = failure.getClass().getSimpleName() + ": " + failure.getMessage();
            machine.sendFailed(why);
            System.err.println("rehype hypervisor (pid " + ProcessHandle.current().pid() + "): " + why);
            return EXIT_PANIC;
        }
    }

    private long arg(int i) {
        return box.arg(Mailbox.DOWN, i);
    }

    /** Args from {@code first}: cpus, seed, machineMemoryBytes, maxDomains, maxVcpus. */
    private void instantiate(int first) {
        int cpus = (int) arg(first);
        long memBytes = arg(first + 2);
        CoreTablesLayout layout = new CoreTablesLayout((int) arg(first + 3), (int) arg(first + 4),
                (int) (memBytes / dev.rehype.region.RegionSpec.FRAME_SIZE_BYTES), cpus);
        MemorySegment ram = region.machineMemory();
        if (ram.byteSize() != memBytes) {
            throw new IllegalStateException(region.source() + " holds " + ram.byteSize()
                    + " bytes of machine memory; the supervisor's machine has " + memBytes);
        }
        machine.attachMemory(ram, cpus);
        hypervisor = image.instantiate(machine, region.records().asSlice(0, layout.sizeBytes()), layout);
    }

    private void boot() throws GuestImageException {
        instantiate(0);
        machine.beginRequest(arg(5), -1);
        hypervisor.boot(ProcessSystem.values()[(int) arg(6)].bootSpec());
        machine.encodeDone(region.generation());
    }

    /** Takes over from a dead predecessor: re-attach (checked again, generation bumped), flush caches, repair, resume. */
    private void recover() throws RegionException {
        long t0 = System.nanoTime();
        int failedCpu = (int) arg(0);
        long now = arg(1);
        RecoveryPolicy policy = policyOf(arg(2));
        PreservedRegion attached = PreservedRegion.attach(region.segment());
        long generation = attached.bumpGeneration();
        long t1 = System.nanoTime();
        instantiate(3);
        machine.beginRequest(now, arg(8));
        machine.invalidateAllCaches();
        long t2 = System.nanoTime();
        List<RepairResult> repairs = hypervisor.recover(policy, failedCpu);
        long t3 = System.nanoTime();
        int changes = 0;
        for (RepairResult r : repairs) {
            changes += r.changes().size();
        }
        machine.encodeDone(generation << 16 | Math.min(changes, 0xffff), t1 - t0, t2 - t1, t3 - t2);
    }

    private void trap() {
        int cpu = (int) arg(0);
        machine.beginRequest(arg(1), arg(2));
        long cycles = hypervisor.onTrap(machine.trapHart(cpu));
        machine.encodeDone(cycles);
    }

    private void domains() {
        machine.beginRequest(arg(0), -1);
        List<DomainStatus> all = hypervisor.domains();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(all.size());
            for (DomainStatus d : all) {
                out.writeInt(d.domid());
                out.writeUTF(d.name());
                out.writeUTF(d.state());
                out.writeBoolean(d.privileged());
                out.writeInt(d.shutdownReason());
                out.writeInt(d.shutdownCode());
                byte[] console = d.console().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.writeInt(console.length);
                out.write(console);
                out.writeLong(d.instructions());
                out.writeLong(d.cpuCycles());
                out.writeInt(d.totPages());
            }
        } catch (IOException e) {
            throw new IllegalStateException("encoding domain statuses", e);
        }
        byte[] b = bytes.toByteArray();
        MemorySegment.copy(b, 0, box.payload(Mailbox.UP), ValueLayout.JAVA_BYTE, 0, b.length);
        machine.sendReport(b.length, all.size());
    }

    /** Bit i of {@code mask}: repair step i (in {@link RepairStep} order) enabled. */
    static RecoveryPolicy policyOf(long mask) {
        Set<RepairStep> steps = EnumSet.noneOf(RepairStep.class);
        for (RepairStep s : RepairStep.values()) {
            if ((mask & 1L << s.ordinal()) != 0) {
                steps.add(s);
            }
        }
        return new RecoveryPolicy(steps);
    }

    static long maskOf(RecoveryPolicy policy) {
        long mask = 0;
        for (RepairStep s : RepairStep.values()) {
            if (policy.has(s)) {
                mask |= 1L << s.ordinal();
            }
        }
        return mask;
    }

    Path regionFile() {
        return regionFile;
    }
}
