/*
 * xstest.c — an AppVM that checks the store end to end: the kernel's client (xenstore.c), the
 * ring, and Dom0's server (riscv/dom0/store.c) as the toolstack set it up. Needs a store
 * (a domain built by dom0io); param[1] = rounds of the ring test (0 = 200).
 *
 *   - what the toolstack wrote: /local/domain/<id>/{name,domid}, relative paths
 *   - writes (parents created), reads, directory listings, removal of a subtree
 *   - a watch: its first event at once, an event for a change below it, unwatch
 *   - refusals: another domain's directory and the root (EACCES, for reads too), our own
 *     directory node itself, bad paths (EINVAL), a value over the limit (E2BIG), missing nodes
 *     (ENOENT), a watch set twice (EEXIST), an unknown watch (ENOENT)
 *   - the per-domain node quota: nodes are created until ENOSPC, then given back
 *   - many requests of varied sizes, so that the ring indexes go round many times
 *
 * digest: every result and length above that does not depend on our domid (never timing or
 * statistics).
 */
#include "kernel.h"
#include "xenstore.h"

#define DEFAULT_ROUNDS 200

struct check {
    uint32_t digest;
    uint32_t failures;
};

static void expect(struct check *c, int cond, const char *what, int value)
{
    c->digest = digest_word(c->digest, (uint32_t) value);
    if (!cond) {
        c->failures++;
        if (c->failures <= 10) {
            printk("xstest: %s: unexpected %d\n", what, value);
        }
    }
}

static int streq(const char *a, const char *b)
{
    return strncmp_bounded(a, b, XENSTORE_PATH_MAX) == 0;
}

static void basics(struct check *c, uint32_t domid)
{
    char buf[XENSTORE_PATH_MAX];
    char want[XENSTORE_PATH_MAX];
    int n = xs_read("name", buf, sizeof buf);
    expect(c, n == 6 && streq(buf, "xstest"), "read name", n);
    uint32_t v = 0;
    int rc = xs_read_uint("domid", &v);
    expect(c, rc == 0 && v == domid, "read domid", rc == 0 && v == domid ? 0 : rc == 0 ? (int) v : rc);
    snprintk(want, sizeof want, "/local/domain/%u/name", domid);
    n = xs_read(want, buf, sizeof buf);
    expect(c, n == 6, "read name by its absolute path", n);

    expect(c, xs_write("data/a", "1") == 0, "write data/a", 0);
    rc = xs_write("data/sub/b", "two");
    expect(c, rc == 0, "write data/sub/b (parent created)", rc);
    n = xs_read("data/sub/b", buf, sizeof buf);
    expect(c, n == 3 && streq(buf, "two"), "read data/sub/b", n);
    n = xs_read("data/sub", buf, sizeof buf);
    expect(c, n == 0, "a created parent is empty", n);
    n = xs_directory("data", buf, sizeof buf);
    expect(c, n == 2 && streq(buf, "a") && streq(buf + 2, "sub"), "directory data", n);
    rc = xs_write_uint("data/a", 4294967295u);
    expect(c, rc == 0, "write_uint", rc);
    rc = xs_read_uint("data/a", &v);
    expect(c, rc == 0 && v == 4294967295u, "read_uint", rc);
    rc = xs_rm("data/sub");
    expect(c, rc == 0, "rm data/sub", rc);
    n = xs_read("data/sub/b", buf, sizeof buf);
    expect(c, n == -XEN_ENOENT, "read below a removed node", n);
}

static void watches(struct check *c, uint32_t domid)
{
    char path[XENSTORE_PATH_MAX];
    char token[XENSTORE_TOKEN_MAX];
    char want[XENSTORE_PATH_MAX];
    int rc = xs_watch("data", "w1");
    expect(c, rc == 0, "watch data", rc);
    int n = xs_read_watch(path, sizeof path, token, sizeof token, 0);
    snprintk(want, sizeof want, "/local/domain/%u/data", domid);
    expect(c, n > 0 && streq(path, want) && streq(token, "w1"), "first event", n > 0 && streq(path, want) ? 0 : n);
    rc = xs_watch("data", "w1");
    expect(c, rc == -XEN_EEXIST, "the same watch twice", rc);
    rc = xs_write("data/c", "3");
    expect(c, rc == 0, "write data/c", rc);
    n = xs_read_watch(path, sizeof path, token, sizeof token, 0);
    snprintk(want, sizeof want, "/local/domain/%u/data/c", domid);
    expect(c, n > 0 && streq(path, want) && streq(token, "w1"), "event for data/c",
           n > 0 && streq(path, want) ? 0 : n);
    rc = xs_unwatch("data", "w1");
    expect(c, rc == 0, "unwatch", rc);
    rc = xs_unwatch("data", "w1");
    expect(c, rc == -XEN_ENOENT, "unwatch again", rc);
    rc = xs_write("data/d", "4");
    n = xs_read_watch(path, sizeof path, token, sizeof token, time_now() + 4 * TICK_CYCLES);
    expect(c, rc == 0 && n == -XEN_EAGAIN, "no event after unwatch", n);
    rc = xs_watch("/local/domain/0", "peek");
    expect(c, rc == -XEN_EACCES, "watch another domain", rc);
}

