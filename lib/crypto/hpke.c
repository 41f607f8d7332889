/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HPKE's key schedule and encryption context (RFC 9180 sections 5.1-5.3)
 * and the single-shot APIs (section 6), on the DHKEM of hpke_kem.c.
 */
#include "hpke_internal.h"

static bool view_ok(mm_bytes b) { return b.ptr != NULL || b.len == 0; }

/* The mode the options select, after VerifyPSKInputs (5.1): psk and psk_id
 * come together, and a PSK has at least 32 bytes (5.1.2). */
static mm_err mode_of(const mm_hpke_opts *o, uint8_t *mode)
{
    if (!view_ok(o->info) || !view_ok(o->psk) || !view_ok(o->psk_id)) {
        return MM_ERR_INVALID_ARG;
    }
    bool psk = o->psk.len != 0;
    if (psk != (o->psk_id.len != 0) || (psk && o->psk.len < 32)) {
        return MM_ERR_INVALID_ARG;
    }
    *mode = (uint8_t)((psk ? MM_HPKE_MODE_PSK : 0) | (o->auth_key != NULL ? MM_HPKE_MODE_AUTH : 0));
    return MM_OK;
}

/* KeySchedule (5.1): fills the context's key, base_nonce and
 * exporter_secret from the KEM's shared secret. */
static mm_err key_schedule(mm_hpke_ctx *ctx, const uint8_t *shared, size_t shared_len, const mm_hpke_opts *o)
{
    hpke_labeler l;
    hpke_labeler_suite(&l, ctx->crypto, ctx->suite, hpke_kdf_hash(ctx->suite.kdf));
    mm_bytes none = mm_bytes_make(NULL, 0);
    uint8_t context[1 + 2 * MM_HASH_MAX]; /* mode || psk_id_hash || info_hash */
    uint8_t secret[MM_HASH_MAX];
    context[0] = ctx->mode;
    mm_err e = hpke_labeled_extract(&l, none, MM_BYTES_LIT("psk_id_hash"), &o->psk_id, 1, context + 1);
    if (e == MM_OK) {
        e = hpke_labeled_extract(&l, none, MM_BYTES_LIT("info_hash"), &o->info, 1, context + 1 + l.hash_len);
    }
    if (e == MM_OK) {
        e = hpke_labeled_extract(&l, mm_bytes_make(shared, shared_len), MM_BYTES_LIT("secret"), &o->psk, 1, secret);
    }
    mm_bytes ks = mm_bytes_make(context, 1 + 2 * l.hash_len);
    mm_bytes prk = mm_bytes_make(secret, l.hash_len);
    size_t key_len = 0;
    int32_t aead = hpke_aead_alg(ctx->suite.aead, &key_len);
    if (e == MM_OK && aead != 0) {
        uint8_t key[32];
        e = hpke_labeled_expand(&l, prk, MM_BYTES_LIT("key"), &ks, 1, key, key_len);
        if (e == MM_OK) {
            mm_key_parts p;
            memset(&p, 0, sizeof p);
            p.kty = MM_KTY_SYMMETRIC;
            p.alg = aead;
            p.k = mm_bytes_make(key, key_len);
            e = mm_key_import(ctx->crypto, &p, 0, &ctx->key);
        }
        mm_wipe(key, sizeof key);
        if (e == MM_OK) {
            e = hpke_labeled_expand(&l, prk, MM_BYTES_LIT("base_nonce"), &ks, 1, ctx->base_nonce, MM_HPKE_NONCE_LEN);
        }
    }
    if (e == MM_OK) {
        e = hpke_labeled_expand(&l, prk, MM_BYTES_LIT("exp"), &ks, 1, ctx->exporter_secret, l.hash_len);
        ctx->exporter_len = (uint8_t)l.hash_len;
    }
    mm_wipe(secret, sizeof secret);
    return e;
}

/* What both setups check first; on success the context is zeroed and
 * knows its suite and mode, and *kem is the suite's KEM. */
