/*
 * toolstack.c — Dom0's toolstack (toolstack.h): Xen's xl and libxl's domain builder, cut down
 * to what the ReHype I/O system needs, and the loop that serves the store (store.c) to the
 * domains it built. The phases, in order:
 *
 *   1 read the module table from start_info; parse each module's name (config.c) and ELF
 *     program headers (elf.c); a module that does not parse is reported and not built
 *   2 createdomain (paused, empty) and populate its initial RAM, for every module, in module
 *     order, so that the domids are known before any start_info names a peer
 *   3 for each domain: copy its PT_LOAD segments in (copy_to_guest), check the entry page
 *     through a foreign mapping, allocate Dom0's end of its store event channel
 *     (alloc_unbound), map its store ring page (map_foreign), open its store connection,
 *     write /local/domain/<id>/{name,domid}, write its start_info, setup
 *   4 assign NIC 0 to the driver domain; for each AppVM with a network, write the vif's front
 *     and back end entries (state Initialising) and grant each side read access to the other's
 *   5 unpause: the driver domain first, then the AppVMs
 *   6 serve: pump every store ring, relay consoles (console_read, "dN: " before each line,
 *     "dN: [lost N bytes]" where the hypervisor's ring no longer held what was not relayed yet),
 *     notice domains that shut down (getdomaininfo) and clean up after them (store
 *     connection, ring mapping, event channel, their store entries), until every AppVM has
 *     shut down
 *   7 write /local/domain/<dd>/control/shutdown = "poweroff" and serve until the driver domain
 *     shuts down, or destroy it after the grace period
 *
 * The digest covers every management operation's result in a fixed order (domids, ports,
 * sizes, entries, return codes) and each domain's shutdown reason, in domid order — never
 * timing: not when a domain shut down, not how many store requests or console bytes there were.
 */
#include "kernel.h"
#include "store.h"
#include "store_ring.h"
#include "elf.h"
#include "config.h"
#include "toolstack.h"

#define CONSOLE_CHUNK     512
#define LINE_BYTES        160
#define PATH_BYTES        XENSTORE_PATH_MAX
#define STATE_INITIALISING "1"   /* XenbusStateInitialising (public/io/xenbus.h) */

/* How the driver domain ended (digested). */
#define DD_STOPPED_ITSELF 1
#define DD_DESTROYED      2

struct dom {
    /* the module */
    uint32_t module;
    const uint8_t *bytes;
    uint32_t size;
    struct domain_config cfg;
    struct elf_image elf;
    char name[XEN_DOMCTL_NAME_BYTES];
    int usable;                  /* parsed: to be built */
    /* the build */
    int created;
    int ready;                   /* built and set up: to be started */
    int started;
    domid_t domid;
    uint32_t loaded_bytes;
    uint32_t ring_local_gpa;     /* where Dom0 maps its store ring */
    int ring_mapped;
    evtchn_port_t port;          /* Dom0's end of its store event channel */
    struct store_conn *conn;
    /* while it runs */
    int finished;
    uint32_t shutdown_reason;
    int cleanup_rc;
    uint32_t console_offset;
    uint32_t console_lost;       /* bytes of its output the ring no longer held when relayed */
    char line[LINE_BYTES];
    uint32_t line_len;
};

static struct dom doms[TOOLSTACK_MAX_DOMAINS];
static uint32_t nr_doms;
static struct dom *dd;
static struct store_conn *local;
static uint32_t digest = DIGEST_INIT;
static uint32_t failures;
static uint32_t scratch_gpa;

static void record(uint32_t v)
{
    digest = digest_word(digest, v);
}

/* Records a management operation's result; a failure is counted and said. */
static int op(const struct dom *d, const char *what, int rc)
{
    record((uint32_t) rc);
    if (rc < 0) {
        failures++;
        printk("dom0io: %s: %s failed: %d\n", d != 0 ? d->name : "dom0", what, rc);
    }
    return rc;
}

static int ts_write(const struct dom *d, const char *path, const char *value)
{
    return op(d, path, store_write(0, path, value, (uint32_t) strnlen(value, XENSTORE_VALUE_MAX + 1)));
}

static void no_op_handler(evtchn_port_t port, void *data)
{
    (void) port;
    (void) data;   /* the serving loop looks at every ring after each wake-up */
}

