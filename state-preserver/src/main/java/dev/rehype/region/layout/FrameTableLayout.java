package dev.rehype.region.layout;

/**
 * One frame-table entry per machine frame (Xen's page_info): who owns the frame, what it is used
 * for, how many references and typed (writable) references it has, and the free-list link.
 *
 * <pre>
 *  0x00  u16 owner (domid; 0xFFFF = nobody, 0xFFFE = the hypervisor)
 *  0x02  u8  type (FREE, RAM, P2M, HYPERVISOR)   0x03  u8 pad
 *  0x04  u32 reference count (P2M mappings + grant mappings)
 *  0x08  u32 type count (writable mappings)
 *  0x0C  u32 next free mfn (-1 = end of list)
 *  0x10  (end: 16 bytes)
 * </pre>
 */
public final class FrameTableLayout {
    private FrameTableLayout() {
    }

    public static final int OWNER_NONE = 0xFFFF;
    public static final int OWNER_HYPERVISOR = 0xFFFE;

    public static final int TYPE_FREE = 0;
    public static final int TYPE_RAM = 1;
    public static final int TYPE_P2M = 2;
    public static final int TYPE_HYPERVISOR = 3;

    public static final long OWNER = 0x00;
    public static final long TYPE = 0x02;
    public static final long REFCOUNT = 0x04;
    public static final long TYPECOUNT = 0x08;
    public static final long NEXT_FREE = 0x0C;
    public static final long SIZE_BYTES = 0x10;
}
