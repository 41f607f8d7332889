/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The content key distribution methods of RFC 9053: AES key wrap (section
 * 6.2) and ECDH, ephemeral-static or static-static, used directly with HKDF
 * (6.3) or to derive a key-wrap key (6.4). The COSE_KDF_Context (5.2) is
 * written in one place for all of them.
 */
#include "recipient.h"

size_t cose_sym_key_len(int32_t alg)
{
    switch (alg) {
    case MM_ALG_A128GCM:
    case MM_ALG_A128KW:
    case MM_ALG_A128CTR:
        return 16;
    case MM_ALG_A192GCM:
    case MM_ALG_A192KW:
    case MM_ALG_A192CTR:
        return 24;
    case MM_ALG_A256GCM:
    case MM_ALG_A256KW:
    case MM_ALG_A256CTR:
    case MM_ALG_CHACHA20_POLY1305:
        return 32;
    default:
        return 0;
    }
}

/* Imports raw bytes as a transient symmetric key for alg. */
static mm_err sym_key(const mm_crypto *c, int32_t alg, const uint8_t *k, size_t len, mm_key *out)
{
    mm_key_parts p;
    memset(&p, 0, sizeof p);
    p.kty = MM_KTY_SYMMETRIC;
    p.alg = alg;
    p.k = mm_bytes_make(k, len);
    return mm_key_import(c, &p, 0, out);
}

mm_err cose_rcpt_kw_decrypt(const mm_cose_rcpt_ctx *ctx, uint8_t *cek)
{
    if (ctx->hdr->protected_bytes.len != 0) {
        return MM_ERR_CBOR_TYPE; /* AES-KW: the protected bucket MUST be empty */
    }
    if (ctx->ciphertext.len != ctx->cek_len + 8) {
        return MM_ERR_VERIFY; /* cannot be the wrap of a key of this size */
    }
    return mm_key_unwrap(ctx->crypto, ctx->key, ctx->ciphertext, cek);
}

mm_err cose_rcpt_kw_encrypt(const mm_cose_rcpt_ctx *ctx, uint8_t *cek, mm_bytes protected_bytes, uint8_t *out,
                            size_t cap, size_t *len)
{
    if (protected_bytes.len != 0) {
        return MM_ERR_INVALID_ARG; /* AES-KW: the protected bucket MUST be empty */
    }
    if ((ctx->hdr->present & MM_HDRBIT_STATIC_KEY_ID) != 0) {
        return MM_ERR_INVALID_ARG; /* a sender key id means ECDH-SS */
    }
    if (cap < ctx->cek_len + 8) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    *len = ctx->cek_len + 8;
    return mm_key_wrap(ctx->crypto, ctx->key, mm_bytes_make(cek, ctx->cek_len), out);
}

/* What an ECDH algorithm number means. */
typedef struct ecdh_alg {
    int32_t alg;
    bool static_static;
    int32_t hash;
    int32_t kw; /* key-wrap algorithm, or 0 for direct */
} ecdh_alg;

static const ecdh_alg ecdh_algs[] = {
    {MM_ALG_ECDH_ES_HKDF256, false, MM_ALG_SHA256, 0},
    {MM_ALG_ECDH_ES_HKDF512, false, MM_ALG_SHA512, 0},
    {MM_ALG_ECDH_SS_HKDF256, true, MM_ALG_SHA256, 0},
    {MM_ALG_ECDH_SS_HKDF512, true, MM_ALG_SHA512, 0},
    {MM_ALG_ECDH_ES_A128KW, false, MM_ALG_SHA256, MM_ALG_A128KW},
    {MM_ALG_ECDH_ES_A192KW, false, MM_ALG_SHA256, MM_ALG_A192KW},
    {MM_ALG_ECDH_ES_A256KW, false, MM_ALG_SHA256, MM_ALG_A256KW},
    {MM_ALG_ECDH_SS_A128KW, true, MM_ALG_SHA256, MM_ALG_A128KW},
    {MM_ALG_ECDH_SS_A192KW, true, MM_ALG_SHA256, MM_ALG_A192KW},
    {MM_ALG_ECDH_SS_A256KW, true, MM_ALG_SHA256, MM_ALG_A256KW},
};

