package dev.rehype.hypervisor.system;

import dev.rehype.machine.EchoNicDriver;
import dev.rehype.machine.Machine;
import dev.rehype.machine.Nic;
import dev.rehype.machine.PhysicalMemory;

/**
 * Drives NIC 0 from the test, between runs of the machine, the way a driver would: an
 * {@link EchoNicDriver} with its rings and buffers in the top eight frames of machine memory
 * (never allocated by the hypervisor, which hands out frames lowest first), two frames sent per
 * {@link #step}, echoes reaped and checked. Its progress is a record so that a restored
 * system's driver can continue from where the original's was.
 */
final class TestNicDriver {
    private final Machine machine;
    private final EchoNicDriver echo;

    /** A driver continuing from {@code progress} on {@code machine}'s NIC (already set up, or not). */
    TestNicDriver(Machine machine, EchoNicDriver.Progress progress) {
        this.machine = machine;
        long top = machine.memory().sizeBytes();
        this.echo = new EchoNicDriver(machine, top - 8L * PhysicalMemory.FRAME_SIZE, top - 7L * PhysicalMemory.FRAME_SIZE,
                top - 6L * PhysicalMemory.FRAME_SIZE, top - 4L * PhysicalMemory.FRAME_SIZE, progress);
    }

    /** Sets up the rings and enables both engines; a new driver's progress. */
    static TestNicDriver setUp(Machine machine) {
        TestNicDriver d = new TestNicDriver(machine, EchoNicDriver.Progress.fresh());
        // This driver stands outside every domain and uses machine addresses: no IOMMU context.
        machine.nic().setDmaRoot(Nic.DMA_IDENTITY);
        d.echo.setUpRings();
        d.echo.enable();
        return d;
    }

    EchoNicDriver.Progress progress() {
        return echo.progress();
    }

    /** Reaps and checks the echoes that arrived, then sends two more frames. */
    void step() {
        echo.reap();
        machine.nic().write32(dev.rehype.machine.NicRegisters.IRQ_CAUSE, dev.rehype.machine.NicRegisters.IRQ_ALL);
        echo.send(2);
    }
}
