package dev.rehype.region.layout;

/**
 * Where the hypervisor core's preserved tables sit inside its state area, computed from the
 * sizes recorded in the {@link CoreHeaderLayout}. Every table starts on a 64-byte boundary.
 *
 * <pre>
 *  +--------------------+ 0
 *  | core header        |  CoreHeaderLayout (64 bytes)
 *  +--------------------+
 *  | domain table       |  maxDomains x DomainLayout
 *  | vCPU table         |  maxDomains x maxVcpus x VcpuLayout
 *  | frame table        |  frames x FrameTableLayout
 *  | event channels     |  maxDomains x PORTS_PER_DOMAIN x EvtchnLayout
 *  | spinlocks          |  lockCount x SpinLockLayout
 *  | per-CPU records    |  cpus x PerCpuLayout
 *  | console rings      |  maxDomains x ConsoleRingLayout
 *  | active grants      |  maxDomains x GrantLayout.MAX_REFS x ACTIVE_BYTES
 *  | map-track tables   |  maxDomains x GrantLayout.MAPTRACK_ENTRIES x MAPTRACK_BYTES
 *  +--------------------+ sizeBytes
 * </pre>
 *
 * <p>Locks: 0 = heap (page allocator), 1 = domctl, 2 + d = domain d (its P2M, event channels
 * and vCPUs), 2 + maxDomains + c = scheduler of pCPU c.
 */
public record CoreTablesLayout(int maxDomains, int maxVcpus, int frames, int cpus) {
    public static final int LOCK_HEAP = 0;
    public static final int LOCK_DOMCTL = 1;

    public CoreTablesLayout {
        if (maxDomains < 1 || maxVcpus < 1 || frames < 1 || cpus < 1) {
            throw new IllegalArgumentException("core tables need positive sizes: " + maxDomains + "/" + maxVcpus
                    + "/" + frames + "/" + cpus);
        }
    }

    private static long align(long v) {
        return (v + 63) & ~63L;
    }

    public long domainTable() {
        return align(CoreHeaderLayout.SIZE_BYTES);
    }

    public long vcpuTable() {
        return align(domainTable() + maxDomains * DomainLayout.SIZE_BYTES);
    }

    public long frameTable() {
        return align(vcpuTable() + (long) maxDomains * maxVcpus * VcpuLayout.SIZE_BYTES);
    }

    public long evtchnTable() {
        return align(frameTable() + (long) frames * FrameTableLayout.SIZE_BYTES);
    }

    public long lockTable() {
        return align(evtchnTable() + (long) maxDomains * EvtchnLayout.PORTS_PER_DOMAIN * EvtchnLayout.SIZE_BYTES);
    }

    public int lockCount() {
        return 2 + maxDomains + cpus;
    }

    public long perCpuTable() {
        return align(lockTable() + (long) lockCount() * SpinLockLayout.SIZE_BYTES);
    }

    public long consoleRings() {
        return align(perCpuTable() + (long) cpus * PerCpuLayout.SIZE_BYTES);
    }

    public long activeGrants() {
        return align(consoleRings() + maxDomains * ConsoleRingLayout.SIZE_BYTES);
    }

    public long maptrackTable() {
        return align(activeGrants() + (long) maxDomains * GrantLayout.MAX_REFS * GrantLayout.ACTIVE_BYTES);
    }

    public long sizeBytes() {
        return align(maptrackTable() + (long) maxDomains * GrantLayout.MAPTRACK_ENTRIES * GrantLayout.MAPTRACK_BYTES);
    }

    public long activeGrant(int domid, int ref) {
        return activeGrants() + ((long) domid * GrantLayout.MAX_REFS + ref) * GrantLayout.ACTIVE_BYTES;
    }

    public long maptrack(int domid, int handle) {
        return maptrackTable() + ((long) domid * GrantLayout.MAPTRACK_ENTRIES + handle) * GrantLayout.MAPTRACK_BYTES;
    }

    public long domain(int domid) {
        return domainTable() + domid * DomainLayout.SIZE_BYTES;
    }

    public long vcpu(int domid, int vcpuid) {
        return vcpuTable() + ((long) domid * maxVcpus + vcpuid) * VcpuLayout.SIZE_BYTES;
    }

    public long frame(long mfn) {
        return frameTable() + mfn * FrameTableLayout.SIZE_BYTES;
    }

    public long port(int domid, int port) {
        return evtchnTable() + ((long) domid * EvtchnLayout.PORTS_PER_DOMAIN + port) * EvtchnLayout.SIZE_BYTES;
    }

    public long lock(int lockIndex) {
        return lockTable() + (long) lockIndex * SpinLockLayout.SIZE_BYTES;
    }

    public int domainLock(int domid) {
        return 2 + domid;
    }

    public int schedLock(int cpu) {
        return 2 + maxDomains + cpu;
    }

    public long perCpu(int cpu) {
        return perCpuTable() + (long) cpu * PerCpuLayout.SIZE_BYTES;
    }

    public long console(int domid) {
        return consoleRings() + domid * ConsoleRingLayout.SIZE_BYTES;
    }
}
