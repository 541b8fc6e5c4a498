package dev.rehype.hypervisor.core;

import static dev.rehype.hypervisor.core.CoreHarness.SCRATCH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.region.layout.CoreHeaderLayout;
import dev.rehype.region.layout.Fields;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every hypercall with good and hostile arguments, through real guests on the real machine. The
 * harness audits the whole preserved state after every call.
 */
class HypercallTest {
    static final int EPERM = -1, ESRCH = -3, ENOMEM = -12, EFAULT = -14, EEXIST = -17, EINVAL = -22, ENOSYS = -38;
    static final int SELF = 0x7FF0;
    /** A guest address outside every mapping the guest has. */
    static final int WILD = 0x4000_0000;

    @Test
    void consoleWriteGoesToTheDomainsConsoleAndBadArgumentsAreRefused() {
        CoreHarness h = new CoreHarness(1, 0);
        byte[] hello = "hello, hypervisor\n".getBytes(StandardCharsets.US_ASCII);
        h.script(0, "write", x -> x.pokeBytes(0, SCRATCH, hello), 18, new int[] {0, hello.length, SCRATCH},
                r -> assertThat(r).isEqualTo(hello.length));
        h.script(0, "write too long", 18, new int[] {0, 5000, SCRATCH}, r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "write negative", 18, new int[] {0, -1, SCRATCH}, r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "write wild pointer", 18, new int[] {0, 4, WILD}, r -> assertThat(r).isEqualTo(EFAULT));
        h.script(0, "write crossing out of RAM", 18, new int[] {0, 64, CoreHarness.RAM + 32 * 4096 - 16},
                r -> assertThat(r).isEqualTo(EFAULT));
        h.script(0, "read cmd", 18, new int[] {1, 4, SCRATCH}, r -> assertThat(r).isEqualTo(ENOSYS));
        h.script(0, "unknown hypercall", 99, new int[] {}, r -> assertThat(r).isEqualTo(ENOSYS));
        h.run(5_000_000);
        assertThat(h.domain(0).console()).isEqualTo("hello, hypervisor\n");
        assertThat(h.system.machine().console().text()).contains("d0: hello, hypervisor");
    }

    @Test
    void shutdownRecordsReasonAndCodeAndRefusesBadReasons() {
        CoreHarness h = new CoreHarness(2, 0);
        h.script(0, "bad reason", x -> { x.poke(0, SCRATCH, 9); x.poke(0, SCRATCH + 4, 0); }, 29,
                new int[] {2, SCRATCH}, r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "bad pointer", 29, new int[] {2, WILD}, r -> assertThat(r).isEqualTo(EFAULT));
        h.script(0, "shutdown", x -> { x.poke(0, SCRATCH, 0); x.poke(0, SCRATCH + 4, 7); }, 29,
                new int[] {2, SCRATCH}, r -> { });
        h.script(1, "yield", 29, new int[] {0}, r -> assertThat(r).isZero());
        h.script(1, "unknown sched cmd", 29, new int[] {42}, r -> assertThat(r).isEqualTo(ENOSYS));
        h.run(5_000_000);
        DomainStatus d0 = h.domain(0);
        assertThat(d0.state()).isEqualTo("shutdown");
        assertThat(d0.shutdownReason()).isZero();
        assertThat(d0.shutdownCode()).isEqualTo(7);
        assertThat(h.domain(1).state()).isEqualTo("running");
    }

    @Test
    void timerWakesABlockedVcpuAtItsDeadline() {
        CoreHarness h = new CoreHarness(1, 0);
        long[] woke = {0};
        h.script(0, "set timer 3M", 15, new int[] {3_000_000, 0}, r -> assertThat(r).isZero());
        h.script(0, "block", 29, new int[] {1}, r -> assertThat(r).isZero());
        h.script(0, "after wake", x -> woke[0] = x.trapCycles, 29, new int[] {0}, r -> { });
        h.run(20_000_000);
        // the woken vCPU ran again at its deadline, not before, and not a tick later
        assertThat(woke[0]).isBetween(3_000_000L, 3_000_000L + 10_000);
        assertThat(h.log).containsSubsequence("d0 set timer 3M -> 0", "d0 block -> 0", "d0 after wake -> 0");
    }

