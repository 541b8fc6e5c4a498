package dev.rehype.machine.port;

import dev.rehype.machine.PhysicalMemory;

/**
 * The narrow hardware interface of the hypervisor: everything it uses of the machine. Machine
 * memory is shared directly ({@link #memory()}); the rest — harts, timers, the interrupt
 * controller, the NIC's DMA context, the console, IPIs, TLB flushes and the clock — goes through
 * the ports. {@link dev.rehype.machine.Machine} implements it directly (normal mode, no cost); a
 * hypervisor in a process of its own gets an implementation that forwards each call to the
 * process owning the machine (process mode), so that the hardware outlives the hypervisor.
 */
public interface MachinePort {
    int hartCount();

    HartPort hart(int i);

    /** Machine memory, shared with the harts and devices. */
    PhysicalMemory memory();

    /** The machine's virtual time in cycles. */
    long nowCycles();

    TimerPort timer(int hart);

    InterruptPort interrupts();

    NicPort nic();

    ConsolePort console();

    /** Raises a host software interrupt (IPI) on {@code hart}. */
    void sendIpi(int hart);

    /** Drops every hart's cached translations (after a second-stage change). */
    void flushAllTlbs();
}
