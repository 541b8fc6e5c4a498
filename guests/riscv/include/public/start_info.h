/*
 * start_info.h — the boot information page the domain builder writes for a guest. It is the
 * second-to-last page of the initial RAM; shared_info is the last one. vCPU 0 starts in S-mode
 * at the ELF entry with a0 = gpa of start_info, a1 = vcpu id (0), satp = 0, sstatus.SIE = 0 and
 * every other register 0.
 *
 *   0x00 magic            0x24 role
 *   0x04 domid            0x28 param[0..5]
 *   0x08 flags            0x40 cmdline[64]
 *   0x0C nr_pages         0x80 nr_modules        (Dom0)
 *   0x10 max_pages        0x84 module_table_gpa  (Dom0)
 *   0x14 ram_base_gpa     0xC0 store_gfn         (domains the toolstack builds)
 *   0x18 shared_info_gpa  0xC4 store_port
 *   0x1C nr_vcpus         0xC8 store_flags
 *   0x20 peer_domid       0xCC (end)
 *
 * The host builds only Dom0 (privileged) and gives it boot modules: the ELF images (driver
 * domain, AppVMs) it placed in Dom0's RAM, page-aligned after Dom0's image, and a table of
 * struct start_module (one per module) in the page after the last one; nr_modules and the
 * table's gpa are here. Every other domain is built by Dom0's toolstack, which fills the store
 * fields: the gfn of the store ring page (in the domain's own RAM, the page below start_info:
 * end of the initial RAM - 3 pages), Dom0's unbound port that the domain binds with
 * EVTCHNOP_bind_interdomain(0, store_port), and the store flags.
 */
#ifndef REHYPE_PUBLIC_START_INFO_H
#define REHYPE_PUBLIC_START_INFO_H

#include "xen.h"

#define START_INFO_MAGIC          0x49534852u   /* "RHSI" */
#define SIF_PRIVILEGED            (1u << 0)     /* flags: the domain may use domctl */
#define START_INFO_NO_PEER        0xFFFFu       /* peer_domid when the workload has no partner */
#define START_INFO_NR_PARAMS      6
#define START_INFO_CMDLINE_BYTES  64

/* The module table (Dom0 only). */
#define START_MODULE_NAME_BYTES   24            /* NUL-terminated (the host writes at most 23) */

/* store_flags */
#define START_INFO_STORE_PRESENT  (1u << 0)
/* The store ring page is this many pages below the end of the initial RAM. */
#define START_INFO_STORE_PAGES_FROM_END 3

#ifndef __ASSEMBLER__

struct start_info {
    uint32_t magic;            /* START_INFO_MAGIC */
    uint32_t domid;
    uint32_t flags;            /* SIF_* */
    uint32_t nr_pages;         /* initial RAM pages, the two reserved pages included */
    uint32_t max_pages;
    uint32_t ram_base_gpa;     /* 0x8000_0000 */
    uint32_t shared_info_gpa;
    uint32_t nr_vcpus;
    uint32_t peer_domid;       /* workload pairing; START_INFO_NO_PEER for none */
    uint32_t role;             /* workload-specific, e.g. 0 = initiator, 1 = responder */
    uint32_t param[START_INFO_NR_PARAMS];        /* workload parameters: seed, rounds, ... */
    char cmdline[START_INFO_CMDLINE_BYTES];      /* NUL-terminated workload name */
    uint32_t nr_modules;       /* Dom0: boot modules */
    uint32_t module_table_gpa; /* Dom0: -> struct start_module[nr_modules] */
    uint32_t reserved_88[14];
    uint32_t store_gfn;        /* the store ring page, in this domain's RAM */
    uint32_t store_port;       /* Dom0's port: bind_interdomain(0, store_port) */
    uint32_t store_flags;      /* START_INFO_STORE_* */
};

/* One boot module: an ELF image in Dom0's RAM. */
struct start_module {
    uint32_t gpa;              /* where the image starts */
    uint32_t size;             /* its size in bytes */
    char name[START_MODULE_NAME_BYTES];
};

/* Whether the domain has a store ring (built by the toolstack with one). */
static inline int start_info_has_store(const struct start_info *si)
{
    return (si->store_flags & START_INFO_STORE_PRESENT) != 0;
}

_Static_assert(sizeof(struct start_module) == 32, "start_module is 32 bytes");
_Static_assert(sizeof(struct start_info) == 0xCC, "start_info is 0xCC bytes");
_Static_assert(__builtin_offsetof(struct start_info, shared_info_gpa) == 0x18, "shared_info_gpa @0x18");
_Static_assert(__builtin_offsetof(struct start_info, peer_domid) == 0x20, "peer_domid @0x20");
_Static_assert(__builtin_offsetof(struct start_info, param) == 0x28, "param @0x28");
_Static_assert(__builtin_offsetof(struct start_info, cmdline) == 0x40, "cmdline @0x40");
_Static_assert(__builtin_offsetof(struct start_info, nr_modules) == 0x80, "nr_modules @0x80");
_Static_assert(__builtin_offsetof(struct start_info, module_table_gpa) == 0x84, "module_table_gpa @0x84");
_Static_assert(__builtin_offsetof(struct start_info, store_gfn) == 0xC0, "store_gfn @0xC0");
_Static_assert(__builtin_offsetof(struct start_info, store_port) == 0xC4, "store_port @0xC4");
_Static_assert(__builtin_offsetof(struct start_info, store_flags) == 0xC8, "store_flags @0xC8");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_START_INFO_H */
