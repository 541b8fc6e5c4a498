/*
 * nic.c — the NIC driver (nic.h says what it offers). Ring discipline, as the device defines
 * it: the device owns descriptors [HEAD, TAIL) of each ring, the driver the rest; a ring of N
 * entries holds at most N-1.
 *
 *   TX: tx_tail is the next descriptor to fill, tx_clean the oldest the device has not been
 *       reaped for; nic_tx_queue fills tx_tail and advances it, nic_tx_doorbell writes TX_TAIL,
 *       nic_service reaps [tx_clean, TX_HEAD).
 *   RX: every descriptor always holds its own buffer; [rx_next, RX_HEAD) are filled and not yet
 *       released; releasing descriptor i prepares it again (capacity, flags 0) and writes
 *       RX_TAIL = i, which hands the previously prepared descriptor i-1 to the device (so the
 *       one just released is the gap the rule above needs).
 *
 * A device found disabled or with other ring addresses than ours (reset by someone else, e.g.
 * after a recovery) is programmed again, like one that reported an error.
 *
 * Interrupts: EVTCHNOP_bind_pirq(PIRQ_NIC0) gives a port; its handler only counts, the main
 * loop of netdrv.c calls nic_service each time it wakes. Causes are acknowledged (write 1 to
 * clear) before the rings are looked at, so a frame that arrives meanwhile raises a new event.
 */
#include "kernel.h"
#include "nic.h"

static struct nic_desc tx_ring[NIC_RING_ENTRIES] __attribute__((aligned(256)));
static struct nic_desc rx_ring[NIC_RING_ENTRIES] __attribute__((aligned(256)));
static uint8_t tx_buf[NIC_RING_ENTRIES][NIC_BUFFER_BYTES] __attribute__((aligned(4096)));
static uint8_t rx_buf[NIC_RING_ENTRIES][NIC_BUFFER_BYTES] __attribute__((aligned(4096)));

static struct {
    uint32_t tx_tail;
    uint32_t tx_clean;
    uint32_t tx_batch;
    uint32_t rx_next;
    evtchn_port_t port;
    struct nic_stats st;
} nic;

#define RING_MASK (NIC_RING_ENTRIES - 1)

static uint32_t reg_read(uint32_t offset)
{
    return *(volatile uint32_t *) (uintptr_t) (XEN_NIC_WINDOW_GPA + offset);
}

static void reg_write(uint32_t offset, uint32_t value)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);   /* descriptors before the doorbell */
    *(volatile uint32_t *) (uintptr_t) (XEN_NIC_WINDOW_GPA + offset) = value;
}

static uint32_t gpa_of(const void *p)
{
    return (uint32_t) (uintptr_t) p;
}

static void on_irq(evtchn_port_t port, void *data)
{
    (void) port;
    (void) data;
    nic.st.interrupts++;
}

static void rx_prepare(uint32_t i)
{
    volatile struct nic_desc *d = &rx_ring[i];
    d->buf = gpa_of(rx_buf[i]);
    d->len = NIC_BUFFER_BYTES;
    d->flags = 0;
    d->reserved0 = 0;
    d->reserved1 = 0;
}

/* Resets the device and programs both rings, every RX descriptor posted. */
static void program(void)
{
    reg_write(NIC_CTRL, NIC_CTRL_RESET);
    memset(tx_ring, 0, sizeof tx_ring);
    for (uint32_t i = 0; i < NIC_RING_ENTRIES; i++) {
        rx_prepare(i);
    }
    nic.tx_tail = nic.tx_clean = nic.tx_batch = 0;
    nic.rx_next = 0;
    reg_write(NIC_TX_RING_BASE, gpa_of(tx_ring));
    reg_write(NIC_TX_RING_SIZE, NIC_RING_ENTRIES);
    reg_write(NIC_RX_RING_BASE, gpa_of(rx_ring));
    reg_write(NIC_RX_RING_SIZE, NIC_RING_ENTRIES);
    reg_write(NIC_RX_TAIL, NIC_RING_ENTRIES - 1);
    reg_write(NIC_IRQ_MASK, NIC_IRQ_ALL);
    reg_write(NIC_CTRL, NIC_CTRL_TX_ENABLE | NIC_CTRL_RX_ENABLE);
}

int nic_init(void)
{
    program();
    uint32_t status = reg_read(NIC_STATUS);
    if ((status & NIC_STATUS_LINK_UP) == 0 || (status & ~NIC_STATUS_LINK_UP) != 0) {
        printk("netdrv: NIC status %x after reset (link down or errors)\n", status);
        return -XEN_EINVAL;
    }
    int rc = hv_evtchn_bind_pirq(PIRQ_NIC0, &nic.port);
    if (rc != 0) {
        printk("netdrv: EVTCHNOP_bind_pirq(NIC0): %d\n", rc);
        return rc;
    }
    evtchn_set_handler(nic.port, on_irq, 0);
    hv_evtchn_unmask(nic.port);
    return 0;
}

uint32_t nic_port(void)
{
    return nic.port;
}

void nic_mac(uint8_t mac[6])
{
    uint32_t lo = reg_read(NIC_MAC_LOW);
    uint32_t hi = reg_read(NIC_MAC_HIGH);
    for (int i = 0; i < 4; i++) {
        mac[i] = (uint8_t) (lo >> (8 * i));
    }
    mac[4] = (uint8_t) hi;
    mac[5] = (uint8_t) (hi >> 8);
}

