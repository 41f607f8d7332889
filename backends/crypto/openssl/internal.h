/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the files of the OpenSSL backend share: the operations each file
 * implements (without the user pointer: backend.c adds it and keeps the
 * OpenSSL error queue clean around every call), key handle accessors, the
 * curve and hash tables, and small helpers for OpenSSL's int lengths.
 *
 * Names here start with mo_ ("mamori openssl") and are not part of the
 * public interface.
 */
#ifndef MAMORI_BACKEND_OPENSSL_INTERNAL_H
#define MAMORI_BACKEND_OPENSSL_INTERNAL_H

#include <openssl/evp.h>

#include "mamori/crypto.h"

/* What a streaming context holds: checked on every call so a hash context
 * handed to the HMAC entry is refused instead of misread. */
#define MO_CTX_HASH    0x6d6f0001u
#define MO_CTX_SHA256  0x6d6f0004u /* an mm_sha256_stream in the context itself */
#define MO_CTX_HMAC256 0x6d6f0005u /* HMAC-SHA-256 state in the context itself */
#define MO_CTX_HMAC    0x6d6f0002u
#define MO_CTX_CTR     0x6d6f0003u

/* The secret behind a symmetric key's handle (secure heap when available). */
typedef struct mo_symkey {
    size_t len;
    uint8_t k[MM_SYMKEY_MAX];
} mo_symkey;

/* A curve as COSE names it and OpenSSL knows it. */
typedef struct mo_curve {
    int32_t kty;      /* MM_KTY_EC2 or MM_KTY_OKP */
    int32_t crv;      /* MM_CRV_* */
    const char *name; /* EC group name, or the OKP key type name */
    int nid;
    size_t size; /* EC2: coordinate and scalar bytes; OKP: key bytes */
} mo_curve;

/* The curve of kty/crv, or NULL if unsupported. */
const mo_curve *mo_curve_find(int32_t kty, int32_t crv);

/* The curve of an OpenSSL key, or NULL (RSA, explicit parameters, others). */
const mo_curve *mo_curve_of(const EVP_PKEY *pkey);

/* The digest of a COSE hash alg (SHA-256/384/512), or NULL. */
const EVP_MD *mo_md(int32_t hash_alg);

/* OpenSSL's name of a COSE hash alg, or NULL. */
const char *mo_md_name(int32_t hash_alg);

/* The digest of a COSE hash alg as fetched once from the default library
 * context (held for the process's life), or NULL: initialising a context
 * with it skips the fetch by name OpenSSL 3 does on every call. */
const EVP_MD *mo_md_fetched(int32_t hash_alg);

/* Smallest and largest RSA modulus the backend takes: MM_SIG_MAX bounds the
 * signature, and RFC 8230 asks for at least 2048 bits. */
#define MO_RSA_MIN_BITS 2048
#define MO_RSA_MAX_BITS 4096

/*
 * Keys.
 */

/* This backend's instance, which every key it makes points at. */
const mm_crypto *mo_self(void);

/* True when key was made by this backend (any instance sharing its ops). */
bool mo_owns(const mm_key *key);

/* The EVP_PKEY behind an asymmetric key of this backend, or NULL. */
EVP_PKEY *mo_pkey(const mm_key *key);

/* The secret behind a symmetric key of this backend, or NULL. */
const mo_symkey *mo_sym(const mm_key *key);

/* Why mo_pkey() or mo_sym() gave NULL: MM_ERR_INVALID_ARG for a key that is
 * not this backend's (or freed), MM_ERR_KEY_USAGE for one of the other kind. */
mm_err mo_key_err(const mm_key *key);

/* Fills out from pkey, which it takes over (freed on failure). flags:
 * MM_KEY_PRIVATE when pkey holds private material, MM_KEY_EXTRACTABLE.
 * Checks the key (on the curve, private matches public) and that alg, if
 * not 0, fits it. Errors: MM_ERR_UNSUPPORTED (key type, curve, RSA size),
 * MM_ERR_BAD_KEY (OpenSSL's checks refuse it), MM_ERR_KEY_USAGE (alg does
 * not fit), MM_ERR_PLATFORM. */
mm_err mo_key_from_pkey(EVP_PKEY *pkey, int32_t alg, unsigned flags, mm_key *out);

/* Fills out with a copy of the symmetric key k (len 1..MM_SYMKEY_MAX):
 * MM_ERR_BAD_KEY when empty, MM_ERR_TOO_LARGE when longer. */
mm_err mo_key_from_bytes(const uint8_t *k, size_t len, int32_t alg, unsigned flags, mm_key *out);

/*
 * Prepared ECDSA contexts kept with an EC key (ctx_pool.c).
 */

/* Gives an EC pkey its pool; called once, before the key is shared. Without
 * one (another key type, no memory) every operation makes its context. */
void mo_pool_attach(EVP_PKEY *pkey);

/* Frees the pool and its contexts (which reference pkey): before the last
 * EVP_PKEY_free. */
void mo_pool_detach(EVP_PKEY *pkey);

/* A context of pkey initialised for ECDSA signing (op 's') or verifying
 * ('v') with no digest named, from the pool or new; NULL on failure. Any
 * thread; each context is used by one thread at a time. */
EVP_PKEY_CTX *mo_pool_take(EVP_PKEY *pkey, char op);

/* Returns ctx after use: kept when reusable and there is room, else freed.
 * A context whose operation failed is not reusable. */
void mo_pool_give(EVP_PKEY *pkey, char op, EVP_PKEY_CTX *ctx, bool reusable);

/*
 * Streaming contexts: one OpenSSL object per context, kept in opaque.
 */
