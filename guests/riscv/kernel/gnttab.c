/*
 * gnttab.c — grant entries this domain writes for others, and its pages above the initial RAM
 * (gnttab.h says why and how). The table's page is populated and registered on first use;
 * a free ref is found by scanning a bitmap from a rotating hint, so that a ref just ended is
 * not handed out again at once (a late use of the old grant then fails instead of touching the
 * new one).
 */
#include "kernel.h"
#include "gnttab.h"

static struct {
    int ready;
    struct grant_entry_v1 *table;
    uint32_t used[GNTTAB_NR_ENTRIES / 32];
    uint32_t hint;
    uint32_t in_use;
} gt;

static uint32_t extmem_next;   /* next gfn above the initial RAM; 0 until first use */

static uint32_t extmem_take(uint32_t nr)
{
    if (extmem_next == 0) {
        extmem_next = memory_first_free_gfn();
    }
    uint32_t limit = XEN_RAM_BASE_GFN + (uint32_t) memory_max_pages();
    if (nr == 0 || extmem_next + nr > limit || extmem_next + nr < extmem_next) {
        return 0;
    }
    uint32_t first = extmem_next;
    extmem_next += nr;
    return first;
}

int extmem_reserve(uint32_t nr)
{
    uint32_t first = extmem_take(nr);
    return first == 0 ? -XEN_ENOMEM : (int) first;
}

int extmem_populate(uint32_t nr)
{
    uint32_t first = extmem_take(nr);
    if (first == 0) {
        return -XEN_ENOMEM;
    }
    uint32_t gfns[16];
    for (uint32_t done = 0; done < nr;) {
        uint32_t n = nr - done < 16 ? nr - done : 16;
        for (uint32_t i = 0; i < n; i++) {
            gfns[i] = first + done + i;
        }
        int rc = memory_populate(gfns, n);
        if (rc != (int) n) {
            return rc < 0 ? rc : -XEN_ENOMEM;
        }
        done += n;
    }
    return (int) first;
}

int gnttab_init(void)
{
    if (gt.ready) {
        return 0;
    }
    int gfn = extmem_populate(1);
    if (gfn < 0) {
        return gfn;
    }
    uint32_t list[1] = { (uint32_t) gfn };
    struct gnttab_setup_table op = {
        .dom = DOMID_SELF, .nr_frames = 1, .gfn_list_ptr = guest_ptr(list), .status = 0,
    };
    int rc = hv_grant_table_op(GNTTABOP_setup_table, &op, 1);
    if (rc != 0) {
        return rc;
    }
    if (op.status != GNTST_okay) {
        return -XEN_EINVAL;
    }
    gt.table = gfn_to_virt((uint32_t) gfn);
    gt.hint = GNTTAB_NR_RESERVED;
    gt.ready = 1;
    return 0;
}

static int ref_used(uint32_t ref)
{
    return (gt.used[ref / 32] >> (ref % 32)) & 1;
}

int gnttab_grant_access(domid_t domid, uint32_t gfn, int readonly)
{
    int rc = gnttab_init();
    if (rc != 0) {
        return rc;
    }
    for (uint32_t i = 0; i < GNTTAB_NR_ENTRIES - GNTTAB_NR_RESERVED; i++) {
        uint32_t ref = gt.hint + i;
        if (ref >= GNTTAB_NR_ENTRIES) {
            ref -= GNTTAB_NR_ENTRIES - GNTTAB_NR_RESERVED;
        }
        if (ref_used(ref)) {
            continue;
        }
        gt.used[ref / 32] |= 1u << (ref % 32);
        gt.in_use++;
        gt.hint = ref + 1 < GNTTAB_NR_ENTRIES ? ref + 1 : GNTTAB_NR_RESERVED;
        volatile struct grant_entry_v1 *e = &gt.table[ref];
        e->domid = domid;
        e->frame = gfn;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        e->flags = (uint16_t) (GTF_permit_access | (readonly ? GTF_readonly : 0));
        return (int) ref;
    }
    return -XEN_ENOSPC;
}

int gnttab_end_access(grant_ref_t ref)
{
    if (!gt.ready || ref < GNTTAB_NR_RESERVED || ref >= GNTTAB_NR_ENTRIES || !ref_used(ref)) {
        return -XEN_EINVAL;
    }
    /* flags (low half) and domid (high half) share the entry's first word. */
    uint32_t *word = (uint32_t *) &gt.table[ref];
    uint32_t old = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    for (;;) {
        if (old & (GTF_reading | GTF_writing)) {
            return -XEN_EBUSY;
        }
        uint32_t cleared = old & 0xffff0000u;
        if (__atomic_compare_exchange_n(word, &old, cleared, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            break;
        }
    }
    gt.used[ref / 32] &= ~(1u << (ref % 32));
    gt.in_use--;
    return 0;
}

uint32_t gnttab_in_use(void)
{
    return gt.in_use;
}

int gnttab_copy(struct gnttab_copy *ops, uint32_t n)
{
    for (uint32_t done = 0; done < n;) {
        uint32_t batch = n - done < GNTTAB_MAX_BATCH ? n - done : GNTTAB_MAX_BATCH;
        int rc = hv_grant_table_op(GNTTABOP_copy, ops + done, batch);
        if (rc != 0) {
            return rc;
        }
        done += batch;
    }
    return 0;
}
