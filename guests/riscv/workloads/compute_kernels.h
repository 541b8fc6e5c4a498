/*
 * compute_kernels.h — the pure computations of the `compute` workload: CRC-32, a multiply /
 * divide mix and FNV-1a over seeded buffers, with the self-checks each one allows (a second,
 * independent way to compute the same value, or an identity that must hold). No kernel calls:
 * the U-mode threads of compute.c run them, and the host build (native/compute_expected.c)
 * runs the same code to produce the constants compute.c checks against.
 *
 * Every loop calls `between(step, ctx)` after each unit of work when `between` is not NULL, so
 * that the threads can yield and report progress without changing the result.
 */
#ifndef REHYPE_WORKLOAD_COMPUTE_KERNELS_H
#define REHYPE_WORKLOAD_COMPUTE_KERNELS_H

#include <stdint.h>

#define COMPUTE_BUFFER_BYTES   8192
#define COMPUTE_DEFAULT_SEED   0x2545f491u
#define COMPUTE_DEFAULT_SCALE  4
#define CRC32_RESIDUE          0x2144df1cu   /* crc32(m || le32(crc32(m))) for every m */

typedef void (*compute_step_fn)(uint32_t step, void *ctx);

/* Fills buf with bytes from a linear congruential generator seeded with seed. */
void compute_fill(uint8_t *buf, uint32_t n, uint32_t seed);

/* CRC-32 (reflected, polynomial 0xEDB88320, init and final xor ~0). */
void crc32_build_table(uint32_t table[256]);
uint32_t crc32_update(const uint32_t table[256], uint32_t crc, const uint8_t *p, uint32_t n);
uint32_t crc32_bitwise(uint32_t crc, const uint8_t *p, uint32_t n);

/* passes CRC passes over buf, each chaining the previous CRC and flipping one byte of buf. */
uint32_t crc_passes(const uint32_t table[256], uint8_t *buf, uint32_t n, uint32_t passes,
                    compute_step_fn between, void *ctx);

/* iterations of unsigned and signed division, remainder and (high) multiplication; *bad counts
   the iterations whose identities (q*b + r = a, r < b, sign of remainders, 64-bit product by
   16-bit partial products) failed. Steps of 1024 iterations. */
uint32_t mix_run(uint32_t seed, uint32_t iterations, uint32_t *bad, compute_step_fn between, void *ctx);

/* FNV-1a over bytes, and the same read a word at a time (n a multiple of 4, p aligned). */
uint32_t fnv1a_bytes(uint32_t h, const uint8_t *p, uint32_t n);
uint32_t fnv1a_words(uint32_t h, const uint8_t *p, uint32_t n);

/* passes FNV-1a passes over buf, chained, each flipping one byte; ends with an avalanche. */
uint32_t hash_passes(uint8_t *buf, uint32_t n, uint32_t passes, compute_step_fn between, void *ctx);

#endif /* REHYPE_WORKLOAD_COMPUTE_KERNELS_H */
