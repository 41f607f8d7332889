/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE_Encrypt0 and COSE_Encrypt: decode, decrypt (trying the recipients a
 * key can open), create with any number of recipients.
 */
#include "recipient.h"

/* Largest Enc_structure (["Encrypt0"/"Encrypt", protected, external_aad]):
 * the AEAD contract takes its AAD in one piece. */
#ifndef MM_COSE_MAX_ENC_STRUCTURE
#define MM_COSE_MAX_ENC_STRUCTURE 1024
#endif

/* Most recipients one message can be created with (their pieces are prepared
 * before the ciphertext is written). */
#ifndef MM_COSE_MAX_RECIPIENTS
#define MM_COSE_MAX_RECIPIENTS 8
#endif

#define AEAD_TAG   16
#define AEAD_NONCE 12

static bool is_aead(int32_t alg)
{
    return alg == MM_ALG_A128GCM || alg == MM_ALG_A192GCM || alg == MM_ALG_A256GCM || alg == MM_ALG_CHACHA20_POLY1305;
}

/* Enc_structure into buf. */
static mm_err enc_structure(bool encrypt0, mm_bytes protected_bytes, mm_bytes aad, uint8_t *buf, size_t cap,
                            mm_bytes *out)
{
    cose_sink s = {NULL, NULL, false, buf, cap, 0, MM_OK};
    mm_bytes ctx = mm_bytes_from_cstr(encrypt0 ? "Encrypt0" : "Encrypt");
    cose_sink_head(&s, 4, 3);
    cose_sink_head(&s, 3, ctx.len);
    cose_sink_bytes(&s, ctx);
    cose_sink_bstr(&s, protected_bytes);
    cose_sink_bstr(&s, aad);
    if (s.len > cap) {
        return MM_ERR_TOO_LARGE;
    }
    *out = mm_bytes_make(buf, s.len);
    return MM_OK;
}

static mm_err decode_common(mm_cbor_dec *d, mm_bytes msg, mm_cose_encrypt *out, uint64_t tag, size_t fields)
{
    return cose_enter_body(d, msg, tag, fields, &out->tagged, &out->hdr, &out->ciphertext, &out->detached);
}

mm_err mm_cose_encrypt0_decode(mm_bytes msg, mm_cose_encrypt *out, size_t *err_off)
{
    memset(out, 0, sizeof *out);
    mm_cbor_dec d;
    cose_recorded(decode_common(&d, msg, out, MM_COSE_TAG_ENCRYPT0, 3));
    return cose_finish_message(&d, err_off);
}

mm_err mm_cose_encrypt_decode(mm_bytes msg, mm_cose_encrypt *out, mm_cose_recipient *storage, size_t cap,
                              size_t *err_off)
{
    memset(out, 0, sizeof *out);
    out->recipients = storage;
    mm_cbor_dec d;
    size_t n = 0;
    if (decode_common(&d, msg, out, MM_COSE_TAG_ENCRYPT, 4) == MM_OK) {
        size_t at = mm_cbor_dec_offset(&d);
        if (mm_cbor_enter_array(&d, &n) == MM_OK) {
            if (n == 0) {
                cose_recorded(mm_cbor_dec_fail(&d, MM_ERR_CBOR_TYPE, at));
            } else if (n > cap || storage == NULL) {
                cose_recorded(mm_cbor_dec_fail(&d, MM_ERR_TOO_LARGE, at));
                n = 0;
            }
            for (size_t i = 0; i < n && mm_cbor_dec_error(&d, NULL) == MM_OK; i++) {
                mm_cose_recipient *r = &storage[i];
                memset(r, 0, sizeof *r);
                size_t rat = mm_cbor_dec_offset(&d);
                size_t fields;
                if (mm_cbor_enter_array(&d, &fields) != MM_OK) {
                    break;
                }
                if (fields != 3) {
                    /* Four fields would be nested recipients (multi-layer key
                     * distribution), which mamori does not process. */
                    cose_recorded(mm_cbor_dec_fail(&d, fields == 4 ? MM_ERR_UNSUPPORTED : MM_ERR_CBOR_TYPE, rat));
                    break;
                }
                bool nil;
                if (mm_cose_headers_decode(&d, &r->hdr) == MM_OK &&
                    cose_get_bstr_or_nil(&d, &r->ciphertext, &nil) == MM_OK) {
                    cose_recorded(mm_cbor_exit(&d));
                }
            }
            cose_recorded(mm_cbor_exit(&d));
        }
    }
    mm_err e = cose_finish_message(&d, err_off);
    out->n_recipients = e == MM_OK ? n : 0;
    return e;
}

