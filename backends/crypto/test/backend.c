/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deterministic test backend's ops table: real SHA-2, HMAC and HKDF, and
 * fake, length-exact signatures, ECDH, AEAD, CTR, key wrap and random bytes
 * built from keyed hashes (see include/mamori/crypto_test.h for the model).
 * Every failure mode the contract names is reproduced, so the layers above
 * see the same refusals they would with a real backend.
 */
#include <string.h>

#include "tc_internal.h"

/* What a streaming context holds; aux tells them apart so a context started
 * as one kind is not continued as another. */
enum { KIND_HASH = 0x68617368u, KIND_HMAC = 0x686d6163u, KIND_CTR = 0x63747220u, KIND_SHAKE = 0x73686b65u };

typedef struct ctr_state {
    mm_tc_hmac prf;      /* keyed by the key's CTR PRK */
    uint8_t counter[16]; /* the next counter block */
    uint8_t ks[16];      /* keystream of the previous counter block */
    uint32_t used;       /* bytes of ks already used (16: none left) */
} ctr_state;

_Static_assert(sizeof(mm_tc_sha) <= sizeof(((mm_crypto_ctx *)0)->opaque), "hash state fits mm_crypto_ctx");
_Static_assert(sizeof(mm_tc_hmac) <= sizeof(((mm_crypto_ctx *)0)->opaque), "HMAC state fits mm_crypto_ctx");
_Static_assert(sizeof(mm_tc_shake) <= sizeof(((mm_crypto_ctx *)0)->opaque), "SHAKE state fits mm_crypto_ctx");
_Static_assert(sizeof(ctr_state) <= sizeof(((mm_crypto_ctx *)0)->opaque), "CTR state fits mm_crypto_ctx");

#define TAG_LEN   16
#define NONCE_LEN 12
#define KW_BLOCK  8

/* States move in and out of the context by copy: opaque is an array of
 * uint64_t, and memcpy is the one access that respects its type. */
static void ctx_put(mm_crypto_ctx *ctx, uint32_t kind, const void *state, size_t len)
{
    memcpy(ctx->opaque, state, len);
    ctx->aux = kind;
}

static bool ctx_get(const mm_crypto_ctx *ctx, uint32_t kind, void *state, size_t len)
{
    if (ctx->aux != kind) {
        return false;
    }
    memcpy(state, ctx->opaque, len);
    return true;
}

static void ctx_end(mm_crypto_ctx *ctx)
{
    mm_wipe(ctx->opaque, sizeof ctx->opaque);
    ctx->aux = 0;
}

/*
 * Hash and HMAC.
 */

/* A hash (SHA-2, or SHAKE256 with COSE's 64 bytes of output) or HMAC state,
 * moved in and out of its context whole. */
typedef union stream_state {
    mm_tc_sha sha;
    mm_tc_shake shake;
    mm_tc_hmac hmac;
} stream_state;

_Static_assert(sizeof(stream_state) <= sizeof(((mm_crypto_ctx *)0)->opaque), "stream state fits mm_crypto_ctx");

/* The state of a hash (mac false) or HMAC (mac true) context. */
static bool stream_get(const mm_crypto_ctx *ctx, bool mac, stream_state *s)
{
    bool fits = mac ? ctx->aux == KIND_HMAC : ctx->aux == KIND_HASH || ctx->aux == KIND_SHAKE;
    return fits && ctx_get(ctx, ctx->aux, s, sizeof *s);
}

static mm_err stream_update(mm_crypto_ctx *ctx, bool mac, mm_bytes data)
{
    stream_state s;
    if (!stream_get(ctx, mac, &s)) {
        return MM_ERR_STATE;
    }
    if (ctx->aux == KIND_HMAC) {
        mm_tc_hmac_update(&s.hmac, data.ptr, data.len);
    } else if (ctx->aux == KIND_SHAKE) {
        mm_tc_shake256_update(&s.shake, data.ptr, data.len);
    } else {
        mm_tc_sha_update(&s.sha, data.ptr, data.len);
    }
    ctx_put(ctx, ctx->aux, &s, sizeof s);
    mm_wipe(&s, sizeof s);
    return MM_OK;
}

