/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori crypto: the contract between the device-safe core and a crypto
 * backend, written in COSE terms.
 *
 * Model
 * -----
 * A backend is an ops table (mm_crypto_ops) plus a user pointer, bundled in an
 * mm_crypto that the caller passes into every context that needs crypto. There
 * is no global registration and no link-time choice: one process can use two
 * backends side by side (a secure element for the device key, software for the
 * rest), tests plug in the deterministic test backend, and the core never
 * includes a crypto library's header. See docs/crypto.md for why this shape.
 *
 * Algorithms, key types and curves are named by their IANA COSE numbers, so
 * nothing translates between the layers. Signatures are in COSE's format
 * (ECDSA as fixed-size r || s, not DER).
 *
 * Keys are handles owned by the backend (an OpenSSL EVP_PKEY, a PSA key id, a
 * slot of a secure element). The caller owns the mm_key struct and frees what
 * the backend holds with mm_key_free(). A key knows its type, curve or size,
 * whether it holds private (or secret) material, and, optionally, the one
 * algorithm it may be used with; mm_key_allows() is the single check every
 * layer applies before using it.
 *
 * Streaming operations keep their state in caller-allocated contexts of fixed
 * size (mm_crypto_ctx); a backend stores what it needs inside (or a pointer to
 * it, on a host). Every started context is ended by its final or abort call.
 *
 * Every operation is optional for a backend: a NULL entry makes the wrapper
 * return MM_ERR_UNSUPPORTED. Nothing here allocates; backends may (host).
 */
#ifndef MAMORI_CRYPTO_H
#define MAMORI_CRYPTO_H

#include "mamori/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* COSE algorithm identifiers (IANA "COSE Algorithms"). */
#define MM_ALG_ES256             (-7)  /* ECDSA P-256 SHA-256 */
#define MM_ALG_ES384             (-35) /* ECDSA P-384 SHA-384 */
#define MM_ALG_ES512             (-36) /* ECDSA P-521 SHA-512 */
#define MM_ALG_ESP256            (-9)  /* RFC 9864 fully specified ECDSA P-256 */
#define MM_ALG_ESP384            (-51) /* RFC 9864 fully specified ECDSA P-384 */
#define MM_ALG_ESP512            (-52) /* RFC 9864 fully specified ECDSA P-521 */
#define MM_ALG_EDDSA             (-8)  /* EdDSA (curve from the key) */
#define MM_ALG_ED25519           (-19) /* RFC 9864 fully specified Ed25519 */
#define MM_ALG_PS256             (-37)
#define MM_ALG_PS384             (-38)
#define MM_ALG_PS512             (-39)
#define MM_ALG_HSS_LMS           (-46)
#define MM_ALG_HMAC256_64        4
#define MM_ALG_HMAC256           5
#define MM_ALG_HMAC384           6
#define MM_ALG_HMAC512           7
#define MM_ALG_A128GCM           1
#define MM_ALG_A192GCM           2
#define MM_ALG_A256GCM           3
#define MM_ALG_CHACHA20_POLY1305 24
#define MM_ALG_A128CTR           (-65534) /* RFC 9459 */
#define MM_ALG_A192CTR           (-65533)
#define MM_ALG_A256CTR           (-65532)
#define MM_ALG_DIRECT            (-6)
#define MM_ALG_A128KW            (-3)
#define MM_ALG_A192KW            (-4)
#define MM_ALG_A256KW            (-5)
#define MM_ALG_ECDH_ES_HKDF256   (-25)
#define MM_ALG_ECDH_ES_HKDF512   (-26)
#define MM_ALG_ECDH_SS_HKDF256   (-27)
#define MM_ALG_ECDH_SS_HKDF512   (-28)
#define MM_ALG_ECDH_ES_A128KW    (-29)
#define MM_ALG_ECDH_ES_A192KW    (-30)
#define MM_ALG_ECDH_ES_A256KW    (-31)
#define MM_ALG_ECDH_SS_A128KW    (-32)
#define MM_ALG_ECDH_SS_A192KW    (-33)
#define MM_ALG_ECDH_SS_A256KW    (-34)
#define MM_ALG_SHA256            (-16)
#define MM_ALG_SHA384            (-43)
#define MM_ALG_SHA512            (-44)
#define MM_ALG_SHA256_64         (-15)
#define MM_ALG_SHAKE256          (-45) /* SHAKE256 with COSE's 512-bit output (RFC 9054) */

