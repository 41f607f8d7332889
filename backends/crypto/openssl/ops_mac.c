/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming HMAC with SHA-256/384/512 (RFC 2104). HMAC-SHA-256 on a CPU with
 * the SHA extensions runs on mm_sha256_stream in the context (below); the
 * rest on the digest fetched once (mo_md_fetched) rather than EVP_MAC, which
 * fetches its implementation and builds three digest contexts per call: more
 * than the MAC itself costs on the short messages HMAC is used on here
 * (nonces, tokens). The padded key stays only in the context, which is wiped
 * when freed.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define HMAC_BLOCK_MAX 128 /* SHA-384/512 */

typedef struct mo_hmac {
    EVP_MD_CTX *md;
    size_t block;
    uint8_t opad[HMAC_BLOCK_MAX]; /* the key XOR 0x5c, for the outer hash */
} mo_hmac;

/* RFC 2104's key blocks: key0 (the key, or its digest when the key is
 * longer than a block) zero-padded to block bytes, XOR 0x36 for the inner
 * hash and 0x5c for the outer. */
static void key_pads(const uint8_t *key0, size_t len, size_t block, uint8_t *ipad, uint8_t *opad)
{
    memset(ipad, 0x36, block);
    memset(opad, 0x5c, block);
    for (size_t i = 0; i < len; i++) {
        ipad[i] ^= key0[i];
        opad[i] ^= key0[i];
    }
}

static void hmac_free(mo_hmac *h)
{
    if (h != NULL) {
        EVP_MD_CTX_free(h->md);
        OPENSSL_clear_free(h, sizeof *h);
    }
}

/*
 * HMAC-SHA-256 on the SHA extensions (mo_sha256_fast()): the inner hash as
 * an mm_sha256_stream and the outer hash's state after its key block, both
 * in the context itself; no allocation, no OpenSSL call.
 */
typedef struct hmac256 {
    mm_sha256_stream inner;
    uint32_t outer[8]; /* SHA-256 state after the key XOR opad block */
} hmac256;

_Static_assert(sizeof(hmac256) <= sizeof(((mm_crypto_ctx *)0)->opaque), "HMAC state fits mm_crypto_ctx");

bool mo_hmac256_begin(mm_crypto_ctx *ctx, int32_t hash_alg, const mm_key *key)
{
    const mo_symkey *k = mo_sym(key);
    if (hash_alg != MM_ALG_SHA256 || k == NULL || !mo_sha256_fast()) {
        return false; /* the general path, which also says what is wrong */
    }
    uint8_t digest[32];
    const uint8_t *key0 = k->k;
    size_t len = k->len;
    if (len > 64) {
        mm_sha256_stream t;
        mm_sha256_stream_init(&t);
        mm_sha256_stream_update(&t, mo_sha256_compress, k->k, k->len);
        mm_sha256_stream_final(&t, mo_sha256_compress, digest);
        key0 = digest;
        len = sizeof digest;
    }
    uint8_t ipad[64];
    uint8_t opad[64];
    key_pads(key0, len, 64, ipad, opad);
    hmac256 h;
    memcpy(h.outer, mm_sha256_iv, sizeof h.outer);
    mo_sha256_compress(h.outer, opad, 1);
    mm_sha256_stream_init(&h.inner);
    mm_sha256_stream_update(&h.inner, mo_sha256_compress, ipad, sizeof ipad);
    OPENSSL_cleanse(digest, sizeof digest);
    OPENSSL_cleanse(ipad, sizeof ipad);
    OPENSSL_cleanse(opad, sizeof opad);
    memcpy(ctx->opaque, &h, sizeof h);
    OPENSSL_cleanse(&h, sizeof h);
    ctx->aux = MO_CTX_HMAC256;
    return true;
}

bool mo_hmac256_update(mm_crypto_ctx *ctx, mm_bytes data)
{
    return mo_sha256_stream_feed(ctx, MO_CTX_HMAC256, data); /* the inner stream comes first */
}

