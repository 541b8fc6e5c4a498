package dev.rehype.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.image.RepairStep;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.Probes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A sweep of failstops over the operations of Dom0's domain building on the standard system:
 * for every point inside a domctl or event-channel operation where it has changed some state and
 * not all, the k-th execution of that point for k spread over every execution a run makes (the
 * first, the last and evenly between; {@code -Drehype.sweep.perPoint=N} takes N of them, 2 by
 * default). Each cut runs under every repair step and under every step but SETTLE_INTENTS; the
 * counts of recovered runs are printed per operation. Every cut is recovered with the step.
 */
class DomainBuildSweepTest {

    /** A point inside an operation, with the operation it is in. */
    record Site(String op, FaultPoint point) {
    }

    static final List<Site> SITES = List.of(
            new Site("createdomain", FaultPoint.after("Domctl", "createDomain", "Intents.begin", 1)),
            new Site("createdomain", FaultPoint.after("Domctl", "createDomain", "P2m.create", 1)),
            new Site("createdomain", FaultPoint.after("Domctl", "createDomain", "Hypervisor.initVcpus", 1)),
            new Site("createdomain", FaultPoint.before("Domctl", "createDomain", "GuestMemory.writeU16", 1)),
            new Site("populate", FaultPoint.after("Domctl", "populate", "PageAllocator.alloc", 1)),
            new Site("populate", FaultPoint.after("Domctl", "populate", "P2m.map", 1)),
            new Site("populate/map (P2M table)", FaultPoint.after("P2m", "install", "PageAllocator.alloc", 1)),
            new Site("setup", FaultPoint.after("Domctl", "setup", "PhysicalMemory.zero", 1)),
            new Site("setup", FaultPoint.after("Domctl", "setup", "Scheduler.setVstate", 1)),
            new Site("setup", FaultPoint.after("Domctl", "setup", "Scheduler.enqueue", 1)),
            new Site("unpausedomain", FaultPoint.before("Domctl", "pause", "Hypervisor.reschedule", 1)),
            new Site("unpausedomain", FaultPoint.after("Domctl", "pause", "Hypervisor.reschedule", 1)),
            new Site("assign_device", FaultPoint.after("Devices", "assign", "P2m.mapMmio", 1)),
            new Site("assign_device", FaultPoint.after("Devices", "assign", "CoreState.header", 1)),
            new Site("map_foreign", FaultPoint.after("Domctl", "mapForeign", "GrantTables.recordForeign", 1)),
            new Site("map_foreign", FaultPoint.after("Domctl", "mapForeign", "P2m.map", 1)),
            new Site("unmap_foreign", FaultPoint.after("Domctl", "op", "Intents.begin", 3)),
            new Site("unmap_foreign", FaultPoint.after("GrantTables", "release", "P2m.unmap", 1)),
            new Site("evtchn alloc_unbound", FaultPoint.after("EventChannels", "op", "EventChannels.set", 1)),
            new Site("evtchn bind_interdomain", FaultPoint.after("EventChannels", "op", "EventChannels.set", 2)),
            new Site("evtchn bind_interdomain", FaultPoint.after("EventChannels", "op", "EventChannels.set", 3)),
            new Site("evtchn bind_pirq", FaultPoint.after("EventChannels", "op", "EventChannels.set", 5)),
            new Site("evtchn close", FaultPoint.after("EventChannels", "op", "Intents.begin", 5)),
            new Site("evtchn close", FaultPoint.after("EventChannels", "close", "EventChannels.set", 1)));

    /** Recovered runs of one operation: cuts that fired, recovered with the step, recovered without it. */
    static final class Tally {
        int fired;
        int withStep;
        int withoutStep;
    }

    @AfterEach
    void disarm() {
        Probes.clear();
    }

    /** {@code n} executions out of {@code 1..hits}: the first, the last and evenly between. */
    static List<Long> spread(long hits, int n) {
        TreeSet<Long> ks = new TreeSet<>();
        for (int i = 0; i < n && hits > 0; i++) {
            ks.add(n == 1 ? 1 : 1 + Math.round((double) (hits - 1) * i / (n - 1)));
        }
        return List.copyOf(ks);
    }

    @Test
    void everyCutOfTheBuildIsRecoveredWithSettleIntents() throws Exception {
        int perPoint = Integer.getInteger("rehype.sweep.perPoint", 2);
        List<FaultPoint> points = SITES.stream().map(Site::point).toList();
        long[] hits = DomainBuildRun.hits(points);
        java.util.Map<String, Tally> tallies = new java.util.LinkedHashMap<>();
        List<String> notRecovered = new ArrayList<>();
        int cuts = 0;
        for (int i = 0; i < SITES.size(); i++) {
            Site site = SITES.get(i);
            assertThat(hits[i]).as("%s runs in a run of the standard system", site.point()).isPositive();
            Tally t = tallies.computeIfAbsent(site.op(), k -> new Tally());
            for (long k : spread(hits[i], perPoint)) {
                cuts++;
                DomainBuildRun with = DomainBuildRun.run(site.point(), k, RecoveryPolicy.all());
                DomainBuildRun without = DomainBuildRun.run(site.point(), k, RecoveryPolicy.allBut(RepairStep.SETTLE_INTENTS));
                assertThat(with.fired()).as("%s #%d fired", site.point(), k).isTrue();
                t.fired++;
                t.withStep += with.recovered() ? 1 : 0;
                t.withoutStep += without.recovered() ? 1 : 0;
                if (!with.recovered()) {
                    notRecovered.add(with.summary());
                }
                System.out.println("DomainBuildSweepTest: " + site.op() + " " + site.point() + " #" + k + " of "
                        + hits[i] + ": with " + (with.recovered() ? "recovered" : "NOT recovered")
                        + ", without " + (without.recovered() ? "recovered" : "not recovered: " + without.summary()));
            }
        }
        int fired = 0;
        int with = 0;
        int without = 0;
        StringBuilder table = new StringBuilder(String.format("%n%-28s %6s %12s %15s%n", "operation", "cuts",
                "with step", "without step"));
        for (var e : tallies.entrySet()) {
            Tally t = e.getValue();
            table.append(String.format("%-28s %6d %12d %15d%n", e.getKey(), t.fired, t.withStep, t.withoutStep));
            fired += t.fired;
            with += t.withStep;
            without += t.withoutStep;
        }
        table.append(String.format("%-28s %6d %12d %15d%n", "all (" + perPoint + " per point)", fired, with, without));
        System.out.println("DomainBuildSweepTest: recovered runs of " + cuts + " cuts" + table);
        assertThat(notRecovered).as("cuts not recovered with settle-intents").isEmpty();
        assertThat(without).as("recovered without settle-intents").isLessThan(with);
    }
}
