package dev.rehype.fault;

import dev.rehype.fault.hv.Site;
import dev.rehype.fault.hv.SiteCatalog;
import dev.rehype.guests.GuestImage;
import dev.rehype.hypervisor.probe.FaultPoint;
import dev.rehype.machine.Seeds;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.VcpuLayout;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fills in what a plan leaves open, from the seed, and checks what it names: fault {@code i}
 * draws from {@code Seeds.derive(seed, "fault-plan/" + i)}, so each fault's choices depend on the
 * seed and its position only. Trigger times fall in {@code [0, choiceWindowCycles)}; hypervisor
 * sites come from the {@link SiteCatalog}; guest sites from the domain's image.
 */
public final class PlanResolver {
    /** Largest count chosen for an open nth: hypervisor value probes, guest instructions. */
    static final int HV_VALUE_NTH = 10_000;
    static final int GUEST_NTH = 100_000;
    static final int POINT_NTH = 5;

    private final SiteCatalog catalog;
    private final Map<String, GuestImage> images;
    private final InjectionLimits limits;
    private final int domains;
    private final SiteProfile profile;

    /** {@code domains}: how many domains the system has (memory faults in their records). */
    public PlanResolver(SiteCatalog catalog, Map<String, GuestImage> images, InjectionLimits limits, int domains) {
        this(catalog, images, limits, domains, null);
    }

    /**
     * As above; with a {@code profile}, sites the seed chooses for hypervisor code faults and
     * failstops are among those the profiled run executed.
     */
    public PlanResolver(SiteCatalog catalog, Map<String, GuestImage> images, InjectionLimits limits, int domains,
                        SiteProfile profile) {
        this.catalog = catalog;
        this.images = images;
        this.limits = limits;
        this.domains = Math.max(1, domains);
        this.profile = profile;
    }

    /**
     * The resolver an injection run of {@code sut} uses: the core's catalog, the system's guest
     * images, and as many domains as it has images or boots (with {@code profile}, or null).
     */
    public static PlanResolver forSystem(SystemUnderTest sut, InjectionLimits limits, SiteProfile profile) {
        int domains = Math.max(sut.images().size(), sut.boot() != null ? sut.boot().domains().size() : 0);
        return new PlanResolver(SiteCatalog.core(), sut.images(), limits, domains, profile);
    }

    public FaultPlan resolve(FaultPlan plan, long seed) {
        List<Fault> out = new ArrayList<>();
        for (int i = 0; i < plan.faults().size(); i++) {
            Fault f = plan.faults().get(i);
            try {
                out.add(resolve(f, new SplittableRandom(Seeds.derive(seed, "fault-plan/" + i))));
            } catch (FaultPlanException e) {
                throw new FaultPlanException("fault " + (i + 1) + " (" + FaultPlan.toText(f) + "): " + e.getMessage());
            }
        }
        return new FaultPlan(out);
    }

    private Fault resolve(Fault f, SplittableRandom r) {
        Trigger t = f.trigger();
        long after = t.afterCycles() >= 0 ? t.afterCycles() : r.nextLong(limits.choiceWindowCycles());
        boolean hv = f.target().isHypervisor();
        long nthMax = switch (f) {
            case RegisterFault x -> hv ? HV_VALUE_NTH : GUEST_NTH;
            case CodeFault x -> hv ? 1 : GUEST_NTH;
            case MemoryFault x -> hv ? 1 : GUEST_NTH;
            case FailstopFault x -> hv ? POINT_NTH : GUEST_NTH;
            case HangFault x -> hv ? POINT_NTH : GUEST_NTH;
        };
        long nth = t.nth() >= 1 ? t.nth() : 1 + r.nextLong(nthMax);
        Trigger trigger = new Trigger(after, nth, t.inside());
        String site = f.site();
        int bit = f.bit();
        GuestImage image = GuestAddresses.imageOf(f.target(), images);
        switch (f) {
            case RegisterFault x -> {
                if (hv) {
                    site = site.isEmpty() ? "*" : site;
                    if (!site.equals("*")) {
                        Site s = site(site);
                        if (!s.producesValue()) {
                            throw new FaultPlanException("site " + site + " (" + s.opcode() + ") produces no primitive value");
                        }
                    }
                    bit = bit >= 0 ? bit : r.nextInt(64);
                } else {
                    site = site.isEmpty() ? "x" + (1 + r.nextInt(31)) : site;
                    GuestRegisters.index(site);
                    bit = bit >= 0 ? bit : r.nextInt(32);
                    if (bit > 31) {
                        throw new FaultPlanException("guest register bit=" + bit + ": must be 0..31");
                    }
                }
            }
            case CodeFault x -> {
                if (hv) {
                    if (site.isEmpty()) {
                        List<Site> m = profile == null || profile.executedMutableSites().isEmpty()
                                ? catalog.mutableSites() : profile.executedMutableSites();
                        site = m.get(r.nextInt(m.size())).key();
                    }
                    Site s = site(site);
                    if (!s.mutable()) {
                        throw new FaultPlanException("site " + site + " (" + s.opcode() + ") cannot be mutated");
                    }
                    bit = -1;
                } else {
                    site = site.isEmpty() ? "pc" : site;
                    if (!site.equals("pc")) {
                        GuestAddresses.resolve(site, image);
                    }
                    bit = bit >= 0 ? bit : r.nextInt(32);
                }
            }
            case FailstopFault x -> site = pointSite(site, hv, "kernel", r);
            case HangFault x -> site = pointSite(site, hv, "pc", r);
            case MemoryFault x -> {
                if (hv) {
                    site = site.isEmpty() ? randomRegionField(r) : site;
                    if (!site.startsWith("region:") && !site.startsWith("heap:")) {
                        throw new FaultPlanException("hypervisor memory site '" + site + "': expected region:... or heap:...");
                    }
                    if (site.startsWith("region:")) {
                        RegionLocations.parse(site.substring("region:".length()), domains);
                    }
                    bit = bit >= 0 ? bit : r.nextInt(32);
                } else {
                    site = site.isEmpty() ? "data:*" : site;
                    int colon = site.indexOf(':');
                    String kind = colon < 0 ? "" : site.substring(0, colon);
                    if (!kind.equals("code") && !kind.equals("data")) {
                        throw new FaultPlanException("guest memory site '" + site + "': expected code:<where> or data:<where>");
                    }
                    String where = site.substring(colon + 1);
                    if (where.equals("*")) {
                        where = randomSymbolWord(image, kind.equals("code"), r);
                    } else {
                        GuestAddresses.resolve(where, image);
                    }
                    site = kind + ":" + where;
                    bit = bit >= 0 ? bit : r.nextInt(32);
                    if (bit > 31) {
                        throw new FaultPlanException("guest memory bit=" + bit + ": must be 0..31");
                    }
                }
            }
        }
        return f.with(site, bit, trigger);
    }

