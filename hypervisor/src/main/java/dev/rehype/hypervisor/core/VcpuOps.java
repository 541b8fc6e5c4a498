package dev.rehype.hypervisor.core;

import dev.rehype.machine.Hart;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.VcpuLayout;
import dev.rehype.machine.port.HartPort;

/** vcpu_op: bring a domain's other vCPUs up and down, and report run-state times. */
final class VcpuOps {
    static final int INITIALISE = 0;
    static final int UP = 1;
    static final int DOWN = 2;
    static final int IS_UP = 3;
    static final int GET_RUNSTATE_INFO = 4;

    private final Hypervisor hv;

    VcpuOps(Hypervisor hv) {
        this.hv = hv;
    }

    int op(int cpu, int vid, HartPort hart, Hypercall.VcpuOp c, long now) {
        CoreState st = hv.st;
        int d = hv.sched.domid(vid);
        int target = c.vcpuid();
        if (target < 0 || target >= st.dom(d, DomainLayout.NR_VCPUS)) {
            return -Errno.EINVAL;
        }
        int tvid = hv.sched.vid(d, target);
        int state = hv.sched.vstate(tvid);
        switch (c.cmd()) {
            case INITIALISE -> {
                if (state != VcpuLayout.STATE_OFFLINE) {
                    return -Errno.EEXIST;
                }
                int pc = hv.guest.readU32(hart, c.arg());
                int sp = hv.guest.readU32(hart, c.arg() + 4);
                int a0 = hv.guest.readU32(hart, c.arg() + 8);
                int a1 = hv.guest.readU32(hart, c.arg() + 12);
                for (int i = 1; i < 32; i++) {
                    st.vcpu(d, target, VcpuLayout.reg(i), 0);
                }
                st.vcpu(d, target, VcpuLayout.PC, pc);
                st.vcpu(d, target, VcpuLayout.reg(2), sp);
                st.vcpu(d, target, VcpuLayout.reg(10), a0);
                st.vcpu(d, target, VcpuLayout.reg(11), a1);
                st.vcpu(d, target, VcpuLayout.MODE, Hart.MODE_S);
                st.vcpu(d, target, VcpuLayout.SSTATUS, 0);
                st.vcpu(d, target, VcpuLayout.SATP, 0);
                return 0;
            }
            case UP -> {
                if (state != VcpuLayout.STATE_OFFLINE) {
                    return 0;
                }
                if (st.vcpu(d, target, VcpuLayout.PC) == 0) {
                    return -Errno.EINVAL;
                }
                hv.sched.setVstate(tvid, VcpuLayout.STATE_RUNNABLE, now);
                hv.sched.enqueue(tvid);
                int home = hv.sched.processor(tvid);
                if (home != cpu && hv.sched.current[home] < 0) {
                    hv.machine.sendIpi(home);
                }
                return 0;
            }
            case DOWN -> {
                if (state == VcpuLayout.STATE_RUNNING) {
                    int p = hv.sched.processor(tvid);
                    hv.sched.needResched[p] = true;
                    if (p != cpu) {
                        hv.machine.sendIpi(p);
                    }
                }
                hv.sched.setVstate(tvid, VcpuLayout.STATE_OFFLINE, now);
                return 0;
            }
            case IS_UP -> {
                return state == VcpuLayout.STATE_OFFLINE ? 0 : 1;
            }
            case GET_RUNSTATE_INFO -> {
                int a = c.arg();
                hv.guest.writeU32(hart, a, Scheduler.runstateIndex(state));
                hv.guest.writeU32(hart, a + 4, 0);
                long entry = st.vcpu64(d, target, VcpuLayout.RUNSTATE_ENTRY);
                hv.guest.writeU32(hart, a + 8, (int) entry);
                hv.guest.writeU32(hart, a + 12, (int) (entry >>> 32));
                for (int i = 0; i < 4; i++) {
                    long t = st.vcpu64(d, target, VcpuLayout.RUNSTATE_TIME + 8L * i);
                    if (i == Scheduler.runstateIndex(state)) {
                        t += Math.max(0, now - entry);
                    }
                    hv.guest.writeU32(hart, a + 16 + 8 * i, (int) t);
                    hv.guest.writeU32(hart, a + 20 + 8 * i, (int) (t >>> 32));
                }
                return 0;
            }
            default -> {
                return -Errno.ENOSYS;
            }
        }
    }
}
