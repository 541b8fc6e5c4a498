/*
 * netdrv.c — the `netdrv` workload: the driver domain. It drives the NIC the toolstack assigned
 * to it (nic.c) and serves the AppVMs' network front ends (netback.c), in one event loop in the
 * kernel context:
 *
 *   service the NIC (acknowledge causes, reap TX, reset after errors); move frames both ways;
 *   look at the store if a watch fired; when nothing is left to do (rings re-armed first),
 *   block the vCPU until an event: the NIC's pirq, a front end's channel, the store's.
 *
 * It stops when the toolstack writes control/shutdown (Xen's convention): every vif is
 * disconnected and Closed, the counters are printed, and the domain powers off. start_info:
 * param[0] = front ends that must say goodbye (Closing/Closed) before it stops on its own (0 =
 * only when asked, the usual case); the toolstack must have assigned the NIC
 * (XEN_DOMCTL_assign_device) and written the backend/vif entries.
 *
 * Console: a banner with the MAC address, one line per vif connected or disconnected, and when
 * it stops, its counters and `packets=N` (frames moved both ways). All of that depends on timing
 * (which front end connects first, frames lost while one is away): nothing here is a digest.
 */
#include "kernel.h"
#include "../netdrv/netback.h"
#include "../netdrv/nic.h"

static void report(void)
{
    struct nic_stats ns;
    struct netback_stats bs;
    nic_get_stats(&ns);
    netback_get_stats(&bs);
    printk("netdrv: nic tx=%u tx_errors=%u rx=%u rx_errors=%u overruns=%u resets=%u lost=%u\n",
           ns.tx_frames, ns.tx_errors, ns.rx_frames, ns.rx_errors, ns.rx_overruns, ns.resets, ns.lost);
    printk("netdrv: back end tx=%u refused=%u rx=%u no_vif=%u no_buffer=%u malformed=%u copy_errors=%u\n",
           bs.tx_frames, bs.tx_refused, bs.rx_frames, bs.rx_no_vif, bs.rx_no_buffer, bs.rx_malformed,
           bs.rx_copy_errors);
    printk("netdrv: connects=%u disconnects=%u closed=%u\n", bs.connects, bs.disconnects, bs.closed);
    printk("packets=%u\n", bs.tx_frames + bs.rx_frames);
}

static int netdrv_main(void)
{
    uint32_t goodbyes = start_info->param[0];
    int rc = nic_init();
    if (rc != 0) {
        return 1;
    }
    uint8_t mac[6];
    nic_mac(mac);
    printk("netdrv: dom%u NIC %02x:%02x:%02x:%02x:%02x:%02x, %u-entry rings, pirq port %u\n",
           start_info->domid, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], NIC_RING_ENTRIES, nic_port());
    rc = netback_init();
    if (rc != 0) {
        return 1;
    }
    for (;;) {
        nic_service();
        uint32_t moved = netback_run();
        netback_poll_store();
        if (netback_shutdown_requested()) {
            printk("netdrv: shutdown requested\n");
            netback_shutdown();
            report();
            return 0;
        }
        if (goodbyes != 0) {
            struct netback_stats bs;
            netback_get_stats(&bs);
            if (bs.closed >= goodbyes) {
                report();
                return 0;
            }
        }
        if (moved == 0 && !netback_pending()) {
            kernel_idle();
        }
    }
}

const struct workload workload = { "netdrv", netdrv_main };
