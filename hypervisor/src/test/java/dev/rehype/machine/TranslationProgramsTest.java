package dev.rehype.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.machine.monitor.BareConfig;
import dev.rehype.machine.monitor.BareMonitor;
import dev.rehype.machine.monitor.BareRun;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the two-stage address translation test programs (guests/riscv/tests/vm/*.S) on the bare
 * monitor. Each program exits 0, or exits with the number of the case that failed after
 * printing the case's description:
 *
 * <ul>
 *   <li>{@code sv32} — the guest's own page tables: superpage and 4 KiB aliases, page faults
 *       12/13/15 with stval = virtual address, U/SUM, MXR, read-only and reserved PTEs,
 *       software-managed A/D, misaligned superpages, sfence.vma after PTE changes.</li>
 *   <li>{@code stage2} — the monitor's second stage: protect() makes stores (23), loads (21) and
 *       fetches (20) guest-page faults the monitor records and retries, invisibly to the guest;
 *       with Sv32 on, faults name the guest-physical address, also for page-table walks.</li>
 *   <li>{@code selfmod} — stores to code followed by fence.i run the new code (patched in place,
 *       ahead in the same page, through a writable alias); a code page write-protected in the
 *       second stage still executes.</li>
 * </ul>
 */
class TranslationProgramsTest {

    @ParameterizedTest(name = "tests/vm/{0}.elf")
    @ValueSource(strings = {"sv32", "stage2", "selfmod"})
    void programPassesEveryCase(String program) throws GuestImageException {
        String path = "tests/vm/" + program + ".elf";
        BareRun run = BareMonitor.run(GuestImage.load(path), BareConfig.defaults());

        assertThat(run.exited())
                .as("%s did not exit: %s%nconsole:%n%s", path, run.stopReason(), run.console())
                .isTrue();
        assertThat(run.exitCode())
                .as("%s failed case %d%nconsole:%n%s", path, run.exitCode(), run.console())
                .isZero();
    }
}
