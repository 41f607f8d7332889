/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signatures with COSE's signature algorithms: ECDSA (ES256/384/512 and the
 * fully specified ESP256/384/512, raw r || s), EdDSA (pure Ed25519 and
 * Ed448) and RSASSA-PSS (PS256/384/512 with RFC 8230's parameters: MGF1
 * with the signature's hash, salt as long as the hash).
 */
#include <openssl/rsa.h>

#include "internal.h"

typedef enum sig_kind { SIG_ECDSA, SIG_EDDSA, SIG_PSS } sig_kind;

typedef struct sig_alg {
    int32_t alg;
    sig_kind kind;
    int32_t hash; /* 0 for EdDSA, which hashes internally */
    int32_t crv;  /* the curve the alg needs, 0 if any of its kind */
} sig_alg;

static const sig_alg sig_algs[] = {
    {MM_ALG_ES256, SIG_ECDSA, MM_ALG_SHA256, MM_CRV_P256},
    {MM_ALG_ESP256, SIG_ECDSA, MM_ALG_SHA256, MM_CRV_P256},
    {MM_ALG_ES384, SIG_ECDSA, MM_ALG_SHA384, MM_CRV_P384},
    {MM_ALG_ESP384, SIG_ECDSA, MM_ALG_SHA384, MM_CRV_P384},
    {MM_ALG_ES512, SIG_ECDSA, MM_ALG_SHA512, MM_CRV_P521},
    {MM_ALG_ESP512, SIG_ECDSA, MM_ALG_SHA512, MM_CRV_P521},
    {MM_ALG_EDDSA, SIG_EDDSA, 0, 0},
    {MM_ALG_ED25519, SIG_EDDSA, 0, MM_CRV_ED25519},
    {MM_ALG_PS256, SIG_PSS, MM_ALG_SHA256, 0},
    {MM_ALG_PS384, SIG_PSS, MM_ALG_SHA384, 0},
    {MM_ALG_PS512, SIG_PSS, MM_ALG_SHA512, 0},
};

/* Room for a DER ECDSA-Sig-Value on P-521 (at most 139 bytes). */
#define DER_SIG_MAX 160

static const sig_alg *find(int32_t alg)
{
    for (size_t i = 0; i < sizeof sig_algs / sizeof sig_algs[0]; i++) {
        if (sig_algs[i].alg == alg) {
            return &sig_algs[i];
        }
    }
    return NULL;
}

/* The key's EVP_PKEY if it is this backend's and of the kind a needs
 * (mo_key_err() says why not). */
static EVP_PKEY *key_for(const mm_key *key, const sig_alg *a)
{
    EVP_PKEY *pkey = mo_pkey(key);
    if (pkey == NULL || (a->crv != 0 && key->crv != a->crv)) {
        return NULL;
    }
    switch (a->kind) {
    case SIG_ECDSA:
        return key->kty == MM_KTY_EC2 ? pkey : NULL;
    case SIG_EDDSA:
        return key->kty == MM_KTY_OKP && (key->crv == MM_CRV_ED25519 || key->crv == MM_CRV_ED448) ? pkey : NULL;
    case SIG_PSS:
        return key->kty == MM_KTY_RSA ? pkey : NULL;
    }
    return NULL;
}

/* The signature's size in COSE's form, 0 if unknown. */
static size_t sig_size(const mm_key *key, EVP_PKEY *pkey, const sig_alg *a)
{
    if (a->kind == SIG_PSS) {
        int n = EVP_PKEY_get_size(pkey);
        return n > 0 ? (size_t)n : 0;
    }
    if (a->kind == SIG_EDDSA) {
        return key->crv == MM_CRV_ED25519 ? 64 : 114;
    }
    const mo_curve *c = mo_curve_find(MM_KTY_EC2, key->crv);
    return c != NULL ? 2 * c->size : 0;
}

static mm_err check_flags(const sig_alg *a, mm_bytes data, unsigned flags)
{
    if ((flags & ~MM_SIG_PREHASHED) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    if ((flags & MM_SIG_PREHASHED) != 0) {
        if (a->kind == SIG_EDDSA) {
            return MM_ERR_UNSUPPORTED; /* pure EdDSA signs the message itself */
        }
        if (data.len != mm_hash_len(a->hash)) {
            return MM_ERR_INVALID_ARG;
        }
    }
    return MM_OK;
}

/* RFC 8230 2: MGF1 with the signature's hash, salt of the hash's length. */
static int pss_setup(EVP_PKEY_CTX *pctx, const EVP_MD *md)
{
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1;
}

/* A context for a prehashed RSA-PSS signature or verification (op: 's' or
 * 'v'), which needs the hash for its padding. ECDSA takes its contexts from
 * the key's pool (mo_pool_take), with no hash named: naming it would only
 * make OpenSSL check the digest's length, which check_flags() has done. */
static EVP_PKEY_CTX *prehashed_ctx(EVP_PKEY *pkey, const sig_alg *a, char op)
{
    const EVP_MD *md = mo_md(a->hash);
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    int ok = pctx != NULL && (op == 's' ? EVP_PKEY_sign_init(pctx) : EVP_PKEY_verify_init(pctx)) == 1 &&
             (a->kind != SIG_PSS || (EVP_PKEY_CTX_set_signature_md(pctx, md) == 1 && pss_setup(pctx, md)));
    if (!ok) {
        EVP_PKEY_CTX_free(pctx);
        return NULL;
    }
    return pctx;
}

/* A context for a message signature or verification (op: 's' or 'v'). The
 * digest is the one fetched once (mo_md_fetched()), not named: a name costs
 * a fetch by name on every call. EdDSA takes none. */
static EVP_MD_CTX *message_ctx(EVP_PKEY *pkey, const sig_alg *a, char op)
{
    const EVP_MD *md = a->hash != 0 ? mo_md_fetched(a->hash) : NULL;
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int ok = mctx != NULL && (a->hash == 0 || md != NULL) &&
             (op == 's' ? EVP_DigestSignInit(mctx, &pctx, md, NULL, pkey)
                        : EVP_DigestVerifyInit(mctx, &pctx, md, NULL, pkey)) == 1 &&
             (a->kind != SIG_PSS || pss_setup(pctx, mo_md(a->hash)));
    if (!ok) {
        EVP_MD_CTX_free(mctx);
        return NULL;
    }
    return mctx;
}

/* ECDSA over a message is ECDSA over its digest: the digest taken with the
 * fetched implementation, then a prepared key context from the key's pool
 * (ctx_pool.c), costs two microseconds less per P-256 operation than
 * EVP_DigestSignInit / EVP_DigestVerifyInit, which set up a digest context
 * and a signature context around the same two steps on every call. *data
 * becomes the digest (in buf). */
static bool ecdsa_digest(const sig_alg *a, mm_bytes *data, unsigned *flags, uint8_t buf[EVP_MAX_MD_SIZE])
{
    if (a->kind != SIG_ECDSA || (*flags & MM_SIG_PREHASHED) != 0) {
        return true;
    }
    const EVP_MD *md = mo_md_fetched(a->hash);
    unsigned int n = 0;
    if (md == NULL || EVP_Digest(mo_ptr(*data), data->len, buf, &n, md, NULL) != 1) {
        return false;
    }
    *data = mm_bytes_make(buf, n);
    *flags |= MM_SIG_PREHASHED;
    return true;
}

/* Signs in OpenSSL's form (DER for ECDSA) into out; *len: its room, then
 * the length written. */
static mm_err sign_native(EVP_PKEY *pkey, const sig_alg *a, mm_bytes data, unsigned flags, uint8_t *out, size_t *len)
{
    int ok = 0;
    uint8_t digest[EVP_MAX_MD_SIZE];
    if (!ecdsa_digest(a, &data, &flags, digest)) {
        return MM_ERR_PLATFORM;
    }
    if (a->kind == SIG_ECDSA) { /* the digest, by now */
        EVP_PKEY_CTX *pctx = mo_pool_take(pkey, 's');
        ok = pctx != NULL && EVP_PKEY_sign(pctx, out, len, data.ptr, data.len) == 1;
        mo_pool_give(pkey, 's', pctx, ok);
    } else if ((flags & MM_SIG_PREHASHED) != 0) {
        EVP_PKEY_CTX *pctx = prehashed_ctx(pkey, a, 's');
        ok = pctx != NULL && EVP_PKEY_sign(pctx, out, len, data.ptr, data.len) == 1;
        EVP_PKEY_CTX_free(pctx);
    } else {
        EVP_MD_CTX *mctx = message_ctx(pkey, a, 's');
        ok = mctx != NULL && EVP_DigestSign(mctx, out, len, mo_ptr(data), data.len) == 1;
        EVP_MD_CTX_free(mctx);
    }
    return ok ? MM_OK : MM_ERR_PLATFORM;
}

/* Verifies a signature in OpenSSL's form. Any refusal by the verifier is
 * MM_ERR_VERIFY (fail closed: OpenSSL reports some malformed signatures as
 * errors rather than as mismatches). */
static mm_err verify_native(EVP_PKEY *pkey, const sig_alg *a, mm_bytes data, unsigned flags, const uint8_t *sig,
                            size_t sig_len)
{
    int r = 0;
    uint8_t digest[EVP_MAX_MD_SIZE];
    if (!ecdsa_digest(a, &data, &flags, digest)) {
        return MM_ERR_PLATFORM;
    }
    if (a->kind == SIG_ECDSA) { /* the digest, by now */
        EVP_PKEY_CTX *pctx = mo_pool_take(pkey, 'v');
        if (pctx == NULL) {
            return MM_ERR_PLATFORM;
        }
        r = EVP_PKEY_verify(pctx, sig, sig_len, data.ptr, data.len);
        mo_pool_give(pkey, 'v', pctx, r == 1);
    } else if ((flags & MM_SIG_PREHASHED) != 0) {
        EVP_PKEY_CTX *pctx = prehashed_ctx(pkey, a, 'v');
        if (pctx == NULL) {
            return MM_ERR_PLATFORM;
        }
        r = EVP_PKEY_verify(pctx, sig, sig_len, data.ptr, data.len);
        EVP_PKEY_CTX_free(pctx);
    } else {
        EVP_MD_CTX *mctx = message_ctx(pkey, a, 'v');
        if (mctx == NULL) {
            return MM_ERR_PLATFORM;
        }
        r = EVP_DigestVerify(mctx, sig, sig_len, mo_ptr(data), data.len);
        EVP_MD_CTX_free(mctx);
    }
    return r == 1 ? MM_OK : MM_ERR_VERIFY;
}

/* What signing (op 's') and verifying (op 'v') check first: the algorithm
 * known, the flags fitting it, a key of its kind (a private one to sign).
 * *need is the signature's size in COSE's form. */
static mm_err prepare(const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, char op, const sig_alg **a,
                      EVP_PKEY **pkey, size_t *need)
{
    *a = find(alg);
    if (*a == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    mm_err e = check_flags(*a, data, flags);
    if (e != MM_OK) {
        return e;
    }
    *pkey = key_for(key, *a);
    if (*pkey == NULL) {
        return mo_key_err(key);
    }
    if (op == 's' && (key->flags & MM_KEY_PRIVATE) == 0) {
        return MM_ERR_KEY_USAGE;
    }
    *need = sig_size(key, *pkey, *a);
    return *need != 0 ? MM_OK : MM_ERR_PLATFORM;
}

mm_err mo_sign(const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, uint8_t *sig, size_t cap, size_t *len)
{
    const sig_alg *a = NULL;
    EVP_PKEY *pkey = NULL;
    size_t need = 0;
    mm_err e = prepare(key, alg, data, flags, 's', &a, &pkey, &need);
    if (e != MM_OK) {
        return e;
    }
    if (cap < need) {
        *len = need;
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    if (a->kind != SIG_ECDSA) {
        size_t n = need;
        e = sign_native(pkey, a, data, flags, sig, &n);
        if (e == MM_OK && n != need) {
            e = MM_ERR_PLATFORM;
        }
    } else {
        uint8_t der[DER_SIG_MAX];
        size_t n = sizeof der;
        e = sign_native(pkey, a, data, flags, der, &n);
        if (e == MM_OK) {
            e = mo_ecdsa_der_to_raw(der, n, need / 2, sig);
        }
    }
    if (e != MM_OK) {
        mm_wipe(sig, need);
        return e;
    }
    *len = need;
    return MM_OK;
}

mm_err mo_verify(const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, mm_bytes sig)
{
    const sig_alg *a = NULL;
    EVP_PKEY *pkey = NULL;
    size_t need = 0;
    mm_err e = prepare(key, alg, data, flags, 'v', &a, &pkey, &need);
    if (e != MM_OK) {
        return e;
    }
    if (sig.len != need) {
        return MM_ERR_VERIFY; /* COSE signatures have one size per key */
    }
    if (a->kind != SIG_ECDSA) {
        return verify_native(pkey, a, data, flags, sig.ptr, sig.len);
    }
    uint8_t der[DER_SIG_MAX];
    size_t der_len = 0;
    e = mo_ecdsa_raw_to_der(sig.ptr, need / 2, der, sizeof der, &der_len);
    if (e == MM_OK) {
        e = verify_native(pkey, a, data, flags, der, der_len);
    }
    return e;
}
