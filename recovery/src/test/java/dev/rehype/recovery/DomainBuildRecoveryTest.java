package dev.rehype.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.image.RepairStep;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.hypervisor.probe.Probes;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failures inside the operations Dom0's toolstack builds the standard system with — createdomain,
 * populate, setup, assign_device, map_foreign / unmap_foreign, unpausedomain, the event-channel
 * allocation, binding and close — each at a point where the operation has changed some state and
 * not all: with every repair step, microreboot recovers and every VM (Dom0's digest of every
 * management result included) finishes correctly with a clean audit; without SETTLE_INTENTS the
 * same failure is not recovered (the operation completes with -EAGAIN, which the toolstack counts
 * as a failure, or leaves half its effects behind).
 */
class DomainBuildRecoveryTest {

    /** A failure placed inside one operation: the {@code nthHit}-th execution of {@code point}. */
    record Cut(String what, FaultPoint point, long nthHit) {
        @Override
        public String toString() {
            return what + " (" + point + " #" + nthHit + ")";
        }
    }

    static Stream<Cut> cuts() {
        return Stream.of(
                // The slot filled and the P2M root allocated, the domain not yet published.
                new Cut("createdomain: root allocated, slot not published",
                        FaultPoint.after("Domctl", "createDomain", "P2m.create", 1), 1),
                // The domain complete, its domid never returned to the toolstack.
                new Cut("createdomain: domain made, domid not returned",
                        FaultPoint.before("Domctl", "createDomain", "GuestMemory.writeU16", 1), 3),
                // The first leaf table of the new domain allocated, not yet entered in its root.
                new Cut("populate: P2M table allocated, not linked",
                        FaultPoint.after("P2m", "install", "PageAllocator.alloc", 1), 1),
                new Cut("populate: frames half populated",
                        FaultPoint.after("Domctl", "populate", "P2m.map", 1), 100),
                new Cut("populate: frame allocated, not mapped",
                        FaultPoint.after("Domctl", "populate", "PageAllocator.alloc", 1), 300),
                new Cut("setup: boot vCPU runnable, no result",
                        FaultPoint.after("Domctl", "setup", "Scheduler.setVstate", 1), 2),
                new Cut("assign_device: NIC registers mapped, owner not set",
                        FaultPoint.after("Devices", "assign", "P2m.mapMmio", 1), 1),
                new Cut("map_foreign: recorded, not mapped",
                        FaultPoint.after("Domctl", "mapForeign", "GrantTables.recordForeign", 1), 2),
                new Cut("map_foreign: mapped, no result",
                        FaultPoint.after("Domctl", "mapForeign", "P2m.map", 1), 3),
                new Cut("unmap_foreign: mapping gone, record left",
                        FaultPoint.after("GrantTables", "release", "P2m.unmap", 1), 1),
                new Cut("unpausedomain: count changed, no result",
                        FaultPoint.before("Domctl", "pause", "Hypervisor.reschedule", 1), 2),
                new Cut("evtchn alloc_unbound: port allocated, not returned",
                        FaultPoint.after("EventChannels", "op", "EventChannels.set", 1), 2),
                new Cut("evtchn bind_interdomain: one end bound",
                        FaultPoint.after("EventChannels", "op", "EventChannels.set", 2), 1),
                new Cut("evtchn close: peer end unbound, own end open",
                        FaultPoint.after("EventChannels", "close", "EventChannels.set", 1), 6));
    }

