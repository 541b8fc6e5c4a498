/*
 * xenstore.h — the kernel's store client: reads, writes, removals, directory listings and
 * watches on the store Dom0 serves (riscv/dom0/README.md), over the domain's store ring page
 * and event channel (public/xs_wire.h). A domain has a store when the toolstack built it
 * (start_info_has_store); the first call connects (binds the event channel to Dom0's port from
 * start_info), so a workload that never uses the store leaves its event ports as they were.
 *
 * Kernel context only (the workload's main and the kernel, not U-mode threads): calls are
 * synchronous, one request at a time, and block the vCPU (SCHEDOP_block) while waiting. Watch
 * events that arrive meanwhile are kept (XS_EVENT_QUEUE of them, duplicates merged) for
 * xs_wait_watch.
 *
 * Paths are absolute ("/local/domain/3/device/vif/0/state"); a path without a leading '/' is
 * taken relative to the domain's own directory /local/domain/<domid>/ (as in Xen's xenbus).
 * Every function returns >= 0 on success or -XEN_E* (public/xen.h): -XEN_ENOSYS when the
 * domain has no store, -XEN_EACCES, -XEN_ENOENT, -XEN_EINVAL, -XEN_ENOSPC, -XEN_E2BIG (names
 * and values as the server's XS_ERROR), -XEN_EIO when the ring is broken.
 */
#ifndef REHYPE_KERNEL_XENSTORE_H
#define REHYPE_KERNEL_XENSTORE_H

#include <stdint.h>

#include "public/event_channel.h"
#include "public/xs_wire.h"

/* Watch events kept while nobody waits for them. */
#define XS_EVENT_QUEUE 8

/* Whether this domain has a store (it may still fail to connect). */
int xs_available(void);

/* Reads path's value into buf as a NUL-terminated string; returns its length. -XEN_E2BIG if
   buf (size bytes) cannot hold it and its NUL. */
int xs_read(const char *path, char *buf, int size);

/* Sets path's value (a NUL-terminated string, stored without the NUL); missing parents are
   created. Returns 0. */
int xs_write(const char *path, const char *value);

/* Removes path and everything below it. Returns 0. */
int xs_rm(const char *path);

/* Lists path's children into buf: each name followed by a NUL, in creation order. Returns the
   number of children; -XEN_E2BIG if they do not fit in size bytes. */
int xs_directory(const char *path, char *buf, int size);

/* Watches path and everything below it; the token comes back with each event. The server
   sends one event for path at once. Returns 0; -XEN_EEXIST if that (path, token) is set. */
int xs_watch(const char *path, const char *token);

/* Removes the watch (path, token). Returns 0. */
int xs_unwatch(const char *path, const char *token);

/* Blocks until a watch fires; copies the path that changed (NUL-terminated) to path_out and
   returns its length. */
int xs_wait_watch(char *path_out, int size);

/* As xs_wait_watch, with the token too, until virtual time `deadline` (0 = no limit):
   -XEN_EAGAIN when it passes with no event (checked at least once per kernel tick). */
int xs_read_watch(char *path_out, int path_size, char *token_out, int token_size, uint64_t deadline);

/* Reads and writes of decimal unsigned values (Xen's ring refs, ports, states). */
int xs_read_uint(const char *path, uint32_t *value);
int xs_write_uint(const char *path, uint32_t value);

/* The local port of the store's event channel (0 until connected), for a caller that polls it
   with other ports. */
evtchn_port_t xs_event_port(void);

/* Connects over ring (the store page, already mapped) and Dom0's unbound port remote_port:
   what the first call does with start_info's store fields. For tests that bring their own
   ring. */
int xs_connect(struct xenstore_domain_interface *ring, evtchn_port_t remote_port);

/* Statistics (timing-dependent: never digest them): requests sent, events received, events
   merged into one already kept, events lost because the queue was full. */
struct xs_stats {
    uint32_t requests;
    uint32_t events;
    uint32_t events_merged;
    uint32_t events_lost;
};
void xs_get_stats(struct xs_stats *stats);

#endif /* REHYPE_KERNEL_XENSTORE_H */
