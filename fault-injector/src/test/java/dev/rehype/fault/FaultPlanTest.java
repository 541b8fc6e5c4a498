package dev.rehype.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Fault plans from Java, from the one-line text form and from YAML, and the errors bad plans get. */
class FaultPlanTest {

    @Test
    void javaTextAndYamlDescribeTheSamePlan() {
        FaultPlan java = FaultPlan.of(
                new RegisterFault(Target.HYPERVISOR, Trigger.nth(2).after(1000).inside("hypercall:memory_op"),
                        "MemoryOps.op@12", 3, null),
                new FailstopFault(Target.appVm("compute"), Trigger.nth(100), "kernel", Mode.KERNEL),
                new MemoryFault(Target.driver(""), Trigger.CHOOSE, "data:*", -1, Mode.KERNEL));
        String text = "register hypervisor site=MemoryOps.op@12 bit=3 after=1000 nth=2 inside=hypercall:memory_op; "
                + "failstop appvm:compute site=kernel mode=kernel after=0 nth=100; memory driver site=data:* mode=kernel";
        assertThat(java.toText()).isEqualTo(text);
        assertThat(FaultPlan.parse(text)).isEqualTo(java);
        assertThat(FaultPlan.fromYaml(java.toYaml())).isEqualTo(java);
        assertThat(FaultPlan.fromYaml("""
                faults:
                  - type: register
                    target: hypervisor
                    site: MemoryOps.op@12
                    bit: 3
                    after: 1000
                    nth: 2
                    inside: hypercall:memory_op
                """).faults().get(0)).isEqualTo(java.faults().get(0));
        assertThat(java.resolved()).isFalse();
    }

    @Test
    void aSiteKeyWithADescriptorKeepsItsSemicolonsInTheTextForm() {
        // Overloaded methods' site keys carry their descriptors, whose object types end in ';' (this
        // one returns an object, so a ';' comes after the ')' too).
        String key = dev.rehype.fault.hv.SiteCatalog.core().sites().stream()
                .map(dev.rehype.fault.hv.Site::key).filter(k -> k.matches(".*\\).*;@.*")).findFirst().orElseThrow();
        FaultPlan plan = FaultPlan.of(
                new RegisterFault(Target.HYPERVISOR, Trigger.nth(1).after(5000), key, 4, null),
                new FailstopFault(Target.HYPERVISOR, Trigger.nth(2), key.substring(0, key.indexOf('@')) + "@entry",
                        null));
        assertThat(plan.toText()).contains(key);
        assertThat(FaultPlan.parse(plan.toText())).isEqualTo(plan);
        assertThat(FaultPlan.parse(plan.toText()).faults()).hasSize(2);
    }

    @Test
    void badPlansGetOneLineNamingTheFaultAndTheKey() {
        assertThatThrownBy(() -> FaultPlan.parse("flip hypervisor"))
                .isInstanceOf(FaultPlanException.class).hasMessageContaining("unknown fault type 'flip'");
        assertThatThrownBy(() -> FaultPlan.parse("register hypervisor; code nowhere"))
                .hasMessageStartingWith("fault 2").hasMessageContaining("unknown target 'nowhere'");
        assertThatThrownBy(() -> FaultPlan.parse("register hypervisor colour=red"))
                .hasMessageContaining("unknown key 'colour'");
        assertThatThrownBy(() -> FaultPlan.parse("register hypervisor nth=0")).hasMessageContaining("nth=0");
        assertThatThrownBy(() -> FaultPlan.parse("register appvm:compute inside=irq:timer"))
                .hasMessageContaining("hypervisor targets only");
        assertThatThrownBy(() -> FaultPlan.parse("register hypervisor inside=hypercall:nope"))
                .hasMessageContaining("inside='hypercall:nope'");
        assertThatThrownBy(() -> FaultPlan.parse("failstop hypervisor bit=3")).hasMessageContaining("has no bit");
        assertThatThrownBy(() -> FaultPlan.fromYaml("faults: [ {type: register} ]"))
                .hasMessageContaining("faults[0]: needs a type and a target");
        assertThatThrownBy(() -> FaultPlan.fromYaml("faults: [")).hasMessageStartingWith("fault plan YAML:");
    }

    @Test
    void sitesThatDoNotExistAreRefusedWhenThePlanIsResolved() {
        PlanResolver r = new PlanResolver(dev.rehype.fault.hv.SiteCatalog.core(), java.util.Map.of(),
                InjectionLimits.DEFAULT, 5);
        assertThatThrownBy(() -> r.resolve(FaultPlan.parse("register hypervisor site=Nope.op@3"), 1))
                .hasMessageContaining("no hypervisor instruction site 'Nope.op@3'");
        assertThatThrownBy(() -> r.resolve(FaultPlan.parse("failstop hypervisor site=MemoryOps.nope@entry"), 1))
                .hasMessageContaining("no such method");
        assertThatThrownBy(() -> r.resolve(FaultPlan.parse("memory hypervisor site=region:domain[9].TOT_PAGES"), 1))
                .hasMessageContaining("domid 9 out of 0..4");
        assertThatThrownBy(() -> r.resolve(FaultPlan.parse("memory hypervisor site=region:domain[1].COLOUR"), 1))
                .hasMessageContaining("no field COLOUR");
        assertThatThrownBy(() -> r.resolve(FaultPlan.parse("register appvm:compute site=x0"), 1))
                .hasMessageContaining("guest register 'x0'");
        assertThatThrownBy(() -> r.resolve(FaultPlan.parse("code hypervisor site=Hypervisor.hypercall@19"), 1))
                .hasMessageContaining("cannot be mutated");
    }
}
