package dev.rehype.hypervisor.core;

import static dev.rehype.hypervisor.core.CoreHarness.SCRATCH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.DomainStatus;
import org.junit.jupiter.api.Test;

/**
 * A guest reaches nothing but its own memory and its own ports: touching a guest-physical address
 * outside its RAM crashes only that domain; another domain's ports cannot be bound or used; the
 * hypervisor's own memory is never mapped into a guest. The audit stays clean throughout.
 */
class IsolationTest {
    static final int SELF = 0x7FF0;

    @Test
    void aStoreOutsideItsRamCrashesOnlyThatDomain() {
        CoreHarness h = new CoreHarness(2, 0, d -> d == 0
                ? CoreHarness.image("wild", 0x900002b7, // lui t0, 0x90000
                        0x0002a023, // sw zero, 0(t0)
                        0x0000006f) // j .
                : CoreHarness.probeImage());
        h.script(1, "yield", 29, new int[] {0}, r -> assertThat(r).isZero());
        h.script(1, "yield again", 29, new int[] {0}, r -> assertThat(r).isZero());
        h.run(10_000_000);
        DomainStatus d0 = h.domain(0);
        assertThat(d0.state()).isEqualTo("shutdown");
        assertThat(d0.shutdownReason()).isEqualTo(DomainStatus.REASON_CRASH);
        assertThat(d0.console()).contains("store/AMO guest-page fault").contains("gpa 0x90000000");
        assertThat(h.domain(1).state()).isEqualTo("running");
        assertThat(h.system.audit()).isEmpty();
    }

    @Test
    void executingOutsideItsRamCrashesOnlyThatDomain() {
        CoreHarness h = new CoreHarness(2, 0, d -> d == 0
                ? CoreHarness.image("jump", 0xf00002b7, // lui t0, 0xf0000 (the machine's MMIO window, unmapped)
                        0x00028067) // jr t0
                : CoreHarness.probeImage());
        h.script(1, "yield", 29, new int[] {0}, r -> assertThat(r).isZero());
        h.run(10_000_000);
        assertThat(h.domain(0).shutdownReason()).isEqualTo(DomainStatus.REASON_CRASH);
        assertThat(h.domain(0).console()).contains("instruction guest-page fault");
        assertThat(h.domain(1).state()).isEqualTo("running");
    }

    @Test
    void anotherDomainsPortsCannotBeBoundOrUsed() {
        CoreHarness h = new CoreHarness(3, 0);
        // d0 offers port 1 to d1 only
        h.script(0, "alloc_unbound for d1", x -> x.poke(0, SCRATCH, SELF | (1 << 16)), 32, new int[] {6, SCRATCH},
                r -> assertThat(r).isZero());
        h.script(2, "yield", 29, new int[] {0}, r -> { });
        h.script(2, "d2 binds d0's port offered to d1", x -> { x.poke(2, SCRATCH, 0); x.poke(2, SCRATCH + 4, 1); },
                32, new int[] {0, SCRATCH}, r -> assertThat(r).isEqualTo(-22));
        h.script(2, "d2 sends on port 1 it does not have", x -> x.poke(2, SCRATCH, 1), 32, new int[] {4, SCRATCH},
                r -> assertThat(r).isEqualTo(-22));
        h.script(2, "d2 closes port 1 it does not have", x -> x.poke(2, SCRATCH, 1), 32, new int[] {3, SCRATCH},
                r -> assertThat(r).isEqualTo(-22));
        h.script(2, "d2 asks the status of d0's port", x -> { x.poke(2, SCRATCH, 0); x.poke(2, SCRATCH + 4, 1); },
                32, new int[] {5, SCRATCH}, r -> assertThat(r).isEqualTo(-1));
        h.script(2, "d2 reads d0's reservation", x -> x.poke(2, SCRATCH, 0), 12, new int[] {3, SCRATCH},
                r -> assertThat(r).isEqualTo(-1));
        h.run(10_000_000);
        assertThat(h.portState(0, 1)).as("d0's port is still only offered").isEqualTo(1);
        assertThat(h.portRemoteDom(0, 1)).isEqualTo(1);
    }

    @Test
    void everyGuestPhysicalPageMapsAFrameOfThatDomainOnly() {
        CoreHarness h = new CoreHarness(3, 0);
        h.run(1_000_000);
        // the audit checks every mapping's owner; and no two domains share a frame
        assertThat(h.system.audit()).isEmpty();
        java.util.Set<Long> frames = new java.util.HashSet<>();
        for (int d = 0; d < 3; d++) {
            for (int page = 0; page < 32; page++) {
                long ma = h.ma(d, CoreHarness.RAM + page * 4096);
                assertThat(frames.add(ma)).as("frame of d%d page %d is unique", d, page).isTrue();
            }
        }
    }
}
