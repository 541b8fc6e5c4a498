package dev.rehype.recovery.process;

import dev.rehype.hypervisor.system.VmResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessModeTest {
    @Test
    void runsTheStandardSystemInAHypervisorProcess() throws Exception {
        long t0 = System.nanoTime();
        try (ProcessSupervisor sup = new ProcessSupervisor(ProcessOptions.defaults(1))) {
            ProcessRunReport r = sup.run();
            System.out.println("took " + (System.nanoTime() - t0) / 1e6 + " ms, cycles " + r.virtualCycles());
            for (VmResult v : r.vms()) {
                System.out.println(v);
            }
            assertTrue(r.allCorrect(), r.toString());
        }
    }
}
