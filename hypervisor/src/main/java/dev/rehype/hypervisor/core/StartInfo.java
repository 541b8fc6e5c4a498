package dev.rehype.hypervisor.core;

/**
 * Offsets in a guest's start_info page (guests/riscv/include/public/start_info.h): what the
 * domain builder tells a new kernel about itself.
 *
 * <pre>
 *  0x00 u32 magic "RHSI"   0x04 u32 domid        0x08 u32 flags (bit0 privileged)  0x0C u32 nr_pages
 *  0x10 u32 max_pages      0x14 u32 ram_base_gpa 0x18 u32 shared_info_gpa          0x1C u32 nr_vcpus
 *  0x20 u32 peer_domid     0x24 u32 role         0x28 u32 param[6]
 *  0x40 char cmdline[64]
 *  0x80 u32 nr_modules     0x84 u32 module table gpa (entries { u32 gpa; u32 size; char name[24]; })
 *  0xC0 u32 store gfn      0xC4 u32 store port       0xC8 u32 store flags
 * </pre>
 */
final class StartInfo {
    private StartInfo() {
    }

    static final int MAGIC_VALUE = 0x49534852;
    static final long MAGIC = 0x00;
    static final long DOMID = 0x04;
    static final long FLAGS = 0x08;
    static final long NR_PAGES = 0x0C;
    static final long MAX_PAGES = 0x10;
    static final long RAM_BASE = 0x14;
    static final long SHARED_INFO = 0x18;
    static final long NR_VCPUS = 0x1C;
    static final long PEER_DOMID = 0x20;
    static final long ROLE = 0x24;
    static final long PARAMS = 0x28;
    static final long CMDLINE = 0x40;
    static final int CMDLINE_BYTES = 64;
    static final long NR_MODULES = 0x80;
    static final long MODULE_TABLE = 0x84;
}
