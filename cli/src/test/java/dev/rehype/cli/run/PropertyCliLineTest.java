package dev.rehype.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rehype.campaign.exec.InjectorBackend;
import dev.rehype.campaign.exec.PlanRun;
import dev.rehype.campaign.exec.Trace;
import dev.rehype.campaign.property.PropertySystem;
import dev.rehype.campaign.property.ReplayCommand;
import dev.rehype.campaign.spec.PolicySpec;
import dev.rehype.cli.CliRun;
import dev.rehype.fault.FaultPlan;
import dev.rehype.recovery.RecoveryMode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The `rehype run` line the property kit prints for a failing property on the I/O system is the
 * very run the property made: executed by the command line, each plan ends in the final state the
 * kit's run (the campaign executor on the I/O system prepared for properties) ended in.
 */
class PropertyCliLineTest {
    static final long SYSTEM_SEED = 3;
    static final long MAX_CYCLES = 14_000_000;
    static final Pattern LINE = Pattern.compile("\\./rehype run --fault '([^']*)' --seed (-?\\d+) --max-cycles (\\d+)");
    static final Pattern HASH = Pattern.compile("\"final_state_hash\":\"([0-9a-f]+)\"");

    @Test
    void theKitsCliLineRunsTheSameRunAsTheProperty() {
        InjectorBackend backend = new InjectorBackend(PropertySystem.IO.campaignSpec(SYSTEM_SEED, MAX_CYCLES));
        backend.prepare();
        try (var executor = backend.newExecutor()) {
            for (String text : new String[] {
                "failstop hypervisor site=P2m.root@entry after=2000000 nth=2",
                "register appvm:compute site=a0 bit=7 mode=any after=3000000 nth=40"}) {
                FaultPlan plan = FaultPlan.parse(text);
                PlanRun kit = executor.execute("property", plan, 1, PolicySpec.all(RecoveryMode.MICROREBOOT), Trace.NONE,
                        () -> false);
                Matcher line = LINE.matcher(ReplayCommand.cli(plan, SYSTEM_SEED, MAX_CYCLES));
                assertThat(line.matches()).isTrue();
                CliRun cli = CliRun.of("run", "--fault", line.group(1), "--seed", line.group(2), "--max-cycles",
                        line.group(3), "--json");
                Matcher hash = HASH.matcher(cli.out());
                assertThat(hash.find()).as(cli.out() + cli.err()).isTrue();
                assertThat(hash.group(1)).as(text).isEqualTo(kit.injection().finalStateHash());
                assertThat(kit.injection().activated()).as(text).isTrue();
            }
        }
    }
}