    /**
     * Points inside the destruction of the driver domain (Dom0 destroys it when it does not shut
     * down within its grace period): each is finished by SETTLE_INTENTS from wherever it was.
     */
    static Stream<Cut> destroyCuts() {
        return Stream.of(
                new Cut("destroydomain: ports closed, grants not released",
                        FaultPoint.after("Hypervisor", "destroyDomain", "EventChannels.closeAll", 1), 1),
                new Cut("destroydomain: NIC not yet deassigned",
                        FaultPoint.after("Hypervisor", "destroyDomain", "GrantTables.releaseAllOf", 1), 1),
                new Cut("destroydomain: a frame unmapped, not freed",
                        FaultPoint.after("Hypervisor", "destroyDomain", "P2m.unmap", 1), 60),
                new Cut("destroydomain: tables freed, root not",
                        FaultPoint.after("Hypervisor", "destroyDomain", "P2m.unlinkTables", 1), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("destroyCuts")
    void aDestroyCutShortIsFinished(Cut cut) throws Exception {
        var spec = DomainBuildRun.withDriverDomainGrace(1);
        DomainBuildRun golden = DomainBuildRun.run(null, 0, RecoveryPolicy.all(), spec);
        assertThat(golden.report().vms()).filteredOn(v -> v.name().equals("netdrv"))
                .extracting(v -> v.verdict()).as("the driver domain is destroyed").containsExactly("never built");
        assertThat(golden.audit()).isEmpty();

        DomainBuildRun with = DomainBuildRun.run(cut.point(), cut.nthHit(), RecoveryPolicy.all(), spec);
        assertThat(with.fired()).as("the failstop fired").isTrue();
        assertThat(with.rehype().lost()).isFalse();
        assertThat(outcomes(with)).as("as without a failure: %s", with.summary()).isEqualTo(outcomes(golden));
        assertThat(with.audit()).isEmpty();
        assertThat(with.changes(RepairStep.SETTLE_INTENTS)).anyMatch(c -> c.contains("destroydomain of d1 finished"));

        DomainBuildRun without = DomainBuildRun.run(cut.point(), cut.nthHit(),
                RecoveryPolicy.allBut(RepairStep.SETTLE_INTENTS), spec);
        assertThat(without.fired()).isTrue();
        assertThat(outcomes(without).equals(outcomes(golden)) && without.audit().isEmpty())
                .as("as without a failure, without settle-intents: %s", without.summary()).isFalse();
    }

    @org.junit.jupiter.api.Test
    void withoutSettlingTheAuditFindsWhatAHalfBuildLeft() throws Exception {
        RecoveryPolicy without = RecoveryPolicy.allBut(RepairStep.SETTLE_INTENTS);
        // The last createdomain cut after its root was allocated: the slot was never published.
        DomainBuildRun root = DomainBuildRun.run(FaultPoint.after("Domctl", "createDomain", "P2m.create", 1), 7, without);
        assertThat(root.audit()).anyMatch(p -> p.matches("frame \\d+: type 2 owned by d7, which does not exist"));
        // The first populate cut between allocating a leaf table and entering it in the root.
        DomainBuildRun table = DomainBuildRun.run(FaultPoint.after("P2m", "install", "PageAllocator.alloc", 1), 1,
                without);
        assertThat(table.audit()).anyMatch(p -> p.matches("frame \\d+: P2M table of d1 linked nowhere"));
    }

    /** Each VM's name, verdict and digest (what does not depend on timing). */
    static java.util.List<String> outcomes(DomainBuildRun run) {
        return run.report().vms().stream().map(v -> v.name() + "=" + v.verdict() + "/" + v.digest()).toList();
    }

    @AfterEach
    void disarm() {
        Probes.clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuts")
    void recoveredWithSettleIntentsAndNotWithoutIt(Cut cut) throws Exception {
        DomainBuildRun with = DomainBuildRun.run(cut.point(), cut.nthHit(), RecoveryPolicy.all());
        assertThat(with.fired()).as("the failstop fired").isTrue();
        assertThat(with.recovered()).as("recovered with every step: %s %s", with.summary(),
                with.rehype().reports().isEmpty() ? "" : with.rehype().reports().get(0).repairs()).isTrue();
        assertThat(with.changes(RepairStep.SETTLE_INTENTS)).as("settle-intents changed something").isNotEmpty();

        DomainBuildRun without = DomainBuildRun.run(cut.point(), cut.nthHit(),
                RecoveryPolicy.allBut(RepairStep.SETTLE_INTENTS));
        assertThat(without.fired()).isTrue();
        assertThat(without.recovered()).as("recovered without settle-intents: %s", without.summary()).isFalse();
    }
}
