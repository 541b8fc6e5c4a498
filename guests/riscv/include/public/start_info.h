/*
 * start_info.h — the boot information page the domain builder writes for a guest. It is the
 * second-to-last page of the initial RAM; shared_info is the last one. vCPU 0 starts in S-mode
 * at the ELF entry with a0 = gpa of start_info, a1 = vcpu id (0), satp = 0, sstatus.SIE = 0 and
 * every other register 0.
 *
 *   0x00 magic            0x24 role
 *   0x04 domid            0x28 param[0..5]
 *   0x08 flags            0x40 cmdline[64]
 *   0x0C nr_pages         0x80 (end)
 *   0x10 max_pages
 *   0x14 ram_base_gpa
 *   0x18 shared_info_gpa
 *   0x1C nr_vcpus
 *   0x20 peer_domid
 */
#ifndef REHYPE_PUBLIC_START_INFO_H
#define REHYPE_PUBLIC_START_INFO_H

#include "xen.h"

#define START_INFO_MAGIC          0x49534852u   /* "RHSI" */
#define SIF_PRIVILEGED            (1u << 0)     /* flags: the domain may use domctl */
#define START_INFO_NO_PEER        0xFFFFu       /* peer_domid when the workload has no partner */
#define START_INFO_NR_PARAMS      6
#define START_INFO_CMDLINE_BYTES  64

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
};

_Static_assert(sizeof(struct start_info) == 0x80, "start_info is 0x80 bytes");
_Static_assert(__builtin_offsetof(struct start_info, shared_info_gpa) == 0x18, "shared_info_gpa @0x18");
_Static_assert(__builtin_offsetof(struct start_info, peer_domid) == 0x20, "peer_domid @0x20");
_Static_assert(__builtin_offsetof(struct start_info, param) == 0x28, "param @0x28");
_Static_assert(__builtin_offsetof(struct start_info, cmdline) == 0x40, "cmdline @0x40");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_START_INFO_H */