static mm_err stream_final(mm_crypto_ctx *ctx, bool mac, uint8_t out[MM_HASH_MAX], size_t *len)
{
    stream_state s;
    if (!stream_get(ctx, mac, &s)) {
        return MM_ERR_STATE;
    }
    if (ctx->aux == KIND_HMAC) {
        *len = mm_tc_hmac_final(&s.hmac, out);
    } else if (ctx->aux == KIND_SHAKE) {
        *len = mm_hash_len(MM_ALG_SHAKE256);
        mm_tc_shake256_final(&s.shake, out, *len);
    } else {
        *len = mm_tc_sha_final(&s.sha, out);
    }
    ctx_end(ctx);
    return MM_OK;
}

static mm_err tc_hash_init(void *user, mm_crypto_ctx *ctx, int32_t alg)
{
    (void)user;
    if (alg == MM_ALG_SHAKE256) {
        mm_tc_shake k;
        mm_tc_shake256_init(&k);
        ctx_put(ctx, KIND_SHAKE, &k, sizeof k);
        return MM_OK;
    }
    mm_tc_sha s;
    if (!mm_tc_sha_init(&s, alg)) {
        return MM_ERR_UNSUPPORTED;
    }
    ctx_put(ctx, KIND_HASH, &s, sizeof s);
    return MM_OK;
}

static mm_err tc_hash_update(void *user, mm_crypto_ctx *ctx, mm_bytes data)
{
    (void)user;
    return stream_update(ctx, false, data);
}

static mm_err tc_hash_final(void *user, mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len)
{
    (void)user;
    return stream_final(ctx, false, out, len);
}

static void tc_ctx_abort(void *user, mm_crypto_ctx *ctx)
{
    (void)user;
    ctx_end(ctx);
}

/* The live symmetric slot behind key. */
static mm_err symmetric_slot(mm_crypto_test *t, const mm_key *key, mm_crypto_test_slot **out)
{
    mm_err e = mm_tc_slot_of(t, key, out);
    if (e != MM_OK) {
        return e;
    }
    return (*out)->kty == MM_KTY_SYMMETRIC ? MM_OK : MM_ERR_INVALID_ARG;
}

static mm_err tc_hmac_init(void *user, mm_crypto_ctx *ctx, int32_t hash_alg, const mm_key *key)
{
    mm_crypto_test_slot *s;
    mm_err e = symmetric_slot(user, key, &s);
    if (e != MM_OK) {
        return e;
    }
    mm_tc_hmac m;
    if (!mm_tc_hmac_init(&m, hash_alg, s->material, s->len)) {
        return MM_ERR_UNSUPPORTED;
    }
    ctx_put(ctx, KIND_HMAC, &m, sizeof m);
    mm_wipe(&m, sizeof m);
    return MM_OK;
}

static mm_err tc_hmac_update(void *user, mm_crypto_ctx *ctx, mm_bytes data)
{
    (void)user;
    return stream_update(ctx, true, data);
}

static mm_err tc_hmac_final(void *user, mm_crypto_ctx *ctx, uint8_t out[MM_HASH_MAX], size_t *len)
{
    (void)user;
    return stream_final(ctx, true, out, len);
}

/*
 * HKDF (RFC 5869), on the real HMAC.
 */

static mm_err tc_hkdf_extract(void *user, int32_t hash_alg, mm_bytes salt, mm_bytes ikm, uint8_t prk[MM_HASH_MAX],
                              size_t *prk_len)
{
    (void)user;
    static const uint8_t zeros[MM_HASH_MAX] = {0};
    size_t hl = mm_hash_len(hash_alg);
    mm_tc_hmac m;
    if (hl == 0) {
        return MM_ERR_UNSUPPORTED;
    }
    /* No salt means HashLen zero bytes. */
    if (salt.len == 0) {
        salt = mm_bytes_make(zeros, hl);
    }
    (void)mm_tc_hmac_init(&m, hash_alg, salt.ptr, salt.len);
    mm_tc_hmac_update(&m, ikm.ptr, ikm.len);
    *prk_len = mm_tc_hmac_final(&m, prk);
    return MM_OK;
}

