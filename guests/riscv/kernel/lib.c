/*
 * lib.c — the few library routines a freestanding kernel needs (gcc may call memset and memcpy
 * on its own even without a library), the digest step every workload uses, and a lowest-set-bit
 * helper for the event channel bitmaps (the compiler's __builtin_ctz would need libgcc without
 * the Zbb extension). Pure functions: U-mode threads may call them too.
 */
#include "kernel.h"

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--) {
        *d++ = (unsigned char) c;
    }
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != 0) {
        n++;
    }
    return n;
}

int strncmp_bounded(const char *a, const char *b, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        if (a[i] != b[i]) {
            return (unsigned char) a[i] < (unsigned char) b[i] ? -1 : 1;
        }
        if (a[i] == 0) {
            return 0;
        }
    }
    return 1;   /* b has no NUL within max bytes */
}

uint32_t digest_word(uint32_t d, uint32_t w)
{
    for (int i = 0; i < 4; i++) {
        d ^= (w >> (8 * i)) & 0xffu;
        d *= 0x01000193u;
    }
    return d;
}

uint32_t lowest_bit(uint32_t x)
{
    static const uint8_t debruijn[32] = {
        0, 1, 28, 2, 29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4, 8,
        31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6, 11, 5, 10, 9,
    };
    return debruijn[((x & (0u - x)) * 0x077cb531u) >> 27];
}