    private Site site(String key) {
        return catalog.byKey(key).orElseThrow(() -> new FaultPlanException("no hypervisor instruction site '" + key
                + "' (sites are Class.method@bci of the core as built; rehype faults sites lists them)"));
    }

    private String pointSite(String site, boolean hv, String guestSite, SplittableRandom r) {
        if (!hv) {
            if (!site.isEmpty() && !site.equals(guestSite)) {
                throw new FaultPlanException("guest site must be '" + guestSite + "', got '" + site + "'");
            }
            return guestSite;
        }
        if (site.isEmpty() && profile != null && !profile.executedSites().isEmpty()) {
            List<String> methods = profile.executedMethods();
            String m = methods.get(r.nextInt(methods.size()));
            String cls = m.substring(0, m.indexOf('#'));
            site = cls.substring(cls.lastIndexOf('.') + 1) + "." + m.substring(m.indexOf('#') + 1) + "@entry";
        }
        if (site.isEmpty()) {
            List<String> methods = catalog.methods();
            String m = methods.get(r.nextInt(methods.size()));
            String cls = m.substring(0, m.indexOf('#'));
            site = cls.substring(cls.lastIndexOf('.') + 1) + "." + m.substring(m.indexOf('#') + 1) + "@entry";
        }
        FaultPoint p = ProbePoints.parse(site);
        if (catalog.locate(p).isEmpty() && !catalog.methods().contains(p.className() + "#" + p.methodName())) {
            throw new FaultPlanException("probe point " + site + ": no such method or call in the hypervisor core");
        }
        if (p.anchor() != FaultPoint.Anchor.ENTRY && catalog.locate(p).isEmpty()) {
            throw new FaultPlanException("probe point " + site + ": no such call in the hypervisor core");
        }
        return site;
    }

    private String randomRegionField(SplittableRandom r) {
        int d = r.nextInt(domains);
        if (r.nextBoolean()) {
            List<String> fields = layoutFields(DomainLayout.class);
            return "region:domain[" + d + "]." + fields.get(r.nextInt(fields.size()));
        }
        List<String> fields = layoutFields(VcpuLayout.class);
        return "region:vcpu[" + d + ".0]." + fields.get(r.nextInt(fields.size()));
    }

    /** The offset constants of a layout class (long constants, SIZE_BYTES aside), in declaration order. */
    static List<String> layoutFields(Class<?> layout) {
        List<String> out = new ArrayList<>();
        for (Field f : layout.getDeclaredFields()) {
            if (f.getType() == long.class && Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers())
                    && !f.getName().equals("SIZE_BYTES")) {
                out.add(f.getName());
            }
        }
        return out;
    }

    private static String randomSymbolWord(GuestImage image, boolean code, SplittableRandom r) {
        if (image == null) {
            throw new FaultPlanException("no guest image for this target to choose a symbol from");
        }
        GuestImage.Symbol.Kind kind = code ? GuestImage.Symbol.Kind.FUNCTION : GuestImage.Symbol.Kind.OBJECT;
        List<GuestImage.Symbol> candidates = image.symbols().stream()
                .filter(s -> s.kind() == kind && s.sizeBytes() >= 4).toList();
        if (candidates.isEmpty()) {
            throw new FaultPlanException(image.name() + " has no " + (code ? "function" : "object") + " symbols");
        }
        GuestImage.Symbol s = candidates.get(r.nextInt(candidates.size()));
        int off = 4 * r.nextInt(s.sizeBytes() / 4);
        return s.name() + "+" + off;
    }
}