static mm_err setup_start(mm_hpke_ctx *ctx, const mm_crypto *c, mm_hpke_suite suite, const mm_hpke_opts *opts,
                          const hpke_kem **kem)
{
    if (ctx == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(ctx, 0, sizeof *ctx);
    if (c == NULL || opts == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_err e = mm_hpke_suite_check(suite);
    if (e != MM_OK) {
        return e;
    }
    e = mode_of(opts, &ctx->mode);
    if (e != MM_OK) {
        return e;
    }
    ctx->crypto = c;
    ctx->suite = suite;
    *kem = hpke_kem_find(suite.kem);
    return MM_OK;
}

/* Ends a failed setup: nothing may be left to use or to free. */
static mm_err setup_end(mm_hpke_ctx *ctx, mm_err e, uint8_t role)
{
    if (e != MM_OK) {
        mm_hpke_ctx_finish(ctx);
        return e;
    }
    ctx->role = role;
    return MM_OK;
}

static const mm_hpke_opts no_opts;

mm_err mm_hpke_setup_sender(mm_hpke_ctx *ctx, const mm_crypto *c, mm_hpke_suite suite, const mm_key *pk_r,
                            const mm_hpke_opts *opts, uint8_t enc[MM_HPKE_ENC_MAX], size_t *enc_len)
{
    const mm_hpke_opts *o = opts != NULL ? opts : &no_opts;
    const hpke_kem *kem = NULL;
    mm_err e = setup_start(ctx, c, suite, o, &kem);
    if (e != MM_OK) {
        return e;
    }
    if (pk_r == NULL || enc == NULL || enc_len == NULL) {
        return setup_end(ctx, MM_ERR_INVALID_ARG, 0);
    }
    uint8_t shared[MM_HPKE_SECRET_MAX];
    e = hpke_encap(kem, c, pk_r, o->auth_key, o->ephemeral, enc, enc_len, shared);
    if (e == MM_OK) {
        e = key_schedule(ctx, shared, kem->n_secret, o);
    }
    mm_wipe(shared, sizeof shared);
    return setup_end(ctx, e, MM_HPKE_ROLE_SENDER);
}

mm_err mm_hpke_setup_recipient(mm_hpke_ctx *ctx, const mm_crypto *c, mm_hpke_suite suite, const mm_key *sk_r,
                               const mm_hpke_opts *opts, mm_bytes enc)
{
    const mm_hpke_opts *o = opts != NULL ? opts : &no_opts;
    const hpke_kem *kem = NULL;
    mm_err e = setup_start(ctx, c, suite, o, &kem);
    if (e != MM_OK) {
        return e;
    }
    if (sk_r == NULL || !view_ok(enc) || o->ephemeral != NULL) {
        return setup_end(ctx, MM_ERR_INVALID_ARG, 0); /* the ephemeral key is the sender's */
    }
    uint8_t shared[MM_HPKE_SECRET_MAX];
    e = hpke_decap(kem, c, enc, sk_r, o->auth_key, shared);
    if (e == MM_OK) {
        e = key_schedule(ctx, shared, kem->n_secret, o);
    }
    mm_wipe(shared, sizeof shared);
    return setup_end(ctx, e, MM_HPKE_ROLE_RECIPIENT);
}

/* ComputeNonce (5.2): base_nonce XOR I2OSP(seq, Nn). */
static void compute_nonce(const mm_hpke_ctx *ctx, uint8_t nonce[MM_HPKE_NONCE_LEN])
{
    memcpy(nonce, ctx->base_nonce, MM_HPKE_NONCE_LEN);
    for (size_t i = 0; i < 8; i++) {
        nonce[MM_HPKE_NONCE_LEN - 1 - i] ^= (uint8_t)(ctx->seq >> (8 * i));
    }
}

/* What seal and open check before any crypto; *alg gets the AEAD. */
static mm_err message_start(const mm_hpke_ctx *ctx, uint8_t role, mm_bytes aad, mm_bytes in, int32_t *alg)
{
    if (ctx == NULL || !view_ok(aad) || !view_ok(in)) {
        return MM_ERR_INVALID_ARG;
    }
    size_t key_len;
    *alg = hpke_aead_alg(ctx->suite.aead, &key_len);
    if (ctx->role != role || *alg <= 0) {
        return MM_ERR_STATE; /* the other role's context, not set up, or export-only */
    }
    /* IncrementSeq's limit (5.2), for a 64-bit sequence number: the last
     * value is never used, so no nonce can repeat after a wrap. */
    return ctx->seq == UINT64_MAX ? MM_ERR_TOO_LARGE : MM_OK;
}

/* Sets out->len to need and checks the room (base.h rules). */
static mm_err room(mm_buf *out, size_t need)
{
    if (out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    out->len = need;
    return out->cap < need || (out->ptr == NULL && need != 0) ? MM_ERR_BUFFER_TOO_SMALL : MM_OK;
}

mm_err mm_hpke_ctx_seal(mm_hpke_ctx *ctx, mm_bytes aad, mm_bytes pt, mm_buf *ct)
{
    int32_t alg = 0;
    mm_err e = message_start(ctx, MM_HPKE_ROLE_SENDER, aad, pt, &alg);
    if (e == MM_OK && pt.len > SIZE_MAX - MM_HPKE_TAG_LEN) {
        e = MM_ERR_TOO_LARGE;
    }
    if (e == MM_OK) {
        e = room(ct, pt.len + MM_HPKE_TAG_LEN);
    }
    if (e != MM_OK) {
        return e;
    }
    uint8_t nonce[MM_HPKE_NONCE_LEN];
    compute_nonce(ctx, nonce);
    e = mm_aead_encrypt(ctx->crypto, alg, &ctx->key, mm_bytes_make(nonce, sizeof nonce), aad, pt, ct->ptr);
    if (e == MM_OK) {
        ctx->seq++;
    }
    return e;
}

mm_err mm_hpke_ctx_open(mm_hpke_ctx *ctx, mm_bytes aad, mm_bytes ct, mm_buf *pt)
{
    int32_t alg = 0;
    mm_err e = message_start(ctx, MM_HPKE_ROLE_RECIPIENT, aad, ct, &alg);
    if (e != MM_OK) {
        return e;
    }
    if (ct.len < MM_HPKE_TAG_LEN) {
        return MM_ERR_VERIFY; /* no room for a tag: nothing this context sealed */
    }
    e = room(pt, ct.len - MM_HPKE_TAG_LEN);
    if (e != MM_OK) {
        return e;
    }
    uint8_t nonce[MM_HPKE_NONCE_LEN];
    uint8_t none[1];
    compute_nonce(ctx, nonce);
    e = mm_aead_decrypt(ctx->crypto, alg, &ctx->key, mm_bytes_make(nonce, sizeof nonce), aad, ct,
                        pt->ptr != NULL ? pt->ptr : none);
    if (e == MM_OK) {
        ctx->seq++;
    } else {
        pt->len = 0;
    }
    return e;
}

mm_err mm_hpke_ctx_export(const mm_hpke_ctx *ctx, mm_bytes exporter_context, uint8_t *out, size_t len)
{
    if (ctx == NULL || ctx->role == 0 || !view_ok(exporter_context) || (out == NULL && len != 0)) {
        return ctx != NULL && ctx->role == 0 ? MM_ERR_STATE : MM_ERR_INVALID_ARG;
    }
    if (len > 255 * (size_t)ctx->exporter_len) {
        return MM_ERR_INVALID_ARG; /* Export's limit, L <= 255 * Nh */
    }
    hpke_labeler l;
    hpke_labeler_suite(&l, ctx->crypto, ctx->suite, hpke_kdf_hash(ctx->suite.kdf));
    return hpke_labeled_expand(&l, mm_bytes_make(ctx->exporter_secret, ctx->exporter_len), MM_BYTES_LIT("sec"),
                               &exporter_context, 1, out, len);
}

void mm_hpke_ctx_finish(mm_hpke_ctx *ctx)
{
    if (ctx != NULL) {
        mm_key_free(&ctx->key);
        mm_wipe(ctx, sizeof *ctx);
    }
}

mm_err mm_hpke_seal(const mm_crypto *c, mm_hpke_suite suite, const mm_key *pk_r, const mm_hpke_opts *opts, mm_bytes aad,
                    mm_bytes pt, uint8_t enc[MM_HPKE_ENC_MAX], size_t *enc_len, mm_buf *ct)
{
    size_t key_len;
    if (mm_hpke_suite_check(suite) == MM_OK && hpke_aead_alg(suite.aead, &key_len) == 0) {
        return MM_ERR_INVALID_ARG; /* an export-only suite seals nothing */
    }
    if (!view_ok(pt) || pt.len > SIZE_MAX - MM_HPKE_TAG_LEN) {
        return !view_ok(pt) ? MM_ERR_INVALID_ARG : MM_ERR_TOO_LARGE;
    }
    mm_err e = room(ct, pt.len + MM_HPKE_TAG_LEN);
    if (e != MM_OK) {
        return e; /* sized before the costly key work */
    }
    mm_hpke_ctx ctx;
    e = mm_hpke_setup_sender(&ctx, c, suite, pk_r, opts, enc, enc_len);
    if (e == MM_OK) {
        e = mm_hpke_ctx_seal(&ctx, aad, pt, ct);
    }
    mm_hpke_ctx_finish(&ctx);
    return e;
}

mm_err mm_hpke_open(const mm_crypto *c, mm_hpke_suite suite, const mm_key *sk_r, const mm_hpke_opts *opts, mm_bytes enc,
                    mm_bytes aad, mm_bytes ct, mm_buf *pt)
{
    size_t key_len;
    if (mm_hpke_suite_check(suite) == MM_OK && hpke_aead_alg(suite.aead, &key_len) == 0) {
        return MM_ERR_INVALID_ARG;
    }
    if (!view_ok(ct)) {
        return MM_ERR_INVALID_ARG;
    }
    if (ct.len < MM_HPKE_TAG_LEN) {
        return MM_ERR_VERIFY;
    }
    mm_err e = room(pt, ct.len - MM_HPKE_TAG_LEN);
    if (e != MM_OK) {
        return e;
    }
    mm_hpke_ctx ctx;
    e = mm_hpke_setup_recipient(&ctx, c, suite, sk_r, opts, enc);
    if (e == MM_OK) {
        e = mm_hpke_ctx_open(&ctx, aad, ct, pt);
    }
    mm_hpke_ctx_finish(&ctx);
    return e;
}
