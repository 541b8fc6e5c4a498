/*
 * gnttab.h — the granting side of grant tables (public/grant_table.h) and the kernel's pages
 * above the initial RAM. A front end lends pages to a back end by writing grant entries in its
 * own table; the back end maps them or copies through them (GNTTABOP_map_grant_ref,
 * GNTTABOP_copy) and the hypervisor checks every use against the entry.
 *
 * The table is one page of this domain's RAM (512 entries), populated above the initial RAM and
 * registered with GNTTABOP_setup_table on first use. Refs 0..GNTTAB_NR_RESERVED-1 are never
 * handed out (as in Xen). Entries are written domid and frame first, flags last (after a
 * fence); a grant is ended only when the hypervisor has cleared GTF_reading and GTF_writing,
 * with one compare-and-swap on the entry's first word so that a mapping that starts meanwhile
 * is not missed.
 *
 * extmem_*: a bump allocator over the gfns above the initial RAM, up to max_pages: populated
 * pages (grant table, rings, buffers) and unpopulated ones reserved as places to map a granted
 * page. Nothing is given back. Kernel context only.
 */
#ifndef REHYPE_KERNEL_GNTTAB_H
#define REHYPE_KERNEL_GNTTAB_H

#include <stdint.h>

#include "public/grant_table.h"

#define GNTTAB_NR_RESERVED  8
#define GNTTAB_NR_ENTRIES   GNTTAB_ENTRIES_PER_FRAME

/* Populates nr fresh zeroed pages above the initial RAM; returns the first gfn, or -XEN_ENOMEM
   (window or max_pages exhausted) or the memory_op error. */
int extmem_populate(uint32_t nr);

/* Reserves nr unpopulated gfns above the initial RAM (to map granted pages at); returns the
   first, or -XEN_ENOMEM. */
int extmem_reserve(uint32_t nr);

/* Sets up the table (once); 0 or a negative error. */
int gnttab_init(void);

/* Lets domid use page gfn of ours (read-only if readonly != 0); returns the ref (>=
   GNTTAB_NR_RESERVED), -XEN_ENOSPC when the table is full, or gnttab_init's error. */
int gnttab_grant_access(domid_t domid, uint32_t gfn, int readonly);

/* Ends a grant: 0 and the ref is free again; -XEN_EBUSY if the page is still mapped (the entry
   is left as it is: the caller must not reuse the page); -XEN_EINVAL for a ref not granted. */
int gnttab_end_access(grant_ref_t ref);

/* Refs granted and not ended. */
uint32_t gnttab_in_use(void);

/* Runs ops[0..n) in batches of GNTTAB_MAX_BATCH; returns 0 or the first hypercall error (each
   op's own result is in its status). */
int gnttab_copy(struct gnttab_copy *ops, uint32_t n);

#endif /* REHYPE_KERNEL_GNTTAB_H */
