/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming SHA-2 (SHA-256/384/512) and SHAKE256 (with COSE's 64 bytes of
 * output). SHA-256 on a CPU with the SHA extensions: an mm_sha256_stream
 * kept in the context itself over mo_sha256_compress(), no allocation and
 * no OpenSSL call (a 200-byte Sig_structure in a quarter of the time EVP
 * takes, which sets up a context per hash; as fast on long payloads).
 * Otherwise an EVP_MD_CTX per context, freed by final or abort whatever
 * happens, since the wrapper ends the context either way.
 */
#include <openssl/crypto.h>
#include <string.h>

#include "internal.h"

_Static_assert(sizeof(mm_sha256_stream) <= sizeof(((mm_crypto_ctx *)0)->opaque), "SHA-256 state fits mm_crypto_ctx");

/* The stream moves in and out of the context by copy: opaque is an array
 * of uint64_t, and memcpy is the one access that respects its type. */
bool mo_sha256_begin(mm_crypto_ctx *ctx, int32_t alg)
{
    if (alg != MM_ALG_SHA256 || !mo_sha256_fast()) {
        return false;
    }
    mm_sha256_stream s;
    mm_sha256_stream_init(&s);
    memcpy(ctx->opaque, &s, sizeof s);
    ctx->aux = MO_CTX_SHA256;
    return true;
}

bool mo_sha256_stream_feed(mm_crypto_ctx *ctx, uint32_t kind, mm_bytes data)
{
    if (ctx->aux != kind) {
        return false;
    }
    mm_sha256_stream s;
    memcpy(&s, ctx->opaque, sizeof s);
    mm_sha256_stream_update(&s, mo_sha256_compress, data.ptr, data.len);
    memcpy(ctx->opaque, &s, sizeof s);
    OPENSSL_cleanse(&s, sizeof s); /* an HMAC's inner state is keyed */
    return true;
}

bool mo_sha256_update(mm_crypto_ctx *ctx, mm_bytes data) { return mo_sha256_stream_feed(ctx, MO_CTX_SHA256, data); }

bool mo_sha256_end(mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len)
{
    if (ctx->aux != MO_CTX_SHA256) {
        return false;
    }
    if (out != NULL) {
        mm_sha256_stream s;
        memcpy(&s, ctx->opaque, sizeof s);
        mm_sha256_stream_final(&s, mo_sha256_compress, out);
        *len = 32;
    }
    memset(ctx->opaque, 0, sizeof(mm_sha256_stream));
    ctx->aux = 0;
    return true;
}

mm_err mo_hash_init(mm_crypto_ctx *ctx, int32_t alg)
{
    /* SHAKE256 is not in mo_md(): that table also serves HMAC, HKDF and
     * signatures, which have no use for an XOF. */
    const EVP_MD *md = alg == MM_ALG_SHAKE256 ? EVP_shake256() : mo_md_fetched(alg);
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
