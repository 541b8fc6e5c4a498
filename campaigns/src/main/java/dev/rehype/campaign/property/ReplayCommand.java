package dev.rehype.campaign.property;

import dev.rehype.campaign.exec.InjectorBackend;
import dev.rehype.fault.FaultPlan;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The command line that re-runs one property alone with Maven, from the project's root (the
 * nearest directory above the test's working directory holding {@code mvnw}), in the test's
 * module: {@code ./mvnw -B -ntp verify -pl <module> -Dtest='<class>#<method>'} plus the overrides
 * that pick the seed and try, or the plan. Surefire passes {@code -D} properties on to the tests.
 *
 * <p>The command line's {@code rehype run --fault} runs the Dom0-built I/O system booted with its
 * {@code --seed}, recovered by microreboot with every repair step: the same run as a property's
 * on {@link PropertySystem#IO} with that policy when given the machine seed the property's system
 * seed derives ({@link #cli}); it runs no other property system.
 */
public final class ReplayCommand {
    private ReplayCommand() {
    }

    /** Re-runs try {@code k} of seed {@code seed} (and shrinks it again on failure). */
    static String tryOf(Class<?> testClass, Method method, long seed, int k) {
        return base(testClass, method) + " -D" + PropertySettings.SEED_PROPERTY + "=" + seed + " -D"
                + PropertySettings.TRY_PROPERTY + "=" + k;
    }

    /** Runs {@code planText} alone. */
    static String plan(Class<?> testClass, Method method, String planText) {
        return base(testClass, method) + " -D" + PropertySettings.PLAN_PROPERTY + "=" + quote(planText);
    }

    /**
     * The {@code rehype run} line that runs {@code plan} exactly as a property on the I/O system
     * with system seed {@code systemSeed}, policy microreboot/all and {@code maxCycles} runs it
     * (same final state; the command prints the run, it does not check the property).
     */
    public static String cli(FaultPlan plan, long systemSeed, long maxCycles) {
        return "./rehype run --fault " + quote(plan.toText()) + " --seed " + InjectorBackend.machineSeed(systemSeed)
                + " --max-cycles " + maxCycles;
    }

    private static String base(Class<?> testClass, Method method) {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        Path root = dir;
        while (root != null && !Files.isRegularFile(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        String maven = root == null ? "mvn" : "./mvnw";
        String module = root == null || root.equals(dir) ? "" : " -pl " + root.relativize(dir);
        return maven + " -B -ntp verify" + module + " -Dtest=" + quote(testClass.getName() + "#" + method.getName());
    }

    /** {@code text} in single quotes for a POSIX shell. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
