package dev.rehype.campaign.run;

import dev.rehype.campaign.Classification;
import dev.rehype.campaign.OutcomeClassifier;
import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.RunSink;
import dev.rehype.campaign.exec.GoldenRun;
import dev.rehype.campaign.exec.InjectionBackend;
import dev.rehype.campaign.exec.InjectionExecutor;
import dev.rehype.campaign.exec.Observation;
import dev.rehype.campaign.exec.RunAbandoned;
import dev.rehype.campaign.exec.Trace;
import dev.rehype.campaign.plan.Planner;
import dev.rehype.campaign.plan.RunTask;
import dev.rehype.campaign.plan.Shard;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.machine.Seeds;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a campaign (or one shard of it) into a {@link RunSink}: plans every run, asks the sink which
 * are already stored and skips them (resume: a sink stores each record durably before
 * {@code accept} returns, so a runner killed at any moment loses nothing and a restart duplicates
 * nothing), runs the golden run (handed to the sink), then the remaining runs in parallel — one executor, hence one
 * system, per worker — classifying each and storing its record. {@link #requestStop()} (Ctrl-C)
 * makes workers take no new run and abandon the ones in flight; everything stored stays. After a
 * complete run, {@code verifyDeterminism} sampled runs are executed twice more on fresh systems
 * and their final state hashes and outcomes compared (the samples are handed to the sink).
 */
public final class CampaignRunner {
    private final CampaignSpec spec;
    private final InjectionBackend backend;
    private final RunSink sink;
    private final Progress progress;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    public CampaignRunner(CampaignSpec spec, InjectionBackend backend, RunSink sink, Progress progress) {
        this.spec = spec;
        this.backend = backend;
        this.sink = sink;
        this.progress = progress;
    }

    /** Runs with options: {@code jobs} workers, the runs of {@code shard}, {@code verifyDeterminism} samples. */
    public CampaignResult run(int jobs, Shard shard, int verifyDeterminism) {
        try {
            return runInternal(jobs, shard, verifyDeterminism);
        } finally {
            finished.countDown();
        }
    }

    /** Stops taking runs and abandons those in flight; {@link #run} then returns. Safe from any thread. */
    public void requestStop() {
        stop.set(true);
    }

    /** Waits until {@link #run} has returned (a shutdown hook waits here). */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    /** The tasks of {@code shard} whose run index is not set in {@code completed}, in index order. */
    public static List<RunTask> pending(List<RunTask> all, Shard shard, BitSet completed) {
        List<RunTask> out = new ArrayList<>();
        for (RunTask t : all) {
            if (shard.owns(t.runIndex()) && !completed.get((int) t.runIndex())) {
                out.add(t);
            }
        }
        return out;
    }

    /** Why the campaign cannot run with this backend (the first unsupported task), or null. */
    public static String unsupported(List<RunTask> tasks, InjectionBackend backend) {
        for (RunTask t : tasks) {
            String why = backend.unsupported(t);
            if (why != null) {
                return "run " + t.runIndex() + ": " + why;
            }
        }
        return null;
    }

    private CampaignResult runInternal(int jobs, Shard shard, int verifyDeterminism) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
        }
        List<RunTask> all = Planner.plan(spec);
        long shardRuns = all.stream().filter(t -> shard.owns(t.runIndex())).count();
        BitSet completed = sink.completed();
        List<RunTask> pending = pending(all, shard, completed);
        long alreadyStored = shardRuns - pending.size();
        String why = unsupported(pending, backend);
        if (why != null) {
            throw new IllegalArgumentException("campaign " + spec.name() + " cannot run in this build: " + why);
        }
        GoldenRun golden = backend.prepare();
        synchronized (sink) {
            sink.recordGolden(golden);
        }
        OutcomeCounts counts = new OutcomeCounts();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicLong stored = new AtomicLong();
        AtomicLong abandoned = new AtomicLong();
        Map<Long, RunRecord> records = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        progress.start(spec.name() + (shard.n() > 1 ? " shard " + shard : ""), shardRuns, alreadyStored);
        long t0 = System.nanoTime();
        int workers = Math.min(jobs, Math.max(1, pending.size()));
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Thread t = Thread.ofPlatform().name("campaign-worker-" + w).unstarted(() -> {
                try (InjectionExecutor executor = backend.newExecutor()) {
                    while (!stop.get()) {
                        int i = next.getAndIncrement();
                        if (i >= pending.size()) {
                            break;
                        }
                        RunTask task = pending.get(i);
                        long start = System.nanoTime();
                        RunRecord record;
                        try {
                            Observation o = executor.execute(task, Trace.NONE, stop::get);
                            Classification c = OutcomeClassifier.classify(golden, o);
                            record = RunRecords.of(spec, task, o, c, System.nanoTime() - start);
                        } catch (RunAbandoned e) {
                            abandoned.incrementAndGet();
                            if (!stop.get()) {
                                progress.note(e.getMessage());
                            }
                            continue;
                        } catch (RuntimeException | StackOverflowError e) {
                            errors.add("run " + task.runIndex() + " (" + task.faultType().label() + ", policy "
                                    + task.policy().name() + "): " + e);
                            progress.note("ERROR in run " + task.runIndex() + ": " + e);
                            continue;
                        }
                        synchronized (sink) {
                            sink.accept(record);
                        }
                        records.put(task.runIndex(), record);
                        counts.add(record.outcome());
                        progress.update(alreadyStored + stored.incrementAndGet(), counts);
                    }
                } catch (RuntimeException | Error e) {
                    errors.add("worker stopped, campaign stopping: " + e);
                    progress.note("ERROR: worker stopped, campaign stopping: " + e);
                    stop.set(true);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            joinUninterruptibly(t);
        }
        long runsWall = System.nanoTime() - t0;
        progress.close();
        boolean stopped = stop.get();
        List<DeterminismSample> samples = List.of();
        if (!stopped && verifyDeterminism > 0) {
            samples = verify(all, shard, records, verifyDeterminism, golden);
            synchronized (sink) {
                sink.recordDeterminism(samples);
            }
        }
        return new CampaignResult(shardRuns, alreadyStored, stored.get(), abandoned.get(), errors, stopped, counts,
                samples, golden, runsWall);
    }

    /**
     * The determinism self-check: {@code k} runs of the shard sampled with a generator seeded from
     * the root seed, each executed on a fresh executor (a fresh system) and compared with its
     * first execution (this invocation's, or another fresh one when the run was stored earlier).
     */
    private List<DeterminismSample> verify(List<RunTask> all, Shard shard, Map<Long, RunRecord> records, int k,
                                           GoldenRun golden) {
        List<RunTask> candidates = new ArrayList<>();
        for (RunTask t : all) {
            if (shard.owns(t.runIndex())) {
                candidates.add(t);
            }
        }
        SplittableRandom random = new SplittableRandom(Seeds.derive(spec.rootSeed(), "determinism-sample"));
        for (int i = candidates.size() - 1; i > 0; i--) {
            Collections.swap(candidates, i, random.nextInt(i + 1));
        }
        List<RunTask> chosen = new ArrayList<>(candidates.subList(0, Math.min(k, candidates.size())));
        chosen.sort(java.util.Comparator.comparingLong(RunTask::runIndex));
        List<DeterminismSample> out = new ArrayList<>();
        for (RunTask t : chosen) {
            if (stop.get()) {
                break;
            }
            RunRecord first = records.get(t.runIndex());
            String firstHash;
            dev.rehype.campaign.Outcome firstOutcome;
            if (first != null) {
                firstHash = first.finalStateHash();
                firstOutcome = first.outcome();
            } else {
                Observation o = executeFresh(t);
                firstHash = o.finalStateHash();
                firstOutcome = OutcomeClassifier.classify(golden, o).outcome();
            }
            Observation again = executeReference(t);
            out.add(new DeterminismSample(t.runIndex(), firstHash, again.finalStateHash(), firstOutcome,
                    OutcomeClassifier.classify(golden, again).outcome()));
        }
        return out;
    }

    private Observation executeFresh(RunTask t) {
        try (InjectionExecutor executor = backend.newExecutor()) {
            return executor.execute(t, Trace.NONE, stop::get);
        }
    }

    /** As {@link #executeFresh}, through the backend's reference executor (no shortcuts). */
    private Observation executeReference(RunTask t) {
        try (InjectionExecutor executor = backend.newReferenceExecutor()) {
            return executor.execute(t, Trace.NONE, stop::get);
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
