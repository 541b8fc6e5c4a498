package dev.rehype.campaign.property;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.rehype.campaign.spec.FaultType;
import dev.rehype.fault.FailstopFault;
import dev.rehype.fault.Fault;
import dev.rehype.fault.FaultPlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The extension, driven through JUnit's engine test kit on fixture classes (static nested
 * classes: Surefire and JUnit never run them on their own). A failing property fails with one
 * message naming seed and try, the original and the shrunk plan, the steps and replay commands,
 * and those replays reproduce it; a property that holds passes; the seed, try and plan overrides
 * work; mistakes get one line and no stack trace.
 */
class RecoveryPropertyExtensionTest {
    /** A property that fails on plans with a failstop armed after 3,000,000 cycles (nothing runs). */
    static class NoLateFailstop {
        @RecoveryProperty(system = PropertySystem.NONE, tries = 40, seed = 21, maxFaults = 3, maxShrinkRuns = 2_000,
                maxCycles = TestSystem.MAX_CYCLES)
        void noFailstopIsArmedAfterThreeMillionCycles(FaultPlan plan) {
            assertThat(plan.faults()).as("failstops armed after 3,000,000 cycles")
                    .noneMatch(f -> f instanceof FailstopFault && f.trigger().afterCycles() > 3_000_000);
        }
    }

    /** A property that holds: every drawn fault is armed inside the window. */
    static class ArmedInTheWindow {
        static final List<FaultPlan> SEEN = new ArrayList<>();

        @RecoveryProperty(system = PropertySystem.NONE, tries = 12, seed = 5, maxFaults = 2,
                triggerFromCycles = 200_000, triggerToCycles = 900_000, maxCycles = TestSystem.MAX_CYCLES)
        void everyFaultIsArmedInTheWindow(FaultPlan plan) {
            SEEN.add(plan);
            for (Fault f : plan.faults()) {
                assertThat(f.trigger().afterCycles()).isBetween(200_000L, 899_999L);
            }
        }
    }

    /** Discards every try: says nothing, so it fails. */
    static class SaysNothing {
        @RecoveryProperty(system = PropertySystem.NONE, tries = 5, maxCycles = TestSystem.MAX_CYCLES)
        void discardsEveryTry(FaultPlan plan) {
            assumeTrue(plan.faults().isEmpty());
        }
    }

    /** Asks for a run on the system NONE, where nothing runs. */
    static class AsksForARunOfNothing {
        @RecoveryProperty(system = PropertySystem.NONE, tries = 5, maxCycles = TestSystem.MAX_CYCLES)
        void wantsARun(PropertyRun run) {
        }
    }

    /** Names a repair step that does not exist. */
    static class UnknownRepairStep {
        @RecoveryProperty(system = PropertySystem.NONE, repairSteps = {"release-locks", "reboot-harder"},
                maxCycles = TestSystem.MAX_CYCLES)
        void anything(FaultPlan plan) {
        }
    }

    @AfterEach
    void clearOverrides() {
        System.clearProperty(PropertySettings.SEED_PROPERTY);
        System.clearProperty(PropertySettings.TRY_PROPERTY);
        System.clearProperty(PropertySettings.PLAN_PROPERTY);
        ArmedInTheWindow.SEEN.clear();
    }