    @Test
    void eventChannelsConnectTwoDomainsAndRefuseHostileArguments() {
        CoreHarness h = new CoreHarness(2, 0);
        int si = h.sharedInfoGpa(0);
        // d0: alloc unbound for d1 -> port 1
        h.script(0, "alloc_unbound", x -> { x.poke(0, SCRATCH, SELF | (1 << 16)); x.poke(0, SCRATCH + 4, -1); },
                32, new int[] {6, SCRATCH}, r -> {
                    assertThat(r).isZero();
                    assertThat(h.peek(0, SCRATCH + 4)).isEqualTo(1);
                });
        h.script(0, "alloc_unbound for another dom", x -> x.poke(0, SCRATCH, 1 | (1 << 16)), 32,
                new int[] {6, SCRATCH}, r -> assertThat(r).isEqualTo(EPERM));
        h.script(0, "alloc_unbound remote missing", x -> x.poke(0, SCRATCH, SELF | (7 << 16)), 32,
                new int[] {6, SCRATCH}, r -> assertThat(r).isEqualTo(ESRCH));
        h.script(0, "status of port 1", x -> { x.poke(0, SCRATCH, SELF); x.poke(0, SCRATCH + 4, 1); }, 32,
                new int[] {5, SCRATCH}, r -> {
                    assertThat(r).isZero();
                    assertThat(h.peek(0, SCRATCH + 8)).isEqualTo(1); // unbound
                });
        h.script(0, "send on unbound", x -> x.poke(0, SCRATCH, 1), 32, new int[] {4, SCRATCH},
                r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "send on port 0", x -> x.poke(0, SCRATCH, 0), 32, new int[] {4, SCRATCH},
                r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "send on port 1024", x -> x.poke(0, SCRATCH, 1024), 32, new int[] {4, SCRATCH},
                r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "bad evtchn cmd", 32, new int[] {77, SCRATCH}, r -> assertThat(r).isEqualTo(ENOSYS));
        h.script(0, "evtchn wild pointer", 32, new int[] {4, WILD}, r -> assertThat(r).isEqualTo(EFAULT));
        // d1 binds, then sends; its first attempts are hostile
        h.script(1, "bind to missing domain", x -> { x.poke(1, SCRATCH, 5); x.poke(1, SCRATCH + 4, 1); }, 32,
                new int[] {0, SCRATCH}, r -> assertThat(r).isEqualTo(ESRCH));
        h.script(1, "bind to a port not offered", x -> { x.poke(1, SCRATCH, 0); x.poke(1, SCRATCH + 4, 2); }, 32,
                new int[] {0, SCRATCH}, r -> assertThat(r).isEqualTo(EINVAL));
        h.script(1, "yield until d0 allocated", 29, new int[] {0}, r -> { });
        h.script(1, "yield", 29, new int[] {0}, r -> { });
        h.script(1, "bind", x -> { x.poke(1, SCRATCH, 0); x.poke(1, SCRATCH + 4, 1); }, 32, new int[] {0, SCRATCH},
                r -> {
                    assertThat(r).isZero();
                    assertThat(h.peek(1, SCRATCH + 8)).isEqualTo(1);
                });
        h.script(1, "bind again (port taken)", x -> { x.poke(1, SCRATCH, 0); x.poke(1, SCRATCH + 4, 1); }, 32,
                new int[] {0, SCRATCH}, r -> assertThat(r).isEqualTo(EINVAL));
        h.script(1, "send", x -> x.poke(1, SCRATCH, 1), 32, new int[] {4, SCRATCH}, r -> {
            assertThat(r).isZero();
            assertThat(h.peek(0, si + 0x80) & 2).as("d0 port 1 pending").isEqualTo(2);
            assertThat(h.peek(0, si) & 0xff).as("d0 vcpu0 upcall pending").isEqualTo(1);
            assertThat(h.peek(0, si + 4) & 1).as("selector word 0").isEqualTo(1);
        });
        h.script(1, "bind_virq", x -> { x.poke(1, SCRATCH, 1); x.poke(1, SCRATCH + 4, 0); }, 32,
                new int[] {1, SCRATCH}, r -> {
                    assertThat(r).isZero();
                    assertThat(h.peek(1, SCRATCH + 8)).isEqualTo(2);
                });
        h.script(1, "bind_virq twice", x -> { x.poke(1, SCRATCH, 1); x.poke(1, SCRATCH + 4, 0); }, 32,
                new int[] {1, SCRATCH}, r -> assertThat(r).isEqualTo(EEXIST));
        h.script(1, "bind_virq bad vcpu", x -> { x.poke(1, SCRATCH, 0); x.poke(1, SCRATCH + 4, 3); }, 32,
                new int[] {1, SCRATCH}, r -> assertThat(r).isEqualTo(EINVAL));
        h.script(1, "close", x -> x.poke(1, SCRATCH, 1), 32, new int[] {3, SCRATCH}, r -> assertThat(r).isZero());
        h.script(1, "close again", x -> x.poke(1, SCRATCH, 1), 32, new int[] {3, SCRATCH},
                r -> assertThat(r).isEqualTo(EINVAL));
        h.run(20_000_000);
        // d1 closed its end: d0's port 1 is unbound again, offered to d1
        assertThat(h.portState(0, 1)).isEqualTo(1);
        assertThat(h.portRemoteDom(0, 1)).isEqualTo(1);
    }

