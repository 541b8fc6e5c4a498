/*
 * dom0.c — the privileged domain's program for now (a stand-in for the toolstack): it watches
 * the other domains through domctl while the AppVMs run. param[1] = rounds (0 = 50),
 * param[2] = domid of an AppVM to pause and unpause once (0xFFFF, 0 or our own id = none),
 * param[3] = virtual cycles to sleep between rounds (0 = 100000).
 *
 * Each round: XEN_DOMCTL_getdomaininfo on domids 0..7 (a domain that does not exist gives
 * -ESRCH; ours must say privileged, with our vcpus and max_pages), XEN_DOMCTL_getvcpuinfo on our
 * vCPU 0, and every 10 rounds one line per live domain. In round 0 the chosen AppVM is paused
 * (getdomaininfo must then show it paused), in round 1 unpaused (and no longer paused); one
 * that has already shut down is left alone.
 * Between rounds: set_timer_op + SCHEDOP_block (timer_sleep_until). At the end, requests that
 * must fail: a wrong interface version, destroying ourselves, a domid that does not exist.
 *
 * digest: the number of rounds, the set of live domains seen in the first round, the success
 * counts of the per-round queries and every pause/unpause/error result — never flags that
 * change with timing (running, blocked, tot_pages, cpu time). The listing lines show only
 * values fixed at domain creation; which domains are still alive in later rounds depends on
 * the host.
 */
#include "kernel.h"

#define DEFAULT_ROUNDS          50
#define DEFAULT_SLEEP_CYCLES    100000u
#define SCANNED_DOMIDS          8
#define PAUSE_ROUND             0
#define UNPAUSE_ROUND           1
#define MISSING_DOMID           1000

struct watch {
    uint32_t digest;
    uint32_t failures;
};

static void record(struct watch *w, uint32_t v)
{
    w->digest = digest_word(w->digest, v);
}

static void expect(struct watch *w, int cond, uint32_t round, const char *what, int value)
{
    record(w, (uint32_t) value);
    if (!cond) {
        w->failures++;
        if (w->failures <= 10) {
            printk("dom0: round %u: %s: unexpected %d\n", round, what, value);
        }
    }
}

/* Queries domids 0..7; returns the bitmap of those that answered. Counts our own good answers. */
static uint32_t scan(struct watch *w, uint32_t round, uint32_t *self_ok, int list)
{
    uint32_t live = 0;
    for (uint32_t d = 0; d < SCANNED_DOMIDS; d++) {
        struct xen_domctl_getdomaininfo info;
        int rc = hv_domctl_getdomaininfo((domid_t) d, &info);
        if (rc == -XEN_ESRCH) {
            continue;
        }
        if (rc != 0) {
            w->failures++;
            printk("dom0: round %u: getdomaininfo(dom%u): %d\n", round, d, rc);
            continue;
        }
        live |= 1u << d;
        if (d == start_info->domid) {
            *self_ok += (info.flags & XEN_DOMINF_privileged) != 0 && info.nr_vcpus == start_info->nr_vcpus
                        && info.max_pages == start_info->max_pages;
        }
        if (list) {
            printk("dom0: round %u: dom%u vcpus=%u max_pages=%u%s\n", round, d, info.nr_vcpus, info.max_pages,
                   (info.flags & XEN_DOMINF_privileged) ? " privileged" : "");
        }
    }
    return live;
}

static int paused(domid_t d, int *rc)
{
    struct xen_domctl_getdomaininfo info;
    *rc = hv_domctl_getdomaininfo(d, &info);
    return *rc == 0 && (info.flags & XEN_DOMINF_paused) != 0;
}

/* Pauses the target and checks that it shows paused. A target that has already shut down cannot
   be paused (-EINVAL); that depends on timing, so it counts as the same outcome in the digest.
   Returns whether the target is now paused by us. */
static int pause_target(struct watch *w, uint32_t round, domid_t target)
{
    int rc = hv_domctl_pausedomain(target);
    if (rc != 0) {
        struct xen_domctl_getdomaininfo info;
        int info_rc = hv_domctl_getdomaininfo(target, &info);
        int finished = info_rc == 0 && (info.flags & XEN_DOMINF_shutdown) != 0;
        expect(w, finished, round, "pausedomain", finished ? 0 : rc);
        expect(w, finished, round, "paused flag after pausedomain", finished ? 0 : info_rc);
        printk("dom0: dom%u has already shut down: not paused\n", target);
        return 0;
    }
    expect(w, rc == 0, round, "pausedomain", rc);
    int info_rc;
    int is_paused = paused(target, &info_rc);
    expect(w, is_paused, round, "paused flag after pausedomain", info_rc);
    printk("dom0: dom%u paused\n", target);
    return 1;
}

