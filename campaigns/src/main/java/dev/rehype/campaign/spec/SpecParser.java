package dev.rehype.campaign.spec;

import dev.rehype.campaign.spec.SpecNode.ListNode;
import dev.rehype.campaign.spec.SpecNode.MapNode;
import dev.rehype.campaign.spec.SpecNode.Scalar;
import dev.rehype.hypervisor.image.RepairStep;
import dev.rehype.recovery.RecoveryMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Binds a YAML campaign spec to a {@link CampaignSpec}, checking everything a run would trip
 * over later: unknown fields, wrong types, unknown fault types, targets and repair steps, runs
 * that are not positive, weights that sum to zero, counts mixed with weights, empty trigger
 * windows. The first problem found is a {@link SpecException} naming the field and its line.
 * The schema is documented in campaigns/README.md.
 */
public final class SpecParser {
    private static final Set<String> TOP = Set.of("name", "system", "target", "faults", "trigger", "recovery",
            "runs", "seed", "limits");
    private static final Set<String> SYSTEM = Set.of("kind", "appvms");
    private static final Set<String> FAULT = Set.of("type", "weight", "count", "trigger");
    private static final Set<String> TRIGGER = Set.of("from-cycles", "to-cycles");
    private static final Set<String> RECOVERY = Set.of("mode", "steps", "sweep");
    private static final Set<String> POLICY = Set.of("name", "mode", "steps");
    private static final Set<String> LIMITS = Set.of("max-cycles", "wall-clock-seconds");
    private static final long MAX_RUNS = 100_000_000L;

    private final String source;

    private SpecParser(String source) {
        this.source = source;
    }

    /** Reads and checks the spec file {@code file}. */
    public static CampaignSpec parse(Path file) throws SpecException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SpecException(file.toString(), 1, "", "cannot be read: "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
        return parse(text, file.toString());
    }

    /** Checks the spec {@code text}; {@code source} names it in messages. */
    public static CampaignSpec parse(String text, String source) throws SpecException {
        return new SpecParser(source).bind(SpecReader.read(text, source));
    }

