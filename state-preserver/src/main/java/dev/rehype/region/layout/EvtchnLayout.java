package dev.rehype.region.layout;

/**
 * One event-channel port record (Xen's struct evtchn); each domain has a table of
 * {@link #PORTS_PER_DOMAIN} of them. Pending and mask bits live in the guest's shared_info page.
 *
 * <pre>
 *  0x00  u8  state (CLOSED, UNBOUND, INTERDOMAIN, PIRQ, VIRQ)   0x01 u8 pad   0x02 u16 notify vCPU
 *  0x04  u16 remote domid (UNBOUND: who may bind; INTERDOMAIN: the peer)   0x06 u16 pad
 *  0x08  u32 remote port (INTERDOMAIN) or virq number (VIRQ)
 *  0x0C  u32 pad
 *  0x10  (end: 16 bytes)
 * </pre>
 */
public final class EvtchnLayout {
    private EvtchnLayout() {
    }

    public static final int PORTS_PER_DOMAIN = 1024;

    public static final int STATE_CLOSED = 0;
    public static final int STATE_UNBOUND = 1;
    public static final int STATE_INTERDOMAIN = 2;
    public static final int STATE_PIRQ = 3;
    public static final int STATE_VIRQ = 4;

    public static final long STATE = 0x00;
    public static final long NOTIFY_VCPU = 0x02;
    public static final long REMOTE_DOM = 0x04;
    public static final long REMOTE_PORT = 0x08;
    public static final long SIZE_BYTES = 0x10;
}
