/*
 * cpu.c — the CPU bench: a fixed amount of integer work (about 200 million RV32IM instructions)
 * that checks its own results. Three kernels, chosen to exercise loads, stores, branches, shifts,
 * multiplication and division in proportions typical of real code:
 *
 *   crc   CRC-32 (reflected, polynomial 0xEDB88320), table-driven with the table built at run
 *         time, over a 64 KiB buffer filled by a linear congruential generator; repeated, each
 *         pass chaining the previous CRC and flipping one byte of the buffer
 *   mix   a loop of unsigned and signed multiply-high, division and remainder
 *   hash  FNV-1a over the buffer, repeated, with a final avalanche
 *
 * The expected values were computed once (native build) and are baked in below; the program
 * prints one line, "bench cpu: crc=XXXXXXXX mix=XXXXXXXX ok", and exits 0, or prints the line
 * with all three values and FAIL and exits 1. The same source builds for the ReHype machine and
 * qemu-riscv32 (with start.S and sys.c) and for the host (with sys_native.c).
 *
 * Freestanding: no library calls, only <stdint.h>/<stddef.h>, and no 64-bit division (so that
 * the RISC-V build needs no libgcc). Signed arithmetic stays clear of overflow.
 */
#include <stddef.h>
#include <stdint.h>

#include "sys.h"

#define BUFFER_BYTES   (64 * 1024)
#define CRC_PASSES     160
#define MIX_ITERATIONS 2000000
#define HASH_PASSES    80

#define EXPECTED_CRC   0xdb7957b3u
#define EXPECTED_MIX   0x302d6460u
#define EXPECTED_HASH  0x18af61e9u

static uint8_t buffer[BUFFER_BYTES];
static uint32_t crc_table[256];

/* Read through volatile so that no compiler can compute the work at build time. */
static volatile uint32_t seed_source = 0x2545f491u;
/* Results leave the measured region through volatile stores. */
static volatile uint32_t result_crc;
static volatile uint32_t result_mix;
static volatile uint32_t result_hash;

static void fill_buffer(uint32_t seed)
{
    uint32_t x = seed;
    for (size_t i = 0; i < BUFFER_BYTES; i++) {
        x = x * 1664525u + 1013904223u;
        buffer[i] = (uint8_t) (x >> 24);
    }
}

static void crc_build_table(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        }
        crc_table[n] = c;
    }
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--) {
        crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    }
    return ~crc;
}

static uint32_t crc_kernel(void)
{
    uint32_t crc = 0;
    for (int pass = 0; pass < CRC_PASSES; pass++) {
        crc = crc32(crc, buffer, BUFFER_BYTES);
        buffer[(crc >> 8) % BUFFER_BYTES] ^= (uint8_t) crc;
    }
    return crc;
}

static uint32_t rotl(uint32_t v, int s)
{
    return (v << s) | (v >> (32 - s));
}

static uint32_t mix_kernel(uint32_t seed)
{
    uint32_t a = seed;
    uint32_t b = seed ^ 0x9e3779b9u;
    uint32_t acc = 0;
    for (uint32_t i = 1; i <= MIX_ITERATIONS; i++) {
        a = a * 1103515245u + 12345u;
        b = rotl(b ^ (a >> 7), 13) + i;
        uint32_t divisor = (b >> 3) | 1;
        uint32_t q = a / divisor;
        uint32_t r = a % divisor;
        /* signed: |sd| >= 3 except sd = 1, so never MIN / -1 */
        int32_t sa = (int32_t) (a ^ b);
        int32_t sd = (int32_t) ((i & 0xff) | 1) * ((i & 2) ? -1 : 1);
        int32_t sq = sa / sd;
        int32_t sr = sa % sd;
        uint32_t hi = (uint32_t) (((uint64_t) a * b) >> 32);
        uint32_t shi = (uint32_t) (((int64_t) (int32_t) a * (int32_t) b) >> 32);
        acc = rotl((acc ^ q) * 31u + r + (uint32_t) sq - (uint32_t) sr + hi + shi, 5);
    }
    return acc;
}

static uint32_t hash_kernel(void)
{
    uint32_t h = 0x811c9dc5u;
    for (int pass = 0; pass < HASH_PASSES; pass++) {
        for (size_t i = 0; i < BUFFER_BYTES; i++) {
            h = (h ^ buffer[i]) * 16777619u;
        }
    }
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static char *put_str(char *d, const char *s)
{
    while (*s) {
        *d++ = *s++;
    }
    return d;
}

static char *put_hex(char *d, uint32_t v)
{
    for (int shift = 28; shift >= 0; shift -= 4) {
        *d++ = "0123456789abcdef"[(v >> shift) & 0xf];
    }
    return d;
}

int main(void)
{
    uint32_t seed = seed_source;

    sys_work_begin();
    crc_build_table();
    fill_buffer(seed);
    result_crc = crc_kernel();
    result_mix = mix_kernel(seed);
    result_hash = hash_kernel();
    sys_work_end();

    uint32_t crc = result_crc;
    uint32_t mix = result_mix;
    uint32_t hash = result_hash;
    int ok = crc == EXPECTED_CRC && mix == EXPECTED_MIX && hash == EXPECTED_HASH;

    char line[80];
    char *d = put_str(line, "bench cpu: crc=");
    d = put_hex(d, crc);
    d = put_str(d, " mix=");
    d = put_hex(d, mix);
    if (ok) {
        d = put_str(d, " ok\n");
    } else {
        d = put_str(d, " hash=");
        d = put_hex(d, hash);
        d = put_str(d, " FAIL\n");
    }
    sys_write(line, (unsigned long) (d - line));
    sys_report();
    sys_exit(ok ? 0 : 1);
}
