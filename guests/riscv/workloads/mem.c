/*
 * mem.c — the `mem` workload: the domain's own memory through memory_op. Its initial RAM is
 * gfns 0x80000 .. 0x80000 + nr_pages - 1; the gfns above it, up to 0x80000 + max_pages, are
 * free for populate_physmap. param[0] = seed (0 = default), param[1] = rounds (0 = 4),
 * param[2] = pages per round (0 = 16; at most 64, at most what the window holds, even).
 *
 * Each round: populate the round's pages (a run of gfns that moves from round to round, listed
 * backwards in odd rounds); each fresh page must read zero; write seeded patterns and verify;
 * release every other page (decrease_reservation) and verify the rest; populate the released
 * ones again (they must read zero: fresh frames) and write a second pattern; verify all;
 * release all. XENMEM_current_reservation is checked after every step.
 *
 * Then the error paths: a bad extent pointer (-EFAULT or 0 done) and a bad argument pointer
 * (-EFAULT), gfns below
 * and above the window (the call stops there: a short count), a gfn that is already mapped
 * (0 done, and the page under it untouched), releasing an unmapped gfn (0 done), a non-zero
 * extent order (refused), and filling the whole window plus one more gfn (-ENOMEM or a short
 * count; what was populated is released again).
 *
 * digest: every count and result (normalised where the ABI allows two answers) and a checksum
 * of every page verified — a function of the parameters and the domain's nr_pages/max_pages.
 */
#include "kernel.h"

#define DEFAULT_SEED      0x6d656d21u
#define DEFAULT_ROUNDS    4
#define DEFAULT_PAGES     16
#define MAX_ROUND_PAGES   64
#define WORDS_PER_PAGE    (XEN_PAGE_SIZE / 4)
#define MAX_FILL_PAGES    512         /* the whole-window test is skipped above this */
#define BAD_POINTER       0x00001000u /* below guest RAM: never mapped */

struct memtest {
    uint32_t seed;
    uint32_t nr_pages;
    uint32_t max_pages;
    uint32_t first_gfn;   /* first gfn above the initial RAM */
    uint32_t window;      /* gfns available above the initial RAM */
    uint32_t digest;
    uint32_t failures;
};

static uint32_t round_gfns[MAX_ROUND_PAGES];
static uint32_t even_gfns[MAX_ROUND_PAGES / 2];
static uint32_t odd_gfns[MAX_ROUND_PAGES / 2];
static uint32_t fill_gfns[MAX_FILL_PAGES + 1];

static void record(struct memtest *m, uint32_t v)
{
    m->digest = digest_word(m->digest, v);
}

static void expect(struct memtest *m, int cond, const char *what, int value)
{
    record(m, (uint32_t) value);
    if (!cond) {
        m->failures++;
        if (m->failures <= 10) {
            printk("mem: %s: unexpected %d\n", what, value);
        }
    }
}

static void expect_pages(struct memtest *m, uint32_t expected, const char *when)
{
    int pages = memory_current_pages();
    expect(m, pages == (int) expected, when, pages);
}

static uint32_t pattern_key(const struct memtest *m, uint32_t round, uint32_t gfn, uint32_t generation)
{
    return m->seed ^ (round * 0x9e3779b9u) ^ (gfn * 0x85ebca6bu) ^ (generation * 0xc2b2ae35u);
}

static void fill_page(uint32_t gfn, uint32_t key)
{
    uint32_t *w = gfn_to_virt(gfn);
    uint32_t x = key;
    for (uint32_t i = 0; i < WORDS_PER_PAGE; i++) {
        x = x * 1664525u + 1013904223u;
        w[i] = x ^ i;
    }
}

/* Checks the pattern of key on the page; returns a checksum of its words, and counts errors. */
static uint32_t verify_page(struct memtest *m, uint32_t gfn, uint32_t key)
{
    const volatile uint32_t *w = gfn_to_virt(gfn);
    uint32_t x = key;
    uint32_t sum = 0x811c9dc5u;
    uint32_t bad = 0;
    for (uint32_t i = 0; i < WORDS_PER_PAGE; i++) {
        x = x * 1664525u + 1013904223u;
        uint32_t v = w[i];
        bad += v != (x ^ i);
        sum = (sum ^ v) * 0x01000193u;
    }
    expect(m, bad == 0, "pattern", (int) bad);
    return sum;
}

