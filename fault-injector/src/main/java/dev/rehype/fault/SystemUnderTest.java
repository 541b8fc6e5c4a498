package dev.rehype.fault;

import dev.rehype.guests.GuestImage;
import dev.rehype.guests.GuestImageException;
import dev.rehype.hypervisor.image.BootSpec;
import dev.rehype.hypervisor.image.DomainSpec;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.hypervisor.system.Snapshot;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;
import dev.rehype.hypervisor.system.VmResult;
import dev.rehype.recovery.RecoveryMode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What an injection run runs: a system booted fresh from {@code config} and {@code boot}, or
 * restored from {@code snapshot} (campaigns boot once and start every run from the snapshot); the
 * guest images by domain name (for symbols; domains missing here are named by pc only); how VMs are
 * judged at the end; which domains the run waits for; and how ReHype recovers.
 */
public record SystemUnderTest(SystemConfig config, BootSpec boot, Snapshot snapshot, Map<String, GuestImage> images,
                              Judge judge, Predicate<DomainStatus> waitFor, RecoveryPolicy policy, RecoveryMode mode) {

    /** Judges every VM at the end of a run ({@code finished}: every awaited domain shut down). */
    @FunctionalInterface
    public interface Judge {
        List<VmResult> judge(HostSystem system, boolean finished);
    }

    public SystemUnderTest {
        if ((boot == null) == (snapshot == null)) {
            throw new IllegalArgumentException("a system under test is booted (config and boot spec) or restored "
                    + "(snapshot), one of the two");
        }
        images = java.util.Collections.unmodifiableMap(new TreeMap<>(images));
    }

    /**
     * The standard system with {@code seed}, booted fresh (the host builds Dom0, Dom0 the other
     * domains), recovered by microreboot with every repair step.
     */
    public static SystemUnderTest standard(long seed) throws GuestImageException {
        return standard(seed, RecoveryPolicy.all(), RecoveryMode.MICROREBOOT);
    }

    public static SystemUnderTest standard(long seed, RecoveryPolicy policy, RecoveryMode mode)
            throws GuestImageException {
        BootSpec spec = StandardSystem.bootSpec();
        Map<String, GuestImage> images = new TreeMap<>();
        for (StandardSystem.Vm vm : StandardSystem.vms()) {
            images.put(vm.name(), GuestImage.load(vm.image()));
        }
        return new SystemUnderTest(SystemConfig.defaults(seed), spec, null, images,
                (system, finished) -> StandardSystem.report(seed, system, finished).vms(), d -> true, policy, mode);
    }

    /** The same system restored from {@code snapshot} instead of booted. */
    public SystemUnderTest fromSnapshot(Snapshot snapshot) {
        return new SystemUnderTest(snapshot.config(), null, snapshot, images, judge, waitFor, policy, mode);
    }

    /** The same system recovered with {@code policy} and {@code mode}. */
    public SystemUnderTest recoveredBy(RecoveryPolicy policy, RecoveryMode mode) {
        return new SystemUnderTest(config, boot, snapshot, images, judge, waitFor, policy, mode);
    }

    /** The guest image of every domain of {@code spec}, by name. */
    public static Map<String, GuestImage> imagesOf(BootSpec spec) {
        Map<String, GuestImage> m = new TreeMap<>();
        for (DomainSpec d : spec.domains()) {
            m.put(d.name(), d.image());
        }
        return m;
    }
}
