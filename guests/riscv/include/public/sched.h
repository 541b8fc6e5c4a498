/*
 * sched.h — __HYPERVISOR_sched_op (29): yield, block, shutdown and poll. a0 = command,
 * a1 = argument pointer or value. Numbers and structures of the ReHype ABI (Xen's names).
 */
#ifndef REHYPE_PUBLIC_SCHED_H
#define REHYPE_PUBLIC_SCHED_H

#include "xen.h"

/* Give up the physical CPU; the vCPU stays runnable. Returns 0. */
#define SCHEDOP_yield      0
/* Block until an event is pending for this vCPU (an upcall is due) or its timer fires; returns
   0, at once if something is already pending. */
#define SCHEDOP_block      1
/* a1 = ptr to struct sched_shutdown. Does not return. */
#define SCHEDOP_shutdown   2
/* a1 = ptr to struct sched_poll: block until one of the ports is pending or the absolute
   timeout passes (0 = none); returns 0. */
#define SCHEDOP_poll       3

/* sched_shutdown.reason */
#define SHUTDOWN_poweroff  0
#define SHUTDOWN_reboot    1
#define SHUTDOWN_suspend   2
#define SHUTDOWN_crash     3

/* At most this many ports in one SCHEDOP_poll. */
#define SCHEDOP_POLL_MAX_PORTS 8

#ifndef __ASSEMBLER__

/* IN: reason (SHUTDOWN_*) and code, the exit status the host reports (0 = the workload is fine). */
struct sched_shutdown {
    uint32_t reason;
    uint32_t code;
};

/* IN: ports_ptr -> uint32_t ports[nr_ports] (nr_ports <= 8); timeout = absolute virtual time in
   cycles (the `time` CSR's units), 0 = no timeout. */
struct sched_poll {
    uint32_t ports_ptr;
    uint32_t nr_ports;
    uint32_t timeout_lo;
    uint32_t timeout_hi;
};

_Static_assert(sizeof(struct sched_shutdown) == 8, "sched_shutdown is 8 bytes");
_Static_assert(sizeof(struct sched_poll) == 16, "sched_poll is 16 bytes");

#endif /* __ASSEMBLER__ */

#endif /* REHYPE_PUBLIC_SCHED_H */