    private CampaignSpec bind(SpecNode rootNode) throws SpecException {
        MapNode root = map(rootNode, "");
        known(root, "", TOP);
        String name = string(required(root, "", "name"), "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw error(root.entries().get("name"), "name", "'" + name
                    + "' is not a campaign name (letters, digits, '.', '_', '-'; at most 64; it names files)");
        }
        SystemSpec system = root.entries().containsKey("system") ? system(root.entries().get("system"))
                : SystemSpec.standard();
        String target = target(required(root, "", "target"), system);
        TriggerWindow defaultTrigger = root.entries().containsKey("trigger")
                ? trigger(root.entries().get("trigger"), "trigger")
                : system.isIo() ? TriggerWindow.IO_DEFAULT : TriggerWindow.DEFAULT;
        SpecNode faultsNode = required(root, "", "faults");
        List<FaultEntry> faults = faults(faultsNode, defaultTrigger);
        boolean byCount = faults.get(0).count() > 0;
        long draws;
        if (byCount) {
            long sum = 0;
            for (FaultEntry f : faults) {
                sum += f.count();
            }
            if (root.entries().containsKey("runs")) {
                long runs = positive(root.entries().get("runs"), "runs");
                if (runs != sum) {
                    throw error(root.entries().get("runs"), "runs", runs + " runs, but the fault counts add up to "
                            + sum + " (with counts, runs may be left out)");
                }
            }
            draws = sum;
        } else {
            draws = positive(required(root, "", "runs"), "runs");
        }
        if (draws > MAX_RUNS) {
            throw error(root.entries().getOrDefault("runs", faultsNode), "runs", draws + " runs; at most " + MAX_RUNS);
        }
        long seed = root.entries().containsKey("seed") ? integer(root.entries().get("seed"), "seed") : 1;
        boolean sweep = false;
        List<PolicySpec> policies;
        if (root.entries().containsKey("recovery")) {
            MapNode rec = map(root.entries().get("recovery"), "recovery");
            known(rec, "recovery", RECOVERY);
            if (rec.entries().containsKey("sweep")) {
                if (rec.entries().containsKey("mode") || rec.entries().containsKey("steps")) {
                    String other = rec.entries().containsKey("mode") ? "mode" : "steps";
                    throw error(rec.entries().get(other), "recovery." + other,
                            "give either one policy (mode, steps) or a sweep, not both");
                }
                sweep = true;
                policies = sweep(rec.entries().get("sweep"));
            } else {
                policies = List.of(policy(rec, "recovery", null));
            }
        } else {
            policies = List.of(PolicySpec.all(RecoveryMode.MICROREBOOT));
        }
        if (draws * policies.size() > MAX_RUNS) {
            throw error(root.entries().getOrDefault("runs", faultsNode), "runs", draws + " runs under "
                    + policies.size() + " policies; at most " + MAX_RUNS + " runs in all");
        }
        Limits limits = root.entries().containsKey("limits") ? limits(root.entries().get("limits")) : Limits.DEFAULT;
        return new CampaignSpec(name, source, system, target, faults, byCount, policies, sweep, draws, seed, limits);
    }

    // ------------------------------------------------------------------------------ sections

    private SystemSpec system(SpecNode node) throws SpecException {
        MapNode m = map(node, "system");
        known(m, "system", SYSTEM);
        SystemSpec.Kind kind = SystemSpec.Kind.HOST_BUILT;
        if (m.entries().containsKey("kind")) {
            String label = string(m.entries().get("kind"), "system.kind");
            kind = SystemSpec.Kind.byLabel(label);
            if (kind == null) {
                throw error(m.entries().get("kind"), "system.kind", "unknown system kind '" + label + "'; kinds: "
                        + Arrays.stream(SystemSpec.Kind.values()).map(SystemSpec.Kind::label)
                                .collect(Collectors.joining(", ")));
            }
        }
        if (kind == SystemSpec.Kind.IO) {
            if (m.entries().containsKey("appvms")) {
                throw error(m.entries().get("appvms"), "system.appvms", "the io system's AppVMs are fixed (Dom0 builds "
                        + String.join(", ", SystemSpec.ioAppvms()) + "); appvms chooses among the host-built system's");
            }
            return SystemSpec.io();
        }
        if (!m.entries().containsKey("appvms")) {
            return SystemSpec.standard();
        }
        ListNode list = list(m.entries().get("appvms"), "system.appvms");
        List<String> standard = SystemSpec.standardAppvms();
        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < list.items().size(); i++) {
            String path = "system.appvms[" + i + "]";
            String vm = string(list.items().get(i), path);
            if (!standard.contains(vm)) {
                throw error(list.items().get(i), path, "unknown AppVM '" + vm + "'; the standard system has "
                        + String.join(", ", standard));
            }
            if (!chosen.add(vm)) {
                throw error(list.items().get(i), path, "AppVM '" + vm + "' listed twice");
            }
        }
        if (chosen.isEmpty()) {
            throw error(list, "system.appvms", "no AppVM; a campaign needs at least one workload to judge");
        }
        if (chosen.contains("hc-ping") != chosen.contains("hc-pong")) {
            throw error(list, "system.appvms", "hc-ping and hc-pong are a pair (each is the other's peer): "
                    + "list both or neither");
        }
        List<String> ordered = standard.stream().filter(chosen::contains).toList();
        return new SystemSpec(ordered);
    }

    private String target(SpecNode node, SystemSpec system) throws SpecException {
        String t = string(node, "target");
        if (t.equals("hypervisor") || t.equals("dom0")) {
            return t;
        }
        String targets = system.isIo() ? "hypervisor, dom0, driver, appvm:<name>" : "hypervisor, dom0, appvm:<name>";
        if (t.equals("driver")) {
            if (system.isIo()) {
                return t;
            }
            throw error(node, "target", "the host-built system has no driver domain (it is Dom0 and AppVMs; "
                    + "system: {kind: io} has one); targets: " + targets);
        }
        if (t.startsWith("appvm:")) {
            String vm = t.substring("appvm:".length());
            if (!system.appvms().contains(vm)) {
                throw error(node, "target", "no AppVM '" + vm + "' in the system; it has "
                        + String.join(", ", system.appvms()));
            }
            return t;
        }
        throw error(node, "target", "unknown target '" + t + "'; targets: " + targets);
    }

    private List<FaultEntry> faults(SpecNode node, TriggerWindow defaultTrigger) throws SpecException {
        ListNode list = list(node, "faults");
        if (list.items().isEmpty()) {
            throw error(list, "faults", "no fault types; list at least one");
        }
        List<FaultEntry> out = new ArrayList<>();
        Boolean counts = null;
        double weightSum = 0;
        Set<FaultType> seen = EnumSet.noneOf(FaultType.class);
        for (int i = 0; i < list.items().size(); i++) {
            String path = "faults[" + i + "]";
            MapNode f = map(list.items().get(i), path);
            known(f, path, FAULT);
            SpecNode typeNode = required(f, path, "type");
            String typeName = string(typeNode, path + ".type");
            FaultType type = FaultType.byLabel(typeName);
            if (type == null) {
                throw error(typeNode, path + ".type", "unknown fault type '" + typeName + "'; fault types: "
                        + Arrays.stream(FaultType.values()).map(FaultType::label).collect(Collectors.joining(", ")));
            }
            if (!seen.add(type)) {
                throw error(typeNode, path + ".type", "fault type '" + typeName + "' listed twice");
            }
            boolean hasWeight = f.entries().containsKey("weight");
            boolean hasCount = f.entries().containsKey("count");
            if (hasWeight == hasCount) {
                throw error(f, path, hasWeight ? "give a weight or a count, not both" : "needs a weight or a count");
            }
            if (counts != null && counts != hasCount) {
                String key = hasCount ? "count" : "weight";
                throw error(f.entries().get(key), path + "." + key, "the fault mix mixes counts and weights; "
                        + "use counts everywhere or weights everywhere");
            }
            counts = hasCount;
            double weight = 0;
            long count = 0;
            if (hasWeight) {
                weight = number(f.entries().get("weight"), path + ".weight");
                if (!(weight >= 0) || Double.isInfinite(weight)) {
                    throw error(f.entries().get("weight"), path + ".weight", "a weight must be >= 0, got "
                            + ((Scalar) f.entries().get("weight")).text());
                }
                weightSum += weight;
            } else {
                count = integer(f.entries().get("count"), path + ".count");
                if (count < 0) {
                    throw error(f.entries().get("count"), path + ".count", "a count must be >= 0, got " + count);
                }
            }
            TriggerWindow trigger = f.entries().containsKey("trigger")
                    ? trigger(f.entries().get("trigger"), path + ".trigger") : defaultTrigger;
            out.add(new FaultEntry(type, weight, count, trigger));
        }
        if (Boolean.FALSE.equals(counts) && !(weightSum > 0)) {
            throw error(list, "faults", "the weights sum to 0; at least one fault type needs a positive weight");
        }
        if (Boolean.TRUE.equals(counts) && out.stream().mapToLong(FaultEntry::count).sum() == 0) {
            throw error(list, "faults", "the counts sum to 0; a campaign needs at least one run");
        }
        return out;
    }

    private TriggerWindow trigger(SpecNode node, String path) throws SpecException {
        MapNode m = map(node, path);
        known(m, path, TRIGGER);
        long from = integer(required(m, path, "from-cycles"), path + ".from-cycles");
        long to = integer(required(m, path, "to-cycles"), path + ".to-cycles");
        if (from < 0) {
            throw error(m.entries().get("from-cycles"), path + ".from-cycles", "must be >= 0, got " + from);
        }
        if (to <= from) {
            throw error(m.entries().get("to-cycles"), path + ".to-cycles", "the window [" + from + ", " + to
                    + ") is empty; to-cycles must be greater than from-cycles");
        }
        return new TriggerWindow(from, to);
    }

    private List<PolicySpec> sweep(SpecNode node) throws SpecException {
        ListNode list = list(node, "recovery.sweep");
        if (list.items().size() < 2) {
            throw error(list, "recovery.sweep", "a sweep needs at least two policies; with one, use recovery.mode "
                    + "and recovery.steps");
        }
        List<PolicySpec> out = new ArrayList<>();
        Map<String, Integer> names = new java.util.TreeMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            String path = "recovery.sweep[" + i + "]";
            MapNode m = map(list.items().get(i), path);
            known(m, path, POLICY);
            String name = m.entries().containsKey("name") ? string(m.entries().get("name"), path + ".name") : null;
            PolicySpec p = policy(m, path, name);
            Integer first = names.putIfAbsent(p.name(), i);
            if (first != null) {
                throw error(m, path, "policy name '" + p.name() + "' is used twice (also by recovery.sweep["
                        + first + "]); name each policy of a sweep differently");
            }
            out.add(p);
        }
        return out;
    }

    private PolicySpec policy(MapNode m, String path, String name) throws SpecException {
        RecoveryMode mode = RecoveryMode.MICROREBOOT;
        if (m.entries().containsKey("mode")) {
            String label = string(m.entries().get("mode"), path + ".mode");
            mode = switch (label) {
                case "microreboot" -> RecoveryMode.MICROREBOOT;
                case "microreset" -> RecoveryMode.MICRORESET;
                default -> throw error(m.entries().get("mode"), path + ".mode", "unknown recovery mode '" + label
                        + "'; modes: microreboot, microreset");
            };
        }
        Set<RepairStep> steps = EnumSet.allOf(RepairStep.class);
        if (m.entries().containsKey("steps")) {
            steps = steps(m.entries().get("steps"), path + ".steps");
        }
        return new PolicySpec(name == null ? PolicySpec.defaultName(mode, steps) : name, mode, steps);
    }

    private Set<RepairStep> steps(SpecNode node, String path) throws SpecException {
        if (node instanceof Scalar s && s.type() == Scalar.Type.STRING) {
            if (s.text().equals("all")) {
                return EnumSet.allOf(RepairStep.class);
            }
            if (s.text().equals("none")) {
                return EnumSet.noneOf(RepairStep.class);
            }
            throw error(node, path, "'" + s.text() + "' is not a list of repair steps, 'all' or 'none'");
        }
        ListNode list = list(node, path);
        Set<RepairStep> out = EnumSet.noneOf(RepairStep.class);
        for (int i = 0; i < list.items().size(); i++) {
            String label = string(list.items().get(i), path + "[" + i + "]");
            RepairStep step = PolicySpec.step(label);
            if (step == null) {
                throw error(list.items().get(i), path + "[" + i + "]", "unknown repair step '" + label
                        + "'; steps: " + PolicySpec.stepLabels());
            }
            if (!out.add(step)) {
                throw error(list.items().get(i), path + "[" + i + "]", "repair step '" + label + "' listed twice");
            }
        }
        return out;
    }

    private Limits limits(SpecNode node) throws SpecException {
        MapNode m = map(node, "limits");
        known(m, "limits", LIMITS);
        long maxCycles = m.entries().containsKey("max-cycles")
                ? positive(m.entries().get("max-cycles"), "limits.max-cycles") : Limits.DEFAULT_MAX_CYCLES;
        long wall = m.entries().containsKey("wall-clock-seconds")
                ? positive(m.entries().get("wall-clock-seconds"), "limits.wall-clock-seconds")
                : Limits.DEFAULT_WALL_CLOCK_SECONDS;
        return new Limits(maxCycles, wall);
    }

    // ------------------------------------------------------------------------------ typed reads

    private SpecException error(SpecNode node, String path, String problem) {
        return new SpecException(source, node.line(), path, problem);
    }

    private MapNode map(SpecNode node, String path) throws SpecException {
        if (node instanceof MapNode m) {
            return m;
        }
        throw error(node, path, "expected a map (key: value lines), got " + node.kind());
    }

    private ListNode list(SpecNode node, String path) throws SpecException {
        if (node instanceof ListNode l) {
            return l;
        }
        throw error(node, path, "expected a list, got " + node.kind());
    }

    private void known(MapNode m, String path, Set<String> allowed) throws SpecException {
        for (Map.Entry<String, SpecNode> e : m.entries().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                throw new SpecException(source, m.keyLines().get(e.getKey()), field, "unknown field; "
                        + (path.isEmpty() ? "a spec" : "'" + path + "'") + " has "
                        + allowed.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
    }

    private SpecNode required(MapNode m, String path, String key) throws SpecException {
        SpecNode n = m.entries().get(key);
        if (n == null) {
            throw error(m, path.isEmpty() ? key : path + "." + key, "missing (required)");
        }
        return n;
    }

    private String string(SpecNode node, String path) throws SpecException {
        if (node instanceof Scalar s && s.type() == Scalar.Type.STRING && !s.text().isBlank()) {
            return s.text();
        }
        throw error(node, path, "expected a non-empty string, got " + node.kind());
    }

    private long integer(SpecNode node, String path) throws SpecException {
        if (node instanceof Scalar s && s.type() == Scalar.Type.INTEGER) {
            try {
                return Long.parseLong(s.text().replace("_", ""));
            } catch (NumberFormatException e) {
                throw error(node, path, "'" + s.text() + "' does not fit in a 64-bit integer");
            }
        }
        throw error(node, path, "expected an integer, got " + node.kind()
                + (node instanceof Scalar s ? " ('" + s.text() + "')" : ""));
    }

    private long positive(SpecNode node, String path) throws SpecException {
        long v = integer(node, path);
        if (v < 1) {
            throw error(node, path, "must be at least 1, got " + v);
        }
        return v;
    }

    private double number(SpecNode node, String path) throws SpecException {
        if (node instanceof Scalar s && (s.type() == Scalar.Type.INTEGER || s.type() == Scalar.Type.FLOAT)) {
            try {
                return Double.parseDouble(s.text().replace("_", "").toLowerCase(Locale.ROOT));
            } catch (NumberFormatException e) {
                throw error(node, path, "'" + s.text() + "' is not a number");
            }
        }
        throw error(node, path, "expected a number, got " + node.kind()
                + (node instanceof Scalar s ? " ('" + s.text() + "')" : ""));
    }
}
