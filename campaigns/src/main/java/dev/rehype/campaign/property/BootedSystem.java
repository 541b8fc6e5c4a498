package dev.rehype.campaign.property;

import dev.rehype.campaign.Classification;
import dev.rehype.campaign.OutcomeClassifier;
import dev.rehype.campaign.exec.GoldenRun;
import dev.rehype.campaign.exec.InjectorBackend;
import dev.rehype.campaign.exec.InjectorExecutor;
import dev.rehype.campaign.exec.PlanRun;
import dev.rehype.campaign.exec.Trace;
import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.PolicySpec;
import dev.rehype.fault.FaultPlan;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A campaign system prepared for recovery properties, as campaign workers prepare theirs: the
 * campaign's {@link InjectorBackend} boots it once, snapshots it, measures its site profile and
 * runs the golden run; one executor (restored once, reset point, the fault-free run's
 * checkpoints) runs every try from that same state, and a reference executor (reset point only)
 * serves {@link ReferenceRun}. Kept for the whole JVM, so every property on the same system,
 * seed and cycle limit shares one boot; at most {@value #KEPT} are kept (the oldest is closed).
 */
final class BootedSystem {
    static final int KEPT = 2;

    private record Key(PropertySystem system, long systemSeed, long maxCycles) {
    }

    /** Insertion order = age; only looked up and iterated to evict the oldest. */
    private static final Map<Key, BootedSystem> BOOTED = new LinkedHashMap<>();

    private final InjectorBackend backend;
    private final GoldenRun golden;
    private final PlanSites sites;
    private InjectorExecutor executor;
    private InjectorExecutor reference;

    private BootedSystem(CampaignSpec spec) {
        this.backend = new InjectorBackend(spec);
        this.golden = backend.prepare();
        this.sites = new PlanSites(backend.profile(), backend.planResolver());
    }

    /**
     * The booted {@code system} ({@link PropertySystem#NONE}: the host-built one, whose sites its
     * plans are drawn on) with {@code systemSeed}, runs limited to {@code maxCycles}.
     */
    static synchronized BootedSystem of(PropertySystem system, long systemSeed, long maxCycles) {
        PropertySystem kind = system == PropertySystem.NONE ? PropertySystem.HOST_BUILT : system;
        Key key = new Key(kind, systemSeed, maxCycles);
        BootedSystem b = BOOTED.get(key);
        if (b == null) {
            if (BOOTED.size() == KEPT) {
                Iterator<BootedSystem> oldest = BOOTED.values().iterator();
                oldest.next().close();
                oldest.remove();
            }
            b = new BootedSystem(kind.campaignSpec(systemSeed, maxCycles));
            BOOTED.put(key, b);
        }
        return b;
    }

    PlanSites sites() {
        return sites;
    }

    GoldenRun golden() {
        return golden;
    }

    /**
     * Runs {@code plan} under {@code policy} as a campaign run (on the reference path when
     * {@code referencePath}) and classifies it against the golden run.
     */
    synchronized PropertyRun run(String runName, FaultPlan plan, long faultSeed, PolicySpec policy,
                                 boolean referencePath) {
        InjectorExecutor e = referencePath ? referenceExecutor() : executor();
        PlanRun r = e.execute(runName, plan, faultSeed, policy, Trace.NONE, () -> false);
        Classification c = OutcomeClassifier.classify(golden, r.observation());
        return new PropertyRun(r.injection().plan(), r.injection(), r.observation(), c, golden);
    }

    private InjectorExecutor executor() {
        if (executor == null) {
            executor = backend.newExecutor();
        }
        return executor;
    }

    private InjectorExecutor referenceExecutor() {
        if (reference == null) {
            reference = backend.newReferenceExecutor();
        }
        return reference;
    }

    private synchronized void close() {
        if (executor != null) {
            executor.close();
        }
        if (reference != null) {
            reference.close();
        }
    }
}
