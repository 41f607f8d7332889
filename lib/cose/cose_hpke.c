/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE-HPKE (draft-ietf-cose-hpke) as registry entries: Integrated
 * Encryption as COSE_Encrypt0 algorithms, Key Encryption as recipient
 * algorithms. The COSE layer does the alg, crit and key checks and builds
 * the Enc_structure; this file maps the "ek" and "psk_id" parameters and
 * the Recipient_structure onto HPKE's single-shot Seal and Open.
 */
#include "mamori/cose_hpke.h"

#include "cose_internal.h"

static const mm_hpke_cose_opts no_opts;

/* The suite of alg in the mode the entry serves. */
static mm_err suite_of(int32_t alg, bool key_encryption, mm_hpke_suite *out)
{
    const mm_hpke_cose_suite *s = mm_hpke_cose_suite_find(alg);
    if (s == NULL || (s->key_encryption != 0) != key_encryption) {
        return MM_ERR_UNSUPPORTED_ALG; /* an identifier of the other mode (RFC 9864: fully specified) */
    }
    *out = s->suite;
    return MM_OK;
}

/* The content of a bstr parameter's encoded value. */
static mm_err bstr_value(mm_bytes encoded, mm_bytes *content)
{
    mm_cbor_dec d;
    mm_err e = mm_cbor_dec_init(&d, encoded, 0);
    if (e == MM_OK) {
        e = mm_cbor_get_bstr(&d, content);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    return e != MM_OK ? MM_ERR_CBOR_TYPE : MM_OK;
}

/* ek and psk_id of a layer being decrypted. */
static mm_err read_params(const mm_cose_headers *h, mm_bytes *ek, mm_bytes *psk_id)
{
    mm_bytes v;
    bool prot = false;
    mm_err e = mm_cose_header_find(h, MM_HDR_HPKE_EK, &v, &prot);
    if (e == MM_OK) {
        e = bstr_value(v, ek);
    }
    if (e != MM_OK) {
        return e;
    }
    *psk_id = mm_bytes_make(NULL, 0);
    e = mm_cose_header_find(h, MM_HDR_HPKE_PSK_ID, &v, &prot);
    if (e == MM_ERR_MISSING_FIELD) {
        return MM_OK;
    }
    if (e == MM_OK && !prot) {
        return MM_ERR_CBOR_TYPE; /* psk_id MUST be protected */
    }
    if (e == MM_OK) {
        e = bstr_value(v, psk_id);
    }
    return e == MM_OK && psk_id->len == 0 ? MM_ERR_CBOR_TYPE : e;
}

/* The HPKE mode follows the message: psk_id means mode_psk. A caller with
 * a PSK refuses a base-mode message, which anyone could have made. */
static mm_err hpke_opts_for(const mm_hpke_cose_opts *o, mm_bytes psk_id, mm_bytes info, mm_hpke_opts *out)
{
    memset(out, 0, sizeof *out);
    if (psk_id.len != 0 && o->psk.len == 0) {
        return MM_ERR_INVALID_ARG;
    }
    if (psk_id.len == 0 && o->psk.len != 0) {
        return MM_ERR_VERIFY;
    }
    out->info = info;
    out->psk = o->psk;
    out->psk_id = psk_id;
    return MM_OK;
}

/* psk_id among the parameters of a layer being created (it must be
 * protected), checked against the PSK; ek is the algorithm's own. */
static mm_err psk_id_of_params(const mm_cose_param *params, size_t n, const mm_hpke_cose_opts *o, mm_bytes *psk_id)
{
    *psk_id = mm_bytes_make(NULL, 0);
    for (size_t i = 0; i < n; i++) {
        if (params[i].label == MM_HDR_HPKE_EK) {
            return MM_ERR_INVALID_ARG;
        }
        if (params[i].label == MM_HDR_HPKE_PSK_ID) {
            if ((params[i].flags & MM_COSE_PROTECTED) == 0 || bstr_value(params[i].value, psk_id) != MM_OK ||
                psk_id->len == 0) {
                return MM_ERR_INVALID_ARG;
            }
        }
    }
    return (psk_id->len != 0) == (o->psk.len != 0) ? MM_OK : MM_ERR_INVALID_ARG;
}

/* Writes ek into an open map. */
static mm_err put_ek(mm_cbor_enc *enc, const uint8_t *ek, size_t len)
{
    mm_cbor_put_int(enc, MM_HDR_HPKE_EK);
    return mm_cbor_put_bstr(enc, mm_bytes_make(ek, len));
}

/*
 * Integrated Encryption (COSE_Encrypt0).
 */

static mm_err enc0_decrypt(const mm_cose_enc0_ctx *ctx, mm_bytes ct, uint8_t *pt)
{
    const mm_hpke_cose_opts *o = ctx->alg_opts != NULL ? ctx->alg_opts : &no_opts;
    mm_hpke_suite suite;
    mm_bytes ek;
    mm_bytes psk_id;
    mm_hpke_opts ho;
    mm_err e = suite_of(ctx->alg, false, &suite);
    if (e == MM_OK) {
        e = read_params(ctx->hdr, &ek, &psk_id);
    }
    if (e == MM_OK) {
        e = hpke_opts_for(o, psk_id, o->info, &ho);
    }
    if (e != MM_OK) {
        return e;
    }
    mm_buf out = mm_buf_make(pt, ct.len - MM_HPKE_TAG_LEN);
    return mm_hpke_open(ctx->crypto, suite, ctx->key, &ho, ek, ctx->aad, ct, &out);
}

static mm_err enc0_encrypt(const mm_cose_enc0_ctx *ctx, mm_bytes pt)
{
    const mm_hpke_cose_opts *o = ctx->alg_opts != NULL ? ctx->alg_opts : &no_opts;
    mm_hpke_suite suite;
    mm_bytes psk_id;
    mm_err e = suite_of(ctx->alg, false, &suite);
    if (e == MM_OK) {
        e = psk_id_of_params(ctx->params, ctx->n_params, o, &psk_id);
    }
    if (e != MM_OK) {
        return e;
    }
    mm_hpke_opts ho;
    memset(&ho, 0, sizeof ho);
    ho.info = o->info;
    ho.psk = o->psk;
    ho.psk_id = psk_id;
    ho.ephemeral = o->ephemeral;
    mm_hpke_ctx hc;
    uint8_t ek[MM_HPKE_ENC_MAX];
    size_t ek_len = 0;
    e = mm_hpke_setup_sender(&hc, ctx->crypto, suite, ctx->key, &ho, ek, &ek_len);
    if (e != MM_OK) {
        return e;
    }
    uint8_t *space = NULL;
    e = put_ek(ctx->unprotected, ek, ek_len);
    if (e == MM_OK) {
        e = ctx->reserve(ctx, pt.len + MM_HPKE_TAG_LEN, &space);
    }
    if (e == MM_OK && space != NULL) {
        mm_buf out = mm_buf_make(space, pt.len + MM_HPKE_TAG_LEN);
        e = mm_hpke_ctx_seal(&hc, ctx->aad, pt, &out);
    }
    mm_hpke_ctx_finish(&hc);
    return e;
}

/*
 * Key Encryption (a COSE_Encrypt recipient).
 */

/* Recipient_structure = ["HPKE Recipient", next_layer_alg,
 * recipient_protected_header, recipient_extra_info], deterministic. */
static mm_err recipient_structure(int32_t next_layer_alg, mm_bytes protected_bytes, mm_bytes extra_info,
                                  uint8_t buf[MM_HPKE_MAX_INPUT], mm_bytes *out)
{
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, MM_HPKE_MAX_INPUT);
    mm_cbor_put_array(&enc, 4);
    mm_cbor_put_tstr(&enc, MM_BYTES_LIT("HPKE Recipient"));
    mm_cbor_put_int(&enc, next_layer_alg);
    mm_cbor_put_bstr(&enc, protected_bytes);
    mm_cbor_put_bstr(&enc, extra_info);
    size_t len = 0;
    mm_err e = mm_cbor_enc_finish(&enc, &len);
    if (e != MM_OK) {
        return e == MM_ERR_BUFFER_TOO_SMALL ? MM_ERR_TOO_LARGE : e;
    }
    *out = mm_bytes_make(buf, len);
    return MM_OK;
}

