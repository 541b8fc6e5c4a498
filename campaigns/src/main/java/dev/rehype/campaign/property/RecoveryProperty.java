package dev.rehype.campaign.property;

import dev.rehype.campaign.spec.FaultType;
import dev.rehype.campaign.spec.Limits;
import dev.rehype.recovery.RecoveryMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JUnit 5 test method as a recovery property: the kit draws {@link #tries} fault plans
 * from {@link #seed}, runs each on the campaign {@link #system} through the campaign's own
 * executor (booted once per JVM; every try starts from the same prepared state), and calls the
 * method once per try with what it asks for: the {@code FaultPlan}, the {@code PropertyRun}, the
 * injector's {@code InjectionResult}, the executor's {@code Observation}, the classifier's
 * {@code Classification} or {@code Outcome}, the {@code GoldenRun}, a {@code ReferenceRun}. The
 * first try that fails is shrunk to a minimal failing plan and the test fails with one message:
 * seed and try, the plan, the shrunk plan, the steps, and replay lines. A try that aborts
 * (JUnit's {@code Assumptions}) is discarded: the property does not speak about that plan.
 *
 * <p>Overrides, for replays: {@code -Drehype.property.seed=S} (or the environment's
 * {@code REHYPE_PROPERTY_SEED}) replaces {@link #seed}; {@code -Drehype.property.try=K} runs try K
 * alone; {@code -Drehype.property.plan='<plan>'} runs that one plan alone (no shrinking).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(RecoveryPropertyExtension.class)
public @interface RecoveryProperty {
    /** Plans drawn and run: tries 0 to tries - 1. */
    int tries() default 20;

    /** The root seed: try k draws from {@code Seeds.derive(Seeds.derive(seed, "property"), k)}. */
    long seed() default 1;

    /** Where the tries run. */
    PropertySystem system() default PropertySystem.HOST_BUILT;

    /** The seed of the campaign system itself (as a campaign's root seed: its devices derive from it). */
    long systemSeed() default 1;

    /** The fault types each fault draws from. */
    FaultType[] types() default {FaultType.REGISTER, FaultType.CODE, FaultType.FAILSTOP, FaultType.HANG,
            FaultType.MEMORY};

    /** The targets each fault draws from: {@code hypervisor}, {@code dom0}, {@code appvm:<name>}, {@code driver} (io). */
    String[] targets() default {"hypervisor"};

    /** Start of the window a fault's {@code after} falls in, in virtual cycles (-1: the system's campaign default). */
    long triggerFromCycles() default -1;

    /** End (exclusive) of that window (-1: the system's campaign default). */
    long triggerToCycles() default -1;

    /** Faults per plan: 1 to this. */
    int maxFaults() default 1;

    /** A fault fires at its nth chance after {@code after}: nth is 1 to this. */
    long maxNth() default 5;

    /** Repair steps of the recovery policy: {@code all}, {@code none}, or step labels such as {@code release-locks}. */
    String[] repairSteps() default {"all"};

    /** The recovery mode. */
    RecoveryMode mode() default RecoveryMode.MICROREBOOT;

    /** Virtual time a run may take; work unfinished then is a hang (as a campaign's {@code limits.max-cycles}). */
    long maxCycles() default Limits.DEFAULT_MAX_CYCLES;

    /** Shrinking tries at most this many simpler plans (each one a run of the system). */
    int maxShrinkRuns() default 100;

    /** The property fails unless at least this many tries were checked (not discarded). */
    int minChecked() default 1;
}
