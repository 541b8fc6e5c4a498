package dev.rehype.region.layout;

/**
 * The hypervisor's grant-table bookkeeping, preserved: an active-grant record per (granting
 * domain, grant reference) — how many read-only and writable mappings pin it, and the frame they
 * pin (Xen's struct active_grant_entry) — and, per mapping domain, a map-track table of what it
 * has mapped from others (Xen's maptrack), which also records privileged foreign mappings. The
 * grant entries themselves live in the granting guest's own pages.
 *
 * <pre>
 *  active grant (16 bytes):              map-track entry (16 bytes):
 *  0x00 u16 pin read-only                0x00 u8  kind (FREE, GRANT, FOREIGN,   0x01 u8 read-only
 *                                                  ORPHAN)
 *  0x02 u16 pin writable                 0x02 u16 other domid (granter / target)
 *  0x04 u16 mapping domid (last)         0x04 u32 grant ref (GRANT) or target gfn (FOREIGN)
 *  0x06 u16 pad                          0x08 u32 host gfn (where the mapper sees it)
 *  0x08 u32 mfn                          0x0C u32 mfn
 *  0x0C u32 pad
 * </pre>
 */
public final class GrantLayout {
    private GrantLayout() {
    }

    public static final int ENTRIES_PER_FRAME = 512;
    public static final int MAX_REFS = DomainLayout.GNTTAB_MAX_FRAMES * ENTRIES_PER_FRAME;
    public static final int MAPTRACK_ENTRIES = 256;

    public static final long PIN_RO = 0x00;
    public static final long PIN_RW = 0x02;
    public static final long MAPPER = 0x04;
    public static final long MFN = 0x08;
    public static final long ACTIVE_BYTES = 0x10;

    public static final int KIND_FREE = 0;
    public static final int KIND_GRANT = 1;
    public static final int KIND_FOREIGN = 2;
    /**
     * A grant or foreign mapping whose granter (target) was destroyed while it was mapped: the
     * mapping alone keeps the frame allocated (owner nobody, type RAM) until it is unmapped;
     * other domid and ref/gfn still say where it came from.
     */
    public static final int KIND_ORPHAN = 3;
    public static final long MT_KIND = 0x00;
    public static final long MT_READONLY = 0x01;
    public static final long MT_DOM = 0x02;
    public static final long MT_REF = 0x04;
    public static final long MT_HOST_GFN = 0x08;
    public static final long MT_MFN = 0x0C;
    public static final long MAPTRACK_BYTES = 0x10;
}
