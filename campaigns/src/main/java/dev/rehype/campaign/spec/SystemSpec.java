package dev.rehype.campaign.spec;

import dev.rehype.hypervisor.system.HostBuiltSystem;

import java.util.ArrayList;
import java.util.List;

/**
 * Which system a campaign injects into: Dom0 of the standard system (the management domain)
 * plus the chosen AppVMs of the standard system, by name, in the standard order.
 */
public record SystemSpec(List<String> appvms) {
    public SystemSpec {
        appvms = List.copyOf(appvms);
    }

    /** The standard system: Dom0 and every AppVM. */
    public static SystemSpec standard() {
        return new SystemSpec(standardAppvms());
    }

    /** The AppVMs of the standard system, in domid order. */
    public static List<String> standardAppvms() {
        List<String> names = new ArrayList<>();
        for (HostBuiltSystem.Vm vm : HostBuiltSystem.vms()) {
            if (!vm.privileged()) {
                names.add(vm.name());
            }
        }
        return names;
    }

    public boolean isStandard() {
        return appvms.equals(standardAppvms());
    }
}
