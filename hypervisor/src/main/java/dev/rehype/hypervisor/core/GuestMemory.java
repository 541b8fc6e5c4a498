package dev.rehype.hypervisor.core;

import dev.rehype.machine.Hart;
import dev.rehype.machine.PhysicalMemory;
import dev.rehype.machine.port.HartPort;

/**
 * copy_from_guest / copy_to_guest: hypercall arguments read and written through the calling
 * vCPU's own translation (its page tables, then its P2M), so a guest can only ever name its own
 * memory. Anything it cannot access raises {@link GuestFault} (→ -EFAULT).
 */
final class GuestMemory {
    private static final GuestFault FAULT = new GuestFault();
    private final PhysicalMemory memory;

    GuestMemory(PhysicalMemory memory) {
        this.memory = memory;
    }

    private long translate(HartPort hart, int va, int access) {
        long ma = hart.translateForHypervisor(va, access);
        if (ma < 0 || ma >= memory.sizeBytes()) {
            throw FAULT;
        }
        return ma;
    }

    int readU32(HartPort hart, int va) {
        if ((va & 3) != 0) {
            throw FAULT;
        }
        return memory.read32(translate(hart, va, Hart.ACCESS_LOAD));
    }

    void writeU32(HartPort hart, int va, int value) {
        if ((va & 3) != 0) {
            throw FAULT;
        }
        memory.write32(translate(hart, va, Hart.ACCESS_STORE), value);
    }

    int readU16(HartPort hart, int va) {
        if ((va & 1) != 0) {
            throw FAULT;
        }
        return memory.read16(translate(hart, va, Hart.ACCESS_LOAD));
    }

    void writeU16(HartPort hart, int va, int value) {
        if ((va & 1) != 0) {
            throw FAULT;
        }
        memory.write16(translate(hart, va, Hart.ACCESS_STORE), value);
    }

    byte[] readBytes(HartPort hart, int va, int length) {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            int at = va + done;
            int chunk = Math.min(length - done, PhysicalMemory.FRAME_SIZE - (at & 0xfff));
            memory.readBytes(translate(hart, at, Hart.ACCESS_LOAD), out, done, chunk);
            done += chunk;
        }
        return out;
    }
}
