package dev.rehype.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The faults of one run, usable from Java, from YAML and from a one-line text form.
 *
 * <p>Text form: faults separated by {@code ;} (a site key's descriptor keeps its own), each {@code <type> <target> [key=value]...} with
 * type {@code register|code|failstop|hang|memory}, target as {@link Target} and keys {@code site},
 * {@code bit}, {@code mode} (any|kernel|user), {@code after} (virtual cycles), {@code nth},
 * {@code inside} (see {@link Trigger}). What is left out is chosen from the seed; a resolved plan's
 * {@link #toText()} names everything and replays the same run. Example:
 * {@code register hypervisor site=MemoryOps.op@12 bit=3 nth=2; failstop appvm:compute after=5000000}.
 *
 * <p>YAML: a mapping with a {@code faults} list (or the list alone) whose items have the keys
 * {@code type}, {@code target} and those of the text form.
 */
public record FaultPlan(List<Fault> faults) {
    private static final Set<String> KEYS = Set.of("type", "target", "site", "bit", "mode", "after", "nth", "inside");

    public FaultPlan {
        faults = List.copyOf(faults);
        if (faults.isEmpty()) {
            throw new FaultPlanException("a fault plan needs at least one fault");
        }
    }

    public static FaultPlan of(Fault... faults) {
        return new FaultPlan(List.of(faults));
    }

    /** True when nothing is left to choose. */
    public boolean resolved() {
        return faults.stream().allMatch(Fault::resolved);
    }

    // ------------------------------------------------------------------ text form

    /** Parses the one-line text form; throws {@link FaultPlanException} naming the fault and key at fault. */
    public static FaultPlan parse(String text) {
        if (text == null || text.isBlank()) {
            throw new FaultPlanException("empty fault plan");
        }
        List<Fault> out = new ArrayList<>();
        List<String> parts = splitFaults(text);
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i).trim();
            if (part.isEmpty()) {
                continue;
            }
            Map<String, String> keys = new LinkedHashMap<>();
            String[] words = part.split("\\s+");
            if (words.length < 2) {
                throw new FaultPlanException("fault " + (i + 1) + " '" + part + "': expected '<type> <target> [key=value]...'");
            }
            keys.put("type", words[0]);
            keys.put("target", words[1]);
            for (int w = 2; w < words.length; w++) {
                int eq = words[w].indexOf('=');
                if (eq <= 0) {
                    throw new FaultPlanException("fault " + (i + 1) + ": '" + words[w] + "' is not key=value");
                }
                String k = words[w].substring(0, eq);
                if (keys.put(k, words[w].substring(eq + 1)) != null) {
                    throw new FaultPlanException("fault " + (i + 1) + ": key '" + k + "' given twice");
                }
            }
            out.add(fromKeys(keys, "fault " + (i + 1)));
        }
        return new FaultPlan(out);
    }

    /**
     * Splits the text form at the {@code ;} between faults. A site key's descriptor keeps its own:
     * an overloaded method's key carries it between the name and the {@code @}, as in
     * {@code GrantTable.map(Ldev/rehype/hypervisor/core/Domain;I)Ljava/lang/String;@40}, so a
     * {@code ;} from a {@code (} up to the next {@code @} or blank belongs to the key.
     */
    private static List<String> splitFaults(String text) {
        List<String> parts = new ArrayList<>();
        boolean inDescriptor = false;
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                inDescriptor = true;
            } else if (c == '@' || Character.isWhitespace(c)) {
                inDescriptor = false;
            } else if (c == ';' && !inDescriptor) {
                parts.add(text.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(text.substring(from));
        return parts;
    }

    /** The one-line text form (everything that is set; parse gives this plan back). */
    public String toText() {
        StringBuilder b = new StringBuilder();
        for (Fault f : faults) {
            if (!b.isEmpty()) {
                b.append("; ");
            }
            b.append(toText(f));
        }
        return b.toString();
    }

    /** One fault in the text form. */
    public static String toText(Fault f) {
        StringBuilder b = new StringBuilder(f.type()).append(' ').append(f.target());
        for (Map.Entry<String, String> e : toKeys(f).entrySet()) {
            b.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    private static Map<String, String> toKeys(Fault f) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!f.site().isEmpty()) {
            m.put("site", f.site());
        }
        if (f.bit() >= 0) {
            m.put("bit", Integer.toString(f.bit()));
        }
        if (!f.target().isHypervisor()) {
            m.put("mode", f.mode().label());
        }
        Trigger t = f.trigger();
        if (t.afterCycles() >= 0) {
            m.put("after", Long.toString(t.afterCycles()));
        }
        if (t.nth() >= 1) {
            m.put("nth", Long.toString(t.nth()));
        }
        if (!t.inside().isEmpty()) {
            m.put("inside", t.inside());
        }
        return m;
    }

    static Fault fromKeys(Map<String, String> keys, String where) {
        for (String k : keys.keySet()) {
            if (!KEYS.contains(k)) {
                throw new FaultPlanException(where + ": unknown key '" + k + "' (known: type, target, site, bit, mode, "
                        + "after, nth, inside)");
            }
        }
        String type = keys.get("type");
        if (type == null || keys.get("target") == null) {
            throw new FaultPlanException(where + ": needs a type and a target");
        }
        try {
            Target target = Target.parse(keys.get("target"));
            String site = keys.getOrDefault("site", "");
            int bit = (int) number(keys, "bit", -1, where);
            Mode mode = keys.containsKey("mode") ? Mode.parse(keys.get("mode")) : null;
            long after = number(keys, "after", -1, where);
            long nth = number(keys, "nth", 0, where);
            Trigger trigger = new Trigger(after, nth, keys.getOrDefault("inside", ""));
            if (!trigger.inside().isEmpty() && !target.isHypervisor()) {
                throw new FaultPlanException("inside= applies to hypervisor targets only");
            }
            if (bit >= 0 && (type.equals("failstop") || type.equals("hang"))) {
                throw new FaultPlanException("a " + type + " fault has no bit");
            }
            return switch (type) {
                case "register" -> new RegisterFault(target, trigger, site, bit, mode);
                case "code" -> new CodeFault(target, trigger, site, bit, mode);
                case "failstop" -> new FailstopFault(target, trigger, site, mode);
                case "hang" -> new HangFault(target, trigger, site, mode);
                case "memory" -> new MemoryFault(target, trigger, site, bit, mode);
                default -> throw new FaultPlanException("unknown fault type '" + type
                        + "' (expected register, code, failstop, hang or memory)");
            };
        } catch (FaultPlanException e) {
            throw new FaultPlanException(e.getMessage().startsWith(where) ? e.getMessage() : where + ": " + e.getMessage());
        }
    }

    private static long number(Map<String, String> keys, String key, long absent, String where) {
        String v = keys.get(key);
        if (v == null) {
            return absent;
        }
        try {
            long n = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v.replace("_", ""));
            if (n < 0 || key.equals("nth") && n < 1) {
                throw new FaultPlanException(where + ": " + key + "=" + v + " must be " + (key.equals("nth") ? ">= 1" : ">= 0"));
            }
            return n;
        } catch (NumberFormatException e) {
            throw new FaultPlanException(where + ": " + key + "=" + v + " is not a number");
        }
    }

    // ------------------------------------------------------------------ YAML

    /** Reads a plan from YAML (see the class comment); errors name the item and key. */
    public static FaultPlan fromYaml(String yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FaultPlanException("fault plan YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new FaultPlanException("fault plan YAML: " + e.getMessage());
        }
        JsonNode list = root != null && root.isObject() ? root.get("faults") : root;
        if (list == null || !list.isArray()) {
            throw new FaultPlanException("fault plan YAML: expected a 'faults' list");
        }
        List<Fault> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String where = "faults[" + i + "]";
            if (!item.isObject()) {
                throw new FaultPlanException(where + ": expected a mapping");
            }
            Map<String, String> keys = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = item.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode()) {
                    throw new FaultPlanException(where + "." + e.getKey() + ": expected a scalar");
                }
                keys.put(e.getKey(), e.getValue().asText());
            }
            out.add(fromKeys(keys, where));
        }
        return new FaultPlan(out);
    }

    /** This plan as YAML (fromYaml gives it back). */
    public String toYaml() {
        StringBuilder b = new StringBuilder("faults:\n");
        for (Fault f : faults) {
            b.append("  - type: ").append(f.type()).append('\n');
            b.append("    target: ").append(quote(f.target().toString())).append('\n');
            for (Map.Entry<String, String> e : toKeys(f).entrySet()) {
                b.append("    ").append(e.getKey()).append(": ").append(quote(e.getValue())).append('\n');
            }
        }
        return b.toString();
    }

    private static String quote(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    @Override
    public String toString() {
        return toText();
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
