package dev.rehype.hypervisor.core;

/**
 * Offsets in a guest's shared_info page (guests/riscv/include/public/shared_info.h): per-vCPU
 * upcall flags and the two-level pending/mask bitmaps of its event channels (Xen's event_2l).
 *
 * <pre>
 *  0x000  vcpu_info[8], 16 bytes each:
 *           +0 u8 evtchn_upcall_pending  +1 u8 evtchn_upcall_mask  +2 u16 pad
 *           +4 u32 evtchn_pending_sel    +8 u32 pad[2]
 *  0x080  u32 evtchn_pending[32]   (1024 ports)
 *  0x100  u32 evtchn_mask[32]
 * </pre>
 */
final class SharedInfo {
    private SharedInfo() {
    }

    static final int MAX_VCPUS = 8;
    static final long VCPU_INFO = 0x000;
    static final long VCPU_INFO_BYTES = 16;
    static final long UPCALL_PENDING = 0;
    static final long UPCALL_MASK = 1;
    static final long PENDING_SEL = 4;
    static final long EVTCHN_PENDING = 0x080;
    static final long EVTCHN_MASK = 0x100;

    static long vcpuInfo(int vcpuid) {
        return VCPU_INFO + vcpuid * VCPU_INFO_BYTES;
    }
}
