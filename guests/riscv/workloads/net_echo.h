/*
 * net_echo.h — the pure part of the `net` workload (net.c): what frame seq carries and how the
 * digest folds the echoes, so that the host can compute the digest the workload must print
 * (native/net_expected.c) without running it.
 */
#ifndef REHYPE_WORKLOADS_NET_ECHO_H
#define REHYPE_WORKLOADS_NET_ECHO_H

#include <stdint.h>

#define NET_DEFAULT_SEED     0x6e657431u
#define NET_DEFAULT_FRAMES   200u
#define NET_MIN_PAYLOAD      16u
#define NET_MAX_PAYLOAD      512u

/* The payload of echo request seq (1-based) under seed: its length (NET_MIN_PAYLOAD ..
   NET_MAX_PAYLOAD) and bytes, written to out (at least NET_MAX_PAYLOAD bytes). */
uint32_t net_echo_payload(uint32_t seed, uint32_t seq, uint8_t *out);

/* The digest after one more echo: its seq and its check (netframe.h). */
uint32_t net_echo_fold(uint32_t digest, uint32_t seq, uint32_t check);

/* The digest of a whole run of `frames` echoes (what net.c prints when every echo came back). */
uint32_t net_echo_expected(uint32_t seed, uint32_t frames);

#endif /* REHYPE_WORKLOADS_NET_ECHO_H */
