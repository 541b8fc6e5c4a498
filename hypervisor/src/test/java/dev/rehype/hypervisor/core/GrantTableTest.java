package dev.rehype.hypervisor.core;

import static dev.rehype.hypervisor.core.CoreHarness.RAM;
import static dev.rehype.hypervisor.core.CoreHarness.SCRATCH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.FrameTableLayout;
import org.junit.jupiter.api.Test;

/**
 * Grant tables with good and hostile arguments: a granter registers its table and grants a page;
 * the grantee maps it (read-only or writable), sees the granter's data, unmaps it; copies go
 * through grants; every misuse gets its GNTST status and leaves the audit clean.
 */
class GrantTableTest {
    static final int SELF = 0x7FF0;
    static final int OKAY = 0, BAD_DOMAIN = -2, BAD_GNTREF = -3, BAD_HANDLE = -4, BAD_VIRT = -5, DENIED = -8;
    static final int TABLE = RAM + 0x2000;      // d0's grant table page (gfn 0x80002)
    static final int SHARED = RAM + 0x3000;     // the page d0 grants (gfn 0x80003)
    static final int MAP_AT = RAM + 40 * 4096;  // an unpopulated gfn of d1 (inside its 64-page window)

    private static void grantEntry(CoreHarness x, int ref, int flags, int grantee, int gfn) {
        x.poke(0, TABLE + 8 * ref, (grantee << 16) | flags);
        x.poke(0, TABLE + 8 * ref + 4, gfn);
    }

    private static void setupTable(CoreHarness h) {
        h.script(0, "setup_table", x -> {
            x.poke(0, SCRATCH, SELF);
            x.poke(0, SCRATCH + 4, 1);
            x.poke(0, SCRATCH + 8, SCRATCH + 0x100);
            x.poke(0, SCRATCH + 0x100, TABLE >>> 12);
            x.poke(0, SHARED, 0xCAFEF00D);
            grantEntry(x, 1, 1, 1, SHARED >>> 12);              // ref 1: d1 may map it writable
            grantEntry(x, 2, 1 | 4, 1, SHARED >>> 12);          // ref 2: read-only
            grantEntry(x, 3, 1, 2, SHARED >>> 12);              // ref 3: for d2 only
            grantEntry(x, 4, 0, 1, SHARED >>> 12);              // ref 4: revoked
            grantEntry(x, 5, 1, 1, 0x80000 + 60);               // ref 5: names a page d0 does not have
        }, 20, new int[] {2, SCRATCH, 1}, r -> {
            assertThat(r).isZero();
            assertThat(h.peek(0, SCRATCH + 12)).isEqualTo(OKAY);
        });
    }

    private static void map(CoreHarness x, int at, int hostAddr, int flags, int ref, int dom) {
        x.poke(1, at, hostAddr);
        x.poke(1, at + 4, flags);
        x.poke(1, at + 8, ref);
        x.poke(1, at + 12, dom);
        x.poke(1, at + 16, 0x7777);
        x.poke(1, at + 20, -1);
    }

    private static int status(CoreHarness h, int d, int at) {
        return (short) h.peek(d, at);
    }

