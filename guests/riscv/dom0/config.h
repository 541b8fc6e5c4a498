/*
 * config.h — what the toolstack builds from each boot module: the module's name is
 * "<workload>[:<option>,<option>...]" (at most 23 characters), and a small table compiled in
 * gives each known workload its memory and its kind; options override the table.
 *
 *   option    meaning
 *   dd        the driver domain: gets the NIC (assign_device) and the back ends of the vifs
 *   net       an AppVM with a network: vif 0, connected to the driver domain's back end
 *   nonet     no vif even if the table gives one
 *   role=N    start_info.role
 *   peer=K    start_info.peer_domid = the domid of the domain built from module K (0-based)
 *   pI=V      start_info.param[I] = V (I = 0..5, V decimal)
 *   mem=N     initial RAM pages (the image, the store ring, start_info and shared_info)
 *   max=N     maximum pages (room above the initial RAM for what the domain populates)
 *
 * e.g. "compute", "hypercall:role=1,peer=1", "net:p1=64", "netdrv" (the table makes it the
 * driver domain), "mydd:dd,mem=96". Pure: the native test checks it.
 *
 * A name cannot ask for much memory and much else at once (23 characters), so the host may give
 * Dom0 one size for every AppVM instead (Dom0's start_info.param[TOOLSTACK_PARAM_APPVM_PAGES],
 * toolstack.h): config_size_appvm applies it after the name is parsed.
 */
#ifndef REHYPE_DOM0_CONFIG_H
#define REHYPE_DOM0_CONFIG_H

#include <stdint.h>

#include "public/start_info.h"

#define CONFIG_NO_PEER   (-1)
#define CONFIG_NAME_BYTES START_MODULE_NAME_BYTES

struct domain_config {
    char workload[CONFIG_NAME_BYTES];   /* start_info.cmdline: the image's workload */
    uint32_t mem_pages;
    uint32_t max_pages;
    uint32_t role;
    int32_t peer_module;                /* CONFIG_NO_PEER or a module index */
    uint32_t params[START_INFO_NR_PARAMS];
    int driver;                         /* the driver domain */
    int net;                            /* wants vif 0 */
};

/* Parses a module name (NUL-terminated within CONFIG_NAME_BYTES) into *cfg. Returns 0, or -1
   with a one-line reason in *why. nr_modules bounds peer=K. */
int config_parse(const char *name, uint32_t nr_modules, struct domain_config *cfg, const char **why);

/* Gives an AppVM (not the driver domain) `pages` initial RAM pages and keeps its headroom above
   them (max_pages - mem_pages, as parsed). pages == 0 leaves *cfg as it is. Returns 0, or -1
   with a reason in *why if pages is below 8 or the maximum would not fit in 32 bits. */
int config_size_appvm(struct domain_config *cfg, uint32_t pages, const char **why);

#endif /* REHYPE_DOM0_CONFIG_H */