/* COSE key types (kty) and elliptic curves (crv). */
#define MM_KTY_OKP       1
#define MM_KTY_EC2       2
#define MM_KTY_RSA       3
#define MM_KTY_SYMMETRIC 4
#define MM_KTY_HSS_LMS   5
#define MM_CRV_P256      1
#define MM_CRV_P384      2
#define MM_CRV_P521      3
#define MM_CRV_X25519    4
#define MM_CRV_X448      5
#define MM_CRV_ED25519   6
#define MM_CRV_ED448     7

/* Sizes that bound every buffer the core hands a backend. */
#define MM_HASH_MAX     64  /* SHA-512 */
#define MM_SIG_MAX      512 /* RSA-4096; ECDSA P-521 is 132 */
#define MM_ECDH_MAX     66  /* P-521 shared secret */
#define MM_SYMKEY_MAX   64  /* HMAC-512 key; AES-256 is 32 */
#define MM_AEAD_TAG_MAX 16
#define MM_EC_COORD_MAX 66 /* P-521 coordinate */

/* Size of a streaming context, in 8-byte words (enough for a software
 * SHA-512, HMAC or AES-CTR state; a host backend keeps a pointer). */
#ifndef MM_CRYPTO_CTX_WORDS
#define MM_CRYPTO_CTX_WORDS 64
#endif

/* Caller-allocated state of a streaming hash, HMAC or cipher. */
typedef struct mm_crypto_ctx {
    uint64_t opaque[MM_CRYPTO_CTX_WORDS];
    int32_t alg;  /* set by the wrappers; 0 when not started */
    uint32_t aux; /* free for the backend */
} mm_crypto_ctx;

struct mm_crypto;

/* Key flags. */
#define MM_KEY_PRIVATE                                                                                                 \
    0x1u /* private or secret material: can sign, decrypt, unwrap, MAC; always set on symmetric keys */
#define MM_KEY_EXTRACTABLE 0x2u /* private material may be exported (host keys) */

/* A key handle. Zero-initialise before use; filled by a backend's generate or
 * import; ended by mm_key_free(). */
typedef struct mm_key {
    const struct mm_crypto *crypto; /* backend owning handle; NULL = no key */
    void *handle;                   /* the backend's reference */
    int32_t alg;                    /* the only algorithm allowed, or 0 for any the type fits */
    int32_t kty;                    /* MM_KTY_* */
    int32_t crv;                    /* MM_CRV_* for OKP and EC2, else 0 */
    uint32_t bits;                  /* symmetric key or RSA modulus size in bits */
    uint32_t flags;                 /* MM_KEY_* */
} mm_key;

/* A key's parts as COSE_Key (RFC 9052 section 7, RFC 9053 section 7) holds
 * them: views into the caller's memory. Unused parts have len 0. */
typedef struct mm_key_parts {
    int32_t kty;
    int32_t crv;
    int32_t alg; /* 0 if not restricted */
    mm_bytes x;  /* EC2 / OKP public: x coordinate or the OKP public key */
    mm_bytes y;  /* EC2 public: y coordinate (uncompressed only) */
    mm_bytes d;  /* EC2 / OKP private scalar or seed */
    mm_bytes k;  /* symmetric key */
    mm_bytes n;  /* RSA modulus (public) */
    mm_bytes e;  /* RSA public exponent */
} mm_key_parts;

/* Signature operation flags. */
#define MM_SIG_PREHASHED 0x1u /* data is the message's hash (ECDSA and RSA-PSS only) */

/* Key export flags. */
#define MM_EXPORT_PRIVATE 0x1u /* include d / k (only for extractable keys) */

/*
 * The backend contract, version 1. Every entry may be NULL (unsupported).
 * Common rules: `user` is mm_crypto.user; output sizes are exact and stated;
 * a failed check (bad signature, AEAD tag, key-wrap integrity) returns
 * MM_ERR_VERIFY and writes no plaintext the caller could mistake for valid;
 * an algorithm, curve or key size the backend cannot handle returns
 * MM_ERR_UNSUPPORTED; malformed key material (wrong size, point not on the
 * curve, private and public parts that disagree) MM_ERR_BAD_KEY; a key that
 * cannot do the operation MM_ERR_KEY_USAGE; a too small output
 * MM_ERR_BUFFER_TOO_SMALL; bad parameters MM_ERR_INVALID_ARG; a failure of
 * the library or device underneath MM_ERR_PLATFORM. The wrappers check key
 * usage (mm_key_allows) before calling, so backends see consistent calls.
 */
