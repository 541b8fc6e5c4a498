package dev.rehype.fault;

/**
 * One bit of memory flipped. In the hypervisor, {@code site} is a preserved data structure
 * ({@code region:domain[<domid>].<FIELD>}, {@code region:vcpu[<domid>.<vcpuid>].<FIELD>},
 * {@code region:percpu[<cpu>].<FIELD>} with the field names of the layout classes, or
 * {@code region:0x<offset>} into the core's tables) or a field of the hypervisor's heap objects
 * ({@code heap:<field>.<field>[index]} from the hypervisor object); it is flipped at the nth
 * hypervisor entry. In a guest, {@code site} is {@code code:<where>} or {@code data:<where>} with
 * {@code where} a {@code symbol+offset}, {@code 0xADDR} or {@code *} (a word of a function or an
 * object chosen from the seed); it is flipped between two of the domain's instructions.
 */
public record MemoryFault(Target target, Trigger trigger, String site, int bit, Mode mode) implements Fault {
    public MemoryFault {
        site = site == null ? "" : site;
        mode = mode == null ? Mode.KERNEL : mode;
        if (bit < -1 || bit > 63) {
            throw new FaultPlanException("memory fault bit=" + bit + ": must be 0..63");
        }
    }

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public boolean resolved() {
        return !site.isEmpty() && !site.endsWith("*") && bit >= 0 && !trigger.needsChoice();
    }

    @Override
    public Fault with(String site, int bit, Trigger trigger) {
        return new MemoryFault(target, trigger, site, bit, mode);
    }
}
