/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key handles: what an mm_key of this backend holds (an EVP_PKEY, or a copy
 * of a symmetric secret on OpenSSL's secure heap), how one is made from an
 * OpenSSL key after checking it, generation, and release.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "internal.h"

EVP_PKEY *mo_pkey(const mm_key *key)
{
    return mo_owns(key) && key->kty != MM_KTY_SYMMETRIC ? (EVP_PKEY *)key->handle : NULL;
}

const mo_symkey *mo_sym(const mm_key *key)
{
    return mo_owns(key) && key->kty == MM_KTY_SYMMETRIC ? (const mo_symkey *)key->handle : NULL;
}

mm_err mo_key_err(const mm_key *key) { return mo_owns(key) ? MM_ERR_KEY_USAGE : MM_ERR_INVALID_ARG; }

/* Runs OpenSSL's own checks: the public key is valid (an EC point on the
 * curve, an RSA modulus and exponent SP 800-56B accepts), and a private key
 * matches its public part. RSA private keys skip the pairwise test, whose
 * primality checks cost more than a sign. EC keys take the quick public
 * check: every EC2 curve mamori accepts has cofactor 1, so a point on the
 * curve other than infinity already has the group's order, and the full
 * check's extra scalar multiplication would cost as much as an ECDH. */
static mm_err check_pkey(EVP_PKEY *pkey, int32_t kty, bool private_key)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (c == NULL) {
        return MM_ERR_PLATFORM;
    }
    bool ok = (kty == MM_KTY_EC2 ? EVP_PKEY_public_check_quick(c) : EVP_PKEY_public_check(c)) == 1;
    if (ok && private_key && kty != MM_KTY_RSA) {
        ok = EVP_PKEY_private_check(c) == 1 && EVP_PKEY_pairwise_check(c) == 1;
    }
    EVP_PKEY_CTX_free(c);
    return ok ? MM_OK : MM_ERR_BAD_KEY;
}

/* Fills kty, crv and bits from pkey. */
static mm_err describe(const EVP_PKEY *pkey, mm_key *out)
{
    if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA) {
        int bits = EVP_PKEY_get_bits(pkey);
        if (bits < MO_RSA_MIN_BITS || bits > MO_RSA_MAX_BITS) {
            return MM_ERR_UNSUPPORTED;
        }
        out->kty = MM_KTY_RSA;
        out->bits = (uint32_t)bits;
        return MM_OK;
    }
    const mo_curve *curve = mo_curve_of(pkey);
    if (curve == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    out->kty = curve->kty;
    out->crv = curve->crv;
    return MM_OK;
}

/* Sets alg after checking, with the one rule every layer applies, that the
 * key may be used with it; out is complete but for alg. */
static mm_err restrict_to(mm_key *out, int32_t alg)
{
    if (alg != 0 && !mm_key_allows(out, alg, false)) {
        return MM_ERR_KEY_USAGE;
    }
    out->alg = alg;
    return MM_OK;
}

/* Wraps pkey; checks it unless OpenSSL has just generated it (its own
 * key generation is trusted, and the pairwise check on a fresh P-256 key
 * costs more than the generation). */
static mm_err wrap_pkey(EVP_PKEY *pkey, int32_t alg, unsigned flags, bool generated, mm_key *out)
{
    memset(out, 0, sizeof *out);
    mm_err e = describe(pkey, out);
    if (e == MM_OK && !generated) {
        e = check_pkey(pkey, out->kty, (flags & MM_KEY_PRIVATE) != 0);
    }
    if (e == MM_OK) {
        out->crypto = mo_self();
        out->handle = pkey;
        out->flags = flags & (MM_KEY_PRIVATE | MM_KEY_EXTRACTABLE);
        e = restrict_to(out, alg);
    }
    if (e == MM_OK) {
        mo_pool_attach(pkey);
    }
    if (e != MM_OK) {
        EVP_PKEY_free(pkey);
        memset(out, 0, sizeof *out);
    }
    return e;
}

mm_err mo_key_from_pkey(EVP_PKEY *pkey, int32_t alg, unsigned flags, mm_key *out)
{
    return wrap_pkey(pkey, alg, flags, false, out);
}