/* ---- consoles ---- */

static void emit_line(struct dom *d)
{
    d->line[d->line_len] = 0;
    printk("d%u: %s\n", d->domid, d->line);
    d->line_len = 0;
}

/* The hypervisor's ring no longer held `lost` bytes of the domain's output: the partial line
   ends, and a line of its own says how much is missing, where it is missing. */
static void emit_lost(struct dom *d, uint32_t lost)
{
    if (d->line_len > 0) {
        emit_line(d);
    }
    printk("d%u: [lost %u bytes]\n", d->domid, lost);
    d->console_lost += lost;
}

/* Relays what the domain wrote since last time; returns the bytes relayed. */
static uint32_t relay(struct dom *d)
{
    static char buf[CONSOLE_CHUNK];
    uint32_t total = 0;
    for (;;) {
        uint32_t first;
        int n = hv_domctl_console_read(d->domid, buf, sizeof buf, d->console_offset, &first);
        if (n < 0) {
            return total;
        }
        if (first != d->console_offset) {
            emit_lost(d, first - d->console_offset);
            d->console_offset = first;
        }
        if (n == 0) {
            return total;
        }
        d->console_offset += (uint32_t) n;
        total += (uint32_t) n;
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                emit_line(d);
            } else {
                d->line[d->line_len++] = buf[i];
                if (d->line_len == LINE_BYTES - 1) {
                    emit_line(d);
                }
            }
        }
        if (n < (int) sizeof buf) {
            return total;
        }
    }
}

static void flush_console(struct dom *d)
{
    relay(d);
    if (d->line_len > 0) {
        emit_line(d);
    }
}

/* ---- phase 1: modules ---- */

static int read_modules(void)
{
    const struct start_info *si = start_info;
    uint32_t n = si->nr_modules;
    if (n == 0) {
        printk("dom0io: FAIL: no boot modules in start_info\n");
        return -1;
    }
    if (n > TOOLSTACK_MAX_DOMAINS) {
        printk("dom0io: FAIL: %u boot modules; at most %u\n", n, TOOLSTACK_MAX_DOMAINS);
        return -1;
    }
    const struct start_module *mods = (const struct start_module *) (uintptr_t) si->module_table_gpa;
    if (!memory_is_kernel_range(mods, n * sizeof *mods) || (si->module_table_gpa & 3) != 0) {
        printk("dom0io: FAIL: the module table at %08x is not in our RAM\n", si->module_table_gpa);
        return -1;
    }
    /* Our window: a scratch page, then one page per domain for its store ring. */
    uint32_t first_free = memory_first_free_gfn();
    if (si->max_pages < si->nr_pages + 1 + n) {
        printk("dom0io: FAIL: max_pages %u leaves no room to map %u store rings (need %u)\n", si->max_pages, n,
               si->nr_pages + 1 + n);
        return -1;
    }
    scratch_gpa = first_free << XEN_PAGE_SHIFT;
    nr_doms = n;
    record(n);
    for (uint32_t i = 0; i < n; i++) {
        struct dom *d = &doms[i];
        const struct start_module *m = &mods[i];
        char mname[START_MODULE_NAME_BYTES + 1];
        memcpy(mname, m->name, START_MODULE_NAME_BYTES);
        mname[START_MODULE_NAME_BYTES] = 0;
        d->module = i;
        d->bytes = (const uint8_t *) (uintptr_t) m->gpa;
        d->size = m->size;
        d->ring_local_gpa = (first_free + 1 + i) << XEN_PAGE_SHIFT;
        snprintk(d->name, sizeof d->name, "module%u", i);
        const char *why = 0;
        if (!memory_is_kernel_range(d->bytes, d->size)) {
            why = "its bytes are not in our RAM";
        } else if (config_parse(m->name, n, &d->cfg, &why) == 0
                   && config_size_appvm(&d->cfg, si->param[TOOLSTACK_PARAM_APPVM_PAGES], &why) == 0) {
            uint32_t ring_gpa = XEN_RAM_BASE_GPA + (d->cfg.mem_pages - START_INFO_STORE_PAGES_FROM_END) * XEN_PAGE_SIZE;
            elf_parse(d->bytes, d->size, XEN_RAM_BASE_GPA, ring_gpa, &d->elf, &why);
        }
        if (why != 0) {
            failures++;
            record(0);
            printk("dom0io: module %u '%s': %s\n", i, mname, why);
            continue;
        }
        d->usable = 1;
        memcpy(d->name, d->cfg.workload, sizeof d->cfg.workload);
        for (uint32_t k = 0; k < i; k++) {
            if (doms[k].usable && strncmp_bounded(doms[k].cfg.workload, d->cfg.workload, CONFIG_NAME_BYTES) == 0) {
                snprintk(d->name, sizeof d->name, "%s-%u", d->cfg.workload, i);
            }
        }
        if (d->cfg.driver) {
            if (dd != 0) {
                failures++;
                record(0);
                printk("dom0io: module %u '%s': a second driver domain\n", i, mname);
                d->usable = 0;
                continue;
            }
            dd = d;
        }
        record(1);
        record(d->cfg.mem_pages);
        record(d->cfg.max_pages);
        record((uint32_t) d->cfg.driver << 1 | (uint32_t) d->cfg.net);
        record(d->elf.entry);
        record(d->elf.nr_segments);
        printk("dom0io: module %u '%s': %u bytes, %u segments, entry %08x, %u/%u pages%s%s\n", i, mname, d->size,
               d->elf.nr_segments, d->elf.entry, d->cfg.mem_pages, d->cfg.max_pages,
               d->cfg.driver ? ", driver domain" : "", d->cfg.net ? ", vif 0" : "");
    }
    return 0;
}