static void expect_zero_page(struct memtest *m, uint32_t gfn)
{
    const volatile uint32_t *w = gfn_to_virt(gfn);
    uint32_t nonzero = 0;
    for (uint32_t i = 0; i < WORDS_PER_PAGE; i++) {
        nonzero += w[i] != 0;
    }
    expect(m, nonzero == 0, "fresh page is not zero", (int) nonzero);
}

static void run_round(struct memtest *m, uint32_t round, uint32_t pages)
{
    uint32_t span = m->window - pages + 1;
    uint32_t start = m->first_gfn + (round * (pages / 2 + 1)) % span;
    for (uint32_t i = 0; i < pages; i++) {
        round_gfns[i] = round % 2 == 0 ? start + i : start + pages - 1 - i;
    }
    for (uint32_t i = 0; i < pages / 2; i++) {
        even_gfns[i] = round_gfns[2 * i];
        odd_gfns[i] = round_gfns[2 * i + 1];
    }
    uint32_t half = pages / 2;

    int rc = memory_populate(round_gfns, pages);
    expect(m, rc == (int) pages, "populate_physmap", rc);
    if (rc != (int) pages) {
        return;
    }
    expect_pages(m, m->nr_pages + pages, "current_reservation after populate");
    for (uint32_t i = 0; i < pages; i++) {
        expect_zero_page(m, round_gfns[i]);
        fill_page(round_gfns[i], pattern_key(m, round, round_gfns[i], 0));
        local_irq_window();
    }
    for (uint32_t i = 0; i < pages; i++) {
        record(m, verify_page(m, round_gfns[i], pattern_key(m, round, round_gfns[i], 0)));
    }

    rc = memory_decrease(even_gfns, half);
    expect(m, rc == (int) half, "decrease_reservation of half", rc);
    expect_pages(m, m->nr_pages + pages - (uint32_t) (rc > 0 ? rc : 0), "current_reservation after decrease");
    for (uint32_t i = 0; i < half; i++) {
        record(m, verify_page(m, odd_gfns[i], pattern_key(m, round, odd_gfns[i], 0)));
        local_irq_window();
    }

    rc = memory_populate(even_gfns, half);
    expect(m, rc == (int) half, "populate_physmap again", rc);
    expect_pages(m, m->nr_pages + pages, "current_reservation after populating again");
    for (uint32_t i = 0; i < half; i++) {
        expect_zero_page(m, even_gfns[i]);
        fill_page(even_gfns[i], pattern_key(m, round, even_gfns[i], 1));
        local_irq_window();
    }
    for (uint32_t i = 0; i < half; i++) {
        record(m, verify_page(m, even_gfns[i], pattern_key(m, round, even_gfns[i], 1)));
        record(m, verify_page(m, odd_gfns[i], pattern_key(m, round, odd_gfns[i], 0)));
    }

    rc = memory_decrease(round_gfns, pages);
    expect(m, rc == (int) pages, "decrease_reservation of all", rc);
    expect_pages(m, m->nr_pages, "current_reservation after the round");
}