/* The nonce: the IV, or the partial IV over the base IV (RFC 9052 3.1). */
static mm_err nonce_of(const mm_cose_headers *h, mm_bytes base_iv, uint8_t nonce[AEAD_NONCE])
{
    bool iv = (h->present & MM_HDRBIT_IV) != 0;
    bool piv = (h->present & MM_HDRBIT_PARTIAL_IV) != 0;
    if (iv && piv) {
        return MM_ERR_CBOR_DUP_KEY; /* both are forbidden together */
    }
    if (iv) {
        if (h->iv.len != AEAD_NONCE) {
            return MM_ERR_CBOR_RANGE;
        }
        memcpy(nonce, h->iv.ptr, AEAD_NONCE);
        return MM_OK;
    }
    if (!piv) {
        return MM_ERR_MISSING_FIELD;
    }
    if (base_iv.len != AEAD_NONCE || h->partial_iv.len > AEAD_NONCE || h->partial_iv.len == 0) {
        return base_iv.len == 0 ? MM_ERR_MISSING_FIELD : MM_ERR_CBOR_RANGE;
    }
    memcpy(nonce, base_iv.ptr, AEAD_NONCE);
    size_t off = AEAD_NONCE - h->partial_iv.len;
    for (size_t i = 0; i < h->partial_iv.len; i++) {
        nonce[off + i] ^= h->partial_iv.ptr[i];
    }
    return MM_OK;
}

/* The ciphertext (the message's, or the caller's when detached) and the
 * room for its plaintext, tag_len bytes shorter. */
