package dev.rehype.hypervisor.core;

import dev.rehype.machine.Csr;
import dev.rehype.machine.PhysicalMemory;
import dev.rehype.machine.Sv32;
import dev.rehype.region.layout.VcpuLayout;

/**
 * Reads a guest virtual address of a vCPU that is not on any hart (recovery code has no hart in
 * the vCPU's context): walks the guest's Sv32 tables from the vCPU's preserved satp, then the
 * domain's P2M, in software, as the hart would for a supervisor-mode load. Used to look at a
 * hypercall's argument structure after the hypercall was cut short.
 */
final class GuestWalk {
    private GuestWalk() {
    }

    /** The u32 at guest virtual {@code va} of vCPU {@code v} of domain {@code d}, or null where the guest would fault. */
    static Integer readU32(Hypervisor hv, int d, int v, int va) {
        if ((va & 3) != 0) {
            return null;
        }
        long ma = translate(hv, d, v, va);
        return ma < 0 ? null : hv.memory.read32(ma);
    }

    private static long translate(Hypervisor hv, int d, int v, int va) {
        int satp = hv.st.vcpu(d, v, VcpuLayout.SATP);
        long gpa;
        if ((satp & Csr.SATP_MODE_SV32) == 0) {
            gpa = va & 0xffffffffL;
        } else {
            long table = (long) (satp & Csr.SATP_PPN_MASK) << PhysicalMemory.FRAME_SHIFT;
            int level = 1;
            while (true) {
                int vpn = level == 1 ? va >>> 22 : (va >>> 12) & 0x3ff;
                long pteMa = machineAddress(hv, d, table + 4L * vpn);
                if (pteMa < 0) {
                    return -1;
                }
                int pte = hv.memory.read32(pteMa);
                if ((pte & Sv32.V) == 0 || (pte & (Sv32.R | Sv32.W)) == Sv32.W) {
                    return -1;
                }
                long ppn = (pte >>> Sv32.PPN_SHIFT) & 0x3fffffL;
                if ((pte & (Sv32.R | Sv32.X)) != 0) {
                    if ((pte & Sv32.R) == 0) {
                        return -1;
                    }
                    gpa = level == 1 ? (ppn >>> 10 << 22) | (va & 0x3fffffL) : ppn << 12 | (va & 0xfffL);
                    break;
                }
                if (level == 0) {
                    return -1;
                }
                table = ppn << PhysicalMemory.FRAME_SHIFT;
                level = 0;
            }
        }
        return machineAddress(hv, d, gpa);
    }

    private static long machineAddress(Hypervisor hv, int d, long gpa) {
        long mfn = hv.p2m.lookup(d, gpa >>> PhysicalMemory.FRAME_SHIFT);
        if (mfn < 0 || mfn >= hv.memory.frames()) {
            return -1;
        }
        return (mfn << PhysicalMemory.FRAME_SHIFT) | (gpa & 0xfff);
    }
}
