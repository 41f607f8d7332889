/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The wrappers every layer calls instead of the backend table: one place that
 * checks arguments, the contract version and missing entries.
 */
#include <string.h>

#include "mamori/crypto.h"

static bool usable(const mm_crypto *c) { return c != NULL && c->ops != NULL && c->ops->version == MM_CRYPTO_OPS_V1; }

/* Calls an optional entry: MM_ERR_INVALID_ARG without a backend,
 * MM_ERR_UNSUPPORTED when the backend lacks the entry. */
#define CALL(c, fn, ...)                                                                                               \
    (!usable(c) ? MM_ERR_INVALID_ARG : (c)->ops->fn == NULL ? MM_ERR_UNSUPPORTED : (c)->ops->fn((c)->user, __VA_ARGS__))

static bool view_ok(mm_bytes b) { return b.ptr != NULL || b.len == 0; }

mm_err mm_hash_init(const mm_crypto *c, mm_crypto_ctx *ctx, int32_t alg)
{
    if (ctx == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    ctx->alg = 0;
    if (mm_hash_len(alg) == 0) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    mm_err e = CALL(c, hash_init, ctx, alg);
    if (e == MM_OK) {
        ctx->alg = alg;
    }
    return e;
}

mm_err mm_hash_update(const mm_crypto *c, mm_crypto_ctx *ctx, mm_bytes data)
{
    if (ctx == NULL || ctx->alg == 0 || !view_ok(data)) {
        return MM_ERR_INVALID_ARG;
    }
    return CALL(c, hash_update, ctx, data);
}

mm_err mm_hash_final(const mm_crypto *c, mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len)
{
    if (ctx == NULL || ctx->alg == 0 || out == NULL || len == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_err e = CALL(c, hash_final, ctx, out, len);
    ctx->alg = 0;
    return e;
}

void mm_hash_abort(const mm_crypto *c, mm_crypto_ctx *ctx)
{
    if (ctx != NULL && ctx->alg != 0 && usable(c) && c->ops->hash_abort != NULL) {
        c->ops->hash_abort(c->user, ctx);
    }
    if (ctx != NULL) {
        ctx->alg = 0;
    }
}

mm_err mm_hash(const mm_crypto *c, int32_t alg, mm_bytes data, uint8_t out[MM_HASH_MAX], size_t *len)
{
    mm_crypto_ctx ctx;
    mm_err e = mm_hash_init(c, &ctx, alg);
    if (e == MM_OK) {
        e = mm_hash_update(c, &ctx, data);
    }
    if (e == MM_OK) {
        return mm_hash_final(c, &ctx, out, len);
    }
    mm_hash_abort(c, &ctx);
    return e;
}

/* The hash algorithms HMAC and HKDF are defined over. */
static bool is_hmac_hash(int32_t alg) { return alg == MM_ALG_SHA256 || alg == MM_ALG_SHA384 || alg == MM_ALG_SHA512; }

mm_err mm_hmac_init(const mm_crypto *c, mm_crypto_ctx *ctx, int32_t hash_alg, const mm_key *key)
{
    if (ctx == NULL || key == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    ctx->alg = 0;
    if (!is_hmac_hash(hash_alg)) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (key->kty != MM_KTY_SYMMETRIC) {
        return MM_ERR_KEY_USAGE;
    }
    mm_err e = CALL(c, hmac_init, ctx, hash_alg, key);
    if (e == MM_OK) {
        ctx->alg = hash_alg;
    }
    return e;
}

mm_err mm_hmac_update(const mm_crypto *c, mm_crypto_ctx *ctx, mm_bytes data)
{
    if (ctx == NULL || ctx->alg == 0 || !view_ok(data)) {
        return MM_ERR_INVALID_ARG;
    }
    return CALL(c, hmac_update, ctx, data);
}

mm_err mm_hmac_final(const mm_crypto *c, mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len)
{
    if (ctx == NULL || ctx->alg == 0 || out == NULL || len == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_err e = CALL(c, hmac_final, ctx, out, len);
    ctx->alg = 0;
    return e;
}

void mm_hmac_abort(const mm_crypto *c, mm_crypto_ctx *ctx)
{
    if (ctx != NULL && ctx->alg != 0 && usable(c) && c->ops->hmac_abort != NULL) {
        c->ops->hmac_abort(c->user, ctx);
    }
    if (ctx != NULL) {
        ctx->alg = 0;
    }
}

mm_err mm_hkdf_extract(const mm_crypto *c, int32_t hash_alg, mm_bytes salt, mm_bytes ikm, uint8_t prk[MM_HASH_MAX],
                       size_t *prk_len)
{
    if (!view_ok(salt) || !view_ok(ikm) || prk == NULL || prk_len == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (!is_hmac_hash(hash_alg)) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    return CALL(c, hkdf_extract, hash_alg, salt, ikm, prk, prk_len);
}

mm_err mm_hkdf_expand(const mm_crypto *c, int32_t hash_alg, mm_bytes prk, mm_bytes info, uint8_t *okm, size_t okm_len)
{
    if (!view_ok(prk) || !view_ok(info) || (okm == NULL && okm_len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    if (!is_hmac_hash(hash_alg)) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (okm_len > 255 * mm_hash_len(hash_alg) || prk.len < mm_hash_len(hash_alg)) {
        return MM_ERR_INVALID_ARG; /* RFC 5869: L <= 255 * HashLen, PRK at least HashLen */
    }
    return CALL(c, hkdf_expand, hash_alg, prk, info, okm, okm_len);
}

mm_err mm_hkdf(const mm_crypto *c, int32_t hash_alg, mm_bytes salt, mm_bytes ikm, mm_bytes info, uint8_t *okm,
               size_t okm_len)
{
    uint8_t prk[MM_HASH_MAX];
    size_t prk_len = 0;
    mm_err e = mm_hkdf_extract(c, hash_alg, salt, ikm, prk, &prk_len);
    if (e == MM_OK) {
        e = mm_hkdf_expand(c, hash_alg, mm_bytes_make(prk, prk_len), info, okm, okm_len);
    }
    mm_wipe(prk, sizeof prk);
    return e;
}

mm_err mm_sign(const mm_crypto *c, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, uint8_t *sig,
               size_t cap, size_t *len)
{
    if (key == NULL || !view_ok(data) || sig == NULL || len == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (!mm_key_allows(key, alg, true)) {
        return MM_ERR_KEY_USAGE; /* a public key cannot sign; a key signs only its algorithm */
    }
    return CALL(c, sign, key, alg, data, flags, sig, cap, len);
}

mm_err mm_verify(const mm_crypto *c, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, mm_bytes sig)
{
    if (key == NULL || !view_ok(data) || !view_ok(sig)) {
        return MM_ERR_INVALID_ARG;
    }
    if (!mm_key_allows(key, alg, false)) {
        return MM_ERR_KEY_USAGE;
    }
    return CALL(c, verify, key, alg, data, flags, sig);
}

mm_err mm_ecdh(const mm_crypto *c, const mm_key *priv, const mm_key *peer, uint8_t secret[MM_ECDH_MAX], size_t *len)
{
    if (priv == NULL || peer == NULL || secret == NULL || len == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    bool agreement_curve = priv->kty == MM_KTY_EC2
                               ? priv->crv == MM_CRV_P256 || priv->crv == MM_CRV_P384 || priv->crv == MM_CRV_P521
                               : priv->kty == MM_KTY_OKP && (priv->crv == MM_CRV_X25519 || priv->crv == MM_CRV_X448);
    if ((priv->flags & MM_KEY_PRIVATE) == 0 || !agreement_curve || priv->kty != peer->kty || priv->crv != peer->crv) {
        return MM_ERR_KEY_USAGE;
    }
    return CALL(c, ecdh, priv, peer, secret, len);
}

mm_err mm_key_generate(const mm_crypto *c, int32_t kty, int32_t crv_or_bits, int32_t alg, unsigned flags, mm_key *out)
{
    if (out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    mm_err e = CALL(c, key_generate, kty, crv_or_bits, alg, flags, out);
    if (e == MM_OK) {
        out->crypto = c; /* the key belongs to the instance it was made through */
    }
    return e;
}

mm_err mm_key_import(const mm_crypto *c, const mm_key_parts *parts, unsigned flags, mm_key *out)
{
    if (parts == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    mm_err e = CALL(c, key_import, parts, flags, out);
    if (e == MM_OK) {
        out->crypto = c;
    }
    return e;
}

mm_err mm_key_export(const mm_key *key, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap)
{
    if (key == NULL || parts == NULL || (buf == NULL && cap != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    memset(parts, 0, sizeof *parts);
    return CALL(key->crypto, key_export, key, flags, parts, buf, cap);
}

void mm_key_free(mm_key *key)
{
    if (key == NULL) {
        return;
    }
    const mm_crypto *c = key->crypto;
    if (usable(c) && c->ops->key_free != NULL && key->handle != NULL) {
        c->ops->key_free(c->user, key);
    }
    memset(key, 0, sizeof *key);
}

mm_err mm_aead_encrypt(const mm_crypto *c, int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, mm_bytes pt,
                       uint8_t *out)
{
    if (key == NULL || !view_ok(nonce) || !view_ok(aad) || !view_ok(pt) || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (!mm_key_allows(key, alg, true)) {
        return MM_ERR_KEY_USAGE;
    }
    return CALL(c, aead_encrypt, alg, key, nonce, aad, pt, out);
}

mm_err mm_aead_decrypt(const mm_crypto *c, int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad,
                       mm_bytes ct_tag, uint8_t *out)
{
    if (key == NULL || !view_ok(nonce) || !view_ok(aad) || !view_ok(ct_tag) || (out == NULL && ct_tag.len > 16)) {
        return MM_ERR_INVALID_ARG;
    }
    if (!mm_key_allows(key, alg, true)) {
        return MM_ERR_KEY_USAGE;
    }
    return CALL(c, aead_decrypt, alg, key, nonce, aad, ct_tag, out);
}

mm_err mm_ctr_init(const mm_crypto *c, mm_crypto_ctx *ctx, int32_t alg, const mm_key *key, const uint8_t iv[16])
{
    if (ctx == NULL || key == NULL || iv == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    ctx->alg = 0;
    if (!mm_key_allows(key, alg, true)) {
        return MM_ERR_KEY_USAGE;
    }
    mm_err e = CALL(c, ctr_init, ctx, alg, key, iv);
    if (e == MM_OK) {
        ctx->alg = alg;
    }
    return e;
}

mm_err mm_ctr_update(const mm_crypto *c, mm_crypto_ctx *ctx, mm_bytes in, uint8_t *out)
{
    if (ctx == NULL || ctx->alg == 0 || !view_ok(in) || (out == NULL && in.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    return CALL(c, ctr_update, ctx, in, out);
}

void mm_ctr_end(const mm_crypto *c, mm_crypto_ctx *ctx)
{
    if (ctx != NULL && ctx->alg != 0 && usable(c) && c->ops->ctr_end != NULL) {
        c->ops->ctr_end(c->user, ctx);
    }
    if (ctx != NULL) {
        ctx->alg = 0;
    }
}

/* RFC 3394: at least two 64-bit blocks, whole blocks only. */
static bool kw_length_ok(size_t n) { return n >= 16 && n % 8 == 0; }

mm_err mm_key_wrap(const mm_crypto *c, const mm_key *kek, mm_bytes in, uint8_t *out)
{
    if (kek == NULL || !view_ok(in) || out == NULL || !kw_length_ok(in.len)) {
        return MM_ERR_INVALID_ARG;
    }
    if (kek->kty != MM_KTY_SYMMETRIC) {
        return MM_ERR_KEY_USAGE;
    }
    return CALL(c, key_wrap, kek, in, out);
}

mm_err mm_key_unwrap(const mm_crypto *c, const mm_key *kek, mm_bytes in, uint8_t *out)
{
    if (kek == NULL || !view_ok(in) || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (kek->kty != MM_KTY_SYMMETRIC) {
        return MM_ERR_KEY_USAGE;
    }
    if (in.len < 24 || in.len % 8 != 0) {
        return MM_ERR_VERIFY; /* not a wrapped key: refuse like a failed integrity check */
    }
    return CALL(c, key_unwrap, kek, in, out);
}

mm_err mm_random(const mm_crypto *c, uint8_t *out, size_t len)
{
    if (out == NULL && len != 0) {
        return MM_ERR_INVALID_ARG;
    }
    return CALL(c, random, out, len);
}

mm_err mm_sha256_compress(const mm_crypto *c, uint32_t state[8], const uint8_t *blocks, size_t n_blocks)
{
    if (!usable(c)) {
        return MM_ERR_INVALID_ARG;
    }
    if (c->ops->sha256_compress == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    if (state == NULL || (blocks == NULL && n_blocks != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    if (n_blocks != 0) {
        c->ops->sha256_compress(c->user, state, blocks, n_blocks);
    }
    return MM_OK;
}