/* ---- phases 2 and 3: build ---- */

static void create(struct dom *d)
{
    int rc = op(d, "createdomain", hv_domctl_createdomain(1, 0, d->cfg.max_pages, d->name, &d->domid));
    if (rc < 0) {
        return;
    }
    d->created = 1;
    op(d, "populate", hv_domctl_populate(d->domid, d->cfg.mem_pages));
}

static int load(struct dom *d)
{
    for (uint32_t i = 0; i < d->elf.nr_segments; i++) {
        const struct elf_segment *s = &d->elf.segments[i];
        for (uint32_t done = 0; done < s->filesz;) {
            uint32_t k = s->filesz - done;
            k = k < XEN_DOMCTL_COPY_MAX_BYTES ? k : XEN_DOMCTL_COPY_MAX_BYTES;
            int rc = op(d, "copy_to_guest", hv_domctl_copy_to_guest(d->domid, s->vaddr + done,
                                                                     d->bytes + s->offset + done, k));
            if (rc < 0) {
                return rc;
            }
            done += k;
        }
        d->loaded_bytes += s->filesz;
    }
    record(d->loaded_bytes);
    /* The entry page, read back through a foreign mapping, must be what the image says. */
    uint32_t page = d->elf.entry & ~(XEN_PAGE_SIZE - 1);
    int rc = op(d, "map_foreign (entry page)", hv_domctl_map_foreign(d->domid, page >> XEN_PAGE_SHIFT, scratch_gpa));
    if (rc < 0) {
        return rc;
    }
    const uint8_t *seen = (const uint8_t *) (uintptr_t) scratch_gpa;
    uint32_t differ = 0;
    for (uint32_t i = 0; i < XEN_PAGE_SIZE; i++) {
        int want = elf_byte_at(&d->elf, d->bytes, page + i);
        differ += want >= 0 && seen[i] != (uint8_t) want;
    }
    op(d, "unmap_foreign (entry page)", hv_domctl_unmap_foreign(d->domid, scratch_gpa));
    return op(d, "the entry page read back", differ == 0 ? 0 : -XEN_EIO);
}

static int connect_store(struct dom *d, uint32_t ring_gfn)
{
    int rc = op(d, "alloc_unbound (store)", hv_evtchn_alloc_unbound(d->domid, &d->port));
    if (rc < 0) {
        return rc;
    }
    record(d->port);
    evtchn_set_handler(d->port, no_op_handler, 0);
    hv_evtchn_unmask(d->port);
    rc = op(d, "map_foreign (store ring)", hv_domctl_map_foreign(d->domid, ring_gfn, d->ring_local_gpa));
    if (rc < 0) {
        return rc;
    }
    d->ring_mapped = 1;
    rc = op(d, "store connection", store_conn_open(d->domid, &d->conn));
    if (rc < 0) {
        return rc;
    }
    char path[PATH_BYTES];
    char value[16];
    snprintk(path, sizeof path, "/local/domain/%u/name", d->domid);
    ts_write(d, path, d->name);
    snprintk(path, sizeof path, "/local/domain/%u/domid", d->domid);
    snprintk(value, sizeof value, "%u", d->domid);
    return ts_write(d, path, value);
}