    @Test
    void memoryOpPopulatesAndReleasesPagesInsideTheWindowOnly() {
        CoreHarness h = new CoreHarness(1, 0);
        int resv = SCRATCH;
        int extents = SCRATCH + 0x100;
        int freeBefore = Fields.u32(h.system.coreState(), CoreHeaderLayout.FREE_COUNT);
        // reservation { extents, nr, order, domid }
        h.script(0, "current", x -> x.poke(0, resv, SELF), 12, new int[] {3, resv}, r -> assertThat(r).isEqualTo(32));
        h.script(0, "maximum", x -> x.poke(0, resv, SELF), 12, new int[] {4, resv}, r -> assertThat(r).isEqualTo(64));
        h.script(0, "populate 2", x -> {
            x.poke(0, extents, 0x80000 + 40);
            x.poke(0, extents + 4, 0x80000 + 41);
            reservation(x, resv, extents, 2, 0);
        }, 12, new int[] {6, resv}, r -> assertThat(r).isEqualTo(2));
        h.script(0, "populate already mapped", x -> {
            x.poke(0, extents, 0x80000 + 40);
            reservation(x, resv, extents, 1, 0);
        }, 12, new int[] {6, resv}, r -> assertThat(r).isZero());
        h.script(0, "populate outside window", x -> {
            x.poke(0, extents, 0x90000);
            reservation(x, resv, extents, 1, 0);
        }, 12, new int[] {6, resv}, r -> assertThat(r).isZero());
        h.script(0, "order 1", x -> reservation(x, resv, extents, 1, 1), 12, new int[] {6, resv},
                r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "other domain", x -> {
            reservation(x, resv, extents, 1, 0);
            x.poke(0, resv + 12, 3);
        }, 12, new int[] {6, resv}, r -> assertThat(r).isEqualTo(EPERM));
        h.script(0, "extents wild", x -> reservation(x, resv, WILD, 1, 0), 12, new int[] {6, resv},
                r -> assertThat(r).isEqualTo(EFAULT));
        h.script(0, "decrease 1", x -> {
            x.poke(0, extents, 0x80000 + 41);
            reservation(x, resv, extents, 1, 0);
        }, 12, new int[] {1, resv}, r -> assertThat(r).isEqualTo(1));
        h.script(0, "decrease shared_info refused", x -> {
            x.poke(0, extents, 0x80000 + 31);
            reservation(x, resv, extents, 1, 0);
        }, 12, new int[] {1, resv}, r -> assertThat(r).isZero());
        h.script(0, "decrease unmapped", x -> {
            x.poke(0, extents, 0x80000 + 50);
            reservation(x, resv, extents, 1, 0);
        }, 12, new int[] {1, resv}, r -> assertThat(r).isZero());
        h.script(0, "current after", x -> x.poke(0, resv, SELF), 12, new int[] {3, resv},
                r -> assertThat(r).isEqualTo(33));
        h.script(0, "populate past max", x -> {
            for (int i = 0; i < 40; i++) {
                x.poke(0, extents + 4 * i, 0x80000 + 32 + i);
            }
            reservation(x, resv, extents, 40, 0);
        }, 12, new int[] {6, resv}, r -> assertThat(r).isEqualTo(8)); // 40 is mapped: stops there
        h.run(20_000_000);
        assertThat(Fields.u32(h.system.coreState(), CoreHeaderLayout.FREE_COUNT)).isLessThan(freeBefore);
        // the new page reads zero and is really the domain's: write through the guest view
        h.poke(0, 0x8000_0000 + 40 * 4096, 0x1234);
        assertThat(h.peek(0, 0x8000_0000 + 40 * 4096)).isEqualTo(0x1234);
    }

    private static void reservation(CoreHarness x, int at, int extents, int nr, int order) {
        x.poke(0, at, extents);
        x.poke(0, at + 4, nr);
        x.poke(0, at + 8, order);
        x.poke(0, at + 12, SELF);
    }