    static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
    }

    static Throwable onlyFailure(Events tests) {
        assertThat(tests.failed().count()).as("failed tests").isEqualTo(1);
        return tests.failed().stream().findFirst().orElseThrow().getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
    }

    static PropertySettings settingsOf(Class<?> fixture, Map<String, String> overrides) {
        Method m = fixture.getDeclaredMethods()[0];
        return PropertySettings.of(m.getAnnotation(RecoveryProperty.class), overrides::get, name -> null);
    }

    static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
        return m.group(1);
    }

    @Test
    void aFailingPropertyFailsWithTheShrunkPlanAndItsReplays() {
        Throwable failure = onlyFailure(run(NoLateFailstop.class));
        String message = failure.getMessage();
        System.out.println(message);
        PropertySettings settings = settingsOf(NoLateFailstop.class, Map.of());
        FaultPlanGen gen = new FaultPlanGen(settings.space(), TestSystem.booted().sites());
        int firstFailing = 0;
        while (ShrinkerTest.NO_LATE_FAILSTOP.failure(PropertyRunner.planOf(gen, 21, firstFailing)) == null) {
            firstFailing++;
        }
        FaultPlan original = PropertyRunner.planOf(gen, 21, firstFailing);
        assertThat(failure).isInstanceOf(PropertyFailure.class);
        assertThat(message).startsWith("recovery property NoLateFailstop#noFailstopIsArmedAfterThreeMillionCycles failed"
                + " at try " + firstFailing + " of seed 21 (@RecoveryProperty(seed))");
        assertThat(group(message, "original plan: +(.*)")).isEqualTo(original.toText());
        String shrunk = group(message, "shrunk plan: +(.*)");
        assertThat(shrunk).matches("failstop hypervisor site=\\S+@entry after=3000001 nth=1");
        assertThat(group(message, "shrinking: +(\\d+) steps? in")).isNotEqualTo("0");
        assertThat(message).contains("a local minimum: no simpler plan fails");
        assertThat(group(message, "replay the try: +(.*)")).isEqualTo("./mvnw -B -ntp verify -pl campaigns -Dtest='"
                + NoLateFailstop.class.getName() + "#noFailstopIsArmedAfterThreeMillionCycles' -Drehype.property.seed=21"
                + " -Drehype.property.try=" + firstFailing);
        assertThat(group(message, "replay the shrunk plan: +(.*)")).endsWith(" -Drehype.property.plan='" + shrunk + "'");
        assertThat(failure.getCause()).as("the shrunk plan's own failure").isInstanceOf(AssertionError.class)
                .hasMessageContaining("failstops armed after 3,000,000 cycles").hasMessageContaining("afterCycles=3000001, nth=1");

        // The try's replay fails the same way, and so does the shrunk plan alone.
        System.setProperty(PropertySettings.SEED_PROPERTY, group(message, "-Drehype.property.seed=(\\d+)"));
        System.setProperty(PropertySettings.TRY_PROPERTY, group(message, "-Drehype.property.try=(\\d+)"));
        String replay = onlyFailure(run(NoLateFailstop.class)).getMessage();
        assertThat(group(replay, "original plan: +(.*)")).isEqualTo(original.toText());
        assertThat(group(replay, "shrunk plan: +(.*)")).isEqualTo(shrunk);
        System.clearProperty(PropertySettings.SEED_PROPERTY);
        System.clearProperty(PropertySettings.TRY_PROPERTY);
        System.setProperty(PropertySettings.PLAN_PROPERTY, shrunk);
        String planReplay = onlyFailure(run(NoLateFailstop.class)).getMessage();
        assertThat(planReplay).contains("fails on the plan of -Drehype.property.plan");
        assertThat(group(planReplay, " plan: +(.*)")).isEqualTo(shrunk);
    }

    @Test
    void aPropertyThatHoldsPasses() {
        Events tests = run(ArmedInTheWindow.class);
        assertThat(tests.succeeded().count()).isEqualTo(1);
        assertThat(tests.failed().count()).isZero();
        assertThat(ArmedInTheWindow.SEEN).hasSize(12).doesNotHaveDuplicates();
    }

    @Test
    void theSeedAndTryOverridesPickThePlans() {
        PropertySettings settings = settingsOf(ArmedInTheWindow.class, Map.of());
        FaultPlanGen gen = new FaultPlanGen(settings.space(), TestSystem.booted().sites());
        run(ArmedInTheWindow.class);
        assertThat(ArmedInTheWindow.SEEN).isEqualTo(FaultPlanGenTest.plans(gen, 5, 12));

        ArmedInTheWindow.SEEN.clear();
        System.setProperty(PropertySettings.SEED_PROPERTY, "77");
        assertThat(run(ArmedInTheWindow.class).succeeded().count()).isEqualTo(1);
        assertThat(ArmedInTheWindow.SEEN).isEqualTo(FaultPlanGenTest.plans(gen, 77, 12));

        ArmedInTheWindow.SEEN.clear();
        System.setProperty(PropertySettings.TRY_PROPERTY, "3");
        run(ArmedInTheWindow.class);
        assertThat(ArmedInTheWindow.SEEN).containsExactly(PropertyRunner.planOf(gen, 77, 3));

        PropertySettings fromEnvironment = PropertySettings.of(ArmedInTheWindow.class.getDeclaredMethods()[0]
                .getAnnotation(RecoveryProperty.class), name -> null, Map.of(PropertySettings.SEED_ENV, "-9")::get);
        assertThat(fromEnvironment.seed()).isEqualTo(-9);
        assertThat(fromEnvironment.seedSource()).isEqualTo("REHYPE_PROPERTY_SEED");
        PropertySettings both = PropertySettings.of(ArmedInTheWindow.class.getDeclaredMethods()[0]
                        .getAnnotation(RecoveryProperty.class), Map.of(PropertySettings.SEED_PROPERTY, "4")::get,
                Map.of(PropertySettings.SEED_ENV, "-9")::get);
        assertThat(both.seed()).as("the system property wins").isEqualTo(4);
    }

    @Test
    void mistakesGetOneLineAndNoStackTrace() {
        System.setProperty(PropertySettings.SEED_PROPERTY, "12ab");
        Throwable badSeed = onlyFailure(run(ArmedInTheWindow.class));
        assertThat(badSeed).isInstanceOf(PropertyConfigException.class).hasMessage("-Drehype.property.seed='12ab' is not"
                + " a number (a seed is a whole number, e.g. -Drehype.property.seed=42)");
        assertThat(badSeed.getStackTrace()).isEmpty();
        System.clearProperty(PropertySettings.SEED_PROPERTY);

        System.setProperty(PropertySettings.TRY_PROPERTY, "-1");
        assertThat(onlyFailure(run(ArmedInTheWindow.class))).hasMessageStartingWith("-Drehype.property.try='-1' is out of range");
        System.clearProperty(PropertySettings.TRY_PROPERTY);

        System.setProperty(PropertySettings.PLAN_PROPERTY, "failstop hypervisor site=NoSuch.method@entry after=1 nth=1");
        Throwable badPlan = onlyFailure(run(ArmedInTheWindow.class));
        assertThat(badPlan).isInstanceOf(PropertyConfigException.class)
                .hasMessageStartingWith("-Drehype.property.plan: fault 1").hasMessageContaining("NoSuch.method@entry");
        System.clearProperty(PropertySettings.PLAN_PROPERTY);

        assertThat(onlyFailure(run(AsksForARunOfNothing.class))).isInstanceOf(PropertyConfigException.class)
                .hasMessage("@RecoveryProperty wantsARun: parameter 1 (PropertyRun) cannot be supplied; on"
                        + " system NONE nothing runs: a property may ask for the FaultPlan only");
        assertThat(onlyFailure(run(UnknownRepairStep.class))).isInstanceOf(PropertyConfigException.class)
                .hasMessageStartingWith("@RecoveryProperty(repairSteps: unknown repair step 'reboot-harder'; 'all',"
                        + " 'none' or steps: release-locks, ack-interrupts");
    }

    @Test
    void aPropertyThatDiscardsEveryTrySaysNothingAndFails() {
        assertThat(onlyFailure(run(SaysNothing.class))).isInstanceOf(PropertyFailure.class)
                .hasMessageStartingWith("recovery property SaysNothing#discardsEveryTry said nothing: 0 of 5 tries"
                        + " checked, 5 discarded by assumptions; at least 1 must be checked (minChecked)");
    }
}