mm_err mo_key_from_bytes(const uint8_t *k, size_t len, int32_t alg, unsigned flags, mm_key *out)
{
    memset(out, 0, sizeof *out);
    if (len == 0) {
        return MM_ERR_BAD_KEY;
    }
    if (len > MM_SYMKEY_MAX) {
        return MM_ERR_TOO_LARGE;
    }
    mo_symkey *s = OPENSSL_secure_zalloc(sizeof *s);
    if (s == NULL) {
        return MM_ERR_PLATFORM;
    }
    memcpy(s->k, k, len);
    s->len = len;
    out->crypto = mo_self();
    out->handle = s;
    out->kty = MM_KTY_SYMMETRIC;
    out->bits = (uint32_t)(len * 8);
    out->flags = MM_KEY_PRIVATE | (flags & MM_KEY_EXTRACTABLE);
    mm_err e = restrict_to(out, alg);
    if (e != MM_OK) {
        OPENSSL_secure_clear_free(s, sizeof *s);
        memset(out, 0, sizeof *out);
    }
    return e;
}

static mm_err generate_symmetric(int32_t bits, int32_t alg, unsigned flags, mm_key *out)
{
    if (bits != 128 && bits != 192 && bits != 256 && bits != 384 && bits != 512) {
        return MM_ERR_INVALID_ARG;
    }
    uint8_t k[MM_SYMKEY_MAX];
    size_t len = (size_t)bits / 8;
    mm_err e = RAND_priv_bytes(k, (int)len) == 1 ? MM_OK : MM_ERR_PLATFORM;
    if (e == MM_OK) {
        e = mo_key_from_bytes(k, len, alg, flags, out);
    }
    mm_wipe(k, sizeof k);
    return e;
}

/* OpenSSL's EVP_PKEY_Q_keygen() takes the size as a variadic size_t for
 * RSA and a group name for EC, and nothing for the OKP types. */
static EVP_PKEY *generate_pkey(int32_t kty, int32_t crv_or_bits, mm_err *e)
{
    *e = MM_ERR_PLATFORM;
    if (kty == MM_KTY_RSA) {
        if (crv_or_bits < MO_RSA_MIN_BITS) {
            *e = MM_ERR_INVALID_ARG;
            return NULL;
        }
        if (crv_or_bits > MO_RSA_MAX_BITS) {
            *e = MM_ERR_UNSUPPORTED;
            return NULL;
        }
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)crv_or_bits);
    }
    const mo_curve *curve = mo_curve_find(kty, crv_or_bits);
    if (curve == NULL) {
        *e = MM_ERR_UNSUPPORTED;
        return NULL;
    }
    if (kty == MM_KTY_EC2) {
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve->name);
    }
    return EVP_PKEY_Q_keygen(NULL, NULL, curve->name);
}

mm_err mo_key_generate(int32_t kty, int32_t crv_or_bits, int32_t alg, unsigned flags, mm_key *out)
{
    if ((flags & ~MM_KEY_EXTRACTABLE) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    switch (kty) {
    case MM_KTY_SYMMETRIC:
        return generate_symmetric(crv_or_bits, alg, flags, out);
    case MM_KTY_EC2:
    case MM_KTY_OKP:
    case MM_KTY_RSA:
        break;
    default:
        return MM_ERR_UNSUPPORTED;
    }
    mm_err e = MM_OK;
    EVP_PKEY *pkey = generate_pkey(kty, crv_or_bits, &e);
    if (pkey == NULL) {
        return e;
    }
    return wrap_pkey(pkey, alg, MM_KEY_PRIVATE | flags, true, out);
}

void mo_key_free(mm_key *key)
{
    if (!mo_owns(key)) {
        return;
    }
    if (key->kty == MM_KTY_SYMMETRIC) {
        OPENSSL_secure_clear_free(key->handle, sizeof(mo_symkey));
    } else {
        mo_pool_detach(key->handle);
        EVP_PKEY_free(key->handle);
    }
    key->handle = NULL;
}
