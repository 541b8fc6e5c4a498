/*
 * service_kv.h — the key-value store of the `service` workload and its request handling, pure
 * (no hypercall): service.c feeds it the payloads of RHNET service requests and sends back what
 * it answers; the host's native test (native/service_kv_test.c) checks it alone. The payload
 * formats are those of dev.rehype.machine.peer.ServiceMessages:
 *
 *   request   0 u8 op (1 GET, 2 PUT, 3 DEL)  1 u8 klen (1..16)  2 u8 vlen  3 u8 0  4 key  value
 *             (vlen 1..48 for PUT, 0 otherwise)
 *   response  0 u8 op  1 u8 status (0 OK, 1 NOT_FOUND, 2 FULL, 3 BAD_REQUEST)  2 u8 vlen  3 u8 0
 *             4 value (a GET that found its key)
 *   hello     0 u32 seed  4 u16 clients  6 u16 requests per client  8 u16 keys per client  10 u16 0
 *   bye       0 u32 exchanges  4 u32 mismatches  8 u32 digest  12 u32 duplicates
 */
#ifndef REHYPE_WORKLOADS_SERVICE_KV_H
#define REHYPE_WORKLOADS_SERVICE_KV_H

#include <stdint.h>

#define KV_OP_GET            1
#define KV_OP_PUT            2
#define KV_OP_DEL            3
#define KV_OK                0
#define KV_NOT_FOUND         1
#define KV_FULL              2
#define KV_BAD_REQUEST       3
#define KV_MAX_KEY           16
#define KV_MAX_VALUE         48
#define KV_CAPACITY          64
#define KV_HEADER_BYTES      4
#define KV_MAX_RESPONSE      (KV_HEADER_BYTES + KV_MAX_VALUE)
#define KV_HELLO_BYTES       12
#define KV_BYE_BYTES         16

struct kv_entry {
    uint8_t used;
    uint8_t klen;
    uint8_t vlen;
    char key[KV_MAX_KEY];
    char value[KV_MAX_VALUE];
};

struct kv_store {
    struct kv_entry e[KV_CAPACITY];
    uint32_t keys;
};

void kv_init(struct kv_store *kv);

/* Handles one request payload (len bytes); writes the response payload to rsp (at least
   KV_MAX_RESPONSE bytes) and returns its length. */
uint32_t kv_handle(struct kv_store *kv, const uint8_t *req, uint32_t len, uint8_t *rsp);

/* One client's digest after one more exchange: seq, the request's check, the response's. */
uint32_t kv_fold_exchange(uint32_t digest, uint32_t seq, uint32_t request_check, uint32_t response_check);

#endif /* REHYPE_WORKLOADS_SERVICE_KV_H */