static mm_err tc_hkdf_expand(void *user, int32_t hash_alg, mm_bytes prk, mm_bytes info, uint8_t *okm, size_t okm_len)
{
    (void)user;
    size_t hl = mm_hash_len(hash_alg);
    if (hl == 0) {
        return MM_ERR_UNSUPPORTED;
    }
    /* RFC 5869 2.3: a PRK of at least HashLen, L <= 255 * HashLen (as the
     * OpenSSL backend enforces, so both refuse the same calls). */
    if (prk.len < hl || okm_len > 255 * hl) {
        return MM_ERR_INVALID_ARG;
    }
    mm_tc_hmac keyed;
    mm_tc_hmac m;
    uint8_t t[MM_HASH_MAX];
    size_t t_len = 0;
    (void)mm_tc_hmac_init(&keyed, hash_alg, prk.ptr, prk.len);
    for (uint8_t i = 1; okm_len > 0; i++) {
        /* T(i) = HMAC(PRK, T(i-1) || info || i) */
        m = keyed;
        mm_tc_hmac_update(&m, t, t_len);
        mm_tc_hmac_update(&m, info.ptr, info.len);
        mm_tc_hmac_update(&m, &i, 1);
        t_len = mm_tc_hmac_final(&m, t);
        size_t n = okm_len < t_len ? okm_len : t_len;
        memcpy(okm, t, n);
        okm += n;
        okm_len -= n;
    }
    mm_wipe(&keyed, sizeof keyed);
    mm_wipe(t, sizeof t);
    return MM_OK;
}

/*
 * Signatures.
 */

/* One signature algorithm: the key it takes and the hash it signs. */
typedef struct sig_alg {
    int32_t alg;
    int32_t same_as; /* the RFC 9864 twin it is the same operation as */
    int32_t kty;
    int32_t crv; /* 0: any signing curve of kty (EdDSA) or none (RSA) */
    int32_t hash_alg;
} sig_alg;

static const sig_alg sig_algs[] = {
    {MM_ALG_ES256, MM_ALG_ES256, MM_KTY_EC2, MM_CRV_P256, MM_ALG_SHA256},
    {MM_ALG_ESP256, MM_ALG_ES256, MM_KTY_EC2, MM_CRV_P256, MM_ALG_SHA256},
    {MM_ALG_ES384, MM_ALG_ES384, MM_KTY_EC2, MM_CRV_P384, MM_ALG_SHA384},
    {MM_ALG_ESP384, MM_ALG_ES384, MM_KTY_EC2, MM_CRV_P384, MM_ALG_SHA384},
    {MM_ALG_ES512, MM_ALG_ES512, MM_KTY_EC2, MM_CRV_P521, MM_ALG_SHA512},
    {MM_ALG_ESP512, MM_ALG_ES512, MM_KTY_EC2, MM_CRV_P521, MM_ALG_SHA512},
    {MM_ALG_EDDSA, MM_ALG_EDDSA, MM_KTY_OKP, 0, MM_ALG_SHA512},
    {MM_ALG_ED25519, MM_ALG_EDDSA, MM_KTY_OKP, MM_CRV_ED25519, MM_ALG_SHA512},
    {MM_ALG_PS256, MM_ALG_PS256, MM_KTY_RSA, 0, MM_ALG_SHA256},
    {MM_ALG_PS384, MM_ALG_PS384, MM_KTY_RSA, 0, MM_ALG_SHA384},
    {MM_ALG_PS512, MM_ALG_PS512, MM_KTY_RSA, 0, MM_ALG_SHA512},
};