void nic_get_stats(struct nic_stats *stats)
{
    *stats = nic.st;
}

static void reap_tx(void)
{
    uint32_t head = reg_read(NIC_TX_HEAD) & RING_MASK;
    while (nic.tx_clean != head) {
        volatile struct nic_desc *d = &tx_ring[nic.tx_clean];
        if (d->flags & NIC_DESC_ERR) {
            nic.st.tx_errors++;
        } else {
            nic.st.tx_frames++;
        }
        d->flags = 0;
        nic.tx_clean = (nic.tx_clean + 1) & RING_MASK;
    }
}

uint32_t nic_service(void)
{
    uint32_t cause = reg_read(NIC_IRQ_CAUSE);
    if (cause != 0) {
        reg_write(NIC_IRQ_CAUSE, cause);
    }
    if (cause & NIC_IRQ_RX_OVERRUN) {
        nic.st.rx_overruns++;
    }
    uint32_t status = reg_read(NIC_STATUS);
    if ((cause & NIC_IRQ_ERROR) || (status & (NIC_STATUS_DMA_ERROR | NIC_STATUS_CONFIG_ERROR
                                              | NIC_STATUS_TX_HALTED | NIC_STATUS_RX_HALTED))) {
        if (status & ~NIC_STATUS_LINK_UP) {
            uint32_t in_tx = (nic.tx_tail - nic.tx_clean) & RING_MASK;
            uint32_t in_rx = (reg_read(NIC_RX_HEAD) - nic.rx_next) & RING_MASK;
            printk("netdrv: NIC error: status %x cause %x; resetting (%u TX, %u RX frames lost)\n",
                   status, cause, in_tx, in_rx);
            nic.st.resets++;
            nic.st.lost += in_tx + in_rx;
            program();
            return cause;
        }
        /* ERROR without a STATUS bit: a TX descriptor the device rejected (reaped below). */
    }
    uint32_t ctrl = reg_read(NIC_CTRL);
    if ((ctrl & (NIC_CTRL_TX_ENABLE | NIC_CTRL_RX_ENABLE)) != (NIC_CTRL_TX_ENABLE | NIC_CTRL_RX_ENABLE)
        || reg_read(NIC_TX_RING_BASE) != gpa_of(tx_ring) || reg_read(NIC_RX_RING_BASE) != gpa_of(rx_ring)) {
        /* The device was reset (or reprogrammed) behind our back: take it over again. */
        uint32_t in_tx = (nic.tx_tail - nic.tx_clean) & RING_MASK;
        printk("netdrv: NIC lost its configuration (ctrl %x); programming it again (%u TX frames lost)\n",
               ctrl, in_tx);
        nic.st.resets++;
        nic.st.lost += in_tx;
        program();
        return cause;
    }
    reap_tx();
    return cause;
}

uint32_t nic_tx_free(void)
{
    return NIC_RING_ENTRIES - 1 - ((nic.tx_tail - nic.tx_clean) & RING_MASK);
}

void nic_tx_begin(void)
{
    nic.tx_batch = nic.tx_tail;
}

uint32_t nic_tx_buffer_gpa(uint32_t j)
{
    return gpa_of(tx_buf[(nic.tx_batch + j) & RING_MASK]);
}

uint8_t *nic_tx_buffer(uint32_t j)
{
    return tx_buf[(nic.tx_batch + j) & RING_MASK];
}

void nic_tx_queue(uint32_t j, uint32_t len)
{
    uint32_t from = (nic.tx_batch + j) & RING_MASK;
    uint32_t slot = nic.tx_tail;
    if (from != slot) {
        /* An earlier frame of the batch was refused: close the gap it left. */
        memcpy(tx_buf[slot], tx_buf[from], len);
    }
    volatile struct nic_desc *d = &tx_ring[slot];
    d->buf = gpa_of(tx_buf[slot]);
    d->len = (uint16_t) len;
    d->flags = NIC_DESC_EOP;
    nic.tx_tail = (slot + 1) & RING_MASK;
}

void nic_tx_doorbell(void)
{
    if ((reg_read(NIC_TX_TAIL) & RING_MASK) != nic.tx_tail) {
        reg_write(NIC_TX_TAIL, nic.tx_tail);
    }
}

int nic_rx_peek(uint32_t k, const uint8_t **frame, uint32_t *len, uint32_t *gpa)
{
    uint32_t head = reg_read(NIC_RX_HEAD) & RING_MASK;
    uint32_t filled = (head - nic.rx_next) & RING_MASK;
    if (k >= filled) {
        return 0;
    }
    uint32_t i = (nic.rx_next + k) & RING_MASK;
    volatile struct nic_desc *d = &rx_ring[i];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ((d->flags & NIC_DESC_ERR) || d->len == 0 || d->len > NIC_BUFFER_BYTES) {
        return -1;
    }
    *frame = rx_buf[i];
    *len = d->len;
    *gpa = gpa_of(rx_buf[i]);
    return 1;
}

void nic_rx_release(uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = nic.rx_next;
        volatile struct nic_desc *d = &rx_ring[i];
        if (d->flags & NIC_DESC_ERR) {
            nic.st.rx_errors++;
        } else {
            nic.st.rx_frames++;
        }
        rx_prepare(i);
        nic.rx_next = (i + 1) & RING_MASK;
        reg_write(NIC_RX_TAIL, i);
    }
}
