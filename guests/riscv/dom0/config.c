/*
 * config.c — module names to domain configurations (config.h). The table gives the memory each
 * workload of guests/README.md needs (the images are about 21-25 pages; three more pages are
 * the store ring, start_info and shared_info; above them, room for what the workload populates
 * or maps: netfront's rings and buffers, netback's mappings of the front ends' grants), whether
 * it talks to the network, and which one is the driver domain.
 */
#include "config.h"

#define MIN_PAGES 8u

struct known {
    const char *workload;
    uint32_t mem_pages;
    uint32_t max_pages;
    int net;
    int driver;
};

static const struct known table[] = {
    { "compute", 256, 256, 0, 0 },
    { "hypercall", 128, 160, 0, 0 },
    { "mem", 64, 128, 0, 0 },
    { "net", 96, 160, 1, 0 },
    { "service", 96, 160, 1, 0 },
    { "netdrv", 128, 320, 0, 1 },
    { "xstest", 64, 64, 0, 0 },
};

static const struct known fallback = { "", 128, 160, 0, 0 };

static int same(const char *a, uint32_t alen, const char *b)
{
    uint32_t i = 0;
    for (; i < alen; i++) {
        if (b[i] != a[i]) {
            return 0;
        }
    }
    return b[i] == 0;
}

/* The decimal at s[0..len); -1 if it is not one (or above 10^9). */
static int64_t decimal(const char *s, uint32_t len)
{
    if (len == 0 || len > 9) {
        return -1;
    }
    int64_t v = 0;
    for (uint32_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int refuse(const char **why, const char *reason)
{
    *why = reason;
    return -1;
}

/* One option s[0..len). */
static int option(const char *s, uint32_t len, uint32_t nr_modules, struct domain_config *cfg, const char **why)
{
    if (same(s, len, "dd")) {
        cfg->driver = 1;
        return 0;
    }
    if (same(s, len, "net")) {
        cfg->net = 1;
        return 0;
    }
    if (same(s, len, "nonet")) {
        cfg->net = 0;
        return 0;
    }
    uint32_t eq = 0;
    while (eq < len && s[eq] != '=') {
        eq++;
    }
    if (eq == len) {
        return refuse(why, "unknown option (dd, net, nonet, role=, peer=, pI=, mem=, max=)");
    }
    int64_t v = decimal(s + eq + 1, len - eq - 1);
    if (v < 0) {
        return refuse(why, "an option's value is not a decimal number");
    }
    if (same(s, eq, "role")) {
        cfg->role = (uint32_t) v;
    } else if (same(s, eq, "peer")) {
        if (v >= nr_modules) {
            return refuse(why, "peer= names a module that does not exist");
        }
        cfg->peer_module = (int32_t) v;
    } else if (same(s, eq, "mem")) {
        cfg->mem_pages = (uint32_t) v;
    } else if (same(s, eq, "max")) {
        cfg->max_pages = (uint32_t) v;
    } else if (eq == 2 && s[0] == 'p' && s[1] >= '0' && s[1] < '0' + START_INFO_NR_PARAMS) {
        cfg->params[s[1] - '0'] = (uint32_t) v;
    } else {
        return refuse(why, "unknown option (dd, net, nonet, role=, peer=, pI=, mem=, max=)");
    }
    return 0;
}

int config_parse(const char *name, uint32_t nr_modules, struct domain_config *cfg, const char **why)
{
    uint32_t n = 0;
    while (n < CONFIG_NAME_BYTES && name[n] != 0) {
        n++;
    }
    if (n == CONFIG_NAME_BYTES) {
        return refuse(why, "the module name is not NUL-terminated");
    }
    uint32_t colon = 0;
    while (colon < n && name[colon] != ':') {
        colon++;
    }
    if (colon == 0) {
        return refuse(why, "the module name has no workload");
    }
    for (uint32_t i = 0; i < colon; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
            return refuse(why, "the workload name has a character other than [A-Za-z0-9_-]");
        }
    }
    const struct known *k = &fallback;
    for (uint32_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (same(name, colon, table[i].workload)) {
            k = &table[i];
        }
    }
    *cfg = (struct domain_config) {
        .mem_pages = k->mem_pages, .max_pages = k->max_pages, .role = 0, .peer_module = CONFIG_NO_PEER,
        .driver = k->driver, .net = k->net,
    };
    for (uint32_t i = 0; i < colon; i++) {
        cfg->workload[i] = name[i];
    }
    cfg->workload[colon] = 0;
    uint32_t at = colon + 1;
    while (at < n) {
        uint32_t end = at;
        while (end < n && name[end] != ',') {
            end++;
        }
        if (option(name + at, end - at, nr_modules, cfg, why) != 0) {
            return -1;
        }
        at = end + 1;
    }
    if (colon < n && name[n - 1] == ',') {
        return refuse(why, "an empty option");
    }
    if (cfg->mem_pages < MIN_PAGES || cfg->max_pages < cfg->mem_pages) {
        return refuse(why, "need 8 <= mem <= max pages");
    }
    if (cfg->driver && cfg->net) {
        cfg->net = 0;   /* the driver domain is the back end, not a front end */
    }
    return 0;
}

int config_size_appvm(struct domain_config *cfg, uint32_t pages, const char **why)
{
    if (pages == 0 || cfg->driver) {
        return 0;
    }
    if (pages < MIN_PAGES) {
        return refuse(why, "Dom0 was asked for AppVMs of fewer than 8 pages");
    }
    uint32_t headroom = cfg->max_pages - cfg->mem_pages;
    if (pages > UINT32_MAX - headroom) {
        return refuse(why, "Dom0 was asked for AppVMs larger than 2^32 pages");
    }
    cfg->mem_pages = pages;
    cfg->max_pages = pages + headroom;
    return 0;
}
