package dev.rehype.fault;

import dev.rehype.hypervisor.probe.FaultPoint;

/**
 * The text form of probe points ({@link FaultPoint#toString()}): {@code Class.method@entry},
 * {@code Class.method@before:Owner.method#n}, {@code Class.method@after:Owner.method#n}, with
 * simple class names of the hypervisor core.
 */
public final class ProbePoints {
    private ProbePoints() {
    }

    /** Parses a probe point; throws {@link FaultPlanException} naming the problem. */
    public static FaultPoint parse(String text) {
        int at = text.indexOf('@');
        int dot = at < 0 ? -1 : text.lastIndexOf('.', at);
        if (at < 0 || dot < 1) {
            throw new FaultPlanException("probe point '" + text + "': expected Class.method@entry, "
                    + "Class.method@before:Owner.method#n or Class.method@after:Owner.method#n");
        }
        String cls = text.substring(0, dot);
        String method = text.substring(dot + 1, at);
        String anchor = text.substring(at + 1);
        try {
            if (anchor.equals("entry")) {
                return FaultPoint.entry(cls, method);
            }
            int colon = anchor.indexOf(':');
            int hash = anchor.lastIndexOf('#');
            if (colon < 0 || hash < colon) {
                throw new FaultPlanException("probe point '" + text + "': anchor must be entry, before:Owner.method#n "
                        + "or after:Owner.method#n");
            }
            String target = anchor.substring(colon + 1, hash);
            int n = Integer.parseInt(anchor.substring(hash + 1));
            return switch (anchor.substring(0, colon)) {
                case "before" -> FaultPoint.before(cls, method, target, n);
                case "after" -> FaultPoint.after(cls, method, target, n);
                default -> throw new FaultPlanException("probe point '" + text + "': unknown anchor '"
                        + anchor.substring(0, colon) + "'");
            };
        } catch (NumberFormatException e) {
            throw new FaultPlanException("probe point '" + text + "': occurrence is not a number");
        } catch (FaultPlanException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new FaultPlanException("probe point '" + text + "': " + e.getMessage());
        }
    }
}