    @Test
    void multicallRunsEntriesInOrderAndRefusesNesting() {
        CoreHarness h = new CoreHarness(1, 0);
        int calls = SCRATCH;
        int text = SCRATCH + 0x400;
        h.script(0, "multicall", x -> {
            x.pokeBytes(0, text, "mc\n".getBytes(StandardCharsets.US_ASCII));
            entry(x, calls, 0, 18, 0, 3, text);
            entry(x, calls, 1, 99);
            entry(x, calls, 2, 29, 0);
            entry(x, calls, 3, 13, calls, 1);
        }, 13, new int[] {calls, 4}, r -> {
            assertThat(r).isZero();
            assertThat(h.peek(0, calls + 28)).isEqualTo(3);
            assertThat(h.peek(0, calls + 32 + 28)).isEqualTo(ENOSYS);
            assertThat(h.peek(0, calls + 64 + 28)).isZero();
            assertThat(h.peek(0, calls + 96 + 28)).isEqualTo(EINVAL);
        });
        h.script(0, "multicall too many", 13, new int[] {calls, 65}, r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "multicall wild", 13, new int[] {WILD, 1}, r -> assertThat(r).isEqualTo(EFAULT));
        h.run(5_000_000);
        assertThat(h.domain(0).console()).isEqualTo("mc\n");
    }

    private static void entry(CoreHarness x, int base, int index, int op, int... args) {
        int e = base + 32 * index;
        x.poke(0, e, op);
        for (int i = 0; i < 6; i++) {
            x.poke(0, e + 4 + 4 * i, i < args.length ? args[i] : 0);
        }
        x.poke(0, e + 28, 0x5555);
    }

    @Test
    void domctlIsPrivilegedAndManagesOtherDomains() {
        CoreHarness h = new CoreHarness(3, 0b001);
        int dc = SCRATCH;
        int freeBefore = h.freeFrames();
        h.script(1, "domctl unprivileged", x -> domctl(x, 1, dc, 1, 0), 36, new int[] {dc},
                r -> assertThat(r).isEqualTo(EPERM));
        h.script(0, "getdomaininfo d1", x -> domctl(x, 0, dc, 1, 1), 36, new int[] {dc}, r -> {
            assertThat(r).isZero();
            assertThat(h.peek(0, dc + 12 + 8)).as("tot_pages").isEqualTo(32);
            assertThat(h.peek(0, dc + 12 + 16)).as("nr_vcpus").isEqualTo(2);
        });
        h.script(0, "bad version", x -> { domctl(x, 0, dc, 1, 1); x.poke(0, dc + 4, 9); }, 36, new int[] {dc},
                r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "missing domain", x -> domctl(x, 0, dc, 1, 7), 36, new int[] {dc},
                r -> assertThat(r).isEqualTo(ESRCH));
        h.script(0, "pause d1", x -> domctl(x, 0, dc, 2, 1), 36, new int[] {dc}, r -> assertThat(r).isZero());
        h.script(0, "info shows paused", x -> domctl(x, 0, dc, 1, 1), 36, new int[] {dc},
                r -> assertThat(h.peek(0, dc + 12) & 4).isEqualTo(4));
        h.script(0, "unpause d1", x -> domctl(x, 0, dc, 3, 1), 36, new int[] {dc}, r -> assertThat(r).isZero());
        h.script(0, "unpause again", x -> domctl(x, 0, dc, 3, 1), 36, new int[] {dc},
                r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "destroy self refused", x -> domctl(x, 0, dc, 4, SELF), 36, new int[] {dc},
                r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "destroy d2", x -> domctl(x, 0, dc, 4, 2), 36, new int[] {dc}, r -> assertThat(r).isZero());
        h.script(0, "d2 is gone", x -> domctl(x, 0, dc, 1, 2), 36, new int[] {dc},
                r -> assertThat(r).isEqualTo(ESRCH));
        h.run(20_000_000);
        assertThat(h.system.domains()).extracting(DomainStatus::domid).containsExactly(0, 1);
        // d2's 32 RAM pages and its 2 P2M tables came back
        assertThat(h.freeFrames()).isEqualTo(freeBefore + 34);
    }

    private static void domctl(CoreHarness x, int self, int at, int cmd, int domain) {
        x.poke(self, at, cmd);
        x.poke(self, at + 4, 1);
        x.poke(self, at + 8, domain);
    }

