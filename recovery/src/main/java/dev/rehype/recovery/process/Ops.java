package dev.rehype.recovery.process;

/**
 * The message kinds of the mailbox. Down (supervisor → hypervisor): the requests the hypervisor
 * serves and the replies to its hardware calls. Up (hypervisor → supervisor): hardware calls, the
 * answer to a request, and the hypervisor's first words.
 */
final class Ops {
    // ---- down: requests (args: see each)
    /** Boot the system: args cpus, seed, machineMemoryBytes, maxDomains, maxVcpus, now. */
    static final int BOOT = 1;
    /**
     * Take over after a dead hypervisor: args failedCpu, now, policy mask, the shape args of BOOT
     * (3..7), and the request's sequence number (8), marked once every guest context is saved.
     */
    static final int RECOVER = 2;
    /** Handle a trap: args cpu, now, trap seq; payload the trapping hart's frame. */
    static final int TRAP = 3;
    /** Report every domain: arg now. */
    static final int DOMAINS = 4;
    /** Exit. */
    static final int QUIT = 5;
    /** Reply to a hardware call: arg 0 the value; payload for calls that return data. */
    static final int REPLY = 6;

    // ---- up
    /** The hypervisor process is ready: arg pid. */
    static final int READY = 20;
    /** A hardware call: arg 0 the call (below), then its arguments. */
    static final int CALL = 21;
    /** The request is done: arg 0 its value; payload the hart commits and written frames. */
    static final int DONE = 22;
    /** The answer to DOMAINS: arg 0 the number of domains; payload their statuses. */
    static final int REPORT = 24;
    /** The request failed: payload a UTF-8 message. The process exits after sending it. */
    static final int FAILED = 23;

    // ---- hardware calls
    static final int HART_READ = 1;
    static final int TRANSLATE = 2;
    static final int TIMER_PROGRAM = 3;
    static final int TIMER_CANCEL = 4;
    static final int TIMER_DEADLINE = 5;
    static final int IRQ_SET_PRIORITY = 6;
    static final int IRQ_ROUTE = 7;
    static final int IRQ_CLAIM = 8;
    static final int IRQ_COMPLETE = 9;
    static final int IRQ_IN_SERVICE = 10;
    static final int NIC_DMA_ROOT = 11;
    static final int NIC_SET_DMA_ROOT = 12;
    static final int CONSOLE_WRITE = 13;
    static final int SEND_IPI = 14;
    static final int FLUSH_ALL_TLBS = 15;
    static final int INVALIDATE_ALL_CODE = 16;

    private Ops() {
    }
}