static void error_paths(struct watch *w, uint32_t round)
{
    struct xen_domctl op;
    domctl_prepare(&op, XEN_DOMCTL_getdomaininfo, (domid_t) start_info->domid);
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION + 1;
    int rc = HYPERVISOR_domctl(&op);
    expect(w, rc < 0, round, "domctl with a wrong interface version", rc < 0);
    rc = hv_domctl_destroydomain((domid_t) start_info->domid);
    expect(w, rc < 0, round, "destroydomain(self)", rc < 0);
    struct xen_domctl_getdomaininfo info;
    rc = hv_domctl_getdomaininfo(MISSING_DOMID, &info);
    expect(w, rc == -XEN_ESRCH, round, "getdomaininfo of a missing domain", rc);
    rc = hv_domctl_pausedomain(MISSING_DOMID);
    expect(w, rc < 0, round, "pausedomain of a missing domain", rc < 0);
    rc = HYPERVISOR_domctl((struct xen_domctl *) (uintptr_t) 0x1000u);
    expect(w, rc == -XEN_EFAULT, round, "domctl with a bad pointer", rc);
}

static int dom0_main(void)
{
    uint32_t rounds = start_info->param[1] != 0 ? start_info->param[1] : DEFAULT_ROUNDS;
    uint32_t target = start_info->param[2];
    uint32_t sleep_cycles = start_info->param[3] != 0 ? start_info->param[3] : DEFAULT_SLEEP_CYCLES;
    int has_target = target != START_INFO_NO_PEER && target != 0 && target != start_info->domid;
    struct watch w = { .digest = DIGEST_INIT, .failures = 0 };

    if (has_target) {
        printk("dom0: rounds=%u pause=dom%u sleep=%u cycles\n", rounds, target, sleep_cycles);
    } else {
        printk("dom0: rounds=%u pause=none sleep=%u cycles\n", rounds, sleep_cycles);
    }
    if ((start_info->flags & SIF_PRIVILEGED) == 0) {
        printk("dom0: FAIL: this domain is not privileged\n");
        return 1;
    }
    record(&w, rounds);
    record(&w, has_target ? target : START_INFO_NO_PEER);

    uint32_t self_ok = 0;
    uint32_t vcpu_ok = 0;
    int paused_it = 0;
    for (uint32_t round = 0; round < rounds; round++) {
        uint32_t live = scan(&w, round, &self_ok, round % 10 == 0);
        if (round == 0) {
            record(&w, live);
            printk("dom0: live domains at start: %x\n", live);
        }
        struct xen_domctl_getvcpuinfo vcpu;
        int rc = hv_domctl_getvcpuinfo((domid_t) start_info->domid, 0, &vcpu);
        vcpu_ok += rc == 0 && vcpu.online == 1;

        if (has_target && round == PAUSE_ROUND) {
            paused_it = pause_target(&w, round, (domid_t) target);
        }
        if (has_target && round == UNPAUSE_ROUND) {
            if (paused_it) {
                rc = hv_domctl_unpausedomain((domid_t) target);
                expect(&w, rc == 0, round, "unpausedomain", rc);
                int info_rc;
                int is_paused = paused((domid_t) target, &info_rc);
                expect(&w, !is_paused && info_rc == 0, round, "paused flag after unpausedomain", info_rc);
                printk("dom0: dom%u unpaused\n", target);
            } else {
                record(&w, 0);   /* what a successful unpause records, so that the digest */
                record(&w, 0);   /* does not depend on whether the target had finished */
            }
        }
        rc = timer_sleep_until(time_now() + sleep_cycles);
        if (rc != 0) {
            expect(&w, 0, round, "set_timer_op", rc);
        }
    }
    expect(&w, self_ok == rounds, rounds, "good answers about ourselves", (int) self_ok);
    expect(&w, vcpu_ok == rounds, rounds, "good getvcpuinfo answers", (int) vcpu_ok);
    error_paths(&w, rounds);

    printk("dom0: %s: %u rounds, %u failures\n", w.failures == 0 ? "ok" : "FAIL", rounds, w.failures);
    printk("digest=%08x\n", w.digest);
    return w.failures == 0 ? 0 : 1;
}

const struct workload workload = { .name = "dom0", .main = dom0_main };
