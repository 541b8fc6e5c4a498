/*
 * toolstack.h — Dom0's toolstack (the `dom0io` workload): builds a domain from each boot
 * module the host gave Dom0, connects its store ring and event channel, writes the device
 * entries of its vif, assigns the NIC to the driver domain, starts them, serves the store and
 * relays their consoles until every AppVM has shut down, then asks the driver domain to shut
 * down and ends with a digest of the management operations. riscv/dom0/README.md describes the
 * flow; config.h the module names; store.h the store.
 */
#ifndef REHYPE_DOM0_TOOLSTACK_H
#define REHYPE_DOM0_TOOLSTACK_H

/* Domains the toolstack builds at most (one store connection each, Dom0's own besides). */
#define TOOLSTACK_MAX_DOMAINS   8

/* Dom0's start_info.param[1]: virtual cycles the driver domain gets to shut down after it was
   asked (0 = this default); then it is destroyed. */
#define TOOLSTACK_DD_GRACE_CYCLES 100000000u

/* Dom0's start_info.param[2]: initial RAM pages of every AppVM Dom0 builds, each keeping the
   headroom its module gives it above them (0 = each module's own size; config_size_appvm). The
   driver domain keeps its own size. */
#define TOOLSTACK_PARAM_APPVM_PAGES 2

/* The workload's main: 0 when every management operation succeeded. */
int toolstack_main(void);

#endif /* REHYPE_DOM0_TOOLSTACK_H */