    @Test
    void aGrantedPageIsMappedSeenAndUnmappedAndMisuseIsRefused() {
        CoreHarness h = new CoreHarness(3, 0);
        int op = SCRATCH;
        setupTable(h);
        h.script(1, "yield", 29, new int[] {0}, r -> { });
        h.script(1, "map ref 1 writable", x -> map(x, op, MAP_AT, 0, 1, 0), 20, new int[] {0, op, 1}, r -> {
            assertThat(r).isZero();
            assertThat(status(h, 1, op + 16)).isEqualTo(OKAY);
            assertThat(h.peek(1, MAP_AT)).as("d1 sees d0's page").isEqualTo(0xCAFEF00D);
            assertThat(h.peek(0, TABLE + 8) & 0x18).as("reading|writing set").isEqualTo(0x18);
        });
        h.script(1, "map onto a populated page", x -> map(x, op, RAM + 4096, 0, 1, 0), 20, new int[] {0, op, 1},
                r -> assertThat(status(h, 1, op + 16)).isEqualTo(BAD_VIRT));
        h.script(1, "map misaligned", x -> map(x, op, MAP_AT + 4100, 0, 1, 0), 20, new int[] {0, op, 1},
                r -> assertThat(status(h, 1, op + 16)).isEqualTo(BAD_VIRT));
        h.script(1, "map outside the window", x -> map(x, op, 0x9000_0000, 0, 1, 0), 20, new int[] {0, op, 1},
                r -> assertThat(status(h, 1, op + 16)).isEqualTo(BAD_VIRT));
        h.script(1, "map ref 2 writable (read-only grant)", x -> map(x, op, MAP_AT + 4096, 0, 2, 0), 20,
                new int[] {0, op, 1}, r -> assertThat(status(h, 1, op + 16)).isEqualTo(DENIED));
        h.script(1, "map ref 2 read-only", x -> map(x, op, MAP_AT + 4096, 4, 2, 0), 20, new int[] {0, op, 1},
                r -> assertThat(status(h, 1, op + 16)).isEqualTo(OKAY));
        h.script(1, "map ref 3 (granted to d2)", x -> map(x, op, MAP_AT + 8192, 0, 3, 0), 20, new int[] {0, op, 1},
                r -> assertThat(status(h, 1, op + 16)).isEqualTo(DENIED));
        h.script(1, "map ref 4 (revoked)", x -> map(x, op, MAP_AT + 8192, 0, 4, 0), 20, new int[] {0, op, 1},
                r -> assertThat(status(h, 1, op + 16)).isEqualTo(DENIED));
        h.script(1, "map ref 5 (frame not the granter's)", x -> map(x, op, MAP_AT + 8192, 0, 5, 0), 20,
                new int[] {0, op, 1}, r -> assertThat(status(h, 1, op + 16)).isEqualTo(BAD_GNTREF));
        h.script(1, "map ref 9999", x -> map(x, op, MAP_AT + 8192, 0, 9999, 0), 20, new int[] {0, op, 1},
                r -> assertThat(status(h, 1, op + 16)).isEqualTo(BAD_GNTREF));
        h.script(1, "map from a missing domain", x -> map(x, op, MAP_AT + 8192, 0, 1, 9), 20, new int[] {0, op, 1},
                r -> assertThat(status(h, 1, op + 16)).isEqualTo(BAD_DOMAIN));
        h.script(1, "map its own grant", x -> map(x, op, MAP_AT + 8192, 0, 1, 1), 20, new int[] {0, op, 1},
                r -> assertThat(status(h, 1, op + 16)).isEqualTo(BAD_DOMAIN));
        h.script(1, "map count 0", 20, new int[] {0, op, 0}, r -> assertThat(r).isEqualTo(-22));
        h.script(1, "map wild", 20, new int[] {0, 0x4000_0000, 1}, r -> assertThat(r).isEqualTo(-14));
        h.script(1, "write through the mapping", x -> x.poke(1, MAP_AT + 4, 0x1234), 29, new int[] {0}, r -> {
            assertThat(h.peek(0, SHARED + 4)).as("d0 sees d1's write").isEqualTo(0x1234);
        });
        h.script(1, "unmap bad handle", x -> { x.poke(1, op, MAP_AT); x.poke(1, op + 4, 77); }, 20,
                new int[] {1, op, 1}, r -> assertThat(status(h, 1, op + 8)).isEqualTo(BAD_HANDLE));
        h.script(1, "unmap wrong address", x -> { x.poke(1, op, MAP_AT + 4096); x.poke(1, op + 4, 0); }, 20,
                new int[] {1, op, 1}, r -> assertThat(status(h, 1, op + 8)).isEqualTo(BAD_VIRT));
        h.script(1, "unmap", x -> { x.poke(1, op, MAP_AT); x.poke(1, op + 4, 0); }, 20, new int[] {1, op, 1}, r -> {
            assertThat(status(h, 1, op + 8)).isEqualTo(OKAY);
            assertThat(h.peek(0, TABLE + 8) & 0x18).as("flags cleared").isZero();
        });
        h.script(1, "unmap twice", x -> { x.poke(1, op, MAP_AT); x.poke(1, op + 4, 0); }, 20, new int[] {1, op, 1},
                r -> assertThat(status(h, 1, op + 8)).isEqualTo(BAD_HANDLE));
        h.run(20_000_000);
        // the read-only mapping is still there; d0's table is busy
        assertThat(h.peek(0, TABLE + 16) & 0x18).as("ref 2 reading").isEqualTo(0x08);
    }