#define MM_CRYPTO_OPS_V1 1u

typedef struct mm_crypto_ops {
    uint32_t version; /* MM_CRYPTO_OPS_V1 */
    const char *name; /* for diagnostics, e.g. "openssl" */

    /* Hash (alg: MM_ALG_SHA256/384/512; MM_ALG_SHAKE256 optionally, with
     * 64 bytes of output, whose prefixes are the shorter SHAKE256 outputs).
     * final writes the digest and ends. */
    mm_err (*hash_init)(void *user, mm_crypto_ctx *ctx, int32_t alg);
    mm_err (*hash_update)(void *user, mm_crypto_ctx *ctx, mm_bytes data);
    mm_err (*hash_final)(void *user, mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len);
    void (*hash_abort)(void *user, mm_crypto_ctx *ctx);

    /* HMAC with a hash alg (MM_ALG_SHA256/384/512) and a symmetric key;
     * final writes the full-length MAC and ends. */
    mm_err (*hmac_init)(void *user, mm_crypto_ctx *ctx, int32_t hash_alg, const mm_key *key);
    mm_err (*hmac_update)(void *user, mm_crypto_ctx *ctx, mm_bytes data);
    mm_err (*hmac_final)(void *user, mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len);
    void (*hmac_abort)(void *user, mm_crypto_ctx *ctx);

    /* HKDF (RFC 5869) in its two steps, as HPKE needs them. extract writes
     * the hash length; expand writes exactly okm_len bytes (<= 255 * hash). */
    mm_err (*hkdf_extract)(void *user, int32_t hash_alg, mm_bytes salt, mm_bytes ikm, uint8_t prk[MM_HASH_MAX],
                           size_t *prk_len);
    mm_err (*hkdf_expand)(void *user, int32_t hash_alg, mm_bytes prk, mm_bytes info, uint8_t *okm, size_t okm_len);

    /* Signatures with a COSE signature alg (ES256/384/512, ESP*, EdDSA,
     * Ed25519, PS256/384/512). data is the message, or its hash with
     * MM_SIG_PREHASHED. sign writes at most cap bytes (*len: written). */
    mm_err (*sign)(void *user, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, uint8_t *sig, size_t cap,
                   size_t *len);
    mm_err (*verify)(void *user, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, mm_bytes sig);

    /* ECDH (P-256, P-384, P-521, X25519, X448): the raw shared secret (the
     * x coordinate for NIST curves). */
    mm_err (*ecdh)(void *user, const mm_key *priv, const mm_key *peer, uint8_t secret[MM_ECDH_MAX], size_t *len);

    /* Keys. generate: a new private key of kty with crv (OKP, EC2), or bits
     * (SYMMETRIC, RSA), restricted to alg if not 0. import: from parts (a
     * private key when d or k is present); flags MM_KEY_EXTRACTABLE allowed.
     * export: the public parts, and with MM_EXPORT_PRIVATE the private ones,
     * written into buf (views in *parts point there). free: releases what the
     * backend holds for key (the struct itself is the caller's). */
    mm_err (*key_generate)(void *user, int32_t kty, int32_t crv_or_bits, int32_t alg, unsigned flags, mm_key *out);
    mm_err (*key_import)(void *user, const mm_key_parts *parts, unsigned flags, mm_key *out);
    mm_err (*key_export)(void *user, const mm_key *key, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap);
    void (*key_free)(void *user, mm_key *key);

    /* AEAD (A128GCM, A192GCM, A256GCM, ChaCha20/Poly1305), one shot.
     * encrypt writes pt.len bytes of ciphertext and the tag after them;
     * decrypt takes ciphertext||tag and writes ct.len - tag bytes, or nothing
     * usable on MM_ERR_VERIFY (the backend wipes it). */
    mm_err (*aead_encrypt)(void *user, int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, mm_bytes pt,
                           uint8_t *out);
    mm_err (*aead_decrypt)(void *user, int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, mm_bytes ct_tag,
                           uint8_t *out);

    /* AES-CTR (MM_ALG_A128/192/256CTR), streaming: the counter block starts
     * at iv and increments as a 128-bit big-endian number. update writes
     * in.len bytes; may be called with any lengths. */
    mm_err (*ctr_init)(void *user, mm_crypto_ctx *ctx, int32_t alg, const mm_key *key, const uint8_t iv[16]);
    mm_err (*ctr_update)(void *user, mm_crypto_ctx *ctx, mm_bytes in, uint8_t *out);
    void (*ctr_end)(void *user, mm_crypto_ctx *ctx);

    /* AES key wrap (RFC 3394, default IV) with a 128/192/256-bit KEK. wrap
     * writes in.len + 8 bytes (in.len a multiple of 8, >= 16); unwrap writes
     * in.len - 8 bytes, MM_ERR_VERIFY if the integrity check fails. */
    mm_err (*key_wrap)(void *user, const mm_key *kek, mm_bytes in, uint8_t *out);
    mm_err (*key_unwrap)(void *user, const mm_key *kek, mm_bytes in, uint8_t *out);

    /* Cryptographically secure random bytes. */
    mm_err (*random)(void *user, uint8_t *out, size_t len);

    /* The SHA-256 compression function (FIPS 180-4 section 6.2.2) applied to
     * n_blocks 64-byte blocks in turn, updating state (eight host-order
     * words; no padding, no length). Optional: a fast path for hash-based
     * signatures, whose verification is thousands of one-block hashes where
     * setting up a streaming context would cost more than the hash itself.
     * Cannot fail. Layers that use it fall back on hash_init/update/final
     * when it is NULL. A backend without a faster one may point at
     * mm_sha256_compress_portable() through a small adapter. */
    void (*sha256_compress)(void *user, uint32_t state[8], const uint8_t *blocks, size_t n_blocks);
} mm_crypto_ops;

