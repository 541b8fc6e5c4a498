package dev.rehype.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.fault.hv.Mutation;
import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;
import dev.rehype.hypervisor.probe.FaultPoint;
import org.junit.jupiter.api.Test;

/** The catalog names instructions by the bytecode index and line of the class as built. */
class SiteCatalogTest {

    @Test
    void theHypercallNumberReadIsAValueSiteAndARemovableCall() {
        // Hypervisor.hypercall: aload_3 (0), bipush 17 (1), invokeinterface HartPort.reg (3): "int number = hart.reg(17);"
        Site s = SiteCatalog.core().byKey("Hypervisor.hypercall@3").orElseThrow();
        assertThat(s.opcode()).isEqualTo("invokeinterface");
        assertThat(s.callee()).isEqualTo("HartPort.reg");
        assertThat(s.valueKind()).isEqualTo('I');
        assertThat(s.valueBits()).isEqualTo(32);
        assertThat(s.mutation()).isEqualTo(Mutation.REMOVE_CALL);
        assertThat(SiteCatalog.core().byKey("Hypervisor.hypercall@1").orElseThrow().mutation())
                .isEqualTo(Mutation.CHANGE_CONSTANT);
    }

    @Test
    void idsArePositionsAndKeysAreUnique() {
        SiteCatalog c = SiteCatalog.core();
        for (int i = 0; i < c.sites().size(); i++) {
            assertThat(c.site(i).id()).isEqualTo(i);
            assertThat(c.byKey(c.site(i).key())).contains(c.site(i));
        }
    }

    @Test
    void probePointsAreLocatedAtTheirCall() {
        Site call = SiteCatalog.core().locate(FaultPoint.after("MemoryOps", "op", "SpinLocks.acquire", 1)).orElseThrow();
        assertThat(call.callee()).isEqualTo("SpinLocks.acquire");
        assertThat(call.methodName()).isEqualTo("op");
        assertThat(SiteCatalog.core().locate(FaultPoint.after("MemoryOps", "op", "SpinLocks.nope", 1))).isEmpty();
    }
}