    @Test
    void copyGoesThroughGrantsAndChecksEverySide() {
        CoreHarness h = new CoreHarness(2, 0);
        int op = SCRATCH;
        int local = RAM + 0x4000; // d1's own page
        setupTable(h);
        h.script(1, "yield", 29, new int[] {0}, r -> { });
        h.script(1, "copy from d0's grant into its own page", x -> {
            copyOp(x, op, 1, 0, 0, local >>> 12, SELF, 16, 8, 1);
        }, 20, new int[] {5, op, 1}, r -> {
            assertThat(status(h, 1, op + 20)).isEqualTo(OKAY);
            assertThat(h.peek(1, local + 16)).isEqualTo(0xCAFEF00D);
        });
        h.script(1, "copy into a read-only grant", x -> {
            x.poke(1, local + 100, 0xBAD);
            copyOp(x, op, local >>> 12, SELF, 100, 2, 0, 0, 4, 2);
        }, 20, new int[] {5, op, 1}, r -> assertThat(status(h, 1, op + 20)).isEqualTo(DENIED));
        h.script(1, "copy into a writable grant", x -> copyOp(x, op, local >>> 12, SELF, 100, 1, 0, 8, 4, 2), 20,
                new int[] {5, op, 1}, r -> {
                    assertThat(status(h, 1, op + 20)).isEqualTo(OKAY);
                    assertThat(h.peek(0, SHARED + 8)).isEqualTo(0xBAD);
                });
        h.script(1, "copy crossing the page end", x -> copyOp(x, op, 1, 0, 4090, local >>> 12, SELF, 0, 16, 1), 20,
                new int[] {5, op, 1}, r -> assertThat(status(h, 1, op + 20)).isEqualTo(-12));
        h.script(1, "copy from a gfn it does not have", x -> copyOp(x, op, 0x90000, SELF, 0, local >>> 12, SELF, 0, 4, 0),
                20, new int[] {5, op, 1}, r -> assertThat(status(h, 1, op + 20)).isEqualTo(-12));
        h.script(1, "copy naming another domain's gfn", x -> copyOp(x, op, SHARED >>> 12, 0, 0, local >>> 12, SELF, 0, 4, 0),
                20, new int[] {5, op, 1}, r -> assertThat(status(h, 1, op + 20)).isEqualTo(BAD_DOMAIN));
        h.run(20_000_000);
    }

    private static void copyOp(CoreHarness x, int at, int src, int srcDom, int srcOff, int dst, int dstDom, int dstOff,
                               int len, int flags) {
        x.poke(1, at, src);
        x.poke(1, at + 4, srcDom | (srcOff << 16));
        x.poke(1, at + 8, dst);
        x.poke(1, at + 12, dstDom | (dstOff << 16));
        x.poke(1, at + 16, len | (flags << 16));
        x.poke(1, at + 20, 0x7777);
    }

    private static void destroy(CoreHarness x, int caller, int victim) {
        x.poke(caller, SCRATCH, 4);
        x.poke(caller, SCRATCH + 4, 1);
        x.poke(caller, SCRATCH + 8, victim);
    }

    private static void unmap(CoreHarness x, int at, int hostAddr, int handle) {
        x.poke(1, at, hostAddr);
        x.poke(1, at + 4, handle);
    }

    private static int frameOwner(CoreHarness h, long mfn) {
        return Fields.u16(h.system.coreState(), h.system.layout().frame(mfn) + FrameTableLayout.OWNER);
    }