/* A backend instance: its ops and its user pointer. */
typedef struct mm_crypto {
    const mm_crypto_ops *ops;
    void *user;
} mm_crypto;

/*
 * Wrappers: each checks the arguments and the backend's version, returns
 * MM_ERR_UNSUPPORTED for a missing entry, and calls through. Layers above
 * call these, never the table directly.
 */
MM_NODISCARD mm_err mm_hash_init(const mm_crypto *c, mm_crypto_ctx *ctx, int32_t alg);
MM_NODISCARD mm_err mm_hash_update(const mm_crypto *c, mm_crypto_ctx *ctx, mm_bytes data);
MM_NODISCARD mm_err mm_hash_final(const mm_crypto *c, mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len);
void mm_hash_abort(const mm_crypto *c, mm_crypto_ctx *ctx);
/* One-shot hash. */
MM_NODISCARD mm_err mm_hash(const mm_crypto *c, int32_t alg, mm_bytes data, uint8_t out[MM_HASH_MAX], size_t *len);

MM_NODISCARD mm_err mm_hmac_init(const mm_crypto *c, mm_crypto_ctx *ctx, int32_t hash_alg, const mm_key *key);
MM_NODISCARD mm_err mm_hmac_update(const mm_crypto *c, mm_crypto_ctx *ctx, mm_bytes data);
MM_NODISCARD mm_err mm_hmac_final(const mm_crypto *c, mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len);
void mm_hmac_abort(const mm_crypto *c, mm_crypto_ctx *ctx);

MM_NODISCARD mm_err mm_hkdf_extract(const mm_crypto *c, int32_t hash_alg, mm_bytes salt, mm_bytes ikm,
                                    uint8_t prk[MM_HASH_MAX], size_t *prk_len);
MM_NODISCARD mm_err mm_hkdf_expand(const mm_crypto *c, int32_t hash_alg, mm_bytes prk, mm_bytes info, uint8_t *okm,
                                   size_t okm_len);
/* Extract then expand. */
MM_NODISCARD mm_err mm_hkdf(const mm_crypto *c, int32_t hash_alg, mm_bytes salt, mm_bytes ikm, mm_bytes info,
                            uint8_t *okm, size_t okm_len);

MM_NODISCARD mm_err mm_sign(const mm_crypto *c, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags,
                            uint8_t *sig, size_t cap, size_t *len);
MM_NODISCARD mm_err mm_verify(const mm_crypto *c, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags,
                              mm_bytes sig);
MM_NODISCARD mm_err mm_ecdh(const mm_crypto *c, const mm_key *priv, const mm_key *peer, uint8_t secret[MM_ECDH_MAX],
                            size_t *len);

MM_NODISCARD mm_err mm_key_generate(const mm_crypto *c, int32_t kty, int32_t crv_or_bits, int32_t alg, unsigned flags,
                                    mm_key *out);
