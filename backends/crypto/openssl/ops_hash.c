/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming SHA-2 (SHA-256/384/512) and SHAKE256 (with COSE's 64 bytes of
 * output): an EVP_MD_CTX per context, freed by final or abort whatever
 * happens, since the wrapper ends the context either way.
 */
#include "internal.h"

mm_err mo_hash_init(mm_crypto_ctx *ctx, int32_t alg)
{
    /* SHAKE256 is not in mo_md(): that table also serves HMAC, HKDF and
     * signatures, which have no use for an XOF. */
    const EVP_MD *md = alg == MM_ALG_SHAKE256 ? EVP_shake256() : mo_md(alg);
    if (md == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (c == NULL || EVP_DigestInit_ex2(c, md, NULL) != 1) {
        EVP_MD_CTX_free(c);
        return MM_ERR_PLATFORM;
    }
    mo_ctx_put(ctx, MO_CTX_HASH, c);
    return MM_OK;
}

mm_err mo_hash_update(mm_crypto_ctx *ctx, mm_bytes data)
{
    EVP_MD_CTX *c = mo_ctx_get(ctx, MO_CTX_HASH);
    if (c == NULL) {
        return MM_ERR_STATE;
    }
    if (data.len > 0 && EVP_DigestUpdate(c, data.ptr, data.len) != 1) {
        return MM_ERR_PLATFORM;
    }
    return MM_OK;
}

mm_err mo_hash_final(mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len)
{
    EVP_MD_CTX *c = mo_ctx_get(ctx, MO_CTX_HASH);
    if (c == NULL) {
        return MM_ERR_STATE;
    }
    unsigned n = 0;
    int ok;
    if (ctx->alg == MM_ALG_SHAKE256) {
        n = (unsigned)mm_hash_len(MM_ALG_SHAKE256);
        ok = EVP_DigestFinalXOF(c, out, n);
    } else {
        ok = EVP_DigestFinal_ex(c, out, &n);
    }
    EVP_MD_CTX_free(c);
    mo_ctx_clear(ctx);
    if (ok != 1) {
        return MM_ERR_PLATFORM;
    }
    *len = n;
    return MM_OK;
}

void mo_hash_abort(mm_crypto_ctx *ctx)
{
    EVP_MD_CTX_free(mo_ctx_get(ctx, MO_CTX_HASH));
    mo_ctx_clear(ctx);
}
