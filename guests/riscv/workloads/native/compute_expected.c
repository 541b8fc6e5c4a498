/*
 * compute_expected.c — the host build of the `compute` workload's computations: runs
 * compute_kernels.c with the default seed and scale exactly as the two threads of compute.c do
 * and prints the constants compute.c checks against (EXPECTED_*). A cross-check of the RISC-V
 * build by another compiler and another ISA: `make -C guests native` builds it as
 * build/native/compute_expected.
 */
#include <stdio.h>
#include <stdint.h>

#include "compute_kernels.h"

static uint8_t crc_buffer[COMPUTE_BUFFER_BYTES] __attribute__((aligned(4)));
static uint8_t hash_buffer[COMPUTE_BUFFER_BYTES] __attribute__((aligned(4)));
static uint32_t crc_table[256];

/* The kernel's digest step (riscv/kernel/lib.c). */
static uint32_t digest_word(uint32_t d, uint32_t w)
{
    for (int i = 0; i < 4; i++) {
        d ^= (w >> (8 * i)) & 0xffu;
        d *= 0x01000193u;
    }
    return d;
}

int main(void)
{
    uint32_t seed = COMPUTE_DEFAULT_SEED;
    uint32_t scale = COMPUTE_DEFAULT_SCALE;

    compute_fill(crc_buffer, COMPUTE_BUFFER_BYTES, seed);
    crc32_build_table(crc_table);
    uint32_t crc = crc_passes(crc_table, crc_buffer, COMPUTE_BUFFER_BYTES, 4 * scale, 0, 0);

    uint32_t bad = 0;
    uint32_t mix = mix_run(seed, 16384 * scale, &bad, 0, 0);
    compute_fill(hash_buffer, COMPUTE_BUFFER_BYTES, seed ^ 0x5bd1e995u);
    uint32_t hash = hash_passes(hash_buffer, COMPUTE_BUFFER_BYTES, 4 * scale, 0, 0);

    uint32_t digest = digest_word(digest_word(digest_word(0x811c9dc5u, crc), mix), hash);
    printf("#define EXPECTED_CRC     0x%08xu\n", crc);
    printf("#define EXPECTED_MIX     0x%08xu\n", mix);
    printf("#define EXPECTED_HASH    0x%08xu\n", hash);
    printf("#define EXPECTED_DIGEST  0x%08xu\n", digest);
    printf("identity failures: %u\n", bad);
    return bad == 0 ? 0 : 1;
}
