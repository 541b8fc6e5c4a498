package dev.rehype.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.machine.monitor.BareConfig;
import dev.rehype.machine.monitor.BareMonitor;
import dev.rehype.machine.monitor.BareRun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the privilege and trap test programs (guests/riscv/tests/priv/*.S) on the bare monitor.
 * Each program checks one area on real RISC-V code and exits 0, or exits with the number of the
 * case that failed after printing the case's description:
 *
 * <ul>
 *   <li>{@code delegation} — illegal instruction, ebreak, ecall from U and misaligned
 *       fetch/load/store/AMO reach the guest's stvec in S-mode with scause, stval, sepc and SPP/SPIE
 *       as the spec says; ecall from S-mode is a monitor call the guest's handler never sees.</li>
 *   <li>{@code sret} — sret into S and U with every SPIE/SPP combination; what U-mode may not do
 *       (sret, wfi, sfence.vma, S CSRs); unknown CSRs, read-only counters, CSR write masks.</li>
 *   <li>{@code interrupts} — virtual SSI/STI/SEI: masking by SIE and sie, immediate delivery when
 *       enabled, priority SEI &gt; SSI &gt; STI, always taken in U-mode, vectored stvec,
 *       guest-writable sip.SSIP.</li>
 *   <li>{@code timer} — set_timer with wfi and with polling; time advances by at least the
 *       delta; the timer interrupt in S-mode and in U-mode.</li>
 * </ul>
 */
class PrivilegeProgramsTest {

    @ParameterizedTest(name = "tests/priv/{0}.elf")
    @ValueSource(strings = {"delegation", "sret", "interrupts", "timer"})
    void programPassesEveryCase(String program) throws GuestImageException {
        String path = "tests/priv/" + program + ".elf";
        BareRun run = BareMonitor.run(GuestImage.load(path), BareConfig.defaults());

        assertThat(run.exited())
                .as("%s did not exit: %s%nconsole:%n%s", path, run.stopReason(), run.console())
                .isTrue();
        assertThat(run.exitCode())
                .as("%s failed case %d%nconsole:%n%s", path, run.exitCode(), run.console())
                .isZero();
    }

    @Test
    void timerProgramRunsIdenticallyTwice() throws GuestImageException {
        // The one program whose course depends on virtual time: waits, timer deadlines, polling.
        GuestImage image = GuestImage.load("tests/priv/timer.elf");
        BareRun first = BareMonitor.run(image, BareConfig.defaults());
        BareRun second = BareMonitor.run(image, BareConfig.defaults());

        assertThat(second.instructions()).isEqualTo(first.instructions());
        assertThat(second.cycles()).isEqualTo(first.cycles());
        assertThat(second.stateHash()).isEqualTo(first.stateHash());
    }
}