    @Test
    void vcpuOpsReportAndRefuse() {
        CoreHarness h = new CoreHarness(1, 0);
        h.script(0, "is_up 0", 24, new int[] {3, 0}, r -> assertThat(r).isEqualTo(1));
        h.script(0, "is_up 1 (offline)", 24, new int[] {3, 1}, r -> assertThat(r).isZero());
        h.script(0, "is_up 5 (no such vcpu)", 24, new int[] {3, 5}, r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "up without initialise", 24, new int[] {1, 1, 0}, r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "runstate", 24, new int[] {4, 0, SCRATCH}, r -> {
            assertThat(r).isZero();
            assertThat(h.peek(0, SCRATCH)).as("running").isZero();
        });
        h.script(0, "runstate wild", 24, new int[] {4, 0, WILD}, r -> assertThat(r).isEqualTo(EFAULT));
        h.run(5_000_000);
    }

    @Test
    void pollValidatesItsArgumentsAndWakesOnThePortOrTheTimeout() {
        CoreHarness h = new CoreHarness(2, 0);
        int poll = SCRATCH;
        int ports = SCRATCH + 0x40;
        long[] woke = {0};
        h.script(0, "poll no ports", x -> pollArgs(x, 0, poll, ports, 0, 0), 29, new int[] {3, poll},
                r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "poll 9 ports", x -> pollArgs(x, 0, poll, ports, 9, 0), 29, new int[] {3, poll},
                r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "poll port 0", x -> { pollArgs(x, 0, poll, ports, 1, 0); x.poke(0, ports, 0); }, 29,
                new int[] {3, poll}, r -> assertThat(r).isEqualTo(EINVAL));
        h.script(0, "poll wild ports", x -> { pollArgs(x, 0, poll, ports, 1, 0); x.poke(0, poll, WILD); }, 29,
                new int[] {3, poll}, r -> assertThat(r).isEqualTo(EFAULT));
        h.script(0, "poll with a timeout in the past", x -> { pollArgs(x, 0, poll, ports, 1, 1); x.poke(0, ports, 5); },
                29, new int[] {3, poll}, r -> assertThat(r).isZero());
        h.script(0, "poll port 5 until 4M", x -> { pollArgs(x, 0, poll, ports, 1, 4_000_000); x.poke(0, ports, 5); },
                29, new int[] {3, poll}, r -> assertThat(r).isZero());
        h.script(0, "after timeout", x -> woke[0] = x.trapCycles, 29, new int[] {0}, r -> { });
        h.run(20_000_000);
        assertThat(woke[0]).isBetween(4_000_000L, 4_000_000L + 10_000);
    }

    private static void pollArgs(CoreHarness x, int d, int at, int ports, int nr, int timeoutLow) {
        x.poke(d, at, ports);
        x.poke(d, at + 4, nr);
        x.poke(d, at + 8, timeoutLow);
        x.poke(d, at + 12, 0);
    }

    @Test
    void aSecondVcpuIsInitialisedBroughtUpAndDownAgain() {
        CoreHarness h = new CoreHarness(1, 0);
        int code = SCRATCH + 0x800;
        int ctx = SCRATCH;
        h.script(0, "initialise vcpu 1", x -> {
            x.poke(0, code, 0x0000006f); // j .
            x.poke(0, ctx, code);
            x.poke(0, ctx + 4, SCRATCH + 0x700);
            x.poke(0, ctx + 8, 0);
            x.poke(0, ctx + 12, 1);
        }, 24, new int[] {0, 1, ctx}, r -> assertThat(r).isZero());
        h.script(0, "initialise twice is fine while down", 24, new int[] {0, 1, ctx}, r -> assertThat(r).isZero());
        h.script(0, "up", 24, new int[] {1, 1, 0}, r -> assertThat(r).isZero());
        h.script(0, "initialise while up", 24, new int[] {0, 1, ctx}, r -> assertThat(r).isEqualTo(EEXIST));
        h.script(0, "yield", 29, new int[] {0}, r -> { });
        h.script(0, "is_up", 24, new int[] {3, 1}, r -> assertThat(r).isEqualTo(1));
        h.script(0, "runstate of vcpu 1", 24, new int[] {4, 1, SCRATCH + 0x100}, r -> {
            assertThat(r).isZero();
            assertThat(h.peek(0, SCRATCH + 0x100)).as("running or runnable").isBetween(0, 1);
        });
        h.script(0, "down", 24, new int[] {2, 1, 0}, r -> assertThat(r).isZero());
        h.script(0, "is_up after down", 24, new int[] {3, 1}, r -> assertThat(r).isZero());
        h.run(20_000_000);
    }
}