void mo_ctx_put(mm_crypto_ctx *ctx, uint32_t kind, void *obj);
/* The object of a context of kind, or NULL (wrong kind, not started). */
void *mo_ctx_get(const mm_crypto_ctx *ctx, uint32_t kind);
void mo_ctx_clear(mm_crypto_ctx *ctx);

/*
 * Lengths: OpenSSL takes int where mamori has size_t.
 */

/* p without its const: OSSL_PARAM takes plain pointers to values OpenSSL
 * only reads. */
void *mo_unconst(const void *p);

/* A non-NULL pointer for b (OpenSSL dislikes NULL even with length 0). */
const uint8_t *mo_ptr(mm_bytes b);

/* Runs EVP_CipherUpdate over len bytes in chunks OpenSSL's int can hold;
 * out NULL feeds AAD. Returns 1 on success. */
int mo_cipher_update(EVP_CIPHER_CTX *c, uint8_t *out, const uint8_t *in, size_t len);

/* Copies n bytes to out per base.h (len = need on MM_ERR_BUFFER_TOO_SMALL). */
mm_err mo_buf_put(mm_buf *out, const uint8_t *p, size_t n);

/*
 * The operations, one file each; see mm_crypto_ops for their contracts.
 */
mm_err mo_hash_init(mm_crypto_ctx *ctx, int32_t alg);
mm_err mo_hash_update(mm_crypto_ctx *ctx, mm_bytes data);
mm_err mo_hash_final(mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len);
void mo_hash_abort(mm_crypto_ctx *ctx);

mm_err mo_hmac_init(mm_crypto_ctx *ctx, int32_t hash_alg, const mm_key *key);
mm_err mo_hmac_update(mm_crypto_ctx *ctx, mm_bytes data);
mm_err mo_hmac_final(mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len);
void mo_hmac_abort(mm_crypto_ctx *ctx);

mm_err mo_hkdf_extract(int32_t hash_alg, mm_bytes salt, mm_bytes ikm, uint8_t prk[MM_HASH_MAX], size_t *prk_len);
mm_err mo_hkdf_expand(int32_t hash_alg, mm_bytes prk, mm_bytes info, uint8_t *okm, size_t okm_len);

mm_err mo_sign(const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, uint8_t *sig, size_t cap, size_t *len);
mm_err mo_verify(const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, mm_bytes sig);

/* ECDSA signatures: COSE's r || s (each n bytes) and DER ECDSA-Sig-Value.
 * der_to_raw: MM_ERR_PLATFORM unless der is one canonical ECDSA-Sig-Value
 * whose values fit n bytes. raw_to_der writes at most 3 + 2 * (n + 3) bytes
 * into der (cap bytes; n at most MM_EC_COORD_MAX). */
mm_err mo_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, size_t n, uint8_t *raw);
mm_err mo_ecdsa_raw_to_der(const uint8_t *raw, size_t n, uint8_t *der, size_t cap, size_t *der_len);

mm_err mo_ecdh(const mm_key *priv, const mm_key *peer, uint8_t secret[MM_ECDH_MAX], size_t *len);

mm_err mo_key_generate(int32_t kty, int32_t crv_or_bits, int32_t alg, unsigned flags, mm_key *out);
mm_err mo_key_import(const mm_key_parts *parts, unsigned flags, mm_key *out);
mm_err mo_key_export(const mm_key *key, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap);
void mo_key_free(mm_key *key);

mm_err mo_aead_encrypt(int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, mm_bytes pt, uint8_t *out);
mm_err mo_aead_decrypt(int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, mm_bytes ct_tag, uint8_t *out);

mm_err mo_ctr_init(mm_crypto_ctx *ctx, int32_t alg, const mm_key *key, const uint8_t iv[16]);
mm_err mo_ctr_update(mm_crypto_ctx *ctx, mm_bytes in, uint8_t *out);
void mo_ctr_end(mm_crypto_ctx *ctx);

mm_err mo_key_wrap(const mm_key *kek, mm_bytes in, uint8_t *out);
mm_err mo_key_unwrap(const mm_key *kek, mm_bytes in, uint8_t *out);

mm_err mo_random(uint8_t *out, size_t len);

/* SHA-256 compression (SHA-NI when the CPU has it, else portable C). */
void mo_sha256_compress(uint32_t state[8], const uint8_t *blocks, size_t n_blocks);
/* True when mo_sha256_compress() runs on the CPU's SHA extensions, as fast
 * as OpenSSL's own SHA-256 on long messages and without its per-context
 * set-up on short ones. */
bool mo_sha256_fast(void);

/* The SHA-256 fast path of the hash entries (ops_hash.c), which never
 * touches OpenSSL (so needs no error-queue mark). begin: true when it
 * started ctx (alg SHA-256, mo_sha256_fast()); update and end: true when
 * ctx is such a context, which end finishes (out NULL: aborts). */
bool mo_sha256_begin(mm_crypto_ctx *ctx, int32_t alg);
bool mo_sha256_update(mm_crypto_ctx *ctx, mm_bytes data);
bool mo_sha256_end(mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len);
/* Feeds data to the mm_sha256_stream at the start of ctx's state when ctx
 * is of kind (MO_CTX_SHA256, or MO_CTX_HMAC256 for its inner hash). */
bool mo_sha256_stream_feed(mm_crypto_ctx *ctx, uint32_t kind, mm_bytes data);

/* The same fast path for HMAC-SHA-256 (ops_mac.c): begin is true when it
 * started ctx (a symmetric key of this backend, SHA-256, fast SHA-256). */
bool mo_hmac256_begin(mm_crypto_ctx *ctx, int32_t hash_alg, const mm_key *key);
bool mo_hmac256_update(mm_crypto_ctx *ctx, mm_bytes data);
bool mo_hmac256_end(mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len);

#endif /* MAMORI_BACKEND_OPENSSL_INTERNAL_H */