    /**
     * Xen's semantics: a mapping holds a reference to the granted frame, so the frame outlives its
     * domain. The mapper keeps seeing (and writing) the page after the granter is destroyed; the
     * frame belongs to nobody and is freed when its last mapping goes. The audit stays clean at
     * every step (CoreHarness checks it after each call).
     */
    @Test
    void aGrantedFrameOutlivesItsDestroyedGranterUntilTheLastMapperUnmapsIt() {
        CoreHarness h = new CoreHarness(3, 0b100);
        int op = SCRATCH;
        int[] handles = new int[2];
        long[] mfn = {-1};
        int[] freeAfterDestroy = {-1};
        setupTable(h);
        h.script(1, "yield", 29, new int[] {0}, r -> { });
        h.script(1, "map ref 1 writable", x -> map(x, op, MAP_AT, 0, 1, 0), 20, new int[] {0, op, 1}, r -> {
            assertThat(status(h, 1, op + 16)).isEqualTo(OKAY);
            handles[0] = h.peek(1, op + 20);
            mfn[0] = h.ma(1, MAP_AT) >>> 12;
        });
        h.script(1, "map ref 2 read-only", x -> map(x, op, MAP_AT + 4096, 4, 2, 0), 20, new int[] {0, op, 1}, r -> {
            assertThat(status(h, 1, op + 16)).isEqualTo(OKAY);
            handles[1] = h.peek(1, op + 20);
        });
        h.script(1, "sleep until 4M cycles", 15, new int[] {4_000_000, 0}, r -> { });
        h.script(1, "block", 29, new int[] {1}, r -> { });
        h.script(1, "write through the orphaned mapping", x -> x.poke(1, MAP_AT + 4, 0x600D), 29, new int[] {0}, r -> {
            assertThat(h.exists(0)).as("d0 is gone").isFalse();
            assertThat(h.peek(1, MAP_AT)).as("d1 still sees the page").isEqualTo(0xCAFEF00D);
            assertThat(h.peek(1, MAP_AT + 4096 + 4)).as("through both mappings").isEqualTo(0x600D);
            assertThat(frameOwner(h, mfn[0])).as("owned by nobody").isEqualTo(FrameTableLayout.OWNER_NONE);
        });
        h.script(1, "unmap the writable one", x -> unmap(x, op, MAP_AT, handles[0]), 20, new int[] {1, op, 1}, r -> {
            assertThat(status(h, 1, op + 8)).isEqualTo(OKAY);
            assertThat(h.freeFrames()).as("still mapped read-only: not freed").isEqualTo(freeAfterDestroy[0]);
            assertThat(h.peek(1, MAP_AT + 4096)).isEqualTo(0xCAFEF00D);
        });
        h.script(1, "unmap it again", x -> unmap(x, op, MAP_AT, handles[0]), 20, new int[] {1, op, 1},
                r -> assertThat(status(h, 1, op + 8)).isEqualTo(BAD_HANDLE));
        h.script(1, "unmap the last one", x -> unmap(x, op, MAP_AT + 4096, handles[1]), 20, new int[] {1, op, 1}, r -> {
            assertThat(status(h, 1, op + 8)).isEqualTo(OKAY);
            assertThat(h.freeFrames()).as("the last mapping freed the frame").isEqualTo(freeAfterDestroy[0] + 1);
            assertThat(frameOwner(h, mfn[0])).isEqualTo(FrameTableLayout.OWNER_NONE);
        });
        h.script(1, "map from the destroyed granter", x -> map(x, op, MAP_AT, 0, 1, 0), 20, new int[] {0, op, 1},
                r -> assertThat(status(h, 1, op + 16)).isEqualTo(BAD_DOMAIN));
        h.script(2, "sleep until 2M cycles", 15, new int[] {2_000_000, 0}, r -> { });
        h.script(2, "block", 29, new int[] {1}, r -> { });
        h.script(2, "destroy d0", x -> destroy(x, 2, 0), 36, new int[] {SCRATCH}, r -> {
            assertThat(r).isZero();
            freeAfterDestroy[0] = h.freeFrames();
        });
        h.run(20_000_000);
        assertThat(h.system.domains()).extracting(d -> d.domid()).containsExactly(1, 2);
        assertThat(h.log).containsSubsequence("d1 map ref 1 writable -> 0", "d2 destroy d0 -> 0",
                "d1 write through the orphaned mapping -> 0", "d1 unmap the last one -> 0");
    }

    @Test
    void destroyingTheMapperOfAnOrphanedFrameFreesIt() {
        CoreHarness h = new CoreHarness(3, 0b100);
        int op = SCRATCH;
        int[] free = new int[2];
        setupTable(h);
        h.script(1, "yield", 29, new int[] {0}, r -> { });
        h.script(1, "map ref 1", x -> map(x, op, MAP_AT, 0, 1, 0), 20, new int[] {0, op, 1},
                r -> assertThat(status(h, 1, op + 16)).isEqualTo(OKAY));
        h.script(2, "sleep until 2M cycles", 15, new int[] {2_000_000, 0}, r -> { });
        h.script(2, "block", 29, new int[] {1}, r -> { });
        h.script(2, "destroy d0", x -> destroy(x, 2, 0), 36, new int[] {SCRATCH}, r -> {
            assertThat(r).isZero();
            free[0] = h.freeFrames();
        });
        h.script(2, "destroy d1", x -> destroy(x, 2, 1), 36, new int[] {SCRATCH}, r -> {
            assertThat(r).isZero();
            free[1] = h.freeFrames();
        });
        h.run(20_000_000);
        assertThat(h.system.domains()).extracting(d -> d.domid()).containsExactly(2);
        // d1's 32 pages, its P2M root and table, and the orphaned frame it alone still held
        assertThat(free[1] - free[0]).isEqualTo(32 + 2 + 1);
    }
}
