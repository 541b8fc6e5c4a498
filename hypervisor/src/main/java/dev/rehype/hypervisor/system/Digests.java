package dev.rehype.hypervisor.system;

/**
 * Expected digests of the standard system's workloads with their standard parameters (the
 * workloads' defaults; mem with 64 of 128 pages; dom0io building the seven modules of
 * {@link StandardSystem#vms()}). Each is a function of the workload's work only, so every seed
 * and every CPU count must reproduce it. `compute` and `net` are also computed by host builds of
 * the same code (workloads/native/compute_expected.c, `make net-test`), `service` from the
 * peer's side (NetPeerTest);
 * the others were first obtained by running the workloads against a mock hypervisor written in C
 * on the bare monitor (hypercall, mem, dom0), or on this core (dom0io, whose digest covers the
 * sizes and segments of the images it loads: it changes when an image is rebuilt differently).
 */
final class Digests {
    private Digests() {
    }

    static final String DOM0 = "115b5917";
    /** dom0io building the standard system's seven modules (images included in its digest). */
    static final String DOM0IO = "53edda4c";
    /**
     * dom0io building the same modules with every AppVM given 64 MiB (StandardSystem.bootSpec(64)):
     * its digest covers each domain's mem_pages and max_pages.
     */
    static final String DOM0IO_64MIB = "087347bc";
    static final String COMPUTE = "855f6da0";
    static final String HYPERCALL = "1109c5dc";
    static final String MEM = "20b043b3";
    /**
     * mem with 16384 of 16448 pages (the standard system with 64 MiB per AppVM); the host-built
     * mem of the same size gives it too (StandardSystem64MibTest).
     */
    static final String MEM_64MIB = "638beec1";
    /** net with default parameters (400 packets; `make -C guests net-test` prints it too). */
    static final String NET = "1bb114e6";
    /** service with default parameters (240 packets; NetPeerTest computes it from the peer's side too). */
    static final String SERVICE = "2a3c68cd";
}
