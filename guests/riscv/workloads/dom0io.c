/*
 * dom0io.c — the privileged domain of the I/O system: Dom0's toolstack and store
 * (riscv/dom0/, linked into this image only). The host builds only this domain and gives it the
 * other domains' images as boot modules; it builds them, serves them the store, relays their
 * consoles, and shuts down when they are done (riscv/dom0/README.md). The `dom0` workload, the
 * stand-in of the standard system where the host builds every domain, is a different image.
 *
 * start_info: privileged; nr_modules and module_table_gpa set by the host; param[1] = cycles
 * the driver domain gets to shut down when asked (0 = TOOLSTACK_DD_GRACE_CYCLES); param[2] =
 * initial RAM pages of every AppVM (0 = its module's own; TOOLSTACK_PARAM_APPVM_PAGES); max_pages >=
 * nr_pages + 1 + nr_modules (a scratch page and one store ring per domain are mapped above the
 * initial RAM).
 */
#include "kernel.h"
#include "toolstack.h"

const struct workload workload = { .name = "dom0io", .main = toolstack_main };
