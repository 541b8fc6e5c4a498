/*
 * Comparing two campaigns: per fault type × target and in total, both recovery rates, the
 * difference B − A and the two-sided Fisher's exact p-value of the 2x2 table, here built so that
 * the table of failstop/hypervisor is Fisher's tea-tasting table (A: 3 of 4 recovered, B: 1 of 4;
 * p = 0.4857). A fault type present in one campaign only compares against nothing detected.
 */
package dev.rehype.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rehype.campaign.Reason;
import dev.rehype.campaign.RunRecord;

class CampaignComparisonTest {

    private static CampaignReport campaign(int failstopRecovered, int failstopDetected, boolean withCode) {
        List<RunRecord> runs = new ArrayList<>();
        long i = 0;
        for (int k = 0; k < failstopDetected; k++) {
            runs.add(k < failstopRecovered
                    ? TestRuns.recovered(i++, "failstop", "hypervisor", "full", 1_000_000)
                    : TestRuns.notRecovered(i++, "failstop", "hypervisor", "full", Reason.WRONG_OUTPUT));
        }
        if (withCode) {
            runs.add(TestRuns.recovered(i++, "code", "hypervisor", "full", 1_000_000));
            runs.add(TestRuns.notActivated(i, "code", "hypervisor"));
        }
        return CampaignReport.of(new CampaignData(ReportFixture.data().shards(), runs));
    }

    @Test
    void ratesDifferenceAndFisherPValuePerFaultType() {
        CampaignComparison c = CampaignComparison.of(campaign(3, 4, true), campaign(1, 4, false));
        assertThat(c.rows()).extracting(CampaignComparison.Row::faultType).containsExactly("code", "failstop");
        CampaignComparison.Row failstop = c.rows().get(1);
        assertThat(failstop.a()).isEqualTo(Proportion.of(3, 4));
        assertThat(failstop.b()).isEqualTo(Proportion.of(1, 4));
        assertThat(failstop.difference()).isEqualTo(-0.5);
        assertThat(failstop.pValue()).isCloseTo(0.4857, within(5e-5));
        CampaignComparison.Row code = c.rows().get(0);
        assertThat(code.b().empty()).isTrue();
        assertThat(code.difference()).isNaN();
        assertThat(code.pValue()).isEqualTo(1.0);
        assertThat(c.total().a()).isEqualTo(Proportion.of(4, 5));
        assertThat(c.total().pValue()).isCloseTo(FisherExact.twoSided(4, 1, 1, 3), within(1e-15));
    }

    @Test
    void textAndJsonShowTheSameComparison() throws Exception {
        CampaignComparison c = CampaignComparison.of(campaign(3, 4, true), campaign(1, 4, false));
        String text = c.text();
        assertThat(text).contains("failstop    hypervisor").contains("-50.0 pp").contains("0.4857");
        List<String[]> rows = CampaignReportTest.tableRows(text, "Recovery rate (recovered / detected)");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1)).containsExactly("failstop", "hypervisor", "3/4", "75.0% [30.1, 95.4]", "1/4",
                "25.0% [4.6, 69.9]", "-50.0 pp", "0.4857");
        JsonNode json = new ObjectMapper().readTree(c.json());
        JsonNode failstop = json.get("by_fault_type").get(1);
        assertThat(failstop.get("a_recovered").asLong()).isEqualTo(3);
        assertThat(failstop.get("b_detected").asLong()).isEqualTo(4);
        assertThat(failstop.get("difference").asDouble()).isEqualTo(-0.5);
        assertThat(failstop.get("p_value").asDouble()).isCloseTo(34.0 / 70.0, within(1e-12));
        assertThat(json.get("by_fault_type").get(0).get("difference").isNull()).isTrue();
        assertThat(json.get("a").get("total_runs").asLong()).isEqualTo(6);
    }
}
