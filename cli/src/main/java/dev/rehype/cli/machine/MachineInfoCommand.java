/*
 * `rehype machine info`: the emulated machine's defaults (harts, quantum, interrupt sources, the
 * MMIO window and NIC 0, the bare monitor's guest RAM and cycle budget), read from the machine's
 * own constants so that it never disagrees with the code. Text by default, one JSON object with
 * --json.
 */
package dev.rehype.cli.machine;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.VersionProvider;
import dev.rehype.cli.json.JsonWriter;
import dev.rehype.machine.Console;
import dev.rehype.machine.Machine;
import dev.rehype.machine.MachineConfig;
import dev.rehype.machine.monitor.BareConfig;
import dev.rehype.machine.monitor.BareMonitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code machine info} command. */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Print the emulated machine's defaults.")
public final class MachineInfoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the text table.")
    private boolean json;

    /** The machine's defaults, in a fixed order. */
    public static List<MachineFact> facts() {
        MachineConfig machine = MachineConfig.defaults(1, 0);
        BareConfig bare = BareConfig.defaults();
        return List.of(
                MachineFact.text("isa", "RV32IMA_Zicsr_Zifencei", "every hart; modes U and S; Sv32 and a second stage"),
                MachineFact.number("quantum_cycles", machine.quantumCycles(), "virtual cycles a hart runs before the next one's turn"),
                MachineFact.number("irq_sources", machine.irqSources(), "sources on the interrupt controller"),
                MachineFact.address("mmio_base", Machine.MMIO_BASE, "machine-physical start of the MMIO window (RAM lies below)"),
                MachineFact.address("nic0_base", Machine.NIC0_BASE, "NIC 0's register window"),
                MachineFact.number("nic0_irq", Machine.NIC0_IRQ, "NIC 0's interrupt source"),
                MachineFact.number("wire_latency_cycles", Machine.DEFAULT_WIRE_LATENCY_CYCLES, "default latency of the NIC's wire"),
                MachineFact.number("console_capacity_bytes", Console.DEFAULT_CAPACITY_BYTES, "console buffer (the most recent bytes are kept)"),
                MachineFact.address("bare_guest_ram_base", Integer.toUnsignedLong(BareMonitor.GUEST_RAM_BASE), "guest-physical RAM of a bare-monitor program"),
                MachineFact.number("bare_ram_bytes", bare.ramBytes(), "its default size"),
                MachineFact.number("bare_max_cycles", bare.maxCycles(), "default virtual-cycle budget of a bare-monitor run"),
                MachineFact.number("bare_seed", bare.seed(), "default root seed of a bare-monitor run"),
                MachineFact.number("bare_trap_cost_cycles", BareMonitor.TRAP_COST_CYCLES, "virtual cycles a trap into the monitor costs"));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<MachineFact> facts = facts();
        if (json) {
            JsonWriter w = new JsonWriter().beginObject();
            for (MachineFact f : facts) {
                w.name(f.key());
                if (f.number() != null) {
                    w.value(f.number());
                } else {
                    w.value(f.text());
                }
            }
            out.println(w.endObject());
        } else {
            for (MachineFact f : facts) {
                out.println(String.format(Locale.ROOT, "%-24s %-24s %s", f.key(), f.text(), f.meaning()));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
