/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OpenSSL backend's ops table and its one constant instance. Each entry
 * brackets the operation with an error-queue mark, so whatever OpenSSL
 * queued while failing (or while probing and succeeding) is dropped before
 * the caller sees the result, and entries the caller queued stay.
 */
#include <openssl/err.h>

#include "internal.h"
#include "mamori/crypto_openssl.h"

static mm_err hash_init(void *user, mm_crypto_ctx *ctx, int32_t alg)
{
    (void)user;
    if (mo_sha256_begin(ctx, alg)) {
        return MM_OK;
    }
    ERR_set_mark();
    mm_err e = mo_hash_init(ctx, alg);
    ERR_pop_to_mark();
    return e;
}

static mm_err hash_update(void *user, mm_crypto_ctx *ctx, mm_bytes data)
{
    (void)user;
    if (mo_sha256_update(ctx, data)) {
        return MM_OK;
    }
    ERR_set_mark();
    mm_err e = mo_hash_update(ctx, data);
    ERR_pop_to_mark();
    return e;
}

static mm_err hash_final(void *user, mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len)
{
    (void)user;
    if (mo_sha256_end(ctx, out, len)) {
        return MM_OK;
    }
    ERR_set_mark();
    mm_err e = mo_hash_final(ctx, out, len);
    ERR_pop_to_mark();
    return e;
}

static void hash_abort(void *user, mm_crypto_ctx *ctx)
{
    (void)user;
    if (mo_sha256_end(ctx, NULL, NULL)) {
        return;
    }
    ERR_set_mark();
    mo_hash_abort(ctx);
    ERR_pop_to_mark();
}

static mm_err hmac_init(void *user, mm_crypto_ctx *ctx, int32_t hash_alg, const mm_key *key)
{
    (void)user;
    if (mo_hmac256_begin(ctx, hash_alg, key)) {
        return MM_OK;
    }
    ERR_set_mark();
    mm_err e = mo_hmac_init(ctx, hash_alg, key);
    ERR_pop_to_mark();
    return e;
}

static mm_err hmac_update(void *user, mm_crypto_ctx *ctx, mm_bytes data)
{
    (void)user;
    if (mo_hmac256_update(ctx, data)) {
        return MM_OK;
    }
    ERR_set_mark();
    mm_err e = mo_hmac_update(ctx, data);
    ERR_pop_to_mark();
    return e;
}

static mm_err hmac_final(void *user, mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len)
{
    (void)user;
    if (mo_hmac256_end(ctx, out, len)) {
        return MM_OK;
    }
    ERR_set_mark();
    mm_err e = mo_hmac_final(ctx, out, len);
    ERR_pop_to_mark();
    return e;
}

static void hmac_abort(void *user, mm_crypto_ctx *ctx)
{
    (void)user;
    if (mo_hmac256_end(ctx, NULL, NULL)) {
        return;
    }
    ERR_set_mark();
    mo_hmac_abort(ctx);
    ERR_pop_to_mark();
}

static mm_err hkdf_extract(void *user, int32_t hash_alg, mm_bytes salt, mm_bytes ikm, uint8_t prk[MM_HASH_MAX],
                           size_t *prk_len)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_hkdf_extract(hash_alg, salt, ikm, prk, prk_len);
    ERR_pop_to_mark();
    return e;
}

static mm_err hkdf_expand(void *user, int32_t hash_alg, mm_bytes prk, mm_bytes info, uint8_t *okm, size_t okm_len)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_hkdf_expand(hash_alg, prk, info, okm, okm_len);
    ERR_pop_to_mark();
    return e;
}

static mm_err sign(void *user, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, uint8_t *sig, size_t cap,
                   size_t *len)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_sign(key, alg, data, flags, sig, cap, len);
    ERR_pop_to_mark();
    return e;
}

static mm_err verify(void *user, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, mm_bytes sig)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_verify(key, alg, data, flags, sig);
    ERR_pop_to_mark();
    return e;
}

static mm_err ecdh(void *user, const mm_key *priv, const mm_key *peer, uint8_t secret[MM_ECDH_MAX], size_t *len)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_ecdh(priv, peer, secret, len);
    ERR_pop_to_mark();
    return e;
}