MM_NODISCARD mm_err mm_key_import(const mm_crypto *c, const mm_key_parts *parts, unsigned flags, mm_key *out);
MM_NODISCARD mm_err mm_key_export(const mm_key *key, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap);
/* Releases the backend's part of key and zeroes the struct; safe on a zeroed
 * or already freed key. */
void mm_key_free(mm_key *key);

MM_NODISCARD mm_err mm_aead_encrypt(const mm_crypto *c, int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad,
                                    mm_bytes pt, uint8_t *out);
MM_NODISCARD mm_err mm_aead_decrypt(const mm_crypto *c, int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad,
                                    mm_bytes ct_tag, uint8_t *out);
MM_NODISCARD mm_err mm_ctr_init(const mm_crypto *c, mm_crypto_ctx *ctx, int32_t alg, const mm_key *key,
                                const uint8_t iv[16]);
MM_NODISCARD mm_err mm_ctr_update(const mm_crypto *c, mm_crypto_ctx *ctx, mm_bytes in, uint8_t *out);
void mm_ctr_end(const mm_crypto *c, mm_crypto_ctx *ctx);
MM_NODISCARD mm_err mm_key_wrap(const mm_crypto *c, const mm_key *kek, mm_bytes in, uint8_t *out);
MM_NODISCARD mm_err mm_key_unwrap(const mm_crypto *c, const mm_key *kek, mm_bytes in, uint8_t *out);
MM_NODISCARD mm_err mm_random(const mm_crypto *c, uint8_t *out, size_t len);
/* Runs the backend's SHA-256 compression over blocks[0 .. 64 * n_blocks).
 * Errors: MM_ERR_UNSUPPORTED when the backend has none (n_blocks 0 is a
 * cheap way to ask), MM_ERR_INVALID_ARG. */
MM_NODISCARD mm_err mm_sha256_compress(const mm_crypto *c, uint32_t state[8], const uint8_t *blocks, size_t n_blocks);

/* The SHA-256 compression function in portable C, for backends and devices
 * without a faster one: state and blocks as the sha256_compress entry. Needs
 * no backend, allocates nothing, runs in constant time. */
void mm_sha256_compress_portable(uint32_t state[8], const uint8_t *blocks, size_t n_blocks);

/* A SHA-256 compression function: mm_sha256_compress_portable() or a
 * faster one. */
typedef void (*mm_sha256_compress_fn)(uint32_t state[8], const uint8_t *blocks, size_t n_blocks);

/* Streaming SHA-256 over a compression function, in caller-owned memory:
 * init, any number of updates, final (which writes the digest and wipes the
 * state). For backends whose compression function is faster than their
 * general digest interface on short messages. */
typedef struct mm_sha256_stream {
    uint32_t h[8];
    uint64_t total; /* bytes hashed so far */
    uint8_t buf[64];
    uint32_t fill; /* bytes waiting in buf */
} mm_sha256_stream;

void mm_sha256_stream_init(mm_sha256_stream *s);
void mm_sha256_stream_update(mm_sha256_stream *s, mm_sha256_compress_fn compress, const uint8_t *p, size_t n);
void mm_sha256_stream_final(mm_sha256_stream *s, mm_sha256_compress_fn compress, uint8_t out[32]);

/* SHA-256's initial hash value (FIPS 180-4 section 5.3.3), for callers of
 * the compression function. */
extern const uint32_t mm_sha256_iv[8];

/* SHA-256's round constants (FIPS 180-4 section 4.2.2), for other
 * implementations of the compression function. */
extern const uint32_t mm_sha256_k[64];

/*
 * Algorithm facts the layers share (no backend needed).
 */

/* Digest length of a hash alg, or 0 if unknown. */
size_t mm_hash_len(int32_t hash_alg);

/* True when v, n big-endian bytes, is a scalar of the NIST curve crv
 * (P-256, P-384, P-521) in [1, order - 1], n being the curve's scalar size
 * (32, 48, 66): an ECDSA signature's r or s, a private key. False for any
 * other curve or length. */
bool mm_ec_scalar_valid(int32_t crv, const uint8_t *v, size_t n);

/* True when key may be used with alg: the key's type and curve (or size)
 * fit the algorithm, and the key is not restricted to another algorithm
 * (ES256 and ESP256, ES384 and ESP384, ES512 and ESP512, EdDSA and Ed25519
 * on an Ed25519 key count as the same). needs_private: the operation needs
 * the private part (sign, decrypt, unwrap, MAC). */
bool mm_key_allows(const mm_key *key, int32_t alg, bool needs_private);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_CRYPTO_H */
