/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DHKEM (RFC 9180 section 4.1) on the backend's ECDH: key serialization,
 * DeriveKeyPair (section 7.1.3), Encap / AuthEncap and Decap / AuthDecap.
 * The curves' arithmetic stays in the backend; this file only frames it.
 */
#include "hpke_internal.h"

/* Two Diffie-Hellman results (auth modes), each at most a P-521 x. */
#define DH_MAX (2 * MM_ECDH_MAX)

mm_err mm_hpke_serialize_public_key(uint16_t kem, const mm_key *key, uint8_t out[MM_HPKE_ENC_MAX], size_t *len)
{
    const hpke_kem *k = hpke_kem_find(kem);
    if (k == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (out == NULL || len == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (!hpke_kem_fits(k, key)) {
        return MM_ERR_KEY_USAGE;
    }
    uint8_t buf[2 * MM_EC_COORD_MAX];
    mm_key_parts parts;
    mm_err e = mm_key_export(key, 0, &parts, buf, sizeof buf);
    if (e != MM_OK) {
        return e;
    }
    if (k->kty == MM_KTY_EC2) {
        /* SerializePublicKey: the uncompressed SEC 1 point. */
        if (parts.x.len != k->n_sk || parts.y.len != k->n_sk) {
            return MM_ERR_PLATFORM; /* a backend that broke the contract */
        }
        out[0] = 0x04;
        memcpy(out + 1, parts.x.ptr, k->n_sk);
        memcpy(out + 1 + k->n_sk, parts.y.ptr, k->n_sk);
    } else {
        if (parts.x.len != k->n_enc) {
            return MM_ERR_PLATFORM;
        }
        memcpy(out, parts.x.ptr, k->n_enc);
    }
    *len = k->n_enc;
    return MM_OK;
}

mm_err mm_hpke_deserialize_public_key(const mm_crypto *c, uint16_t kem, mm_bytes pk, mm_key *out)
{
    const hpke_kem *k = hpke_kem_find(kem);
    if (k == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (out == NULL || (pk.ptr == NULL && pk.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    if (pk.len != k->n_enc || pk.ptr == NULL || (k->kty == MM_KTY_EC2 && pk.ptr[0] != 0x04)) {
        return MM_ERR_BAD_KEY; /* DeserializeError: wrong size, or not an uncompressed point */
    }
    mm_key_parts parts;
    memset(&parts, 0, sizeof parts);
    parts.kty = k->kty;
    parts.crv = k->crv;
    if (k->kty == MM_KTY_EC2) {
        parts.x = mm_bytes_make(pk.ptr + 1, k->n_sk);
        parts.y = mm_bytes_make(pk.ptr + 1 + k->n_sk, k->n_sk);
    } else {
        parts.x = pk;
    }
    /* The backend validates the point (RFC 9180 7.1.4); whatever it finds
     * wrong with bytes we framed correctly is the key's fault. */
    mm_err e = mm_key_import(c, &parts, 0, out);
    return e == MM_ERR_INVALID_ARG ? MM_ERR_BAD_KEY : e;
}

static mm_err import_private(const mm_crypto *c, const hpke_kem *k, const uint8_t *sk, unsigned flags, mm_key *out)
{
    mm_key_parts parts;
    memset(&parts, 0, sizeof parts);
    parts.kty = k->kty;
    parts.crv = k->crv;
    parts.d = mm_bytes_make(sk, k->n_sk);
    return mm_key_import(c, &parts, flags, out);
}

mm_err mm_hpke_derive_key_pair(const mm_crypto *c, uint16_t kem, mm_bytes ikm, unsigned flags, mm_key *out)
{
    const hpke_kem *k = hpke_kem_find(kem);
    if (k == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (out == NULL || (ikm.ptr == NULL && ikm.len != 0) || ikm.len < k->n_sk) {
        return MM_ERR_INVALID_ARG; /* ikm must carry at least Nsk bytes of entropy */
    }
    memset(out, 0, sizeof *out);
    hpke_labeler l;
    hpke_labeler_kem(&l, c, k);
    uint8_t prk[MM_HASH_MAX];
    uint8_t sk[MM_EC_COORD_MAX];
    mm_err e = hpke_labeled_extract(&l, mm_bytes_make(NULL, 0), MM_BYTES_LIT("dkp_prk"), &ikm, 1, prk);
    mm_bytes dkp_prk = mm_bytes_make(prk, l.hash_len);
    if (e == MM_OK && k->kty == MM_KTY_OKP) {
        /* X25519, X448: any Nsk bytes are a private key (clamped on use). */
        e = hpke_labeled_expand(&l, dkp_prk, MM_BYTES_LIT("sk"), NULL, 0, sk, k->n_sk);
        if (e == MM_OK) {
            e = import_private(c, k, sk, flags, out);
        }
    } else if (e == MM_OK) {
        /* NIST curves: the first candidate in [1, n-1], counter 0..255. */
        e = MM_ERR_BAD_KEY;
        for (unsigned counter = 0; counter < 256 && e == MM_ERR_BAD_KEY; counter++) {
            uint8_t ctr = (uint8_t)counter;
            mm_bytes info = mm_bytes_make(&ctr, 1);
            mm_err x = hpke_labeled_expand(&l, dkp_prk, MM_BYTES_LIT("candidate"), &info, 1, sk, k->n_sk);
            if (x != MM_OK) {
                e = x;
                break;
            }
            sk[0] &= k->dkp_mask;
            if (mm_ec_scalar_valid(k->crv, sk, k->n_sk)) {
                e = import_private(c, k, sk, flags, out);
            }
        }
    }
    mm_wipe(prk, sizeof prk);
    mm_wipe(sk, sizeof sk);
    return e;
}

/* One DH into dh + *at (the length each curve gives is Nsk). X25519 and
 * X448 refuse an all-zero result (RFC 9180 7.1.4): a backend may not. */
static mm_err dh(const hpke_kem *k, const mm_crypto *c, const mm_key *priv, const mm_key *pub, uint8_t *out, size_t *at)
{
    uint8_t secret[MM_ECDH_MAX];
    size_t len = 0;
    mm_err e = mm_ecdh(c, priv, pub, secret, &len);
    if (e == MM_OK && len != k->n_sk) {
        e = MM_ERR_PLATFORM;
    }
    if (e == MM_OK) {
        uint8_t any = 0;
        for (size_t i = 0; i < len; i++) {
            any |= secret[i];
        }
        if (any == 0) {
            e = MM_ERR_VERIFY;
        } else {
            memcpy(out + *at, secret, len);
            *at += len;
        }
    }
    mm_wipe(secret, sizeof secret);
    return e;
}

/* ExtractAndExpand(dh, kem_context) with kem_context = enc || pkRm [|| pkSm]. */
static mm_err extract_and_expand(const hpke_kem *k, const mm_crypto *c, mm_bytes dh_bytes, mm_bytes enc, mm_bytes pk_rm,
                                 mm_bytes pk_sm, uint8_t shared[MM_HPKE_SECRET_MAX])
{
    hpke_labeler l;
    hpke_labeler_kem(&l, c, k);
    uint8_t prk[MM_HASH_MAX];
    mm_err e = hpke_labeled_extract(&l, mm_bytes_make(NULL, 0), MM_BYTES_LIT("eae_prk"), &dh_bytes, 1, prk);
    if (e == MM_OK) {
        mm_bytes context[3] = {enc, pk_rm, pk_sm};
        e = hpke_labeled_expand(&l, mm_bytes_make(prk, l.hash_len), MM_BYTES_LIT("shared_secret"), context, 3, shared,
                                k->n_secret);
    }
    mm_wipe(prk, sizeof prk);
    return e;
}

mm_err hpke_encap(const hpke_kem *k, const mm_crypto *c, const mm_key *pk_r, const mm_key *sk_s, const mm_key *eph,
                  uint8_t enc[MM_HPKE_ENC_MAX], size_t *enc_len, uint8_t shared[MM_HPKE_SECRET_MAX])
{
    if (!hpke_kem_fits(k, pk_r) || (sk_s != NULL && (!hpke_kem_fits(k, sk_s) || (sk_s->flags & MM_KEY_PRIVATE) == 0)) ||
        (eph != NULL && (!hpke_kem_fits(k, eph) || (eph->flags & MM_KEY_PRIVATE) == 0))) {
        return MM_ERR_KEY_USAGE;
    }
    mm_key fresh;
    memset(&fresh, 0, sizeof fresh);
    mm_err e = MM_OK;
    if (eph == NULL) {
        e = mm_key_generate(c, k->kty, k->crv, 0, 0, &fresh);
        eph = &fresh;
    }
    uint8_t dh_bytes[DH_MAX];
    size_t dh_len = 0;
    uint8_t pk_rm[MM_HPKE_ENC_MAX];
    uint8_t pk_sm[MM_HPKE_ENC_MAX];
    size_t pk_rm_len = 0;
    size_t pk_sm_len = 0;
    if (e == MM_OK) {
        e = dh(k, c, eph, pk_r, dh_bytes, &dh_len);
    }
    if (e == MM_OK && sk_s != NULL) {
        e = dh(k, c, sk_s, pk_r, dh_bytes, &dh_len);
    }
    if (e == MM_OK) {
        e = mm_hpke_serialize_public_key(k->id, eph, enc, enc_len);
    }
    if (e == MM_OK) {
        e = mm_hpke_serialize_public_key(k->id, pk_r, pk_rm, &pk_rm_len);
    }
    if (e == MM_OK && sk_s != NULL) {
        e = mm_hpke_serialize_public_key(k->id, sk_s, pk_sm, &pk_sm_len);
    }
    if (e == MM_OK) {
        e = extract_and_expand(k, c, mm_bytes_make(dh_bytes, dh_len), mm_bytes_make(enc, *enc_len),
                               mm_bytes_make(pk_rm, pk_rm_len), mm_bytes_make(pk_sm, pk_sm_len), shared);
    }
    mm_wipe(dh_bytes, sizeof dh_bytes);
    mm_key_free(&fresh);
    return e;
}

mm_err hpke_decap(const hpke_kem *k, const mm_crypto *c, mm_bytes enc, const mm_key *sk_r, const mm_key *pk_s,
                  uint8_t shared[MM_HPKE_SECRET_MAX])
{
    if (!hpke_kem_fits(k, sk_r) || (sk_r->flags & MM_KEY_PRIVATE) == 0 || (pk_s != NULL && !hpke_kem_fits(k, pk_s))) {
        return MM_ERR_KEY_USAGE;
    }
    mm_key pk_e;
    mm_err e = mm_hpke_deserialize_public_key(c, k->id, enc, &pk_e);
    uint8_t dh_bytes[DH_MAX];
    size_t dh_len = 0;
    uint8_t pk_rm[MM_HPKE_ENC_MAX];
    uint8_t pk_sm[MM_HPKE_ENC_MAX];
    size_t pk_rm_len = 0;
    size_t pk_sm_len = 0;
    if (e == MM_OK) {
        e = dh(k, c, sk_r, &pk_e, dh_bytes, &dh_len);
    }
    if (e == MM_OK && pk_s != NULL) {
        e = dh(k, c, sk_r, pk_s, dh_bytes, &dh_len);
    }
    if (e == MM_OK) {
        e = mm_hpke_serialize_public_key(k->id, sk_r, pk_rm, &pk_rm_len);
    }
    if (e == MM_OK && pk_s != NULL) {
        e = mm_hpke_serialize_public_key(k->id, pk_s, pk_sm, &pk_sm_len);
    }
    if (e == MM_OK) {
        e = extract_and_expand(k, c, mm_bytes_make(dh_bytes, dh_len), enc, mm_bytes_make(pk_rm, pk_rm_len),
                               mm_bytes_make(pk_sm, pk_sm_len), shared);
    }
    mm_wipe(dh_bytes, sizeof dh_bytes);
    mm_key_free(&pk_e);
    return e;
}
