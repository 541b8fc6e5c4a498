package dev.rehype.hypervisor.image;

import java.util.List;

/** What to build at boot: the domains, in domid order (the first is domain 0). */
public record BootSpec(List<DomainSpec> domains) {
    public BootSpec {
        domains = List.copyOf(domains);
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("a system needs at least one domain");
        }
    }
}
