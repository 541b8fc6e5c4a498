/*
 * compute.c — the `compute` workload: CPU work in the spirit of a UnixBench CPU test, done by
 * two U-mode threads that the kernel preempts on its tick.
 *
 *   thread "crc"  CRC-32 over an 8 KiB seeded buffer, 4*scale chained passes; then the final
 *                 buffer's CRC computed again bit by bit, and the CRC residue identity
 *   thread "mix"  16384*scale iterations of division/remainder/multiply-high with per-iteration
 *                 identities; then 4*scale chained FNV-1a passes over another seeded buffer,
 *                 and the final buffer hashed again a word at a time
 *
 * Parameters: start_info.param[0] = seed (0 = COMPUTE_DEFAULT_SEED), param[1] = scale
 * (0 = COMPUTE_DEFAULT_SCALE, at most 1000; scale 4 is about 4 million instructions). With the
 * default parameters the results are also compared with constants computed by the host build
 * (native/compute_expected.c). The threads yield now and then and report progress through
 * sys_write; the kernel prints each thread's output when the kernel context joins it, so the
 * console does not depend on scheduling. digest = digest_word chain of crc, mix, hash.
 */
#include "kernel.h"
#include "user.h"
#include "compute_kernels.h"

/* Results with the default seed and scale (native/compute_expected.c prints them). */
#define EXPECTED_CRC     0xebee2610u
#define EXPECTED_MIX     0xfdead68bu
#define EXPECTED_HASH    0x62b0c852u
#define EXPECTED_DIGEST  0x855f6da0u

#define MAX_SCALE 1000

struct crc_job {
    uint32_t seed;
    uint32_t passes;
    uint32_t crc;
};

struct mix_job {
    uint32_t seed;
    uint32_t iterations;
    uint32_t hash_passes;
    uint32_t mix;
    uint32_t hash;
};

static uint8_t crc_buffer[COMPUTE_BUFFER_BYTES] __attribute__((aligned(4)));
static uint8_t hash_buffer[COMPUTE_BUFFER_BYTES] __attribute__((aligned(4)));
static uint32_t crc_table[256];

/* U-mode: formats a line and writes it (sys_write). */
static void uprint(const char *fmt, ...)
{
    char line[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintk(line, sizeof line, fmt, ap);
    va_end(ap);
    sys_write(line, (uint32_t) n);
}

static void crc_step(uint32_t pass, void *ctx)
{
    const struct crc_job *job = ctx;
    if (pass % 4 == 0) {
        uprint("compute: crc: pass %u/%u\n", pass, job->passes);
    }
    if (pass % 2 == 0) {
        sys_yield();
    }
}

/* U-mode thread. */
static int crc_thread(void *arg)
{
    struct crc_job *job = arg;
    uint32_t ticks_before = sys_ticks();
    compute_fill(crc_buffer, COMPUTE_BUFFER_BYTES, job->seed);
    crc32_build_table(crc_table);
    job->crc = crc_passes(crc_table, crc_buffer, COMPUTE_BUFFER_BYTES, job->passes, crc_step, job);

    uint32_t table_crc = crc32_update(crc_table, 0, crc_buffer, COMPUTE_BUFFER_BYTES);
    uint32_t bitwise_crc = crc32_bitwise(0, crc_buffer, COMPUTE_BUFFER_BYTES);
    uint8_t le[4] = { (uint8_t) table_crc, (uint8_t) (table_crc >> 8), (uint8_t) (table_crc >> 16),
                      (uint8_t) (table_crc >> 24) };
    uint32_t residue = crc32_update(crc_table, table_crc, le, 4);
    int ok = table_crc == bitwise_crc && residue == CRC32_RESIDUE && sys_ticks() >= ticks_before;
    uprint("compute: crc: crc=%08x final=%08x bitwise=%08x residue=%08x %s\n", job->crc, table_crc,
           bitwise_crc, residue, ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

static void mix_step(uint32_t step, void *ctx)
{
    const struct mix_job *job = ctx;
    uint32_t steps = job->iterations >> 10;
    if (step % 16 == 0) {
        uprint("compute: mix: %u/%u\n", step, steps);
    }
    if (step % 4 == 0) {
        sys_yield();
    }
}

static void hash_step(uint32_t pass, void *ctx)
{
    const struct mix_job *job = ctx;
    if (pass % 4 == 0) {
        uprint("compute: hash: pass %u/%u\n", pass, job->hash_passes);
    }
}

/* U-mode thread. */
static int mix_thread(void *arg)
{
    struct mix_job *job = arg;
    uint32_t bad = 0;
    job->mix = mix_run(job->seed, job->iterations, &bad, mix_step, job);
    uprint("compute: mix: mix=%08x identity failures=%u\n", job->mix, bad);

    compute_fill(hash_buffer, COMPUTE_BUFFER_BYTES, job->seed ^ 0x5bd1e995u);
    job->hash = hash_passes(hash_buffer, COMPUTE_BUFFER_BYTES, job->hash_passes, hash_step, job);
    uint32_t by_bytes = fnv1a_bytes(0x811c9dc5u, hash_buffer, COMPUTE_BUFFER_BYTES);
    uint32_t by_words = fnv1a_words(0x811c9dc5u, hash_buffer, COMPUTE_BUFFER_BYTES);
    int ok = bad == 0 && by_bytes == by_words;
    uprint("compute: hash: hash=%08x final=%08x words=%08x %s\n", job->hash, by_bytes, by_words,
           ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}

static int compute_main(void)
{
    uint32_t seed = start_info->param[0] != 0 ? start_info->param[0] : COMPUTE_DEFAULT_SEED;
    uint32_t scale = start_info->param[1] != 0 ? start_info->param[1] : COMPUTE_DEFAULT_SCALE;
    int defaults = start_info->param[0] == 0 && start_info->param[1] == 0;
    if (scale > MAX_SCALE) {
        printk("compute: scale %u is above %u\n", scale, MAX_SCALE);
        return 1;
    }
    printk("compute: seed=%08x scale=%u threads=2\n", seed, scale);

    struct crc_job crc = { .seed = seed, .passes = 4 * scale, .crc = 0 };
    struct mix_job mix = { .seed = seed, .iterations = 16384 * scale, .hash_passes = 4 * scale };
    int crc_tid = thread_create("crc", crc_thread, &crc);
    int mix_tid = thread_create("mix", mix_thread, &mix);
    if (crc_tid < 0 || mix_tid < 0) {
        printk("compute: thread_create failed: %d %d\n", crc_tid, mix_tid);
        return 1;
    }
    int crc_code = thread_join(crc_tid);
    int mix_code = thread_join(mix_tid);

    uint32_t digest = digest_word(digest_word(digest_word(DIGEST_INIT, crc.crc), mix.mix), mix.hash);
    int ok = crc_code == 0 && mix_code == 0;
    printk("compute: crc=%08x mix=%08x hash=%08x threads=%d,%d\n", crc.crc, mix.mix, mix.hash,
           crc_code, mix_code);
    if (defaults) {
        int expected = crc.crc == EXPECTED_CRC && mix.mix == EXPECTED_MIX && mix.hash == EXPECTED_HASH
                       && digest == EXPECTED_DIGEST;
        printk("compute: default parameters: results %s the expected constants\n",
               expected ? "match" : "DO NOT match");
        ok = ok && expected;
    }
    printk("compute: %s\n", ok ? "ok" : "FAIL");
    printk("digest=%08x\n", digest);
    return ok ? 0 : 1;
}

const struct workload workload = { .name = "compute", .main = compute_main };