static void error_paths(struct memtest *m)
{
    uint32_t gfns[2];

    int rc = hv_memory_reservation(XENMEM_populate_physmap, (const uint32_t *) (uintptr_t) BAD_POINTER, 1, 0,
                                   DOMID_SELF);
    /* The ABI allows both readings: a bad pointer is -EFAULT, and a call that stops at its
       first extent has done 0. */
    int refused = rc == -XEN_EFAULT || rc == 0;
    expect(m, refused, "populate with a bad extent pointer", refused);
    rc = HYPERVISOR_memory_op(XENMEM_populate_physmap, (void *) (uintptr_t) BAD_POINTER);
    expect(m, rc == -XEN_EFAULT, "memory_op with a bad argument pointer", rc);
    rc = HYPERVISOR_memory_op(XENMEM_current_reservation, (void *) (uintptr_t) BAD_POINTER);
    expect(m, rc == -XEN_EFAULT, "current_reservation with a bad pointer", rc);
    expect_pages(m, m->nr_pages, "current_reservation after bad pointers");

    /* Above the window: the first gfn is done, the call stops at the second. */
    gfns[0] = m->first_gfn;
    gfns[1] = XEN_RAM_BASE_GFN + m->max_pages;
    rc = memory_populate(gfns, 2);
    expect(m, rc == 1, "populate across the top of the window", rc);
    /* The first is now mapped: populating it again does nothing. */
    rc = memory_populate(gfns, 1);
    expect(m, rc == 0, "populate of a mapped gfn", rc);
    rc = memory_decrease(gfns, 1);
    expect(m, rc == 1, "decrease", rc);
    rc = memory_decrease(gfns, 1);
    expect(m, rc == 0, "decrease of an unmapped gfn", rc);
    /* Below the window. */
    gfns[0] = XEN_RAM_BASE_GFN - 1;
    rc = memory_populate(gfns, 1);
    expect(m, rc == 0, "populate below the window", rc);
    expect_pages(m, m->nr_pages, "current_reservation after the window tests");

    /* A mapped page of the initial RAM (the one below start_info, unused by the kernel) keeps
       its contents when someone asks to populate it. */
    uint32_t spare = XEN_RAM_BASE_GFN + m->nr_pages - 3;
    if ((spare << 12) >= memory_image_end()) {
        volatile uint32_t *w = gfn_to_virt(spare);
        w[0] = 0x600dcafeu;
        gfns[0] = spare;
        rc = memory_populate(gfns, 1);
        expect(m, rc == 0 && w[0] == 0x600dcafeu, "populate over the initial RAM", rc);
    }

    /* extent_order must be 0. */
    gfns[0] = m->first_gfn;
    rc = hv_memory_reservation(XENMEM_populate_physmap, gfns, 1, 1, DOMID_SELF);
    expect(m, rc < 0, "populate with extent_order 1", rc < 0);
    if (rc > 0) {
        memory_decrease(gfns, 1);
    }

    /* The whole window and one gfn more: refused at max_pages. */
    if (m->window <= MAX_FILL_PAGES) {
        for (uint32_t i = 0; i <= m->window; i++) {
            fill_gfns[i] = m->first_gfn + i;
        }
        rc = memory_populate(fill_gfns, m->window + 1);
        refused = rc == -XEN_ENOMEM || (rc >= 0 && rc < (int) m->window + 1);
        expect(m, refused, "populate past max_pages", refused);
        int done = memory_current_pages() - (int) m->nr_pages;
        expect(m, done == (int) m->window, "pages populated up to max_pages", done);
        if (done > 0) {
            rc = memory_decrease(fill_gfns, (uint32_t) done);
            expect(m, rc == done, "decrease after the fill", rc);
        }
    } else {
        printk("mem: window of %u pages: the max_pages test is skipped\n", m->window);
    }
    expect_pages(m, m->nr_pages, "current_reservation at the end");
}

static int mem_main(void)
{
    struct memtest m = {
        .seed = start_info->param[0] != 0 ? start_info->param[0] : DEFAULT_SEED,
        .nr_pages = start_info->nr_pages,
        .max_pages = start_info->max_pages,
        .first_gfn = XEN_RAM_BASE_GFN + start_info->nr_pages,
        .window = start_info->max_pages - start_info->nr_pages,
        .digest = DIGEST_INIT,
    };
    uint32_t rounds = start_info->param[1] != 0 ? start_info->param[1] : DEFAULT_ROUNDS;
    uint32_t pages = start_info->param[2] != 0 ? start_info->param[2] : DEFAULT_PAGES;
    if (pages > MAX_ROUND_PAGES) {
        pages = MAX_ROUND_PAGES;
    }
    if (pages > m.window) {
        pages = m.window;
    }
    pages &= ~1u;
    printk("mem: seed=%08x rounds=%u pages=%u window=%u pages above %u\n", m.seed, rounds, pages, m.window,
           m.nr_pages);
    if (pages < 2) {
        printk("mem: FAIL: needs max_pages >= nr_pages + 2 (nr_pages=%u max_pages=%u)\n", m.nr_pages,
               m.max_pages);
        return 1;
    }
    record(&m, rounds);
    record(&m, pages);
    int max = memory_max_pages();
    expect(&m, max == (int) m.max_pages, "maximum_reservation", max);
    expect_pages(&m, m.nr_pages, "initial current_reservation");

    for (uint32_t round = 0; round < rounds; round++) {
        run_round(&m, round, pages);
        printk("mem: round %u/%u, %u failures\n", round + 1, rounds, m.failures);
    }
    error_paths(&m);

    printk("mem: %s: %u failures\n", m.failures == 0 ? "ok" : "FAIL", m.failures);
    printk("digest=%08x\n", m.digest);
    return m.failures == 0 ? 0 : 1;
}

const struct workload workload = { .name = "mem", .main = mem_main };
