/* SPDX-License-Identifier: Apache-2.0 */
/* Self-authenticating challenge nonces (vf_nonce.h). */
#include <string.h>

#include "vf_nonce.h"

/* The tag's length, and the label that keeps these tags apart from any
 * other HMAC the key might ever be used for. */
#define TAG_LEN VF_NONCE_TAG
static const char label[] = "mamori verifier nonce v1";

static mm_err tag_of(const mm_crypto *crypto, const mm_key *key, const uint8_t body[VF_NONCE_RANDOM + 8],
                     uint8_t tag[MM_HASH_MAX])
{
    mm_crypto_ctx ctx;
    size_t len = 0;
    mm_err e = mm_hmac_init(crypto, &ctx, MM_ALG_SHA256, key);
    if (e == MM_OK) {
        e = mm_hmac_update(crypto, &ctx, mm_bytes_make(label, sizeof label - 1));
        if (e == MM_OK) {
            e = mm_hmac_update(crypto, &ctx, mm_bytes_make(body, VF_NONCE_RANDOM + 8));
        }
        if (e == MM_OK) {
            e = mm_hmac_final(crypto, &ctx, tag, &len);
        } else {
            mm_hmac_abort(crypto, &ctx);
        }
    }
    return e;
}

mm_err vf_nonce_key(const mm_crypto *crypto, const uint8_t secret[32], mm_key *out)
{
    mm_key_parts parts;
    memset(&parts, 0, sizeof parts);
    parts.kty = MM_KTY_SYMMETRIC;
    parts.k = mm_bytes_make(secret, 32);
    return mm_key_import(crypto, &parts, 0, out);
}

mm_err vf_nonce_make(const mm_crypto *crypto, const mm_key *mac_key, int64_t expires, uint8_t out[VF_NONCE_LEN])
{
    if (crypto == NULL || mac_key == NULL || out == NULL || expires < 0) {
        return MM_ERR_INVALID_ARG;
    }
    mm_err e = mm_random(crypto, out, VF_NONCE_RANDOM);
    for (int i = 0; i < 8; i++) {
        out[VF_NONCE_RANDOM + i] = (uint8_t)((uint64_t)expires >> (56 - 8 * i));
    }
    uint8_t tag[MM_HASH_MAX];
    if (e == MM_OK) {
        e = tag_of(crypto, mac_key, out, tag);
    }
    if (e == MM_OK) {
        memcpy(out + VF_NONCE_RANDOM + 8, tag, TAG_LEN);
    }
    return e;
}

mm_err vf_nonce_check(const mm_crypto *crypto, const mm_key *mac_key, mm_bytes nonce, int64_t now, int64_t *expires)
{
    if (crypto == NULL || mac_key == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (nonce.len != VF_NONCE_LEN) {
        return MM_ERR_VERIFY;
    }
    uint8_t tag[MM_HASH_MAX];
    mm_err e = tag_of(crypto, mac_key, nonce.ptr, tag);
    if (e != MM_OK) {
        return e;
    }
    if (!mm_ct_equal(tag, nonce.ptr + VF_NONCE_RANDOM + 8, TAG_LEN)) {
        return MM_ERR_VERIFY;
    }
    uint64_t exp = 0;
    for (int i = 0; i < 8; i++) {
        exp = exp << 8 | nonce.ptr[VF_NONCE_RANDOM + i];
    }
    if (exp > INT64_MAX) {
        return MM_ERR_VERIFY; /* never made by vf_nonce_make */
    }
    if (expires != NULL) {
        *expires = (int64_t)exp;
    }
    return now < (int64_t)exp ? MM_OK : MM_ERR_EXPIRED;
}
