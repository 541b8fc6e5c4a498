/*
 * service_kv.c — the service's store (service_kv.h): at most KV_CAPACITY keys in a plain array,
 * found by linear search (the store is small and the search's cost is part of the workload).
 * A malformed request is answered BAD_REQUEST with its op byte echoed; nothing is changed.
 */
#include "service_kv.h"
#include "netframe.h"

void kv_init(struct kv_store *kv)
{
    uint8_t *p = (uint8_t *) kv;
    for (uint32_t i = 0; i < sizeof *kv; i++) {
        p[i] = 0;
    }
}

static int same(const char *a, const uint8_t *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if ((uint8_t) a[i] != b[i]) {
            return 0;
        }
    }
    return 1;
}

static struct kv_entry *find(struct kv_store *kv, const uint8_t *key, uint32_t klen)
{
    for (uint32_t i = 0; i < KV_CAPACITY; i++) {
        struct kv_entry *e = &kv->e[i];
        if (e->used && e->klen == klen && same(e->key, key, klen)) {
            return e;
        }
    }
    return 0;
}

static uint32_t answer(uint8_t *rsp, uint32_t op, uint32_t status, const char *value, uint32_t vlen)
{
    rsp[0] = (uint8_t) op;
    rsp[1] = (uint8_t) status;
    rsp[2] = (uint8_t) vlen;
    rsp[3] = 0;
    for (uint32_t i = 0; i < vlen; i++) {
        rsp[KV_HEADER_BYTES + i] = (uint8_t) value[i];
    }
    return KV_HEADER_BYTES + vlen;
}

uint32_t kv_handle(struct kv_store *kv, const uint8_t *req, uint32_t len, uint8_t *rsp)
{
    if (len < KV_HEADER_BYTES) {
        return answer(rsp, len > 0 ? req[0] : 0, KV_BAD_REQUEST, 0, 0);
    }
    uint32_t op = req[0];
    uint32_t klen = req[1];
    uint32_t vlen = req[2];
    int shape = req[3] == 0 && klen >= 1 && klen <= KV_MAX_KEY && KV_HEADER_BYTES + klen + vlen == len
             && (op == KV_OP_PUT ? vlen >= 1 && vlen <= KV_MAX_VALUE
                                 : vlen == 0 && (op == KV_OP_GET || op == KV_OP_DEL));
    if (!shape) {
        return answer(rsp, op, KV_BAD_REQUEST, 0, 0);
    }
    const uint8_t *key = req + KV_HEADER_BYTES;
    struct kv_entry *e = find(kv, key, klen);
    switch (op) {
    case KV_OP_GET:
        return e == 0 ? answer(rsp, op, KV_NOT_FOUND, 0, 0) : answer(rsp, op, KV_OK, e->value, e->vlen);
    case KV_OP_DEL:
        if (e == 0) {
            return answer(rsp, op, KV_NOT_FOUND, 0, 0);
        }
        e->used = 0;
        kv->keys--;
        return answer(rsp, op, KV_OK, 0, 0);
    default:
        if (e == 0) {
            for (uint32_t i = 0; i < KV_CAPACITY && e == 0; i++) {
                if (!kv->e[i].used) {
                    e = &kv->e[i];
                }
            }
            if (e == 0) {
                return answer(rsp, op, KV_FULL, 0, 0);
            }
            e->used = 1;
            e->klen = (uint8_t) klen;
            for (uint32_t i = 0; i < klen; i++) {
                e->key[i] = (char) key[i];
            }
            kv->keys++;
        }
        e->vlen = (uint8_t) vlen;
        for (uint32_t i = 0; i < vlen; i++) {
            e->value[i] = (char) key[klen + i];
        }
        return answer(rsp, op, KV_OK, 0, 0);
    }
}

static uint32_t fold_word(uint32_t h, uint32_t w)
{
    for (int i = 0; i < 4; i++) {
        h = netframe_fnv_byte(h, w >> (8 * i));
    }
    return h;
}

uint32_t kv_fold_exchange(uint32_t digest, uint32_t seq, uint32_t request_check, uint32_t response_check)
{
    return fold_word(fold_word(fold_word(digest, seq), request_check), response_check);
}