static mm_err key_generate(void *user, int32_t kty, int32_t crv_or_bits, int32_t alg, unsigned flags, mm_key *out)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_key_generate(kty, crv_or_bits, alg, flags, out);
    ERR_pop_to_mark();
    return e;
}

static mm_err key_import(void *user, const mm_key_parts *parts, unsigned flags, mm_key *out)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_key_import(parts, flags, out);
    ERR_pop_to_mark();
    return e;
}

static mm_err key_export(void *user, const mm_key *key, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_key_export(key, flags, parts, buf, cap);
    ERR_pop_to_mark();
    return e;
}

static void key_free(void *user, mm_key *key)
{
    (void)user;
    ERR_set_mark();
    mo_key_free(key);
    ERR_pop_to_mark();
}

static mm_err aead_encrypt(void *user, int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, mm_bytes pt,
                           uint8_t *out)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_aead_encrypt(alg, key, nonce, aad, pt, out);
    ERR_pop_to_mark();
    return e;
}

static mm_err aead_decrypt(void *user, int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, mm_bytes ct_tag,
                           uint8_t *out)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_aead_decrypt(alg, key, nonce, aad, ct_tag, out);
    ERR_pop_to_mark();
    return e;
}

static mm_err ctr_init(void *user, mm_crypto_ctx *ctx, int32_t alg, const mm_key *key, const uint8_t iv[16])
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_ctr_init(ctx, alg, key, iv);
    ERR_pop_to_mark();
    return e;
}

static mm_err ctr_update(void *user, mm_crypto_ctx *ctx, mm_bytes in, uint8_t *out)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_ctr_update(ctx, in, out);
    ERR_pop_to_mark();
    return e;
}

static void ctr_end(void *user, mm_crypto_ctx *ctx)
{
    (void)user;
    ERR_set_mark();
    mo_ctr_end(ctx);
    ERR_pop_to_mark();
}

static mm_err key_wrap(void *user, const mm_key *kek, mm_bytes in, uint8_t *out)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_key_wrap(kek, in, out);
    ERR_pop_to_mark();
    return e;
}

static mm_err key_unwrap(void *user, const mm_key *kek, mm_bytes in, uint8_t *out)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_key_unwrap(kek, in, out);
    ERR_pop_to_mark();
    return e;
}

static mm_err random_bytes(void *user, uint8_t *out, size_t len)
{
    (void)user;
    ERR_set_mark();
    mm_err e = mo_random(out, len);
    ERR_pop_to_mark();
    return e;
}

/* No error-queue mark: the compression function never touches OpenSSL, and
 * it is called once per one-block hash, where the mark would cost more. */
static void sha256_compress(void *user, uint32_t state[8], const uint8_t *blocks, size_t n_blocks)
{
    (void)user;
    mo_sha256_compress(state, blocks, n_blocks);
}

static const mm_crypto_ops ops = {
    .version = MM_CRYPTO_OPS_V1,
    .name = "openssl",
    .hash_init = hash_init,
    .hash_update = hash_update,
    .hash_final = hash_final,
    .hash_abort = hash_abort,
    .hmac_init = hmac_init,
    .hmac_update = hmac_update,
    .hmac_final = hmac_final,
    .hmac_abort = hmac_abort,
    .hkdf_extract = hkdf_extract,
    .hkdf_expand = hkdf_expand,
    .sign = sign,
    .verify = verify,
    .ecdh = ecdh,
    .key_generate = key_generate,
    .key_import = key_import,
    .key_export = key_export,
    .key_free = key_free,
    .aead_encrypt = aead_encrypt,
    .aead_decrypt = aead_decrypt,
    .ctr_init = ctr_init,
    .ctr_update = ctr_update,
    .ctr_end = ctr_end,
    .key_wrap = key_wrap,
    .key_unwrap = key_unwrap,
    .random = random_bytes,
    .sha256_compress = sha256_compress,
};

/* The wrappers hand a backend only its user pointer, never the mm_crypto
 * it came through; the keys this backend makes therefore point here, and
 * user stays unused. */
static const mm_crypto instance = {&ops, NULL};

const mm_crypto *mm_crypto_openssl(void) { return &instance; }

const mm_crypto *mo_self(void) { return &instance; }

bool mo_owns(const mm_key *key)
{
    return key != NULL && key->crypto != NULL && key->crypto->ops == &ops && key->handle != NULL;
}