static mm_err content_ciphertext(const mm_cose_encrypt *msg, const mm_cose_decrypt_opts *o, size_t tag_len,
                                 mm_bytes *ct, mm_buf *plaintext)
{
    *ct = msg->ciphertext;
    if (msg->detached) {
        if (o->ciphertext.ptr == NULL && o->ciphertext.len == 0) {
            return MM_ERR_MISSING_FIELD;
        }
        *ct = o->ciphertext;
    } else if (o->ciphertext.ptr != NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (ct->len < tag_len) {
        return MM_ERR_TRUNCATED;
    }
    plaintext->len = ct->len - tag_len;
    if (plaintext->cap < plaintext->len || (plaintext->ptr == NULL && plaintext->len != 0)) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    return MM_OK;
}

/* Checks the content layer and decrypts with the content key. */
static mm_err decrypt_content(const mm_cose_encrypt *msg, bool encrypt0, const mm_key *cek,
                              const mm_cose_decrypt_opts *o, mm_buf *plaintext)
{
    const mm_cose_headers *h = &msg->hdr;
    int32_t alg = (int32_t)h->alg;
    if (!mm_key_allows(cek, alg, true)) {
        return MM_ERR_ALG_MISMATCH;
    }
    uint8_t nonce[AEAD_NONCE];
    mm_err e = nonce_of(h, o->base_iv, nonce);
    if (e != MM_OK) {
        return e;
    }
    mm_bytes ct;
    e = content_ciphertext(msg, o, AEAD_TAG, &ct, plaintext);
    if (e != MM_OK) {
        return e;
    }
    uint8_t aad_buf[MM_COSE_MAX_ENC_STRUCTURE];
    mm_bytes aad;
    e = enc_structure(encrypt0, h->protected_bytes, o->external_aad, aad_buf, sizeof aad_buf, &aad);
    if (e != MM_OK) {
        return e;
    }
    uint8_t none[1];
    e = mm_aead_decrypt(o->crypto, alg, cek, mm_bytes_make(nonce, AEAD_NONCE), aad, ct,
                        plaintext->ptr != NULL ? plaintext->ptr : none);
    if (e != MM_OK) {
        plaintext->len = 0;
    }
    return e;
}

/* Checks shared by both decryptions on the content layer; integrated:
 * the alg is an integrated-encryption algorithm of the registry. */
static mm_err content_precheck(const mm_cose_encrypt *msg, const mm_cose_decrypt_opts *o, bool integrated)
{
    if (msg == NULL || o == NULL || o->crypto == NULL || o->key == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    const mm_cose_headers *h = &msg->hdr;
    if ((h->present & MM_HDRBIT_ALG) == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    mm_err e = mm_cose_headers_check_crit(h, o->crit, o->n_crit);
    if (e != MM_OK) {
        return e;
    }
    return integrated || is_aead((int32_t)h->alg) ? MM_OK : MM_ERR_UNSUPPORTED_ALG;
}

/* Encrypt0 whose alg does the encryption itself (the registry's enc0
 * algorithms, e.g. COSE-HPKE Integrated Encryption): same Enc_structure,
 * the algorithm's own decryption. */
static mm_err decrypt_integrated(const mm_cose_encrypt *msg, const mm_cose_enc0_alg *entry,
                                 const mm_cose_decrypt_opts *o, mm_buf *plaintext)
{
    int32_t alg = (int32_t)msg->hdr.alg;
    if (!mm_key_allows(o->key, alg, true)) {
        return MM_ERR_ALG_MISMATCH;
    }
    mm_bytes ct;
    mm_err e = content_ciphertext(msg, o, entry->overhead, &ct, plaintext);
    if (e != MM_OK) {
        return e;
    }
    uint8_t aad_buf[MM_COSE_MAX_ENC_STRUCTURE];
    mm_cose_enc0_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    e = enc_structure(true, msg->hdr.protected_bytes, o->external_aad, aad_buf, sizeof aad_buf, &ctx.aad);
    if (e != MM_OK) {
        return e;
    }
    ctx.crypto = o->crypto;
    ctx.key = o->key;
    ctx.alg = alg;
    ctx.hdr = &msg->hdr;
    ctx.alg_opts = o->alg_opts;
    uint8_t none[1];
    e = entry->decrypt(&ctx, ct, plaintext->ptr != NULL ? plaintext->ptr : none);
    if (e != MM_OK) {
        plaintext->len = 0;
    }
    return e;
}

mm_err mm_cose_encrypt0_decrypt(const mm_cose_encrypt *msg, const mm_cose_decrypt_opts *opts, mm_buf *plaintext)
{
    const mm_cose_enc0_alg *integrated = NULL;
    if (msg != NULL && opts != NULL && (msg->hdr.present & MM_HDRBIT_ALG) != 0) {
        integrated = mm_cose_find_enc0_alg(opts->algs, (int32_t)msg->hdr.alg);
    }
    mm_err e = content_precheck(msg, opts, integrated != NULL);
    if (e != MM_OK || plaintext == NULL) {
        return e != MM_OK ? e : MM_ERR_INVALID_ARG;
    }
    const mm_cose_headers *h = &msg->hdr;
    if ((h->protected_bits & MM_HDRBIT_ALG) == 0 &&
        (opts->key->alg == 0 || !mm_key_allows(opts->key, (int32_t)h->alg, true))) {
        return MM_ERR_ALG_UNPROTECTED;
    }
    if (integrated != NULL) {
        return decrypt_integrated(msg, integrated, opts, plaintext);
    }
    return decrypt_content(msg, true, opts->key, opts, plaintext);
}

/* Tries one recipient: recovers the CEK and decrypts the content. */
static mm_err try_recipient(const mm_cose_encrypt *msg, const mm_cose_recipient *r, const mm_cose_decrypt_opts *o,
                            mm_buf *plaintext)
{
    int32_t ralg = (int32_t)r->hdr.alg;
    int32_t calg = (int32_t)msg->hdr.alg;
    mm_err e = mm_cose_headers_check_crit(&r->hdr, o->crit, o->n_crit);
    if (e != MM_OK) {
        return e;
    }
    if (ralg == MM_ALG_DIRECT) {
        if (r->ciphertext.len != 0 || r->hdr.protected_bytes.len != 0) {
            return MM_ERR_CBOR_TYPE; /* direct: empty ciphertext, empty protected bucket */
        }
        return decrypt_content(msg, false, o->key, o, plaintext);
    }
    const mm_cose_rcpt_alg *entry = mm_cose_find_rcpt_alg(o->algs, ralg);
    if (entry == NULL || entry->decrypt == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    size_t cek_len = cose_sym_key_len(calg);
    uint8_t cek[MM_SYMKEY_MAX];
    mm_cose_rcpt_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.crypto = o->crypto;
    ctx.key = o->key;
    ctx.sender_key = o->sender_key;
    ctx.content_alg = calg;
    ctx.cek_len = cek_len;
    ctx.hdr = &r->hdr;
    ctx.ciphertext = r->ciphertext;
    ctx.alg_opts = o->alg_opts;
    e = entry->decrypt(&ctx, cek);
    mm_key k;
    memset(&k, 0, sizeof k);
    if (e == MM_OK) {
        mm_key_parts p;
        memset(&p, 0, sizeof p);
        p.kty = MM_KTY_SYMMETRIC;
        p.alg = calg;
        p.k = mm_bytes_make(cek, cek_len);
        e = mm_key_import(o->crypto, &p, 0, &k);
    }
    mm_wipe(cek, sizeof cek);
    if (e == MM_OK) {
        e = decrypt_content(msg, false, &k, o, plaintext);
    }
    mm_key_free(&k);
    return e;
}

mm_err mm_cose_encrypt_decrypt(const mm_cose_encrypt *msg, const mm_cose_decrypt_opts *opts, mm_buf *plaintext)
{
    mm_err e = content_precheck(msg, opts, false);
    if (e != MM_OK || plaintext == NULL) {
        return e != MM_OK ? e : MM_ERR_INVALID_ARG;
    }
    /* An unprotected content alg is pinned only by a caller's key restricted
     * to it, which is the content key for a direct recipient alone: a
     * recovered CEK takes its algorithm from the message. */
    int32_t calg = (int32_t)msg->hdr.alg;
    bool alg_protected = (msg->hdr.protected_bits & MM_HDRBIT_ALG) != 0;
    if (!alg_protected && (opts->key->alg == 0 || !mm_key_allows(opts->key, calg, true))) {
        return MM_ERR_ALG_UNPROTECTED;
    }
    mm_err last = alg_protected ? MM_ERR_NO_RECIPIENT : MM_ERR_ALG_UNPROTECTED;
    for (size_t i = 0; i < msg->n_recipients; i++) {
        const mm_cose_recipient *r = &msg->recipients[i];
        if (opts->kid.len != 0 && !mm_bytes_equal(r->hdr.kid, opts->kid)) {
            continue;
        }
        /* A direct recipient's key is the content key itself. */
        bool direct = (int32_t)r->hdr.alg == MM_ALG_DIRECT;
        int32_t need = direct ? calg : (int32_t)r->hdr.alg;
        if ((r->hdr.present & MM_HDRBIT_ALG) == 0 || !mm_key_allows(opts->key, need, true) ||
            (!alg_protected && !direct)) {
            continue; /* not a recipient this key can open */
        }
        e = try_recipient(msg, r, opts, plaintext);
        if (e == MM_OK) {
            return MM_OK;
        }
        /* A wrong key fails the integrity checks; try the next recipient,
         * but report what went wrong if none works. */
        last = e;
    }
    plaintext->len = 0;
    return last;
}

/*
 * Creation.
 */

/* A fixed IV, or a random one. */
static mm_err make_iv(const mm_cose_encrypt_opts *o, uint8_t iv[AEAD_NONCE])
{
    if (o->iv.len != 0) {
        if (o->iv.len != AEAD_NONCE) {
            return MM_ERR_INVALID_ARG;
        }
        memcpy(iv, o->iv.ptr, AEAD_NONCE);
        return MM_OK;
    }
    return mm_random(o->crypto, iv, AEAD_NONCE);
}

/* Writes the ciphertext field: room for ct_len bytes in the message, or a
 * nil there and the caller's detached buffer. *space stays NULL when the
 * message is only being sized. */
static mm_err put_ciphertext(mm_cbor_enc *enc, const mm_cose_encrypt_opts *o, size_t ct_len, uint8_t **space)
{
    *space = NULL;
    if ((o->flags & MM_COSE_DETACHED) != 0) {
        mm_cbor_put_null(enc);
        if (o->detached == NULL) {
            return MM_ERR_INVALID_ARG;
        }
        o->detached->len = ct_len;
        if (o->detached->cap < ct_len) {
            return MM_ERR_BUFFER_TOO_SMALL;
        }
        *space = o->detached->ptr;
    } else {
        mm_cbor_put_bstr_space(enc, ct_len, space);
    }
    if (enc->err != MM_OK) {
        *space = NULL;
    }
    return enc->err;
}

/* An integrated-encryption algorithm's reserve: the end of the unprotected
 * bucket, then the ciphertext field. */
typedef struct integrated_writer {
    mm_cbor_enc *enc;
    const mm_cose_encrypt_opts *opts;
    bool reserved; /* reserve is called once */
} integrated_writer;

static mm_err reserve_ciphertext(const mm_cose_enc0_ctx *ctx, size_t len, uint8_t **space)
{
    integrated_writer *w = ctx->internal;
    *space = NULL;
    if (w->reserved) {
        return MM_ERR_STATE;
    }
    w->reserved = true;
    mm_cbor_close(w->enc, NULL);
    return put_ciphertext(w->enc, w->opts, len, space);
}

/* Writes an Encrypt0 layer whose alg encrypts by itself: the buckets (no
 * IV: the algorithm makes its own nonces), then what the algorithm adds. */
static mm_err write_integrated(mm_cbor_enc *enc, const mm_cose_encrypt_opts *o, const mm_cose_enc0_alg *entry,
                               mm_bytes plaintext)
{
    if (o->iv.len != 0) {
        return MM_ERR_INVALID_ARG;
    }
    mm_bytes prot;
    mm_err e = cose_write_buckets(enc, o->alg, o->kid, o->flags, o->params, o->n_params, true, &prot);
    if (e != MM_OK) {
        return e;
    }
    /* When only sizing, prot may be empty and the AAD wrong: the algorithm
     * then gets no room to encrypt into, so it never uses it. */
    uint8_t aad_buf[MM_COSE_MAX_ENC_STRUCTURE];
    integrated_writer w = {enc, o, false};
    mm_cose_enc0_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    e = enc_structure(true, prot, o->external_aad, aad_buf, sizeof aad_buf, &ctx.aad);
    if (e != MM_OK) {
        return e;
    }
    ctx.crypto = o->crypto;
    ctx.key = o->key;
    ctx.alg = o->alg;
    ctx.params = o->params;
    ctx.n_params = o->n_params;
    ctx.alg_opts = o->alg_opts;
    ctx.unprotected = enc;
    ctx.reserve = reserve_ciphertext;
    ctx.internal = &w;
    e = entry->encrypt(&ctx, plaintext);
    if (e == MM_OK && !w.reserved) {
        e = MM_ERR_STATE; /* an algorithm that wrote no ciphertext */
    }
    return e;
}

/* Writes the content layer's buckets and ciphertext (in the message or the
 * detached buffer). */
static mm_err write_content(mm_cbor_enc *enc, const mm_cose_encrypt_opts *o, bool encrypt0, const mm_key *cek,
                            mm_bytes kid, mm_bytes plaintext)
{
    uint8_t iv[AEAD_NONCE];
    mm_err e = make_iv(o, iv);
    if (e != MM_OK) {
        return e;
    }
    /* The IV goes unprotected with the caller's parameters. */
    uint8_t iv_enc[AEAD_NONCE + 1];
    iv_enc[0] = 0x40 | AEAD_NONCE;
    memcpy(iv_enc + 1, iv, AEAD_NONCE);
    mm_bytes prot;
    e = cose_write_buckets(enc, o->alg, kid, o->flags, o->params, o->n_params, true, &prot);
    if (e != MM_OK) {
        return e;
    }
    mm_cbor_put_int(enc, MM_HDR_IV);
    mm_cbor_put_raw(enc, mm_bytes_make(iv_enc, sizeof iv_enc));
    mm_cbor_close(enc, NULL);
    uint8_t *space = NULL;
    e = put_ciphertext(enc, o, plaintext.len + AEAD_TAG, &space);
    if (e != MM_OK || space == NULL) {
        return e; /* sizing only: the ciphertext does not fit */
    }
    uint8_t aad_buf[MM_COSE_MAX_ENC_STRUCTURE];
    mm_bytes aad;
    e = enc_structure(encrypt0, prot, o->external_aad, aad_buf, sizeof aad_buf, &aad);
    if (e == MM_OK) {
        e = mm_aead_encrypt(o->crypto, o->alg, cek, mm_bytes_make(iv, AEAD_NONCE), aad, plaintext, space);
    }
    return e;
}

static mm_err finish(mm_cbor_enc *enc, mm_buf *out)
{
    size_t len;
    mm_err e = mm_cbor_enc_finish(enc, &len);
    out->len = len;
    return e;
}

mm_err mm_cose_encrypt0_create(const mm_cose_encrypt_opts *opts, mm_bytes plaintext, mm_buf *out)
{
    if (opts == NULL || opts->crypto == NULL || opts->key == NULL || out == NULL ||
        (plaintext.ptr == NULL && plaintext.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    /* An integrated-encryption alg of the registry encrypts to the
     * recipient's public key; the built-in AEADs take the content key. */
    const mm_cose_enc0_alg *integrated = mm_cose_find_enc0_alg(opts->algs, opts->alg);
    if (integrated == NULL && !is_aead(opts->alg)) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (!mm_key_allows(opts->key, opts->alg, integrated == NULL)) {
        return MM_ERR_ALG_MISMATCH;
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->cap);
    cose_open_message(&enc, MM_COSE_TAG_ENCRYPT0, opts->flags, 3);
    mm_err e = integrated != NULL ? write_integrated(&enc, opts, integrated, plaintext)
                                  : write_content(&enc, opts, true, opts->key, opts->kid, plaintext);
    return e != MM_OK ? e : finish(&enc, out);
}

/* What is prepared for one recipient before the message is written. */
typedef struct prepared {
    uint8_t protected_map[64]; /* the recipient's protected bucket, encoded as a bstr */
    size_t protected_len;
    uint8_t params[400]; /* encoded key/value pairs the algorithm adds (an ephemeral key...) */
    size_t params_len;
    uint8_t ct[MM_SYMKEY_MAX + 8]; /* the wrapped CEK */
    size_t ct_len;
} prepared;

/* Runs recipient i's algorithm: derives the CEK (direct ones) or wraps it. */
static mm_err prepare_recipient(const mm_cose_encrypt_opts *o, const mm_cose_recipient_opts *r, uint8_t *cek,
                                size_t cek_len, prepared *p)
{
    const mm_cose_rcpt_alg *entry = mm_cose_find_rcpt_alg(o->algs, r->alg);
    if (entry == NULL || entry->encrypt == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (r->key == NULL || !mm_key_allows(r->key, r->alg, false)) {
        return MM_ERR_ALG_MISMATCH;
    }
    /* Key wrap keeps its protected bucket empty; ECDH protects alg (it is
     * bound into the key derivation). */
    bool kw = r->alg == MM_ALG_A128KW || r->alg == MM_ALG_A192KW || r->alg == MM_ALG_A256KW;
    mm_cbor_enc pe;
    mm_cbor_enc_init(&pe, p->protected_map, sizeof p->protected_map);
    mm_bytes prot;
    mm_err e = cose_write_protected(&pe, kw ? 0 : r->alg, mm_bytes_make(NULL, 0), 0, r->params, r->n_params, &prot);
    if (e == MM_OK) {
        e = mm_cbor_enc_finish(&pe, &p->protected_len);
    }
    if (e != MM_OK) {
        return e == MM_ERR_BUFFER_TOO_SMALL ? MM_ERR_TOO_LARGE : e;
    }
    mm_cbor_enc params;
    mm_cbor_enc_init(&params, p->params, sizeof p->params);
    mm_cbor_open_array(&params); /* a container only to count the pairs */
    mm_cose_rcpt_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    mm_cose_headers hdr;
    memset(&hdr, 0, sizeof hdr);
    hdr.alg = r->alg;
    if (r->sender_kid.len != 0) {
        /* ECDH-SS naming the sender's static key by kid instead of carrying
         * it: the algorithm sees the parameter it will get. */
        hdr.static_key_id = r->sender_kid;
        hdr.present = MM_HDRBIT_STATIC_KEY_ID;
    }
    ctx.crypto = o->crypto;
    ctx.key = r->key;
    ctx.sender_key = r->sender_key;
    ctx.content_alg = o->alg;
    ctx.cek_len = cek_len;
    ctx.hdr = &hdr;
    ctx.unprotected = &params;
    ctx.params = r->params;
    ctx.n_params = r->n_params;
    ctx.alg_opts = r->alg_opts;
    e = entry->encrypt(&ctx, cek, prot, p->ct, sizeof p->ct, &p->ct_len);
    if (e != MM_OK) {
        return e;
    }
    if (r->sender_kid.len != 0) {
        mm_cbor_put_int(&params, MM_HDR_STATIC_KEY_ID);
        mm_cbor_put_bstr(&params, r->sender_kid);
    }
    mm_cbor_close(&params, NULL);
    e = mm_cbor_enc_finish(&params, &p->params_len);
    return e == MM_ERR_BUFFER_TOO_SMALL ? MM_ERR_TOO_LARGE : e;
}

/* Writes recipient r from what was prepared. */
static mm_err write_recipient(mm_cbor_enc *enc, const mm_cose_recipient_opts *r, const prepared *p)
{
    bool kw = r->alg == MM_ALG_A128KW || r->alg == MM_ALG_A192KW || r->alg == MM_ALG_A256KW;
    bool alg_unprotected = kw || r->alg == MM_ALG_DIRECT;
    mm_cbor_put_array(enc, 3);
    mm_cbor_put_raw(enc, mm_bytes_make(p->protected_map, p->protected_len));
    cose_write_unprotected(enc, r->alg, r->kid, alg_unprotected ? MM_COSE_ALG_UNPROTECTED : 0, r->params, r->n_params,
                           true);
    /* The algorithm's own pairs, copied item by item into the open map. */
    mm_cbor_dec d;
    mm_err e = mm_cbor_dec_init(&d, mm_bytes_make(p->params, p->params_len), 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_array(&d, NULL);
    }
    while (e == MM_OK && mm_cbor_more(&d)) {
        mm_bytes item;
        e = mm_cbor_get_raw(&d, &item);
        if (e == MM_OK) {
            e = mm_cbor_put_raw(enc, item);
        }
    }
    mm_cbor_close(enc, NULL);
    mm_cbor_put_bstr(enc, mm_bytes_make(p->ct, p->ct_len));
    return e != MM_OK ? e : enc->err;
}

mm_err mm_cose_encrypt_create(const mm_cose_encrypt_opts *opts, mm_bytes plaintext, mm_buf *out)
{
    if (opts == NULL || opts->crypto == NULL || out == NULL || opts->recipients == NULL || opts->n_recipients == 0 ||
        (plaintext.ptr == NULL && plaintext.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    if (!is_aead(opts->alg)) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (opts->n_recipients > MM_COSE_MAX_RECIPIENTS) {
        return MM_ERR_TOO_LARGE;
    }
    size_t cek_len = cose_sym_key_len(opts->alg);
    const mm_cose_recipient_opts *first = &opts->recipients[0];
    const mm_cose_rcpt_alg *first_entry = mm_cose_find_rcpt_alg(opts->algs, first->alg);
    bool direct = first_entry != NULL && first_entry->direct;
    for (size_t i = 0; i < opts->n_recipients; i++) {
        const mm_cose_rcpt_alg *entry = mm_cose_find_rcpt_alg(opts->algs, opts->recipients[i].alg);
        if (entry == NULL) {
            return MM_ERR_UNSUPPORTED_ALG;
        }
        if ((entry->direct || direct) && opts->n_recipients != 1) {
            return MM_ERR_INVALID_ARG; /* a derived or shared CEK serves one recipient only */
        }
    }
    uint8_t cek[MM_SYMKEY_MAX];
    prepared prep[MM_COSE_MAX_RECIPIENTS];
    mm_key cek_key;
    memset(&cek_key, 0, sizeof cek_key);
    const mm_key *content_key = &cek_key;
    mm_err e = MM_OK;
    if (first->alg == MM_ALG_DIRECT) {
        content_key = first->key; /* the shared key is the CEK */
        if (content_key == NULL || !mm_key_allows(content_key, opts->alg, true)) {
            return MM_ERR_ALG_MISMATCH;
        }
        if (first->sender_kid.len != 0) {
            return MM_ERR_INVALID_ARG; /* ECDH-SS only */
        }
        memset(&prep[0], 0, sizeof prep[0]);
        prep[0].protected_map[0] = 0x40; /* empty protected bucket */
        prep[0].protected_len = 1;
        prep[0].params[0] = 0x80;
        prep[0].params_len = 1;
    } else {
        if (!direct) {
            if (opts->cek.len != 0) {
                e = opts->cek.len == cek_len ? MM_OK : MM_ERR_INVALID_ARG;
                if (e == MM_OK) {
                    memcpy(cek, opts->cek.ptr, cek_len);
                }
            } else {
                e = mm_random(opts->crypto, cek, cek_len);
            }
        }
        for (size_t i = 0; i < opts->n_recipients && e == MM_OK; i++) {
            e = prepare_recipient(opts, &opts->recipients[i], cek, cek_len, &prep[i]);
        }
        if (e == MM_OK) {
            mm_key_parts p;
            memset(&p, 0, sizeof p);
            p.kty = MM_KTY_SYMMETRIC;
            p.alg = opts->alg;
            p.k = mm_bytes_make(cek, cek_len);
            e = mm_key_import(opts->crypto, &p, 0, &cek_key);
        }
    }
    mm_wipe(cek, sizeof cek);
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->cap);
    if (e == MM_OK) {
        cose_open_message(&enc, MM_COSE_TAG_ENCRYPT, opts->flags, 4);
        e = write_content(&enc, opts, false, content_key, opts->kid, plaintext);
    }
    if (e == MM_OK) {
        mm_cbor_put_array(&enc, opts->n_recipients);
        for (size_t i = 0; i < opts->n_recipients && e == MM_OK; i++) {
            e = write_recipient(&enc, &opts->recipients[i], &prep[i]);
        }
    }
    mm_key_free(&cek_key);
    mm_wipe(prep, sizeof prep);
    return e != MM_OK ? e : finish(&enc, out);
}