static void build(struct dom *d)
{
    uint32_t ram_end_gfn = XEN_RAM_BASE_GFN + d->cfg.mem_pages;
    uint32_t ring_gfn = ram_end_gfn - START_INFO_STORE_PAGES_FROM_END;
    uint32_t start_info_gpa = (ram_end_gfn - 2) << XEN_PAGE_SHIFT;
    uint32_t shared_info_gpa = (ram_end_gfn - 1) << XEN_PAGE_SHIFT;
    if (load(d) < 0 || connect_store(d, ring_gfn) < 0) {
        return;
    }
    struct start_info si;
    memset(&si, 0, sizeof si);
    si.magic = START_INFO_MAGIC;
    si.domid = d->domid;
    si.flags = 0;
    si.nr_pages = d->cfg.mem_pages;
    si.max_pages = d->cfg.max_pages;
    si.ram_base_gpa = XEN_RAM_BASE_GPA;
    si.shared_info_gpa = shared_info_gpa;
    si.nr_vcpus = 1;
    si.peer_domid = START_INFO_NO_PEER;
    if (d->cfg.peer_module != CONFIG_NO_PEER) {
        const struct dom *peer = &doms[d->cfg.peer_module];
        si.peer_domid = peer->created ? peer->domid : START_INFO_NO_PEER;
    }
    record(si.peer_domid);
    si.role = d->cfg.role;
    memcpy(si.param, d->cfg.params, sizeof si.param);
    memcpy(si.cmdline, d->cfg.workload, strnlen(d->cfg.workload, CONFIG_NAME_BYTES - 1));
    si.store_gfn = ring_gfn;
    si.store_port = d->port;
    si.store_flags = START_INFO_STORE_PRESENT;
    if (op(d, "copy_to_guest (start_info)", hv_domctl_copy_to_guest(d->domid, start_info_gpa, &si, sizeof si)) < 0
        || op(d, "setup", hv_domctl_setup(d->domid, start_info_gpa, shared_info_gpa, d->elf.entry)) < 0) {
        return;
    }
    d->ready = 1;
    printk("dom0io: d%u (%s) built: %u bytes loaded, store ring gfn %x, store port %u\n", d->domid, d->name,
           d->loaded_bytes, ring_gfn, d->port);
}

/* ---- phase 4: devices ---- */

static void vif(struct dom *fe)
{
    if (dd == 0 || !dd->ready) {
        op(fe, "vif 0: there is no driver domain", -XEN_ENOENT);
        return;
    }
    char fe_dir[PATH_BYTES];
    char be_dir[PATH_BYTES];
    char path[PATH_BYTES];
    char value[16];
    snprintk(fe_dir, sizeof fe_dir, "/local/domain/%u/device/vif/0", fe->domid);
    snprintk(be_dir, sizeof be_dir, "/local/domain/%u/backend/vif/%u/0", dd->domid, fe->domid);
    snprintk(path, sizeof path, "%s/frontend", be_dir);
    ts_write(fe, path, fe_dir);
    snprintk(path, sizeof path, "%s/frontend-id", be_dir);
    snprintk(value, sizeof value, "%u", fe->domid);
    ts_write(fe, path, value);
    snprintk(path, sizeof path, "%s/state", be_dir);
    ts_write(fe, path, STATE_INITIALISING);
    snprintk(path, sizeof path, "%s/backend", fe_dir);
    ts_write(fe, path, be_dir);
    snprintk(path, sizeof path, "%s/backend-id", fe_dir);
    snprintk(value, sizeof value, "%u", dd->domid);
    ts_write(fe, path, value);
    snprintk(path, sizeof path, "%s/state", fe_dir);
    ts_write(fe, path, STATE_INITIALISING);
    op(fe, "grant the front end its back end", store_grant(fe->domid, be_dir, STORE_PERM_READ));
    op(fe, "grant the back end its front end", store_grant(dd->domid, fe_dir, STORE_PERM_READ));
    /* Dom0 follows both states (printed, never digested). */
    snprintk(path, sizeof path, "%s/state", fe_dir);
    store_watch(local, path, "vif");
    snprintk(path, sizeof path, "%s/state", be_dir);
    store_watch(local, path, "vif");
    printk("dom0io: vif 0 of d%u (%s) -> back end in d%u (%s)\n", fe->domid, fe->name, dd->domid, dd->name);
}

