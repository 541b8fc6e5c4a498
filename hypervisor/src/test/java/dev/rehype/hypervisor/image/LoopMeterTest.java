package dev.rehype.hypervisor.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop meter: where it puts its calls (before each backward branch, nowhere else), what the
 * watchdog counts inside and outside a period, that a loop with no end expires the watchdog, and
 * that metered code computes what it did before.
 */
class LoopMeterTest {
    @AfterEach
    void uninstall() {
        Watchdog.install(null);
    }

    static byte[] samplesBytes() throws IOException {
        try (InputStream in = LoopSamples.class.getResourceAsStream("LoopSamples.class")) {
            return in.readAllBytes();
        }
    }

    /** The metered samples, defined by a loader of their own. */
    static Class<?> meteredSamples() throws Exception {
        byte[] metered = LoopMeter.meter(samplesBytes());
        ClassLoader loader = new ClassLoader("metered-samples", LoopMeterTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(LoopSamples.class.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, metered, 0, metered.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return loader.loadClass(LoopSamples.class.getName());
    }

    static int call(Class<?> samples, String method, int... args) throws Throwable {
        MethodType type = MethodType.methodType(int.class, java.util.Collections.nCopies(args.length, int.class));
        MethodHandle h = MethodHandles.publicLookup().findStatic(samples, method, type);
        Object[] boxed = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            boxed[i] = args[i];
        }
        return (int) h.invokeWithArguments(boxed);
    }

    @Test
    void everyLoopGetsOneMeterCallAndStraightCodeNone() throws Exception {
        Map<String, Integer> calls = new TreeMap<>();
        for (MethodModel m : ClassFile.of().parse(LoopMeter.meter(samplesBytes())).methods()) {
            int n = 0;
            for (var e : m.code().map(c -> c.elementList()).orElse(java.util.List.of())) {
                if (e instanceof InvokeInstruction inv && inv.name().equalsString("loop")
                        && inv.owner().asInternalName().equals(Watchdog.class.getName().replace('.', '/'))) {
                    n++;
                }
            }
            calls.put(m.methodName().stringValue(), n);
        }
        assertThat(calls).containsEntry("countTo", 1).containsEntry("doWhile", 1).containsEntry("nested", 2)
                .containsEntry("switchInLoop", 1).containsEntry("forEver", 1).containsEntry("straight", 0)
                .containsEntry("<init>", 0);
    }

    /** Runs {@code method} in a new period of {@code w}: its result, and the iterations the period counted. */
    static long[] inPeriod(Watchdog w, Class<?> samples, String method, int... args) throws Throwable {
        w.enter(0, 0);
        return new long[] {call(samples, method, args), w.loopIterations()};
    }

    @Test
    void insideAPeriodEachIterationCountsOnceAndMeteredCodeComputesTheSame() throws Throwable {
        Class<?> samples = meteredSamples();
        Watchdog w = new Watchdog(1_000_000);
        Watchdog.install(w);
        assertThat(inPeriod(w, samples, "countTo", 100)).containsExactly(LoopSamples.countTo(100), 100);
        assertThat(inPeriod(w, samples, "doWhile", 7)).containsExactly(7, 7);
        assertThat(inPeriod(w, samples, "nested", 3, 4)).containsExactly(12, 3 + 3 * 4);
        assertThat(inPeriod(w, samples, "switchInLoop", 9)).containsExactly(LoopSamples.switchInLoop(9), 9);
        w.leave();
        assertThat(w.maxLoopIterations()).isEqualTo(100);
        // Outside a period (boot, the host's reads) nothing is counted and nothing expires.
        assertThat(call(samples, "countTo", 2_000_000)).isEqualTo(LoopSamples.countTo(2_000_000));
        assertThat(w.loopIterations()).isZero();
    }

    @Test
    void aLoopWithNoEndExpiresTheWatchdogOneIterationPastTheBound() throws Throwable {
        Class<?> samples = meteredSamples();
        Watchdog w = new Watchdog(5_000);
        Watchdog.install(w);
        w.enter(1, 700);
        WatchdogExpired e = catchThrowableOfType(WatchdogExpired.class, () -> call(samples, "forEver", 0));
        assertThat(e.cpu()).isEqualTo(1);
        assertThat(e.spentCycles()).isEqualTo(5_001);
        assertThat(e.atCycles()).isEqualTo(5_701);
        assertThat(e.getMessage()).contains("5001 loop iterations", "loop bound 5000");
        // A period of its own bound (a recovery's) lets the same loop run further.
        w.enter(1, 0, 20_000);
        e = catchThrowableOfType(WatchdogExpired.class, () -> call(samples, "forEver", 0));
        assertThat(e.spentCycles()).isEqualTo(20_001);
    }

    @Test
    void theLoopsOfAThreadWithNoWatchdogAreNotCounted() throws Throwable {
        Watchdog.install(null);
        assertThat(call(meteredSamples(), "countTo", 10_000)).isEqualTo(LoopSamples.countTo(10_000));
    }

    @Test
    void pristineImagesAreMeteredToo() throws Exception {
        String name = HypervisorImage.CORE_PACKAGE + ".GuestMemory";
        Class<?> loaded = Class.forName(name, true, HypervisorImage.pristine().classLoader());
        assertThat(loaded.getClassLoader()).isNotSameAs(LoopMeterTest.class.getClassLoader());
        MethodModel readBytes = ClassFile.of().parse(HypervisorImage.pristineBytes(name)).methods().stream()
                .filter(m -> m.methodName().equalsString("readBytes")).findFirst().orElseThrow();
        assertThat(readBytes.code().orElseThrow().elementList()).filteredOn(e -> e instanceof InvokeInstruction inv
                && inv.name().equalsString("loop")).hasSize(1);
    }
}