/* Computes the signature of data under the key in s: a keyed hash of the
 * key's identity, the algorithm and the message digest, shaped so range
 * checks above accept it (ECDSA r and s in [1, n-1], PSS below the modulus,
 * Ed25519 S below the group order). */
static mm_err compute_sig(const mm_crypto_test_slot *s, int32_t alg, mm_bytes data, unsigned flags,
                          uint8_t sig[MM_SIG_MAX], size_t *sig_len)
{
    const sig_alg *a = NULL;
    for (size_t i = 0; i < sizeof sig_algs / sizeof sig_algs[0]; i++) {
        if (sig_algs[i].alg == alg) {
            a = &sig_algs[i];
        }
    }
    if (a == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    if ((flags & ~MM_SIG_PREHASHED) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    bool prehashed = (flags & MM_SIG_PREHASHED) != 0;
    const mm_tc_curve *c = NULL;
    size_t len;
    if (s->kty != a->kty || (a->crv != 0 && s->crv != a->crv)) {
        return MM_ERR_INVALID_ARG;
    }
    if (a->kty == MM_KTY_RSA) {
        len = (s->bits + 7) / 8;
    } else {
        c = mm_tc_curve_find(s->kty, s->crv);
        if (c == NULL || c->sig_len == 0) {
            return MM_ERR_INVALID_ARG; /* X25519 / X448 keys do not sign */
        }
        len = c->sig_len;
    }
    if (prehashed && a->kty == MM_KTY_OKP) {
        return MM_ERR_UNSUPPORTED; /* pure EdDSA signs the message itself */
    }

    uint8_t digest[MM_HASH_MAX];
    size_t digest_len;
    if (prehashed) {
        if (data.len != mm_hash_len(a->hash_alg)) {
            return MM_ERR_INVALID_ARG;
        }
        memcpy(digest, data.ptr, data.len);
        digest_len = data.len;
    } else {
        mm_tc_sha h;
        (void)mm_tc_sha_init(&h, a->hash_alg);
        mm_tc_sha_update(&h, data.ptr, data.len);
        digest_len = mm_tc_sha_final(&h, digest);
    }

    uint8_t id[MM_TC_PRK_LEN];
    uint8_t prk[MM_TC_PRK_LEN];
    mm_tc_hmac m;
    if (!mm_tc_identity(s, id)) {
        return MM_ERR_INVALID_ARG;
    }
    mm_tc_prf_begin(&m, id, sizeof id, "mamori-test signature");
    mm_tc_prf_int(&m, a->same_as);
    mm_tc_prf_item(&m, digest, digest_len);
    mm_tc_prf_end(&m, prk);
    memset(sig, 0, len);
    mm_tc_stream_xor(prk, 0, sig, len);

    if (a->kty == MM_KTY_EC2) {
        /* r and s in [1, n-1] whatever the bytes, as COSE checks before
         * verifying: one bit below the order's size, and odd. */
        uint8_t below = (uint8_t)(c->top_mask >> 1);
        sig[0] &= below;
        sig[len / 2] &= below;
        sig[len / 2 - 1] |= 1;
        sig[len - 1] |= 1;
    } else if (a->kty == MM_KTY_OKP) {
        sig[len - 1] &= s->crv == MM_CRV_ED25519 ? 0x0f : 0x00;
    } else {
        unsigned top = s->bits % 8 == 0 ? 8 : s->bits % 8;
        sig[0] &= (uint8_t)((1u << (top - 1)) - 1); /* below the modulus */
    }
    *sig_len = len;
    return MM_OK;
}

static mm_err tc_sign(void *user, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, uint8_t *sig,
                      size_t cap, size_t *len)
{
    mm_crypto_test_slot *s;
    mm_err e = mm_tc_slot_of(user, key, &s);
    if (e != MM_OK) {
        return e;
    }
    if ((s->flags & MM_TC_SLOT_PRIVATE) == 0) {
        return MM_ERR_INVALID_ARG;
    }
    uint8_t tmp[MM_SIG_MAX];
    size_t n;
    e = compute_sig(s, alg, data, flags, tmp, &n);
    if (e != MM_OK) {
        return e;
    }
    *len = n;
    if (cap < n) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(sig, tmp, n);
    return MM_OK;
}

static mm_err tc_verify(void *user, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, mm_bytes sig)
{
    mm_crypto_test *t = user;
    mm_crypto_test_slot *s;
    mm_err e = mm_tc_slot_of(t, key, &s);
    if (e != MM_OK) {
        return e;
    }
    uint8_t expected[MM_SIG_MAX];
    size_t n;
    e = compute_sig(s, alg, data, flags, expected, &n);
    if (e != MM_OK) {
        return e;
    }
    if (sig.len != n) {
        return MM_ERR_VERIFY;
    }
    if ((t->flags & MM_CRYPTO_TEST_ACCEPT_ANY_SIGNATURE) != 0) {
        return MM_OK;
    }
    return mm_ct_equal(expected, sig.ptr, n) ? MM_OK : MM_ERR_VERIFY;
}

/*
 * ECDH: a keyed hash of both identities in sorted order, so either side
 * gets the same secret.
 */

static mm_err tc_ecdh(void *user, const mm_key *priv, const mm_key *peer, uint8_t secret[MM_ECDH_MAX], size_t *len)
{
    mm_crypto_test *t = user;
    mm_crypto_test_slot *a;
    mm_crypto_test_slot *b;
    mm_err e = mm_tc_slot_of(t, priv, &a);
    if (e == MM_OK) {
        e = mm_tc_slot_of(t, peer, &b);
    }
    if (e != MM_OK) {
        return e;
    }
    const mm_tc_curve *c = mm_tc_curve_find(a->kty, a->crv);
    if ((a->flags & MM_TC_SLOT_PRIVATE) == 0 || c == NULL || c->ss_len == 0 || b->kty != a->kty || b->crv != a->crv) {
        return MM_ERR_INVALID_ARG;
    }
    uint8_t id_a[MM_TC_PRK_LEN];
    uint8_t id_b[MM_TC_PRK_LEN];
    uint8_t prk[MM_TC_PRK_LEN];
    (void)mm_tc_identity(a, id_a);
    (void)mm_tc_identity(b, id_b);
    bool a_first = memcmp(id_a, id_b, sizeof id_a) <= 0;
    mm_tc_hmac m;
    mm_tc_prf_begin(&m, NULL, 0, "mamori-test ecdh");
    mm_tc_prf_int(&m, c->kty);
    mm_tc_prf_int(&m, c->crv);
    mm_tc_prf_item(&m, a_first ? id_a : id_b, MM_TC_PRK_LEN);
    mm_tc_prf_item(&m, a_first ? id_b : id_a, MM_TC_PRK_LEN);
    mm_tc_prf_end(&m, prk);
    memset(secret, 0, c->ss_len);
    mm_tc_stream_xor(prk, 0, secret, c->ss_len);
    secret[0] &= c->top_mask;
    *len = c->ss_len;
    mm_wipe(prk, sizeof prk);
    return MM_OK;
}

/*
 * AEAD, one shot: ciphertext = plaintext XOR stream(key, alg, nonce), tag =
 * keyed hash of (alg, nonce, aad, ciphertext).
 */

static size_t aead_key_len(int32_t alg)
{
    switch (alg) {
    case MM_ALG_A128GCM:
        return 16;
    case MM_ALG_A192GCM:
        return 24;
    case MM_ALG_A256GCM:
    case MM_ALG_CHACHA20_POLY1305:
        return 32;
    default:
        return 0;
    }
}

/* The key slot for an AEAD call, with the size alg needs and a 12-byte nonce. */
static mm_err aead_slot(mm_crypto_test *t, int32_t alg, const mm_key *key, mm_bytes nonce, mm_crypto_test_slot **out)
{
    size_t key_len = aead_key_len(alg);
    if (key_len == 0) {
        return MM_ERR_UNSUPPORTED;
    }
    mm_err e = symmetric_slot(t, key, out);
    if (e != MM_OK) {
        return e;
    }
    return (*out)->len == key_len && nonce.len == NONCE_LEN ? MM_OK : MM_ERR_INVALID_ARG;
}

static void aead_stream(const mm_crypto_test_slot *s, int32_t alg, mm_bytes nonce, uint8_t *buf, size_t len)
{
    mm_tc_hmac m;
    uint8_t prk[MM_TC_PRK_LEN];
    mm_tc_prf_begin(&m, s->material, s->len, "mamori-test aead stream");
    mm_tc_prf_int(&m, alg);
    mm_tc_prf_item(&m, nonce.ptr, nonce.len);
    mm_tc_prf_end(&m, prk);
    mm_tc_stream_xor(prk, 0, buf, len);
    mm_wipe(prk, sizeof prk);
}

static void aead_tag(const mm_crypto_test_slot *s, int32_t alg, mm_bytes nonce, mm_bytes aad, mm_bytes ct,
                     uint8_t tag[TAG_LEN])
{
    mm_tc_hmac m;
    uint8_t full[MM_TC_PRK_LEN];
    mm_tc_prf_begin(&m, s->material, s->len, "mamori-test aead tag");
    mm_tc_prf_int(&m, alg);
    mm_tc_prf_item(&m, nonce.ptr, nonce.len);
    mm_tc_prf_item(&m, aad.ptr, aad.len);
    mm_tc_prf_item(&m, ct.ptr, ct.len);
    mm_tc_prf_end(&m, full);
    memcpy(tag, full, TAG_LEN);
}

static mm_err tc_aead_encrypt(void *user, int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, mm_bytes pt,
                              uint8_t *out)
{
    mm_crypto_test_slot *s;
    mm_err e = aead_slot(user, alg, key, nonce, &s);
    if (e != MM_OK) {
        return e;
    }
    /* memmove: encrypting in place (out == pt.ptr) is allowed. */
    if (pt.len > 0) {
        memmove(out, pt.ptr, pt.len);
    }
    aead_stream(s, alg, nonce, out, pt.len);
    aead_tag(s, alg, nonce, aad, mm_bytes_make(out, pt.len), out + pt.len);
    return MM_OK;
}

static mm_err tc_aead_decrypt(void *user, int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, mm_bytes ct_tag,
                              uint8_t *out)
{
    mm_crypto_test *t = user;
    mm_crypto_test_slot *s;
    mm_err e = aead_slot(t, alg, key, nonce, &s);
    if (e != MM_OK) {
        return e;
    }
    if (ct_tag.len < TAG_LEN) {
        return MM_ERR_VERIFY;
    }
    mm_bytes ct = mm_bytes_make(ct_tag.ptr, ct_tag.len - TAG_LEN);
    uint8_t expected[TAG_LEN];
    aead_tag(s, alg, nonce, aad, ct, expected);
    /* The tag is checked before any plaintext exists. */
    if ((t->flags & MM_CRYPTO_TEST_ACCEPT_ANY_TAG) == 0 && !mm_ct_equal(expected, ct.ptr + ct.len, TAG_LEN)) {
        if (ct.len > 0) {
            mm_wipe(out, ct.len);
        }
        return MM_ERR_VERIFY;
    }
    if (ct.len > 0) {
        memmove(out, ct.ptr, ct.len);
    }
    aead_stream(s, alg, nonce, out, ct.len);
    return MM_OK;
}

/*
 * CTR: a real 128-bit big-endian counter over a fake block function, so
 * seeking and chunking behave as with AES-CTR.
 */

static mm_err tc_ctr_init(void *user, mm_crypto_ctx *ctx, int32_t alg, const mm_key *key, const uint8_t iv[16])
{
    size_t key_len = alg == MM_ALG_A128CTR ? 16 : alg == MM_ALG_A192CTR ? 24 : alg == MM_ALG_A256CTR ? 32 : 0;
    if (key_len == 0) {
        return MM_ERR_UNSUPPORTED;
    }
    mm_crypto_test_slot *s;
    mm_err e = symmetric_slot(user, key, &s);
    if (e != MM_OK) {
        return e;
    }
    if (s->len != key_len) {
        return MM_ERR_INVALID_ARG;
    }
    ctr_state st;
    uint8_t prk[MM_TC_PRK_LEN];
    mm_tc_prf_begin(&st.prf, s->material, s->len, "mamori-test ctr block");
    mm_tc_prf_int(&st.prf, alg);
    mm_tc_prf_end(&st.prf, prk);
    (void)mm_tc_hmac_init(&st.prf, MM_ALG_SHA512, prk, sizeof prk);
    memcpy(st.counter, iv, sizeof st.counter);
    memset(st.ks, 0, sizeof st.ks);
    st.used = sizeof st.ks;
    ctx_put(ctx, KIND_CTR, &st, sizeof st);
    mm_wipe(&st, sizeof st);
    mm_wipe(prk, sizeof prk);
    return MM_OK;
}

static mm_err tc_ctr_update(void *user, mm_crypto_ctx *ctx, mm_bytes in, uint8_t *out)
{
    (void)user;
    ctr_state st;
    if (!ctx_get(ctx, KIND_CTR, &st, sizeof st)) {
        return MM_ERR_STATE;
    }
    for (size_t i = 0; i < in.len; i++) {
        if (st.used == sizeof st.ks) {
            mm_tc_hmac m = st.prf;
            uint8_t block[MM_TC_PRK_LEN];
            mm_tc_hmac_update(&m, st.counter, sizeof st.counter);
            (void)mm_tc_hmac_final(&m, block);
            memcpy(st.ks, block, sizeof st.ks);
            for (size_t j = sizeof st.counter; j-- > 0;) {
                if (++st.counter[j] != 0) {
                    break;
                }
            }
            st.used = 0;
        }
        out[i] = (uint8_t)(in.ptr[i] ^ st.ks[st.used++]);
    }
    ctx_put(ctx, KIND_CTR, &st, sizeof st);
    mm_wipe(&st, sizeof st);
    return MM_OK;
}

/*
 * Key wrap: integrity block = keyed hash of (KEK, key), then the key XOR a
 * stream of (KEK, integrity block). Lengths as RFC 3394.
 */

static mm_err kek_slot(mm_crypto_test *t, const mm_key *kek, mm_crypto_test_slot **out)
{
    mm_err e = symmetric_slot(t, kek, out);
    if (e != MM_OK) {
        return e;
    }
    size_t n = (*out)->len;
    return n == 16 || n == 24 || n == 32 ? MM_OK : MM_ERR_INVALID_ARG;
}

static void kw_integrity(const mm_crypto_test_slot *kek, const uint8_t *key, size_t len, uint8_t iv[KW_BLOCK])
{
    mm_tc_hmac m;
    uint8_t full[MM_TC_PRK_LEN];
    mm_tc_prf_begin(&m, kek->material, kek->len, "mamori-test kw integrity");
    mm_tc_prf_item(&m, key, len);
    mm_tc_prf_end(&m, full);
    memcpy(iv, full, KW_BLOCK);
}

static void kw_stream(const mm_crypto_test_slot *kek, const uint8_t iv[KW_BLOCK], uint8_t *buf, size_t len)
{
    mm_tc_hmac m;
    uint8_t prk[MM_TC_PRK_LEN];
    mm_tc_prf_begin(&m, kek->material, kek->len, "mamori-test kw stream");
    mm_tc_prf_item(&m, iv, KW_BLOCK);
    mm_tc_prf_end(&m, prk);
    mm_tc_stream_xor(prk, 0, buf, len);
    mm_wipe(prk, sizeof prk);
}

static mm_err tc_key_wrap(void *user, const mm_key *kek, mm_bytes in, uint8_t *out)
{
    mm_crypto_test_slot *s;
    mm_err e = kek_slot(user, kek, &s);
    if (e != MM_OK) {
        return e;
    }
    if (in.len < 16 || in.len % KW_BLOCK != 0) {
        return MM_ERR_INVALID_ARG;
    }
    uint8_t iv[KW_BLOCK];
    kw_integrity(s, in.ptr, in.len, iv);
    /* memmove first: wrapping in place (out == in.ptr) is allowed. */
    memmove(out + KW_BLOCK, in.ptr, in.len);
    kw_stream(s, iv, out + KW_BLOCK, in.len);
    memcpy(out, iv, KW_BLOCK);
    return MM_OK;
}

static mm_err tc_key_unwrap(void *user, const mm_key *kek, mm_bytes in, uint8_t *out)
{
    mm_crypto_test *t = user;
    mm_crypto_test_slot *s;
    mm_err e = kek_slot(t, kek, &s);
    if (e != MM_OK) {
        return e;
    }
    if (in.len < 24 || in.len % KW_BLOCK != 0) {
        return MM_ERR_VERIFY;
    }
    size_t n = in.len - KW_BLOCK;
    uint8_t iv[KW_BLOCK];
    uint8_t expected[KW_BLOCK];
    memcpy(iv, in.ptr, KW_BLOCK);
    memmove(out, in.ptr + KW_BLOCK, n);
    kw_stream(s, iv, out, n);
    kw_integrity(s, out, n, expected);
    if ((t->flags & MM_CRYPTO_TEST_ACCEPT_ANY_TAG) == 0 && !mm_ct_equal(iv, expected, KW_BLOCK)) {
        mm_wipe(out, n);
        return MM_ERR_VERIFY;
    }
    return MM_OK;
}

static mm_err tc_random(void *user, uint8_t *out, size_t len)
{
    if (len > 0) {
        mm_tc_random(user, out, len);
    }
    return MM_OK;
}

static void tc_sha256_compress(void *user, uint32_t state[8], const uint8_t *blocks, size_t n_blocks)
{
    (void)user;
    mm_tc_sha256_compress(state, blocks, n_blocks);
}

static const mm_crypto_ops tc_ops = {
    .version = MM_CRYPTO_OPS_V1,
    .name = "test",
    .hash_init = tc_hash_init,
    .hash_update = tc_hash_update,
    .hash_final = tc_hash_final,
    .hash_abort = tc_ctx_abort,
    .hmac_init = tc_hmac_init,
    .hmac_update = tc_hmac_update,
    .hmac_final = tc_hmac_final,
    .hmac_abort = tc_ctx_abort,
    .hkdf_extract = tc_hkdf_extract,
    .hkdf_expand = tc_hkdf_expand,
    .sign = tc_sign,
    .verify = tc_verify,
    .ecdh = tc_ecdh,
    .key_generate = mm_tc_key_generate,
    .key_import = mm_tc_key_import,
    .key_export = mm_tc_key_export,
    .key_free = mm_tc_key_free,
    .aead_encrypt = tc_aead_encrypt,
    .aead_decrypt = tc_aead_decrypt,
    .ctr_init = tc_ctr_init,
    .ctr_update = tc_ctr_update,
    .ctr_end = tc_ctx_abort,
    .key_wrap = tc_key_wrap,
    .key_unwrap = tc_key_unwrap,
    .random = tc_random,
    .sha256_compress = tc_sha256_compress,
};

void mm_crypto_test_init(mm_crypto_test *t, unsigned flags)
{
    memset(t, 0, sizeof *t);
    t->crypto.ops = &tc_ops;
    t->crypto.user = t;
    t->flags = flags;
}

void mm_crypto_test_seed(mm_crypto_test *t, uint64_t seed)
{
    t->rng_seed = seed;
    t->rng_counter = 0;
}

size_t mm_crypto_test_keys_in_use(const mm_crypto_test *t)
{
    size_t n = 0;
    for (size_t i = 0; i < MM_CRYPTO_TEST_KEY_SLOTS; i++) {
        if (t->slots[i].in_use != 0) {
            n++;
        }
    }
    return n;
}