/* ---- phases 6 and 7: serve ---- */

static void show_watch_events(void)
{
    struct xsd_sockmsg h;
    char payload[XENSTORE_PATH_MAX + XENSTORE_TOKEN_MAX + 1];
    while (store_conn_take(local, &h, payload, sizeof payload - 1) == 0) {
        char value[XENSTORE_VALUE_MAX + 1];
        uint32_t len = 0;
        if (store_read(0, payload, value, XENSTORE_VALUE_MAX, &len) == 0) {
            value[len] = 0;
            printk("dom0io: %s = %s\n", payload, value);
        }
    }
}

static void cleanup(struct dom *d)
{
    char path[PATH_BYTES];
    int rc = 0;
    int r;
    if (d->conn != 0) {
        store_conn_close(d->conn);
        d->conn = 0;
    }
    if (d->ring_mapped) {
        r = hv_domctl_unmap_foreign(d->domid, d->ring_local_gpa);
        rc = rc != 0 ? rc : r;
        d->ring_mapped = 0;
    }
    if (d->port != 0) {
        evtchn_set_handler(d->port, 0, 0);
        r = hv_evtchn_close(d->port);
        rc = rc != 0 ? rc : r;
        d->port = 0;
    }
    if (d->cfg.net && dd != 0 && dd != d) {
        snprintk(path, sizeof path, "/local/domain/%u/device/vif/0/state", d->domid);
        store_unwatch(local, path, "vif");
        snprintk(path, sizeof path, "/local/domain/%u/backend/vif/%u/0/state", dd->domid, d->domid);
        store_unwatch(local, path, "vif");
        snprintk(path, sizeof path, "/local/domain/%u/backend/vif/%u", dd->domid, d->domid);
        store_rm(0, path);   /* the back end may have gone with its domain: no error then */
    }
    snprintk(path, sizeof path, "/local/domain/%u", d->domid);
    store_rm(0, path);
    store_forget_domain(d->domid);
    d->cleanup_rc = rc;
}

/* Notices that d has shut down (or vanished): its last console bytes, then cleanup. */
static void check_domain(struct dom *d)
{
    struct xen_domctl_getdomaininfo info;
    int rc = hv_domctl_getdomaininfo(d->domid, &info);
    if (rc == 0 && (info.flags & XEN_DOMINF_shutdown) == 0) {
        return;
    }
    flush_console(d);
    d->finished = 1;
    d->shutdown_reason = rc == 0 ? info.shutdown_reason : 0xFFu;
    static const char *const reasons[] = { "poweroff", "reboot", "suspend", "crash" };
    printk("dom0io: d%u (%s) %s: %s\n", d->domid, d->name, rc == 0 ? "shut down" : "vanished",
           d->shutdown_reason < 4 ? reasons[d->shutdown_reason] : "gone");
    cleanup(d);
}

/* One pass over everything; returns whether anything moved (then there may be more to do). */
static int serve_pass(void)
{
    int moved = 0;
    for (uint32_t i = 0; i < nr_doms; i++) {
        struct dom *d = &doms[i];
        if (!d->started || d->finished) {
            continue;
        }
        if (d->conn != 0) {
            int rc = store_ring_pump(d->conn, (struct xenstore_domain_interface *) (uintptr_t) d->ring_local_gpa);
            if (rc < 0) {
                printk("dom0io: d%u (%s): its store ring is broken; no longer served\n", d->domid, d->name);
                store_conn_close(d->conn);
                d->conn = 0;
            } else if (rc & STORE_RING_NOTIFY) {
                hv_evtchn_send(d->port);   /* -EINVAL until it has bound its end: it looks anyway */
                moved = 1;
            }
        }
        moved |= relay(d) != 0;
        check_domain(d);
    }
    show_watch_events();
    return moved;
}