bool mo_hmac256_end(mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len)
{
    if (ctx->aux != MO_CTX_HMAC256) {
        return false;
    }
    if (out != NULL) {
        hmac256 h;
        memcpy(&h, ctx->opaque, sizeof h);
        uint8_t inner[32];
        mm_sha256_stream_final(&h.inner, mo_sha256_compress, inner);
        /* The outer hash resumes after its one key block. */
        mm_sha256_stream o;
        mm_sha256_stream_init(&o);
        memcpy(o.h, h.outer, sizeof o.h);
        o.total = 64;
        mm_sha256_stream_update(&o, mo_sha256_compress, inner, sizeof inner);
        mm_sha256_stream_final(&o, mo_sha256_compress, out);
        *len = 32;
        OPENSSL_cleanse(&h, sizeof h);
        OPENSSL_cleanse(inner, sizeof inner);
    }
    OPENSSL_cleanse(ctx->opaque, sizeof(hmac256));
    ctx->aux = 0;
    return true;
}

mm_err mo_hmac_init(mm_crypto_ctx *ctx, int32_t hash_alg, const mm_key *key)
{
    const EVP_MD *md = mo_md_name(hash_alg) != NULL ? mo_md_fetched(hash_alg) : NULL;
    if (md == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    const mo_symkey *k = mo_sym(key);
    if (k == NULL) {
        return mo_key_err(key);
    }
    mo_hmac *h = calloc(1, sizeof *h);
    if (h == NULL) {
        return MM_ERR_PLATFORM;
    }
    h->block = (size_t)EVP_MD_get_block_size(md);
    h->md = EVP_MD_CTX_new();
    uint8_t ipad[HMAC_BLOCK_MAX];
    uint8_t digest[EVP_MAX_MD_SIZE];
    bool ok = h->md != NULL && h->block != 0 && h->block <= HMAC_BLOCK_MAX;
    /* A key longer than a block is replaced by its digest (RFC 2104). */
    const uint8_t *key0 = k->k;
    size_t len = k->len;
    if (ok && len > h->block) {
        unsigned int dl = 0;
        ok = EVP_Digest(k->k, k->len, digest, &dl, md, NULL) == 1;
        key0 = digest;
        len = dl;
    }
    if (ok) {
        key_pads(key0, len, h->block, ipad, h->opad);
    }
    ok = ok && EVP_DigestInit_ex2(h->md, md, NULL) == 1 && EVP_DigestUpdate(h->md, ipad, h->block) == 1;
    OPENSSL_cleanse(digest, sizeof digest);
    OPENSSL_cleanse(ipad, sizeof ipad);
    if (!ok) {
        hmac_free(h);
        return MM_ERR_PLATFORM;
    }
    mo_ctx_put(ctx, MO_CTX_HMAC, h);
    return MM_OK;
}

mm_err mo_hmac_update(mm_crypto_ctx *ctx, mm_bytes data)
{
    mo_hmac *h = mo_ctx_get(ctx, MO_CTX_HMAC);
    if (h == NULL) {
        return MM_ERR_STATE;
    }
    if (data.len > 0 && EVP_DigestUpdate(h->md, data.ptr, data.len) != 1) {
        return MM_ERR_PLATFORM;
    }
    return MM_OK;
}

mm_err mo_hmac_final(mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len)
{
    mo_hmac *h = mo_ctx_get(ctx, MO_CTX_HMAC);
    if (h == NULL) {
        return MM_ERR_STATE;
    }
    uint8_t inner[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    unsigned int m = 0;
    const EVP_MD *md = EVP_MD_CTX_get0_md(h->md);
    /* The outer hash: the same digest, restarted, over opad || inner. */
    bool ok = md != NULL && EVP_DigestFinal_ex(h->md, inner, &n) == 1 && n <= MM_HASH_MAX &&
              EVP_DigestInit_ex2(h->md, md, NULL) == 1 && EVP_DigestUpdate(h->md, h->opad, h->block) == 1 &&
              EVP_DigestUpdate(h->md, inner, n) == 1 && EVP_DigestFinal_ex(h->md, out, &m) == 1;
    OPENSSL_cleanse(inner, sizeof inner);
    hmac_free(h);
    mo_ctx_clear(ctx);
    if (!ok) {
        return MM_ERR_PLATFORM;
    }
    *len = m;
    return MM_OK;
}

void mo_hmac_abort(mm_crypto_ctx *ctx)
{
    hmac_free(mo_ctx_get(ctx, MO_CTX_HMAC));
    mo_ctx_clear(ctx);
}