static void refusals(struct check *c, uint32_t domid)
{
    char buf[XENSTORE_VALUE_MAX + 8];
    char p[XENSTORE_PATH_MAX];
    int rc = xs_read("/local/domain/0/name", buf, sizeof buf);
    expect(c, rc == -XEN_EACCES, "read dom0's name", rc);
    rc = xs_read("/local/domain/0/missing", buf, sizeof buf);
    expect(c, rc == -XEN_EACCES, "read a missing node of dom0", rc);
    rc = xs_write("/local/domain/0/x", "1");
    expect(c, rc == -XEN_EACCES, "write into dom0's directory", rc);
    rc = xs_directory("/", buf, sizeof buf);
    expect(c, rc == -XEN_EACCES, "list the root", rc);
    snprintk(p, sizeof p, "/local/domain/%u", domid);
    rc = xs_write(p, "mine?");
    expect(c, rc == -XEN_EACCES, "write our directory node itself", rc);
    rc = xs_rm(p);
    expect(c, rc == -XEN_EACCES, "remove our directory", rc);
    rc = xs_write("data//x", "1");
    expect(c, rc == -XEN_EINVAL, "a path with an empty component", rc);
    rc = xs_write("data/x/", "1");
    expect(c, rc == -XEN_EINVAL, "a path with a trailing slash", rc);
    rc = xs_write("data/bad name", "1");
    expect(c, rc == -XEN_EINVAL, "a path with a space", rc);
    memset(buf, 'v', XENSTORE_VALUE_MAX + 1);
    buf[XENSTORE_VALUE_MAX + 1] = 0;
    rc = xs_write("data/big", buf);
    expect(c, rc == -XEN_E2BIG, "a value over the limit", rc);
    buf[XENSTORE_VALUE_MAX] = 0;
    rc = xs_write("data/big", buf);
    expect(c, rc == 0, "a value at the limit", rc);
    rc = xs_read("data/big", buf, XENSTORE_VALUE_MAX);
    expect(c, rc == -XEN_E2BIG, "a read into a buffer without room for the NUL", rc);
    rc = xs_read("data/missing", buf, sizeof buf);
    expect(c, rc == -XEN_ENOENT, "read a missing node", rc);
    rc = xs_rm("data/missing");
    expect(c, rc == -XEN_ENOENT, "remove a missing node", rc);
}

static void quota(struct check *c)
{
    char p[32];
    int made = 0;
    for (int i = 0; i < 1000; i++) {
        snprintk(p, sizeof p, "q/%d", i);
        int rc = xs_write(p, "x");
        if (rc != 0) {
            expect(c, rc == -XEN_ENOSPC, "the node that does not fit", rc);
            break;
        }
        made++;
    }
    expect(c, made > 0 && made < 1000, "nodes made before the quota", made);
    int rc = xs_rm("q");
    expect(c, rc == 0, "give them back", rc);
    rc = xs_write("q/again", "x");
    expect(c, rc == 0, "a node after giving them back", rc);
    printk("xstest: quota reached after %d nodes\n", made);
}

static void ring(struct check *c, uint32_t rounds)
{
    char p[32];
    char value[XENSTORE_VALUE_MAX + 1];
    char back[XENSTORE_VALUE_MAX + 1];
    uint32_t bad = 0;
    for (uint32_t i = 0; i < rounds; i++) {
        uint32_t len = (i * 37) % (XENSTORE_VALUE_MAX + 1);
        for (uint32_t k = 0; k < len; k++) {
            value[k] = (char) ('a' + (i + k) % 26);
        }
        value[len] = 0;
        snprintk(p, sizeof p, "ring/k%u", i % 16);
        int rc = xs_write(p, value);
        int n = xs_read(p, back, sizeof back);
        bad += rc != 0 || n != (int) len || memcmp(back, value, len) != 0;
        c->digest = digest_word(c->digest, (uint32_t) n);
    }
    expect(c, bad == 0, "ring round trips that went wrong", (int) bad);
    int n = xs_directory("ring", value, sizeof value);
    expect(c, n == (int) (rounds < 16 ? rounds : 16), "ring keys", n);
}

static int xstest_main(void)
{
    uint32_t rounds = start_info->param[1] != 0 ? start_info->param[1] : DEFAULT_ROUNDS;
    uint32_t domid = start_info->domid;
    struct check c = { .digest = DIGEST_INIT, .failures = 0 };
    if (!xs_available()) {
        printk("xstest: FAIL: this domain has no store\n");
        return 1;
    }
    printk("xstest: store ring gfn %x, Dom0's port %u, %u rounds\n", start_info->store_gfn, start_info->store_port,
           rounds);
    basics(&c, domid);
    watches(&c, domid);
    refusals(&c, domid);
    quota(&c);
    ring(&c, rounds);
    int rc = xs_rm("data");
    expect(&c, rc == 0, "rm data", rc);
    printk("xstest: %s: %u failures\n", c.failures == 0 ? "ok" : "FAIL", c.failures);
    printk("digest=%08x\n", c.digest);
    return c.failures == 0 ? 0 : 1;
}

const struct workload workload = { .name = "xstest", .main = xstest_main };
