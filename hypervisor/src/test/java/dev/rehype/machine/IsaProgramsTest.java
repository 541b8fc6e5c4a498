package dev.rehype.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.guests.GuestCatalog;
import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.machine.monitor.BareConfig;
import dev.rehype.machine.monitor.BareMonitor;
import dev.rehype.machine.monitor.BareRun;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every ISA test program (guests/riscv/tests/isa/*.S, packaged as guests/tests/isa/*.elf) on
 * the bare monitor. Each program checks one area of RV32IMA + Zicsr + Zifencei on real RISC-V code
 * and exits 0, or exits with the number of the case that failed ("FAIL: test N" on the console):
 *
 * <ul>
 *   <li>{@code alu} — add/sub, logic, slt/sltu, immediates with sign extension, lui, auipc</li>
 *   <li>{@code shift} — sll/srl/sra and immediate forms, amounts 0 and 31, rs2 masked to 5 bits</li>
 *   <li>{@code branch} — the six branches taken and not, large offsets, jal/jalr links, jalr bit 0</li>
 *   <li>{@code loadstore} — every width, sign/zero extension, negative offsets, byte lanes</li>
 *   <li>{@code muldiv} — the M extension, division by zero and MIN / -1 as the spec defines</li>
 *   <li>{@code atomic} — lr.w/sc.w success and failure, the nine AMOs</li>
 *   <li>{@code misaligned} — misaligned loads, stores, AMOs and jumps trap to the program's
 *       handler with the right scause, stval and sepc</li>
 *   <li>{@code csr} — the CSR instructions on sscratch, the counters, illegal CSR accesses</li>
 *   <li>{@code fence} — fence forms, fence.i after self-modifying code</li>
 * </ul>
 */
class IsaProgramsTest {

    static List<String> isaPrograms() {
        return GuestCatalog.images("tests/isa");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isaPrograms")
    void programPassesEveryCase(String path) throws GuestImageException {
        BareRun run = BareMonitor.run(GuestImage.load(path), BareConfig.defaults());

        assertThat(run.exited())
                .as("%s did not exit: %s%nconsole:%n%s", path, run.stopReason(), run.console())
                .isTrue();
        assertThat(run.exitCode())
                .as("%s failed test %d%nconsole:%n%s", path, run.exitCode(), run.console())
                .isZero();
    }

    @Test
    void everyIsaGroupIsPackaged() {
        assertThat(isaPrograms()).containsExactlyInAnyOrder(
                "tests/isa/alu.elf", "tests/isa/atomic.elf", "tests/isa/branch.elf", "tests/isa/csr.elf",
                "tests/isa/fence.elf", "tests/isa/loadstore.elf", "tests/isa/misaligned.elf",
                "tests/isa/muldiv.elf", "tests/isa/shift.elf");
    }
}
