package dev.rehype.campaign.property;

import dev.rehype.campaign.Classification;
import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.exec.GoldenRun;
import dev.rehype.campaign.exec.Observation;
import dev.rehype.fault.FaultPlan;
import dev.rehype.fault.FaultPlanException;
import dev.rehype.fault.InjectionResult;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Method;
import java.util.List;

/**
 * The JUnit 5 side of {@link RecoveryProperty}: JUnit calls a property method once; this extension
 * skips that call and instead runs the property's tries ({@link PropertyRunner}), invoking the
 * method once per try with the try's plan and run. Parameters are matched by type; JUnit's own
 * resolution only sees placeholders.
 */
public final class RecoveryPropertyExtension implements InvocationInterceptor, ParameterResolver {
    /** What a property method may ask for; on the system NONE only the plan. */
    static final List<Class<?>> PARAMETERS = List.of(FaultPlan.class, PropertyRun.class, InjectionResult.class,
            Observation.class, Classification.class, Outcome.class, GoldenRun.class, ReferenceRun.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getDeclaringExecutable() instanceof Method m
                && AnnotationSupport.isAnnotated(m, RecoveryProperty.class) && !parameter.getParameter().getType().isPrimitive();
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return null;
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) {
        invocation.skip();
        Method method = invocationContext.getExecutable();
        Object target = invocationContext.getTarget().orElse(null);
        RecoveryProperty annotation = AnnotationSupport.findAnnotation(method, RecoveryProperty.class).orElseThrow();
        PropertySettings settings = PropertySettings.of(annotation, System::getProperty, System::getenv);
        boolean runs = settings.system() != PropertySystem.NONE;
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (!PARAMETERS.contains(types[i]) || !runs && types[i] != FaultPlan.class) {
                throw new PropertyConfigException("@RecoveryProperty " + method.getName() + ": parameter " + (i + 1)
                        + " (" + types[i].getSimpleName() + ") cannot be supplied; " + (runs
                        ? "a property may ask for " + PARAMETERS.stream().map(Class::getSimpleName).toList()
                        : "on system NONE nothing runs: a property may ask for the FaultPlan only"));
            }
        }
        BootedSystem booted = BootedSystem.of(settings.system(), settings.systemSeed(), settings.maxCycles());
        Class<?> testClass = context.getRequiredTestClass();
        String runName = "property " + testClass.getSimpleName() + "#" + method.getName();
        if (settings.plan() != null) {
            try {
                booted.sites().resolve(settings.plan(), settings.seed());
            } catch (FaultPlanException e) {
                throw new PropertyConfigException("-D" + PropertySettings.PLAN_PROPERTY + ": " + e.getMessage());
            }
        }
        ReferenceRun reference = plan -> booted.run(runName + " (reference path)", plan, settings.seed(),
                settings.policy(), true);
        PropertyRunner runner = new PropertyRunner(testClass, method, settings,
                new FaultPlanGen(settings.space(), booted.sites()));
        Check<FaultPlan> check = plan -> {
            PropertyRun run = runs ? run(booted, runName, plan, settings) : null;
            if (run != null) {
                runner.count(run.outcome());
            }
            try {
                ReflectionSupport.invokeMethod(method, target, arguments(method, plan, run, reference));
                return null;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                return t;
            }
        };
        System.out.println(runner.run(check));
    }

    /** One try's run; a plan of the override the injector refuses is the user's mistake. */
    private static PropertyRun run(BootedSystem booted, String runName, FaultPlan plan, PropertySettings settings) {
        try {
            return booted.run(runName, plan, settings.seed(), settings.policy(), false);
        } catch (FaultPlanException e) {
            if (plan.equals(settings.plan())) {
                throw new PropertyConfigException("-D" + PropertySettings.PLAN_PROPERTY + ": " + e.getMessage());
            }
            throw e;
        }
    }

    /** The arguments of one call of {@code method}, by parameter type. */
    private static Object[] arguments(Method method, FaultPlan plan, PropertyRun run, ReferenceRun reference) {
        Class<?>[] types = method.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            args[i] = type == FaultPlan.class ? (run == null ? plan : run.plan())
                    : type == PropertyRun.class ? run
                    : type == InjectionResult.class ? run.injection()
                    : type == Observation.class ? run.observation()
                    : type == Classification.class ? run.classification()
                    : type == Outcome.class ? run.outcome()
                    : type == GoldenRun.class ? run.golden()
                    : reference;
        }
        return args;
    }
}