static mm_err ke_decrypt(const mm_cose_rcpt_ctx *ctx, uint8_t *cek)
{
    const mm_hpke_cose_opts *o = ctx->alg_opts != NULL ? ctx->alg_opts : &no_opts;
    const mm_cose_headers *h = ctx->hdr;
    mm_hpke_suite suite;
    mm_err e = suite_of((int32_t)h->alg, true, &suite);
    if (e != MM_OK) {
        return e;
    }
    if ((h->protected_bits & MM_HDRBIT_ALG) == 0 && ctx->key->alg != (int32_t)h->alg) {
        return MM_ERR_ALG_UNPROTECTED; /* the draft: alg MUST be protected */
    }
    mm_bytes ek;
    mm_bytes psk_id;
    uint8_t info_buf[MM_HPKE_MAX_INPUT];
    mm_bytes info;
    mm_hpke_opts ho;
    e = read_params(h, &ek, &psk_id);
    if (e == MM_OK) {
        e = recipient_structure(ctx->content_alg, h->protected_bytes, o->extra_info, info_buf, &info);
    }
    if (e == MM_OK) {
        e = hpke_opts_for(o, psk_id, info, &ho);
    }
    if (e != MM_OK) {
        return e;
    }
    if (ctx->ciphertext.len != ctx->cek_len + MM_HPKE_TAG_LEN) {
        return MM_ERR_VERIFY; /* cannot be a content key for the next layer's algorithm */
    }
    mm_buf out = mm_buf_make(cek, ctx->cek_len);
    return mm_hpke_open(ctx->crypto, suite, ctx->key, &ho, ek, o->hpke_aad, ctx->ciphertext, &out);
}

