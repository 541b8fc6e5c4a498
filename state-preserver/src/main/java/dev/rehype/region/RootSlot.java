package dev.rehype.region;

/**
 * The ids of the root table's slots: the named entry points from which everything preserved is
 * found after a reboot. An id is stored in the region, so a given number never changes meaning;
 * new ids are added at the end (ids up to {@link RegionHeaderLayout#ROOT_SLOT_CAPACITY_ENTRIES}
 * fit the table written by format 1.0). {@link #MACHINE_MEMORY} and {@link #RECORDS} are placed
 * when the region is created and never move; the others are set by the hypervisor with
 * {@link PreservedRegion#setRootSlot}.
 */
public final class RootSlot {
    /** The guests' and the hypervisor's machine frames; frame-aligned. */
    public static final int MACHINE_MEMORY = 1;
    /** The records area, managed by {@link RecordAllocator}. */
    public static final int RECORDS = 2;
    /** Per machine frame: owner, type, reference count, type count. */
    public static final int FRAME_TABLE = 3;
    /** The domain table. */
    public static final int DOMAINS = 4;
    /** The vCPU table (guest register context saved on every trap entry). */
    public static final int VCPUS = 5;
    /** Event-channel state. */
    public static final int EVTCHN = 6;
    /** Grant tables. */
    public static final int GNTTAB = 7;
    /** Spinlock words (owner CPU, depth). */
    public static final int LOCKS = 8;
    /** Per physical CPU: the hypercall in progress (number, arguments, progress). */
    public static final int PERCPU_HYPERCALL = 9;
    /** The page allocator's free lists of machine frames. */
    public static final int PAGE_ALLOCATOR = 10;
    /** Per-vCPU timer deadlines. */
    public static final int TIMERS = 11;
    /** Interrupt routing (which IRQ goes to which domain and port). */
    public static final int IRQ_ROUTING = 12;
    /** Domain bookkeeping of the toolstack (names, ids in use). */
    public static final int DOMCTL = 13;
    /** The console rings of the domains. */
    public static final int CONSOLE = 14;

    /** The largest id with a name here. */
    public static final int LAST_NAMED = CONSOLE;

    private static final String[] NAMES = {
        null, "MACHINE_MEMORY", "RECORDS", "FRAME_TABLE", "DOMAINS", "VCPUS", "EVTCHN", "GNTTAB",
        "LOCKS", "PERCPU_HYPERCALL", "PAGE_ALLOCATOR", "TIMERS", "IRQ_ROUTING", "DOMCTL", "CONSOLE",
    };

    private RootSlot() {
    }

    /** The slot's name, or {@code slot#N} for an id without one (written by a newer minor). */
    public static String name(int slotId) {
        return slotId > 0 && slotId < NAMES.length ? NAMES[slotId] : "slot#" + Integer.toUnsignedString(slotId);
    }
}
