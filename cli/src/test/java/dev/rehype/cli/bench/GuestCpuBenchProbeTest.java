/*
 * What the real probe accepts as the benchmark's success line: the line cpu.c prints on success
 * ends with the word "ok"; its failure line ends with FAIL; anything else is not a success.
 */
package dev.rehype.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuestCpuBenchProbeTest {

    @Test
    void theSuccessLineEndsWithOk() {
        assertThat(GuestCpuBenchProbe.printedOk("bench cpu: crc=db7957b3 mix=302d6460 ok\n")).isTrue();
        assertThat(GuestCpuBenchProbe.printedOk("bench cpu: crc=db7957b3 mix=302d6460 ok\nnative_nanos=123\n")).isTrue();
        assertThat(GuestCpuBenchProbe.printedOk("bench cpu: crc=db7957b3 mix=302d6460 ok\r\n")).isTrue();
    }

    @Test
    void failuresAndOtherOutputAreNotSuccess() {
        assertThat(GuestCpuBenchProbe.printedOk("bench cpu: crc=00000000 mix=302d6460 hash=1 FAIL\n")).isFalse();
        assertThat(GuestCpuBenchProbe.printedOk("")).isFalse();
        assertThat(GuestCpuBenchProbe.printedOk("okay\nbroken\n")).isFalse();
        assertThat(GuestCpuBenchProbe.printedOk("test 3: not ok\n")).isFalse();
        assertThat(GuestCpuBenchProbe.printedOk("ok\n")).isFalse();
    }
}
