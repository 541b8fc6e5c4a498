package dev.rehype.hypervisor.core;

import static dev.rehype.hypervisor.core.CoreHarness.RAM;
import static dev.rehype.hypervisor.core.CoreHarness.SCRATCH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.machine.Machine;
import dev.rehype.machine.Nic;
import dev.rehype.machine.NicDescriptor;
import dev.rehype.machine.NicRegisters;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Device assignment (the NIC's registers, DMA context and interrupt given to one domain, taken
 * back, given to another) and the toolstack's domctls (Dom0 creates, fills, starts and reads a
 * domain it builds itself), each with hostile arguments.
 */
class DeviceAndToolstackTest {
    static final int SELF = 0x7FF0;
    static final int NIC_GPA = 0xF000_0000;

    private static void domctl(CoreHarness x, int cmd, int domain, int... u) {
        x.poke(0, SCRATCH, cmd);
        x.poke(0, SCRATCH + 4, 1);
        x.poke(0, SCRATCH + 8, domain);
        for (int i = 0; i < 12; i++) {
            x.poke(0, SCRATCH + 12 + 4 * i, i < u.length ? u[i] : 0);
        }
    }

    @Test
    void theNicIsAssignedItsInterruptArrivesAsAnEventAndItIsReassigned() {
        CoreHarness h = new CoreHarness(3, 0b001);
        Nic nic = h.system.machine().nic();
        int[] pirqPort = {0};
        h.script(1, "bind_pirq before assignment", x -> x.poke(1, SCRATCH, 0), 32, new int[] {2, SCRATCH},
                r -> assertThat(r).isEqualTo(-1));
        h.script(0, "let d1 try first", 15, new int[] {200_000, 0}, r -> { });
        h.script(0, "block", 29, new int[] {1}, r -> { });
        h.script(0, "assign NIC to d1", x -> domctl(x, 7, 1, 0), 36, new int[] {SCRATCH}, r -> {
            assertThat(r).isZero();
            assertThat(h.ma(1, NIC_GPA)).isEqualTo(Machine.NIC0_BASE);
            assertThat(nic.dmaRoot()).isNotEqualTo(Nic.DMA_BLOCKED);
        });
        h.script(0, "assign again to d2", x -> domctl(x, 7, 2, 0), 36, new int[] {SCRATCH},
                r -> assertThat(r).isEqualTo(-16));
        h.script(0, "assign an unknown device", x -> domctl(x, 7, 2, 5), 36, new int[] {SCRATCH},
                r -> assertThat(r).isEqualTo(-2));
        h.script(1, "wait for the assignment", 15, new int[] {500_000, 0}, r -> { });
        h.script(1, "block", 29, new int[] {1}, r -> { });
        h.script(1, "bind_pirq", x -> x.poke(1, SCRATCH, 0), 32, new int[] {2, SCRATCH}, r -> {
            assertThat(r).isZero();
            pirqPort[0] = h.peek(1, SCRATCH + 8);
            // DMA goes through d1's P2M: a TX descriptor at a d1 guest-physical address
            h.poke(1, RAM + 0x5000, RAM + 0x6000);
            h.poke(1, RAM + 0x5004, 64 | (NicDescriptor.EOP << 16));
            nic.write32(NicRegisters.TX_RING_BASE, RAM + 0x5000);
            nic.write32(NicRegisters.TX_RING_SIZE, 16);
            nic.write32(NicRegisters.IRQ_MASK, NicRegisters.IRQ_TX_DONE);
            nic.write32(NicRegisters.CTRL, NicRegisters.CTRL_TX_ENABLE);
            nic.write32(NicRegisters.TX_TAIL, 1);
        });
        h.script(1, "bind_pirq twice", x -> x.poke(1, SCRATCH, 0), 32, new int[] {2, SCRATCH},
                r -> assertThat(r).isEqualTo(-17));
        h.script(1, "wait for the interrupt", 15, new int[] {1_500_000, 0}, r -> { });
        h.script(1, "block", 29, new int[] {1}, r -> { });
        h.script(1, "after the wait", 29, new int[] {0}, r -> {
            assertThat(nic.txPackets()).as("the NIC read d1's descriptor and buffer").isEqualTo(1);
            int si = h.sharedInfoGpa(1);
            int port = pirqPort[0];
            assertThat(h.peek(1, si + 0x80 + 4 * (port / 32)) & (1 << (port % 32))).as("pirq port pending").isNotZero();
        });
        h.script(0, "sleep", 15, new int[] {3_000_000, 0}, r -> { });
        h.script(0, "block", 29, new int[] {1}, r -> { });
        h.script(0, "deassign from the wrong domain", x -> domctl(x, 8, 2, 0), 36, new int[] {SCRATCH},
                r -> assertThat(r).isEqualTo(-22));
        h.script(0, "deassign", x -> domctl(x, 8, 1, 0), 36, new int[] {SCRATCH}, r -> {
            assertThat(r).isZero();
            assertThat(nic.dmaRoot()).isEqualTo(Nic.DMA_BLOCKED);
        });
        h.script(0, "reassign to d2", x -> domctl(x, 7, 2, 0), 36, new int[] {SCRATCH}, r -> {
            assertThat(r).isZero();
            assertThat(h.ma(2, NIC_GPA)).isEqualTo(Machine.NIC0_BASE);
        });
        h.run(30_000_000);
        assertThat(h.portState(1, pirqPort[0])).as("d1's pirq port closed with the deassignment").isZero();
    }

