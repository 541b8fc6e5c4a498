/*
 * grant_table.h — __HYPERVISOR_grant_table_op (20): a0 = command, a1 = ptr to an array of the
 * command's structure, a2 = count (1..GNTTAB_MAX_BATCH structures). How one domain lets another
 * map or copy a page of its RAM (Xen's grant tables, version 1).
 *
 * A domain's grant table lives in pages of ITS OWN RAM that it registers with
 * GNTTABOP_setup_table (512 entries of 8 bytes per page). The GRANTING guest writes an entry:
 * `domid` = the domain allowed to use it, `frame` = the granter's gfn, then `flags` last
 * (GTF_permit_access, GTF_readonly). The hypervisor sets and clears GTF_reading / GTF_writing
 * while the grant is mapped or being copied. The granter revokes by clearing `flags` once
 * GTF_reading | GTF_writing are clear; the hypervisor refuses to map a revoked entry.
 *
 * The hypercall returns 0 (or -XEN_EFAULT / -XEN_EINVAL for a bad pointer or count); each
 * operation's own result is in its `status` field (GNTST_*).
 */
#ifndef REHYPE_PUBLIC_GRANT_TABLE_H
#define REHYPE_PUBLIC_GRANT_TABLE_H

#include "xen.h"

#define GNTTABOP_map_grant_ref     0
#define GNTTABOP_unmap_grant_ref   1
#define GNTTABOP_setup_table       2
#define GNTTABOP_copy              5
#define GNTTABOP_query_size        6

/* At most this many structures per grant_table_op call. */
#define GNTTAB_MAX_BATCH           16
/* Grant entries per registered page, and pages per table. */
#define GNTTAB_ENTRIES_PER_FRAME   512
#define GNTTAB_MAX_FRAMES          4

/* grant_entry_v1.flags */
#define GTF_permit_access          (1u << 0)
#define GTF_readonly               (1u << 2)
#define GTF_reading                (1u << 3)   /* set by the hypervisor while read-mapped/copied */
#define GTF_writing                (1u << 4)   /* set by the hypervisor while write-mapped/copied */

/* gnttab_map_grant_ref.flags */
#define GNTMAP_readonly            (1u << 2)

/* gnttab_copy.flags */
#define GNTCOPY_source_gref        (1u << 0)
#define GNTCOPY_dest_gref          (1u << 1)

/* status values of the individual operations */
#define GNTST_okay                 0
#define GNTST_general_error       (-1)
#define GNTST_bad_domain          (-2)
#define GNTST_bad_gntref          (-3)
#define GNTST_bad_handle          (-4)
#define GNTST_bad_virt_addr       (-5)
#define GNTST_bad_dev_addr        (-6)
#define GNTST_permission_denied   (-8)
#define GNTST_bad_copy_arg        (-12)

#ifndef __ASSEMBLER__

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;

/* One grant entry (8 bytes), written by the granting guest into its own table pages. */
struct grant_entry_v1 {
    uint16_t flags;            /* GTF_*; written last when granting, cleared to revoke */
    domid_t domid;             /* the domain allowed to map or copy */
    uint32_t frame;            /* the granter's gfn */
};

/* GNTTABOP_setup_table. IN: dom (DOMID_SELF), nr_frames (1..GNTTAB_MAX_FRAMES), gfn_list_ptr
   -> uint32_t gfns[nr_frames] (pages of the caller's RAM that hold its entries). OUT: status.
   Calling again replaces the table only while none of its grants is mapped (-XEN_EBUSY
   otherwise). */
struct gnttab_setup_table {
    domid_t dom;
    uint16_t pad;
    uint32_t nr_frames;
    uint32_t gfn_list_ptr;
    int32_t status;
};

/* GNTTABOP_map_grant_ref. IN: host_addr (a page-aligned gpa of an UNPOPULATED gfn inside the
   caller's window), flags (GNTMAP_readonly), ref, dom (the granter). OUT: status, handle.
   Maps the granter's frame at host_addr, read-only if GNTMAP_readonly or GTF_readonly. */
struct gnttab_map_grant_ref {
    uint32_t host_addr;
    uint32_t flags;
    grant_ref_t ref;
    domid_t dom;
    uint16_t pad;
    int16_t status;
    uint16_t pad2;
    grant_handle_t handle;
};

/* GNTTABOP_unmap_grant_ref. IN: host_addr, handle (from the map). OUT: status. */
struct gnttab_unmap_grant_ref {
    uint32_t host_addr;
    grant_handle_t handle;
    int16_t status;
    uint16_t pad;
};

/* One side of a copy: a grant ref of `domid` (GNTCOPY_*_gref), or a gfn of the caller (then
   domid must be DOMID_SELF). */
struct gnttab_copy_ptr {
    uint32_t ref_or_gfn;
    domid_t domid;
    uint16_t offset;
};

/* GNTTABOP_copy. IN: source, dest, len (offset + len <= 4096 on both sides), flags
   (GNTCOPY_source_gref, GNTCOPY_dest_gref). OUT: status. Needs write permission on dest. */
struct gnttab_copy {
    struct gnttab_copy_ptr source;
    struct gnttab_copy_ptr dest;
    uint16_t len;
    uint16_t flags;
    int16_t status;
    uint16_t pad;
};

/* GNTTABOP_query_size. IN: dom. OUT: nr_frames, max_nr_frames, status. */
struct gnttab_query_size {
    domid_t dom;
    uint16_t pad;
    uint32_t nr_frames;
    uint32_t max_nr_frames;
    int32_t status;
};

_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1 is 8 bytes");
_Static_assert(__builtin_offsetof(struct grant_entry_v1, domid) == 2, "domid @2");
_Static_assert(__builtin_offsetof(struct grant_entry_v1, frame) == 4, "frame @4");
_Static_assert(sizeof(struct gnttab_setup_table) == 16, "gnttab_setup_table is 16 bytes");
_Static_assert(__builtin_offsetof(struct gnttab_setup_table, status) == 12, "status @12");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 24, "gnttab_map_grant_ref is 24 bytes");
_Static_assert(__builtin_offsetof(struct gnttab_map_grant_ref, dom) == 12, "dom @12");
_Static_assert(__builtin_offsetof(struct gnttab_map_grant_ref, status) == 16, "status @16");
_Static_assert(__builtin_offsetof(struct gnttab_map_grant_ref, handle) == 20, "handle @20");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 12, "gnttab_unmap_grant_ref is 12 bytes");
_Static_assert(__builtin_offsetof(struct gnttab_unmap_grant_ref, status) == 8, "status @8");
_Static_assert(sizeof(struct gnttab_copy_ptr) == 8, "gnttab_copy_ptr is 8 bytes");
_Static_assert(sizeof(struct gnttab_copy) == 24, "gnttab_copy is 24 bytes");
_Static_assert(__builtin_offsetof(struct gnttab_copy, dest) == 8, "dest @8");
_Static_assert(__builtin_offsetof(struct gnttab_copy, len) == 16, "len @16");
_Static_assert(__builtin_offsetof(struct gnttab_copy, flags) == 18, "flags @18");
_Static_assert(__builtin_offsetof(struct gnttab_copy, status) == 20, "status @20");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "gnttab_query_size is 16 bytes");
_Static_assert(__builtin_offsetof(struct gnttab_query_size, max_nr_frames) == 8, "max_nr_frames @8");
_Static_assert(__builtin_offsetof(struct gnttab_query_size, status) == 12, "status @12");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_GRANT_TABLE_H */
