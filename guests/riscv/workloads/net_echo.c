/*
 * net_echo.c — the payloads and the digest of the `net` workload (net_echo.h). Pure: the kernel,
 * U-mode threads and the host's native build all use it.
 */
#include "net_echo.h"
#include "netframe.h"

static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

uint32_t net_echo_payload(uint32_t seed, uint32_t seq, uint8_t *out)
{
    uint32_t state = mix(seed ^ mix(seq * 0x9e3779b9u));
    uint32_t len = NET_MIN_PAYLOAD + state % (NET_MAX_PAYLOAD - NET_MIN_PAYLOAD + 1);
    for (uint32_t i = 0; i < len; i++) {
        state = state * 1664525u + 1013904223u;
        out[i] = (uint8_t) (state >> 24);
    }
    return len;
}

static uint32_t fold_word(uint32_t h, uint32_t w)
{
    for (int i = 0; i < 4; i++) {
        h = netframe_fnv_byte(h, w >> (8 * i));
    }
    return h;
}

uint32_t net_echo_fold(uint32_t digest, uint32_t seq, uint32_t check)
{
    return fold_word(fold_word(digest, seq), check);
}

uint32_t net_echo_expected(uint32_t seed, uint32_t frames)
{
    uint8_t payload[NET_MAX_PAYLOAD];
    uint32_t d = NETFRAME_FNV_INIT;
    for (uint32_t seq = 1; seq <= frames; seq++) {
        uint32_t len = net_echo_payload(seed, seq, payload);
        d = net_echo_fold(d, seq, netframe_checksum(seq, payload, len));
    }
    return fold_word(d, frames);
}
