/*
 * compute_kernels.c — the pure computations of the `compute` workload (compute_kernels.h).
 * Freestanding: no library calls, no 64-bit division (the RISC-V build links no libgcc), and
 * signed arithmetic that never overflows, so that the host build computes the same values.
 */
#include "compute_kernels.h"

void compute_fill(uint8_t *buf, uint32_t n, uint32_t seed)
{
    uint32_t x = seed;
    for (uint32_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        buf[i] = (uint8_t) (x >> 24);
    }
}

void crc32_build_table(uint32_t table[256])
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        }
        table[n] = c;
    }
}

uint32_t crc32_update(const uint32_t table[256], uint32_t crc, const uint8_t *p, uint32_t n)
{
    crc = ~crc;
    while (n--) {
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    }
    return ~crc;
}

uint32_t crc32_bitwise(uint32_t crc, const uint8_t *p, uint32_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
        }
    }
    return ~crc;
}

uint32_t crc_passes(const uint32_t table[256], uint8_t *buf, uint32_t n, uint32_t passes,
                    compute_step_fn between, void *ctx)
{
    uint32_t crc = 0;
    for (uint32_t pass = 0; pass < passes; pass++) {
        crc = crc32_update(table, crc, buf, n);
        buf[(crc >> 8) % n] ^= (uint8_t) crc;
        if (between != 0) {
            between(pass + 1, ctx);
        }
    }
    return crc;
}

/* 64-bit product of a and b from four 16-bit partial products (no mulhu). */
static uint64_t product_by_parts(uint32_t a, uint32_t b)
{
    uint32_t al = a & 0xffff;
    uint32_t ah = a >> 16;
    uint32_t bl = b & 0xffff;
    uint32_t bh = b >> 16;
    uint64_t t = (uint64_t) (al * bl);
    t += (uint64_t) (ah * bl) << 16;
    t += (uint64_t) (al * bh) << 16;
    t += (uint64_t) (ah * bh) << 32;
    return t;
}

uint32_t mix_run(uint32_t seed, uint32_t iterations, uint32_t *bad, compute_step_fn between, void *ctx)
{
    uint32_t x = seed;
    uint32_t acc = 0x9e3779b9u;
    uint32_t failures = 0;
    for (uint32_t i = 0; i < iterations; i++) {
        x = x * 1664525u + 1013904223u;
        uint32_t a = x;
        x = x * 1664525u + 1013904223u;
        uint32_t b = (x >> (i & 15)) | 1;
        uint32_t q = a / b;
        uint32_t r = a % b;
        if (q * b + r != a || r >= b) {
            failures++;
        }
        int32_t sa = (int32_t) (a ^ (x << 7));
        int32_t sb = (int32_t) ((b * 0x10001u + x) | 1);
        if (sb == -1) {
            sb = 7;
        }
        int32_t sq = sa / sb;
        int32_t sr = sa % sb;
        if (sq * sb + sr != sa || (sr != 0 && (sr < 0) != (sa < 0))) {
            failures++;
        }
        uint64_t p = (uint64_t) a * b;
        uint32_t hi = (uint32_t) (p >> 32);
        uint32_t lo = (uint32_t) p;
        if ((i & 15) == 0 && product_by_parts(a, b) != p) {
            failures++;
        }
        uint32_t shi = (uint32_t) ((uint64_t) ((int64_t) sa * sb) >> 32);
        acc = ((acc << 5) | (acc >> 27)) ^ q;
        acc += (r * 0x9e3779b1u) ^ hi;
        acc ^= lo + ((uint32_t) sq ^ (uint32_t) sr);
        acc += shi;
        if (between != 0 && ((i + 1) & 1023) == 0) {
            between((i + 1) >> 10, ctx);
        }
    }
    *bad = failures;
    return acc;
}

uint32_t fnv1a_bytes(uint32_t h, const uint8_t *p, uint32_t n)
{
    while (n--) {
        h ^= *p++;
        h *= 0x01000193u;
    }
    return h;
}

uint32_t fnv1a_words(uint32_t h, const uint8_t *p, uint32_t n)
{
    const uint32_t *w = (const uint32_t *) (const void *) p;
    for (uint32_t i = 0; i < n / 4; i++) {
        uint32_t v = w[i];
        for (int k = 0; k < 4; k++) {
            h ^= v & 0xff;
            h *= 0x01000193u;
            v >>= 8;
        }
    }
    return h;
}

uint32_t hash_passes(uint8_t *buf, uint32_t n, uint32_t passes, compute_step_fn between, void *ctx)
{
    uint32_t h = 0x811c9dc5u;
    for (uint32_t pass = 0; pass < passes; pass++) {
        h = fnv1a_bytes(h, buf, n);
        buf[h % n] ^= (uint8_t) (h >> 24);
        if (between != 0) {
            between(pass + 1, ctx);
        }
    }
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    h *= 0x297a2d39u;
    h ^= h >> 15;
    return h;
}
