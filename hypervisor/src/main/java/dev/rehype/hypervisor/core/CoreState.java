package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.CoreHeaderLayout;
import dev.rehype.region.layout.CoreTablesLayout;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.VcpuLayout;

import java.lang.foreign.MemorySegment;

/**
 * The core's preserved state: typed accessors over the state area of the region, laid out by
 * {@link CoreTablesLayout}. Every piece of VM state the hypervisor keeps goes through here, so
 * that nothing a guest depends on lives only on the image's heap.
 */
final class CoreState {
    final MemorySegment s;
    final CoreTablesLayout layout;

    CoreState(MemorySegment state, CoreTablesLayout layout) {
        if (state.byteSize() < layout.sizeBytes()) {
            throw new IllegalArgumentException("preserved state area of " + state.byteSize()
                    + " bytes is smaller than the " + layout.sizeBytes() + " the core tables need");
        }
        this.s = state;
        this.layout = layout;
    }

    int header(long field) {
        return Fields.u32(s, field);
    }

    void header(long field, int value) {
        Fields.u32(s, field, value);
    }

    long header64(long field) {
        return Fields.u64(s, field);
    }

    void header64(long field, long value) {
        Fields.u64(s, field, value);
    }

    int dom(int domid, long field) {
        return Fields.u32(s, layout.domain(domid) + field);
    }

    void dom(int domid, long field, int value) {
        Fields.u32(s, layout.domain(domid) + field, value);
    }

    long dom64(int domid, long field) {
        return Fields.u64(s, layout.domain(domid) + field);
    }

    void dom64(int domid, long field, long value) {
        Fields.u64(s, layout.domain(domid) + field, value);
    }

    String domName(int domid) {
        StringBuilder b = new StringBuilder();
        long base = layout.domain(domid) + DomainLayout.NAME;
        for (int i = 0; i < DomainLayout.NAME_BYTES; i++) {
            int c = Fields.u8(s, base + i);
            if (c == 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    void domName(int domid, String name) {
        long base = layout.domain(domid) + DomainLayout.NAME;
        for (int i = 0; i < DomainLayout.NAME_BYTES; i++) {
            Fields.u8(s, base + i, i < name.length() ? name.charAt(i) : 0);
        }
    }

    int vcpu(int domid, int vcpuid, long field) {
        return Fields.u32(s, layout.vcpu(domid, vcpuid) + field);
    }

    void vcpu(int domid, int vcpuid, long field, int value) {
        Fields.u32(s, layout.vcpu(domid, vcpuid) + field, value);
    }

    long vcpu64(int domid, int vcpuid, long field) {
        return Fields.u64(s, layout.vcpu(domid, vcpuid) + field);
    }

    void vcpu64(int domid, int vcpuid, long field, long value) {
        Fields.u64(s, layout.vcpu(domid, vcpuid) + field, value);
    }

    int maxDomains() {
        return layout.maxDomains();
    }

    int maxVcpus() {
        return layout.maxVcpus();
    }

    boolean domainExists(int domid) {
        return domid >= 0 && domid < layout.maxDomains()
                && dom(domid, DomainLayout.STATE) != DomainLayout.STATE_FREE;
    }

    boolean domainActive(int domid) {
        return domid >= 0 && domid < layout.maxDomains()
                && dom(domid, DomainLayout.STATE) == DomainLayout.STATE_ACTIVE;
    }

    int vcpuState(int domid, int vcpuid) {
        return vcpu(domid, vcpuid, VcpuLayout.STATE);
    }

    void initHeader(int frames, int cpus) {
        s.asSlice(0, layout.sizeBytes()).fill((byte) 0);
        header(CoreHeaderLayout.MAGIC, CoreHeaderLayout.MAGIC_VALUE);
        header(CoreHeaderLayout.VERSION, CoreHeaderLayout.VERSION_VALUE);
        header(CoreHeaderLayout.MAX_DOMAINS, layout.maxDomains());
        header(CoreHeaderLayout.MAX_VCPUS, layout.maxVcpus());
        header(CoreHeaderLayout.FRAMES, frames);
        header(CoreHeaderLayout.CPUS, cpus);
    }
}
