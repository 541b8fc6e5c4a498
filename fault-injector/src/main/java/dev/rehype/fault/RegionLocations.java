package dev.rehype.fault;

import dev.rehype.region.layout.CoreTablesLayout;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.PerCpuLayout;
import dev.rehype.region.layout.VcpuLayout;

/**
 * Places in the hypervisor's preserved tables as memory faults name them:
 * {@code domain[<domid>].<FIELD>}, {@code vcpu[<domid>.<vcpuid>].<FIELD>},
 * {@code percpu[<cpu>].<FIELD>} (field names of {@link DomainLayout}, {@link VcpuLayout},
 * {@link PerCpuLayout}) or {@code 0x<offset>} into the core's tables.
 */
public final class RegionLocations {
    private RegionLocations() {
    }

    /** A parsed place: its table, indexes and the field's offset in the record (or the raw offset). */
    public record Location(String table, int first, int second, String field, long fieldOffset) {
        /** The byte offset in the core's tables. */
        public long offset(CoreTablesLayout layout) {
            return switch (table) {
                case "domain" -> layout.domain(first) + fieldOffset;
                case "vcpu" -> layout.vcpu(first, second) + fieldOffset;
                case "percpu" -> layout.perCpu(first) + fieldOffset;
                default -> fieldOffset;
            };
        }
    }

    /** Parses {@code text} (without "region:"); {@code domains} bounds the domid. */
    public static Location parse(String text, int domains) {
        try {
            if (text.startsWith("0x")) {
                return new Location("raw", 0, 0, "", Long.parseLong(text.substring(2), 16));
            }
            int open = text.indexOf('[');
            int close = text.indexOf("].");
            if (open < 0 || close < open) {
                throw new FaultPlanException("region place '" + text + "': expected domain[d].FIELD, vcpu[d.v].FIELD, "
                        + "percpu[c].FIELD or 0xOFFSET");
            }
            String table = text.substring(0, open);
            String index = text.substring(open + 1, close);
            String field = text.substring(close + 2);
            Class<?> layout = switch (table) {
                case "domain" -> DomainLayout.class;
                case "vcpu" -> VcpuLayout.class;
                case "percpu" -> PerCpuLayout.class;
                default -> throw new FaultPlanException("region place '" + text + "': unknown table '" + table
                        + "' (domain, vcpu, percpu)");
            };
            int first;
            int second = 0;
            if (table.equals("vcpu")) {
                int dot = index.indexOf('.');
                if (dot < 0) {
                    throw new FaultPlanException("region place '" + text + "': vcpu index is <domid>.<vcpuid>");
                }
                first = Integer.parseInt(index.substring(0, dot));
                second = Integer.parseInt(index.substring(dot + 1));
            } else {
                first = Integer.parseInt(index);
            }
            if (!table.equals("percpu") && (first < 0 || first >= domains)) {
                throw new FaultPlanException("region place '" + text + "': domid " + first + " out of 0.." + (domains - 1));
            }
            if (!PlanResolver.layoutFields(layout).contains(field)) {
                throw new FaultPlanException("region place '" + text + "': " + layout.getSimpleName() + " has no field "
                        + field + " (" + String.join(", ", PlanResolver.layoutFields(layout)) + ")");
            }
            long offset = layout.getField(field).getLong(null);
            return new Location(table, first, second, field, offset);
        } catch (NumberFormatException e) {
            throw new FaultPlanException("region place '" + text + "': index or offset is not a number");
        } catch (ReflectiveOperationException e) {
            throw new FaultPlanException("region place '" + text + "': " + e);
        }
    }
}