static mm_err ke_encrypt(const mm_cose_rcpt_ctx *ctx, uint8_t *cek, mm_bytes protected_bytes, uint8_t *out, size_t cap,
                         size_t *len)
{
    const mm_hpke_cose_opts *o = ctx->alg_opts != NULL ? ctx->alg_opts : &no_opts;
    mm_hpke_suite suite;
    mm_bytes psk_id;
    mm_err e = suite_of((int32_t)ctx->hdr->alg, true, &suite);
    if (e == MM_OK && (ctx->hdr->present & MM_HDRBIT_STATIC_KEY_ID) != 0) {
        e = MM_ERR_INVALID_ARG; /* a sender key id means ECDH-SS */
    }
    if (e == MM_OK) {
        e = psk_id_of_params(ctx->params, ctx->n_params, o, &psk_id);
    }
    uint8_t info_buf[MM_HPKE_MAX_INPUT];
    mm_bytes info;
    if (e == MM_OK) {
        e = recipient_structure(ctx->content_alg, protected_bytes, o->extra_info, info_buf, &info);
    }
    if (e != MM_OK) {
        return e;
    }
    mm_hpke_opts ho;
    memset(&ho, 0, sizeof ho);
    ho.info = info;
    ho.psk = o->psk;
    ho.psk_id = psk_id;
    ho.ephemeral = o->ephemeral;
    uint8_t ek[MM_HPKE_ENC_MAX];
    size_t ek_len = 0;
    mm_buf ct = mm_buf_make(out, cap);
    e = mm_hpke_seal(ctx->crypto, suite, ctx->key, &ho, o->hpke_aad, mm_bytes_make(cek, ctx->cek_len), ek, &ek_len,
                     &ct);
    if (e == MM_OK) {
        *len = ct.len;
        e = put_ek(ctx->unprotected, ek, ek_len);
    }
    return e;
}

/*
 * The registry table, generated from MM_HPKE_COSE_SUITES: the integrated
 * suites (key encryption 0) as Encrypt0 algorithms, the others as recipient
 * algorithms.
 */
#define ENC0_0(alg) {(alg), MM_HPKE_TAG_LEN, enc0_decrypt, enc0_encrypt},
#define ENC0_1(alg)
#define RCPT_0(alg)
#define RCPT_1(alg)                             {(alg), 0, ke_decrypt, ke_encrypt},
#define ENC0(id, name, alg, kem, kdf, aead, ke) ENC0_##ke(alg)
#define RCPT(id, name, alg, kem, kdf, aead, ke) RCPT_##ke(alg)

static const mm_cose_enc0_alg enc0_algs[] = {MM_HPKE_COSE_SUITES(ENC0)};
static const mm_cose_rcpt_alg rcpt_algs[] = {MM_HPKE_COSE_SUITES(RCPT)};

static const mm_cose_algs hpke_algs = {
    NULL,
    0,
    rcpt_algs,
    sizeof rcpt_algs / sizeof rcpt_algs[0],
    &cose_default_algs,
    enc0_algs,
    sizeof enc0_algs / sizeof enc0_algs[0],
};

const mm_cose_algs *mm_hpke_cose_algs(void) { return &hpke_algs; }
