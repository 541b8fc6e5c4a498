/*
 * evtchn.c — event channels on the guest side: a handler per port and the upcall that finds
 * pending ports in shared_info, exactly as the ABI's two-level algorithm says:
 *
 *   clear sip.SSIP (trap.c, before calling us); upcall_pending = 0;
 *   sel = xchg(pending_sel, 0); for each word w in sel: bits = pending[w] & ~mask[w];
 *   for each bit: clear the pending bit (atomic and), call the port's handler.
 *
 * We repeat while upcall_pending was set again meanwhile, as Xen's Linux does. Ports pending
 * with no handler are cleared and counted. The mask and pending words are shared with the
 * hypervisor, which may change them between any two instructions: every read-modify-write is
 * an AMO.
 */
#include "kernel.h"

struct port_handler {
    evtchn_handler_t fn;
    void *data;
};

static struct port_handler handlers[EVTCHN_NR_PORTS];
static volatile uint32_t upcalls;
static volatile uint32_t unhandled;

static struct vcpu_info *this_vcpu(void)
{
    return &shared_info->vcpu_info[0];
}

void evtchn_init(void)
{
    volatile struct vcpu_info *v = this_vcpu();
    v->evtchn_upcall_mask = 0;   /* we want upcalls; sstatus.SIE gates when we take them */
}

int evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn, void *data)
{
    if (port == 0 || port >= EVTCHN_NR_PORTS) {
        return -XEN_EINVAL;
    }
    handlers[port].fn = fn;
    handlers[port].data = data;
    return 0;
}

void evtchn_upcall(void)
{
    volatile struct vcpu_info *v = this_vcpu();
    upcalls++;
    do {
        v->evtchn_upcall_pending = 0;
        uint32_t sel = __atomic_exchange_n(&this_vcpu()->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel != 0) {
            uint32_t w = lowest_bit(sel);
            sel &= sel - 1;
            uint32_t bits = __atomic_load_n(&shared_info->evtchn_pending[w], __ATOMIC_SEQ_CST)
                          & ~__atomic_load_n(&shared_info->evtchn_mask[w], __ATOMIC_SEQ_CST);
            while (bits != 0) {
                uint32_t b = lowest_bit(bits);
                bits &= bits - 1;
                __atomic_fetch_and(&shared_info->evtchn_pending[w], ~(1u << b), __ATOMIC_SEQ_CST);
                evtchn_port_t port = w * 32 + b;
                if (handlers[port].fn != 0) {
                    handlers[port].fn(port, handlers[port].data);
                } else {
                    unhandled++;
                }
            }
        }
    } while (v->evtchn_upcall_pending != 0);
}

void evtchn_mask(evtchn_port_t port)
{
    __atomic_fetch_or(&shared_info->evtchn_mask[port / 32], 1u << (port % 32), __ATOMIC_SEQ_CST);
}

int evtchn_is_pending(evtchn_port_t port)
{
    return (__atomic_load_n(&shared_info->evtchn_pending[port / 32], __ATOMIC_SEQ_CST) >> (port % 32)) & 1;
}

int evtchn_test_and_clear_pending(evtchn_port_t port)
{
    uint32_t bit = 1u << (port % 32);
    return (__atomic_fetch_and(&shared_info->evtchn_pending[port / 32], ~bit, __ATOMIC_SEQ_CST) & bit) != 0;
}

uint32_t evtchn_upcalls(void)
{
    return upcalls;
}

uint32_t evtchn_unhandled(void)
{
    return unhandled;
}
