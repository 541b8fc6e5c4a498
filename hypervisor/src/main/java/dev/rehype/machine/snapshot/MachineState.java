package dev.rehype.machine.snapshot;

import dev.rehype.machine.MachineConfig;

/**
 * The whole state of a {@link dev.rehype.machine.Machine} except its memory: its shape, virtual
 * time, each hart with its timer, the cycles each hart ran past the end of the last window, the
 * pending inter-processor interrupts, the event queue, and every device. With the bytes of machine
 * memory it is enough to build a machine that continues exactly where this one was.
 *
 * @param config       the machine's shape (harts, quantum, seed, interrupt sources)
 * @param ramBytes     size of machine memory (an import checks it)
 * @param nowCycles    virtual time
 * @param harts        each hart, by number
 * @param timers       each hart's timer, by hart number
 * @param carryCycles  per hart: cycles it ran past the end of the last window
 * @param ipiPending   per hart: an inter-processor interrupt waits for it
 * @param events       the device event queue
 * @param interrupts   the interrupt controller
 * @param console      the console
 * @param nic          NIC 0 and the peer on its wire
 */
public record MachineState(MachineConfig config, long ramBytes, long nowCycles, HartState[] harts,
                           TimerState[] timers, long[] carryCycles, boolean[] ipiPending, EventQueueState events,
                           InterruptControllerState interrupts, ConsoleState console, NicState nic) {
    public MachineState {
        int n = config.harts();
        if (harts.length != n || timers.length != n || carryCycles.length != n || ipiPending.length != n) {
            throw new IllegalArgumentException("a machine of " + n + " harts needs " + n
                    + " hart, timer, carry and IPI entries; got " + harts.length + ", " + timers.length + ", "
                    + carryCycles.length + ", " + ipiPending.length);
        }
    }
}
