/*
 * nic.h — the driver domain's driver for the machine's NIC (hypervisor module:
 * dev.rehype.machine.Nic, NicRegisters, NicDescriptor): registers in the 4 KiB window the
 * hypervisor maps at XEN_NIC_WINDOW_GPA once the device is assigned to this domain, one TX and
 * one RX ring of 16-byte descriptors and their 2 KiB buffers in this domain's own RAM. DMA goes
 * through this domain's P2M (an IOMMU context), so every DMA address is simply the
 * guest-physical address of the ring or buffer (satp = 0: the same as its virtual address).
 * Buffers are 2 KiB-aligned so that no DMA crosses a page. The device's interrupt arrives as an
 * event on the port EVTCHNOP_bind_pirq gave.
 *
 * The driver keeps no frame of its own: netback (netback.c) borrows TX buffers to copy frames
 * into (nic_tx_begin / nic_tx_buffer_gpa / nic_tx_queue / nic_tx_doorbell) and RX buffers to
 * copy frames out of (nic_rx_peek / nic_rx_release). Errors (a DMA or configuration error, a
 * halted ring) make the driver reset the device and program it again; the frames in its rings
 * then are lost and counted.
 */
#ifndef REHYPE_NETDRV_NIC_H
#define REHYPE_NETDRV_NIC_H

#include <stdint.h>

#define NIC_RING_ENTRIES   16     /* descriptors per ring (a ring holds at most 15) */
#define NIC_BUFFER_BYTES   2048   /* one frame per buffer */

/* Register offsets and bits (NicRegisters.java). */
#define NIC_CTRL           0x000
#define NIC_STATUS         0x004
#define NIC_IRQ_CAUSE      0x008
#define NIC_IRQ_MASK       0x00C
#define NIC_TX_RING_BASE   0x010
#define NIC_TX_RING_SIZE   0x014
#define NIC_TX_HEAD        0x018
#define NIC_TX_TAIL        0x01C
#define NIC_RX_RING_BASE   0x020
#define NIC_RX_RING_SIZE   0x024
#define NIC_RX_HEAD        0x028
#define NIC_RX_TAIL        0x02C
#define NIC_MAC_LOW        0x030
#define NIC_MAC_HIGH       0x034
#define NIC_TX_PACKETS     0x040
#define NIC_RX_PACKETS     0x044
#define NIC_RX_DROPPED     0x048
#define NIC_TX_ERRORS      0x04C

#define NIC_CTRL_TX_ENABLE     (1u << 0)
#define NIC_CTRL_RX_ENABLE     (1u << 1)
#define NIC_CTRL_RESET         (1u << 31)
#define NIC_STATUS_LINK_UP     (1u << 0)
#define NIC_STATUS_DMA_ERROR   (1u << 1)
#define NIC_STATUS_CONFIG_ERROR (1u << 2)
#define NIC_STATUS_TX_HALTED   (1u << 3)
#define NIC_STATUS_RX_HALTED   (1u << 4)
#define NIC_IRQ_TX_DONE        (1u << 0)
#define NIC_IRQ_RX_DONE        (1u << 1)
#define NIC_IRQ_RX_OVERRUN     (1u << 2)
#define NIC_IRQ_ERROR          (1u << 3)
#define NIC_IRQ_ALL            0xFu

/* Descriptor flags (NicDescriptor.java). */
#define NIC_DESC_DONE          (1u << 0)
#define NIC_DESC_EOP           (1u << 1)
#define NIC_DESC_ERR           (1u << 2)

struct nic_desc {
    uint32_t buf;      /* guest-physical address of the buffer */
    uint16_t len;      /* TX: frame length; RX: capacity, then the frame's length */
    uint16_t flags;    /* NIC_DESC_* */
    uint32_t reserved0;
    uint32_t reserved1;
};

_Static_assert(sizeof(struct nic_desc) == 16, "a NIC descriptor is 16 bytes");

struct nic_stats {
    uint32_t tx_frames;      /* TX descriptors the device completed without error */
    uint32_t tx_errors;      /* ... with ERR */
    uint32_t rx_frames;      /* frames handed to netback */
    uint32_t rx_errors;      /* RX descriptors with ERR (frame too long) */
    uint32_t rx_overruns;    /* IRQ_CAUSE.RX_OVERRUN seen (frames dropped for lack of buffers) */
    uint32_t resets;         /* device resets after an error */
    uint32_t lost;           /* frames abandoned in the rings by a reset */
    uint32_t interrupts;     /* events on the pirq port */
};

/* Resets and programs the device, binds its interrupt; 0 or a negative error. */
int nic_init(void);

/* Handles what the device reported: acknowledges the causes, reaps completed TX descriptors,
   resets the device after an error. Returns the cause bits it saw. */
uint32_t nic_service(void);

/* The 6-byte MAC address. */
void nic_mac(uint8_t mac[6]);

/* TX: descriptors free for new frames. */
uint32_t nic_tx_free(void);

/* Starts a batch: nic_tx_buffer_gpa(j) is the buffer for the batch's j-th frame (j <
   nic_tx_free()); frames are then queued in order, some perhaps skipped. */
void nic_tx_begin(void);
uint32_t nic_tx_buffer_gpa(uint32_t j);
uint8_t *nic_tx_buffer(uint32_t j);

/* Queues the batch's j-th frame (len bytes, already in its buffer) on the device. */
void nic_tx_queue(uint32_t j, uint32_t len);

/* Tells the device about the frames queued (TX_TAIL). */
void nic_tx_doorbell(void);

/* RX: the k-th received frame not yet released: 1 with *frame, *len and *gpa set; -1 if the
   device flagged it (ERR: dropped, only to be released); 0 if there is no k-th frame. */
int nic_rx_peek(uint32_t k, const uint8_t **frame, uint32_t *len, uint32_t *gpa);

/* Gives the n oldest received descriptors back to the device. */
void nic_rx_release(uint32_t n);

/* The pirq's event port (0 before nic_init). */
uint32_t nic_port(void);

void nic_get_stats(struct nic_stats *stats);

#endif /* REHYPE_NETDRV_NIC_H */