static int appvms_running(void)
{
    for (uint32_t i = 0; i < nr_doms; i++) {
        if (doms[i].started && !doms[i].finished && &doms[i] != dd) {
            return 1;
        }
    }
    return 0;
}

static void serve_until_appvms_done(void)
{
    while (appvms_running()) {
        if (!serve_pass()) {
            kernel_idle();
        }
    }
}

static uint32_t stop_driver_domain(uint32_t grace_cycles)
{
    char path[PATH_BYTES];
    snprintk(path, sizeof path, "/local/domain/%u/control/shutdown", dd->domid);
    ts_write(dd, path, "poweroff");
    printk("dom0io: asked d%u (%s) to shut down\n", dd->domid, dd->name);
    uint64_t deadline = time_now() + grace_cycles;
    while (!dd->finished && time_now() < deadline) {
        if (!serve_pass()) {
            kernel_idle();
        }
    }
    if (dd->finished) {
        return DD_STOPPED_ITSELF;
    }
    flush_console(dd);
    printk("dom0io: d%u (%s) did not shut down within %u cycles: destroying it\n", dd->domid, dd->name,
           grace_cycles);
    cleanup(dd);
    op(dd, "destroydomain", hv_domctl_destroydomain(dd->domid));
    dd->finished = 1;
    return DD_DESTROYED;
}

/* ---- the whole ---- */

int toolstack_main(void)
{
    uint32_t grace = start_info->param[1] != 0 ? start_info->param[1] : TOOLSTACK_DD_GRACE_CYCLES;
    printk("dom0io: toolstack and store; %u boot modules\n", start_info->nr_modules);
    if ((start_info->flags & SIF_PRIVILEGED) == 0) {
        printk("dom0io: FAIL: this domain is not privileged\n");
        return 1;
    }
    store_init();
    if (store_conn_open(0, &local) != 0 || read_modules() != 0) {
        return 1;
    }
    ts_write(0, "/local/domain/0/name", "dom0io");
    ts_write(0, "/local/domain/0/domid", "0");

    for (uint32_t i = 0; i < nr_doms; i++) {
        if (doms[i].usable) {
            create(&doms[i]);
        }
    }
    for (uint32_t i = 0; i < nr_doms; i++) {
        if (doms[i].created) {
            build(&doms[i]);
        }
    }
    if (dd != 0 && dd->ready) {
        op(dd, "assign_device (NIC 0)", hv_domctl_assign_device(dd->domid, XEN_DEVICE_NIC0));
    }
    for (uint32_t i = 0; i < nr_doms; i++) {
        if (doms[i].ready && doms[i].cfg.net) {
            vif(&doms[i]);
        }
    }
    /* The driver domain first: its back ends should be listening when the front ends start. */
    for (uint32_t pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < nr_doms; i++) {
            struct dom *d = &doms[i];
            if (d->ready && (pass == 0) == (d == dd)) {
                d->started = op(d, "unpausedomain", hv_domctl_unpausedomain(d->domid)) == 0;
            }
        }
    }

    serve_until_appvms_done();
    uint32_t dd_end = 0;
    if (dd != 0 && dd->started && !dd->finished) {
        dd_end = stop_driver_domain(grace);
    } else if (dd != 0 && dd->finished) {
        dd_end = DD_STOPPED_ITSELF;
    }
    record(dd_end);

    uint32_t started = 0;
    uint32_t lost = 0;
    for (uint32_t i = 0; i < nr_doms; i++) {
        const struct dom *d = &doms[i];
        lost += d->console_lost;
        if (d->started) {
            started++;
            record(d->domid);
            record(d->shutdown_reason);
            op(d, "cleanup", d->cleanup_rc);
        }
    }
    if (lost != 0) {
        printk("dom0io: consoles: %u bytes lost before they were relayed\n", lost);
    }
    printk("dom0io: store at the end: %u nodes, %u watches, %u grants\n", store_nodes_used(), store_watches_used(),
           store_grants_used());
    printk("dom0io: %s: %u of %u modules started, %u failures\n", failures == 0 ? "ok" : "FAIL", started, nr_doms,
           failures);
    printk("digest=%08x\n", digest);
    return failures == 0 ? 0 : 1;
}
