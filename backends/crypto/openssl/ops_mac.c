/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming HMAC with SHA-256/384/512 (EVP_MAC "HMAC"). OpenSSL copies the
 * key into the MAC context, which it wipes when freed.
 */
#include <openssl/core_names.h>

#include "internal.h"

mm_err mo_hmac_init(mm_crypto_ctx *ctx, int32_t hash_alg, const mm_key *key)
{
    const char *md = mo_md_name(hash_alg);
    if (md == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    const mo_symkey *k = mo_sym(key);
    if (k == NULL) {
        return mo_key_err(key);
    }
    EVP_MAC *mac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
    EVP_MAC_CTX *c = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
    EVP_MAC_free(mac); /* the context keeps its own reference */
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, mo_unconst(md), 0),
        OSSL_PARAM_construct_end(),
    };
    if (c == NULL || EVP_MAC_init(c, k->k, k->len, params) != 1) {
        EVP_MAC_CTX_free(c);
        return MM_ERR_PLATFORM;
    }
    mo_ctx_put(ctx, MO_CTX_HMAC, c);
    return MM_OK;
}

mm_err mo_hmac_update(mm_crypto_ctx *ctx, mm_bytes data)
{
    EVP_MAC_CTX *c = mo_ctx_get(ctx, MO_CTX_HMAC);
    if (c == NULL) {
        return MM_ERR_STATE;
    }
    if (data.len > 0 && EVP_MAC_update(c, data.ptr, data.len) != 1) {
        return MM_ERR_PLATFORM;
    }
    return MM_OK;
}

mm_err mo_hmac_final(mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len)
{
    EVP_MAC_CTX *c = mo_ctx_get(ctx, MO_CTX_HMAC);
    if (c == NULL) {
        return MM_ERR_STATE;
    }
    size_t n = 0;
    int ok = EVP_MAC_final(c, out, &n, MM_HASH_MAX);
    EVP_MAC_CTX_free(c);
    mo_ctx_clear(ctx);
    if (ok != 1) {
        return MM_ERR_PLATFORM;
    }
    *len = n;
    return MM_OK;
}

void mo_hmac_abort(mm_crypto_ctx *ctx)
{
    EVP_MAC_CTX_free(mo_ctx_get(ctx, MO_CTX_HMAC));
    mo_ctx_clear(ctx);
}
