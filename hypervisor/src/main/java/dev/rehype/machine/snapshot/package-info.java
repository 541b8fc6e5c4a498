/**
 * The machine's state as plain data: one record per piece of hardware (harts, timers, interrupt
 * controller, console, NIC, the wire's peer, the event queue and its pending events), gathered in
 * {@link dev.rehype.machine.snapshot.MachineState}. {@code Machine.exportState()} fills them and
 * {@code Machine.importState(...)} puts a machine back into the state they describe, so that a
 * snapshot can be encoded, stored and restored without the live objects (which point at each
 * other, at machine memory and at the hypervisor).
 *
 * <p>Machine memory is not here: it lives in the preserved region and is saved as bytes beside
 * these records. Caches (TLBs, decoded instructions) are not state and are not here either; an
 * import drops them. Arrays in these records belong to the record: an export makes fresh ones and
 * an import copies them, so one exported state can be imported any number of times.
 */
package dev.rehype.machine.snapshot;