    @Test
    void dom0BuildsStartsAndReadsADomainOfItsOwn() {
        CoreHarness h = new CoreHarness(1, 0b1);
        int src = RAM + 0x4000;
        int name = RAM + 0x5000;
        byte[] probe = CoreHarness.probeImage().segments().get(0).data();
        int startInfo = RAM + 30 * 4096;
        int sharedInfo = RAM + 31 * 4096;
        h.script(0, "createdomain privileged", x -> domctl(x, 9, 0, 1, 1, 64), 36, new int[] {SCRATCH},
                r -> assertThat(r).isEqualTo(-22));
        h.script(0, "createdomain", x -> {
            domctl(x, 9, 0, 1, 0, 64, 0);
            x.pokeBytes(0, SCRATCH + 12 + 16, "built\0".getBytes(StandardCharsets.US_ASCII));
        }, 36, new int[] {SCRATCH}, r -> {
            assertThat(r).isEqualTo(1);
            assertThat(h.domain(1).name()).isEqualTo("built");
        });
        h.script(0, "populate beyond max", x -> domctl(x, 10, 1, 65), 36, new int[] {SCRATCH},
                r -> assertThat(r).isEqualTo(-22));
        h.script(0, "populate 32", x -> domctl(x, 10, 1, 32), 36, new int[] {SCRATCH}, r -> assertThat(r).isZero());
        h.script(0, "copy the image", x -> {
            x.pokeBytes(0, src, probe);
            domctl(x, 11, 1, RAM, src, probe.length);
        }, 36, new int[] {SCRATCH}, r -> assertThat(r).isZero());
        h.script(0, "copy past its RAM", x -> domctl(x, 11, 1, RAM + 32 * 4096 - 8, src, 64), 36, new int[] {SCRATCH},
                r -> assertThat(r).isEqualTo(-14));
        h.script(0, "write its start_info (domid at +4)", x -> {
            x.poke(0, name, 0x49534852);
            x.poke(0, name + 4, 1);
            domctl(x, 11, 1, startInfo, name, 8);
        }, 36, new int[] {SCRATCH}, r -> assertThat(r).isZero());
        h.script(0, "setup with a bad shared_info", x -> domctl(x, 12, 1, startInfo, RAM + 40 * 4096, RAM), 36,
                new int[] {SCRATCH}, r -> assertThat(r).isEqualTo(-22));
        h.script(0, "setup", x -> domctl(x, 12, 1, startInfo, sharedInfo, RAM), 36, new int[] {SCRATCH},
                r -> assertThat(r).isZero());
        h.script(0, "map_foreign its page 3", x -> domctl(x, 14, 1, 0x80003, RAM + 40 * 4096), 36,
                new int[] {SCRATCH}, r -> {
                    assertThat(r).isZero();
                    h.poke(0, RAM + 40 * 4096 + 8, 0x5150);
                    assertThat(h.peek(1, RAM + 0x3008)).as("the built domain sees Dom0's write").isEqualTo(0x5150);
                });
        h.script(0, "map_foreign onto a populated page", x -> domctl(x, 14, 1, 0x80003, RAM + 4096), 36,
                new int[] {SCRATCH}, r -> assertThat(r).isEqualTo(-16));
        h.script(0, "map_foreign of a page it does not have", x -> domctl(x, 14, 1, 0x80050, RAM + 41 * 4096), 36,
                new int[] {SCRATCH}, r -> assertThat(r).isEqualTo(-22));
        h.script(0, "unmap_foreign", x -> domctl(x, 15, 1, RAM + 40 * 4096), 36, new int[] {SCRATCH},
                r -> assertThat(r).isZero());
        h.script(0, "unmap_foreign again", x -> domctl(x, 15, 1, RAM + 40 * 4096), 36, new int[] {SCRATCH},
                r -> assertThat(r).isEqualTo(-22));
        h.script(0, "unpause", x -> domctl(x, 3, 1), 36, new int[] {SCRATCH}, r -> assertThat(r).isZero());
        // the built domain runs the probe: s0 = 1, so it takes the script of domain 1
        h.script(1, "hello from the built domain", x -> x.pokeBytes(1, RAM + 0x1800, "built!\n".getBytes(
                StandardCharsets.US_ASCII)), 18, new int[] {0, 7, RAM + 0x1800}, r -> assertThat(r).isEqualTo(7));
        h.script(0, "sleep", 15, new int[] {2_000_000, 0}, r -> { });
        h.script(0, "block", 29, new int[] {1}, r -> { });
        h.script(0, "console_read", x -> domctl(x, 13, 1, RAM + 0x6000, 64, 0, -1), 36, new int[] {SCRATCH}, r -> {
            assertThat(r).isEqualTo(7);
            assertThat(h.peek(0, RAM + 0x6000)).isEqualTo(0x6c697562); // "buil"
            assertThat(h.peek(0, SCRATCH + 24)).as("first byte copied: the one asked for").isZero();
            assertThat(h.domain(1).console()).isEqualTo("built!\n");
            assertThat(h.system.machine().console().text()).as("Dom0 relays what it built; the hypervisor does not")
                    .doesNotContain("built!");
        });
        // 4,100 more bytes: the ring keeps the last 4,088 of the 4,107 written, so 19 are lost to a reader
        // that had read 7.
        h.script(1, "sleep until Dom0 has read", 15, new int[] {3_000_000, 0}, r -> { });
        h.script(1, "block", 29, new int[] {1}, r -> { });
        h.script(1, "write 4,000 bytes", x -> x.pokeBytes(1, RAM + 0x1800, "x".repeat(4000).getBytes(
                StandardCharsets.US_ASCII)), 18, new int[] {0, 4000, RAM + 0x1800}, r -> assertThat(r).isEqualTo(4000));
        h.script(1, "write 100 more", 18, new int[] {0, 100, RAM + 0x1800}, r -> assertThat(r).isEqualTo(100));
        h.script(0, "sleep again", 15, new int[] {4_000_000, 0}, r -> { });
        h.script(0, "block again", 29, new int[] {1}, r -> { });
        h.script(0, "console_read past what the ring holds", x -> domctl(x, 13, 1, RAM + 0x6000, 64, 7, -1), 36,
                new int[] {SCRATCH}, r -> {
                    assertThat(r).isEqualTo(64);
                    assertThat(h.peek(0, SCRATCH + 24)).as("it starts past the 19 bytes lost")
                            .isEqualTo(7 + 4000 + 100 - 4088);
                    assertThat(h.peek(0, RAM + 0x6000)).isEqualTo(0x78787878); // "xxxx"
                });
        h.script(0, "console_read at the end", x -> domctl(x, 13, 1, RAM + 0x6000, 64, 4107, -1), 36,
                new int[] {SCRATCH}, r -> {
                    assertThat(r).isZero();
                    assertThat(h.peek(0, SCRATCH + 24)).isEqualTo(4107);
                });
        h.script(0, "destroy it", x -> domctl(x, 4, 1), 36, new int[] {SCRATCH}, r -> assertThat(r).isZero());
        h.run(30_000_000);
        assertThat(h.system.domains()).hasSize(1);
    }
}