static const ecdh_alg *find_ecdh(int32_t alg)
{
    for (size_t i = 0; i < sizeof ecdh_algs / sizeof ecdh_algs[0]; i++) {
        if (ecdh_algs[i].alg == alg) {
            return &ecdh_algs[i];
        }
    }
    return NULL;
}

/* The context's party information and salt, from headers (decrypt) or from
 * the caller's parameters (encrypt); values other than salt stay encoded. */
typedef struct kdf_inputs {
    mm_bytes party[6]; /* encoded, or empty for nil */
    mm_bytes salt;     /* bstr content, or empty */
} kdf_inputs;

static const int64_t party_labels[6] = {MM_HDR_PARTY_U_ID, MM_HDR_PARTY_U_NONCE, MM_HDR_PARTY_U_OTHER,
                                        MM_HDR_PARTY_V_ID, MM_HDR_PARTY_V_NONCE, MM_HDR_PARTY_V_OTHER};

static mm_err inputs_from_params(const mm_cose_rcpt_ctx *ctx, kdf_inputs *in)
{
    memset(in, 0, sizeof *in);
    for (size_t i = 0; i < ctx->n_params; i++) {
        const mm_cose_param *p = &ctx->params[i];
        for (size_t k = 0; k < 6; k++) {
            if (p->label == party_labels[k]) {
                in->party[k] = p->value;
            }
        }
        if (p->label == MM_HDR_SALT) {
            mm_cbor_dec d;
            mm_err e = mm_cbor_dec_init(&d, p->value, 0);
            if (e == MM_OK) {
                e = mm_cbor_get_bstr(&d, &in->salt);
            }
            if (e == MM_OK) {
                e = mm_cbor_dec_finish(&d);
            }
            if (e != MM_OK) {
                return MM_ERR_INVALID_ARG;
            }
        }
    }
    return MM_OK;
}

/* Writes COSE_KDF_Context [AlgorithmID, PartyUInfo, PartyVInfo,
 * SuppPubInfo [keyDataLength, protected]] into buf. */
static mm_err kdf_context(int32_t alg_id, size_t key_bits, mm_bytes protected_bytes, const kdf_inputs *in, uint8_t *buf,
                          size_t cap, size_t *len)
{
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, cap);
    mm_cbor_put_array(&enc, 4);
    mm_cbor_put_int(&enc, alg_id);
    for (size_t party = 0; party < 2; party++) {
        mm_cbor_put_array(&enc, 3);
        for (size_t k = 0; k < 3; k++) {
            mm_bytes v = in->party[party * 3 + k];
            if (v.len != 0) {
                mm_cbor_put_raw(&enc, v);
            } else {
                mm_cbor_put_null(&enc);
            }
        }
    }
    mm_cbor_put_array(&enc, 2);
    mm_cbor_put_uint(&enc, key_bits);
    mm_cbor_put_bstr(&enc, protected_bytes);
    mm_err e = mm_cbor_enc_finish(&enc, len);
    return e == MM_ERR_BUFFER_TOO_SMALL ? MM_ERR_TOO_LARGE : e;
}

/* secret -> HKDF(salt, secret, context) of out_len bytes. */
static mm_err derive(const mm_cose_rcpt_ctx *ctx, const ecdh_alg *a, const uint8_t *secret, size_t secret_len,
                     mm_bytes protected_bytes, const kdf_inputs *in, uint8_t *out, size_t out_len)
{
    /* The context holds small values and the recipient's protected bucket. */
    uint8_t info[512];
    size_t info_len;
    int32_t alg_id = a->kw != 0 ? a->kw : ctx->content_alg;
    mm_err e = kdf_context(alg_id, out_len * 8, protected_bytes, in, info, sizeof info, &info_len);
    if (e == MM_OK) {
        e = mm_hkdf(ctx->crypto, a->hash, in->salt, mm_bytes_make(secret, secret_len), mm_bytes_make(info, info_len),
                    out, out_len);
    }
    return e;
}

/* The key ECDH is computed with and what the result protects: the CEK
 * itself (direct) or a key-wrap key. */
static mm_err agree_and_derive(const mm_cose_rcpt_ctx *ctx, const ecdh_alg *a, const mm_key *priv, const mm_key *pub,
                               mm_bytes protected_bytes, const kdf_inputs *in, uint8_t *key_out, size_t key_len)
{
    uint8_t secret[MM_ECDH_MAX];
    size_t secret_len = 0;
    mm_err e = mm_ecdh(ctx->crypto, priv, pub, secret, &secret_len);
    if (e == MM_OK) {
        e = derive(ctx, a, secret, secret_len, protected_bytes, in, key_out, key_len);
    }
    mm_wipe(secret, sizeof secret);
    return e;
}

mm_err cose_rcpt_ecdh_decrypt(const mm_cose_rcpt_ctx *ctx, uint8_t *cek)
{
    const ecdh_alg *a = find_ecdh((int32_t)ctx->hdr->alg);
    if (a == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    const mm_cose_headers *h = ctx->hdr;
    /* The sender's public key: ephemeral (ES), or static, carried or named. */
    mm_key sender;
    memset(&sender, 0, sizeof sender);
    const mm_key *peer = &sender;
    mm_err e;
    mm_bytes carried = a->static_static ? h->static_key : h->ephemeral_key;
    if (carried.len != 0) {
        e = mm_cose_key_import(ctx->crypto, carried, 0, &sender, NULL);
        if (e != MM_OK) {
            return e;
        }
    } else if (a->static_static && (h->present & MM_HDRBIT_STATIC_KEY_ID) != 0 && ctx->sender_key != NULL) {
        peer = ctx->sender_key;
    } else {
        return MM_ERR_MISSING_FIELD;
    }
    if (peer->kty != ctx->key->kty || peer->crv != ctx->key->crv || (peer->flags & MM_KEY_PRIVATE) != 0) {
        mm_key_free(&sender);
        return MM_ERR_BAD_KEY; /* a key on another curve, or a private key where a public one belongs */
    }
    kdf_inputs in;
    memset(&in, 0, sizeof in);
    for (size_t k = 0; k < 6; k++) {
        in.party[k] = h->party[k];
    }
    in.salt = h->salt;
    if (a->kw == 0) {
        e = agree_and_derive(ctx, a, ctx->key, peer, h->protected_bytes, &in, cek, ctx->cek_len);
    } else {
        uint8_t kek_bytes[32];
        size_t kek_len = cose_sym_key_len(a->kw);
        e = agree_and_derive(ctx, a, ctx->key, peer, h->protected_bytes, &in, kek_bytes, kek_len);
        mm_key kek;
        memset(&kek, 0, sizeof kek);
        if (e == MM_OK) {
            e = sym_key(ctx->crypto, a->kw, kek_bytes, kek_len, &kek);
        }
        mm_wipe(kek_bytes, sizeof kek_bytes);
        if (e == MM_OK) {
            e = ctx->ciphertext.len == ctx->cek_len + 8 ? mm_key_unwrap(ctx->crypto, &kek, ctx->ciphertext, cek)
                                                        : MM_ERR_VERIFY;
        }
        mm_key_free(&kek);
    }
    mm_key_free(&sender);
    return e;
}

/* Writes a key's public parts as a COSE_Key value under label. */
static mm_err put_public_key(mm_cbor_enc *enc, int64_t label, const mm_key *key)
{
    uint8_t parts_buf[2 * MM_EC_COORD_MAX + 16];
    mm_key_parts parts;
    mm_err e = mm_key_export(key, 0, &parts, parts_buf, sizeof parts_buf);
    if (e != MM_OK) {
        return e;
    }
    parts.alg = 0;
    uint8_t cose_key[2 * MM_EC_COORD_MAX + 32];
    mm_buf out = mm_buf_make(cose_key, sizeof cose_key);
    if ((e = mm_cose_key_encode(&parts, mm_bytes_make(NULL, 0), 0, &out)) != MM_OK) {
        return e;
    }
    mm_cbor_put_int(enc, label);
    return mm_cbor_put_raw(enc, mm_bytes_make(cose_key, out.len));
}

mm_err cose_rcpt_ecdh_encrypt(const mm_cose_rcpt_ctx *ctx, uint8_t *cek, mm_bytes protected_bytes, uint8_t *out,
                              size_t cap, size_t *len)
{
    const ecdh_alg *a = NULL;
    for (size_t i = 0; i < sizeof ecdh_algs / sizeof ecdh_algs[0] && a == NULL; i++) {
        a = ecdh_algs[i].alg == ctx->hdr->alg ? &ecdh_algs[i] : NULL;
    }
    if (a == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    kdf_inputs in;
    mm_err e = inputs_from_params(ctx, &in);
    if (e != MM_OK) {
        return e;
    }
    /* SS may name the static key by kid (the caller's sender_kid, or its own
     * parameter) instead of carrying it; ES has no static key to name. */
    bool named = (ctx->hdr->present & MM_HDRBIT_STATIC_KEY_ID) != 0;
    for (size_t i = 0; i < ctx->n_params; i++) {
        named = named || ctx->params[i].label == MM_HDR_STATIC_KEY_ID;
    }
    if (named && !a->static_static) {
        return MM_ERR_INVALID_ARG;
    }
    /* The sender's private key: the caller's (SS, or a fixed ephemeral key),
     * else a fresh ephemeral key on the recipient's curve. */
    mm_key eph;
    memset(&eph, 0, sizeof eph);
    const mm_key *priv = ctx->sender_key;
    if (priv == NULL) {
        if (a->static_static) {
            return MM_ERR_INVALID_ARG; /* static-static needs the sender's key */
        }
        e = mm_key_generate(ctx->crypto, ctx->key->kty, ctx->key->crv, 0, 0, &eph);
        if (e != MM_OK) {
            return e;
        }
        priv = &eph;
    }
    if (priv->kty != ctx->key->kty || priv->crv != ctx->key->crv) {
        mm_key_free(&eph);
        return MM_ERR_KEY_USAGE;
    }
    /* ES carries the ephemeral public key; SS carries the static key unless
     * it is named by kid. */
    if (!named) {
        e = put_public_key(ctx->unprotected, a->static_static ? MM_HDR_STATIC_KEY : MM_HDR_EPHEMERAL_KEY, priv);
    }
    *len = 0;
    if (e == MM_OK && a->kw == 0) {
        e = agree_and_derive(ctx, a, priv, ctx->key, protected_bytes, &in, cek, ctx->cek_len);
    } else if (e == MM_OK) {
        uint8_t kek_bytes[32];
        size_t kek_len = cose_sym_key_len(a->kw);
        mm_key kek;
        memset(&kek, 0, sizeof kek);
        e = agree_and_derive(ctx, a, priv, ctx->key, protected_bytes, &in, kek_bytes, kek_len);
        if (e == MM_OK) {
            e = sym_key(ctx->crypto, a->kw, kek_bytes, kek_len, &kek);
        }
        mm_wipe(kek_bytes, sizeof kek_bytes);
        if (e == MM_OK && cap < ctx->cek_len + 8) {
            e = MM_ERR_BUFFER_TOO_SMALL;
        }
        if (e == MM_OK) {
            e = mm_key_wrap(ctx->crypto, &kek, mm_bytes_make(cek, ctx->cek_len), out);
            *len = ctx->cek_len + 8;
        }
        mm_key_free(&kek);
    }
    mm_key_free(&eph);
    return e;
}
