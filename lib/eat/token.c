/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EAT tokens as CWTs: signing, verification (authenticate, then parse),
 * the nonce and time checks, and nested tokens in submods, each verified
 * with the key the caller's callback names for it.
 */
#include "eat_internal.h"

static mm_err write_claims(mm_cbor_enc *enc, void *user) { return mm_eat_claims_write(user, enc); }

mm_err eat_sign_cwt(const mm_cose_create_opts *opts, unsigned flags, mm_cose_payload_fn write, const void *user,
                    mm_buf *out)
{
    if (opts == NULL || out == NULL || (flags & ~(MM_EAT_NO_CWT_TAG | MM_EAT_UNTAGGED)) != 0 ||
        (opts->flags & ~MM_COSE_KID_PROTECTED) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cose_create_opts o = *opts;
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->ptr != NULL ? out->cap : 0);
    if ((flags & MM_EAT_UNTAGGED) != 0) {
        o.flags |= MM_COSE_UNTAGGED;
    } else if ((flags & MM_EAT_NO_CWT_TAG) == 0) {
        mm_cbor_put_tag(&enc, MM_CWT_TAG); /* 61 holds a tagged COSE message (RFC 8392 section 6) */
    }
    /* The payload writer takes a mutable user pointer; it only reads. */
    void *u;
    memcpy(&u, &user, sizeof u);
    return eat_enc_end(&enc, mm_cose_sign1_write(&enc, &o, write, u), out);
}

mm_err mm_eat_sign(const mm_eat_claims *c, const mm_cose_create_opts *opts, unsigned flags, mm_buf *out)
{
    if (c == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return eat_sign_cwt(opts, flags, write_claims, c, out);
}

/* Keeps what eat_open_cwt() read of the COSE message in t; e, or
 * MM_ERR_MISSING_FIELD for a detached payload (a token carries its claims). */
static mm_err opened(mm_eat_token *t, mm_err e, const mm_cose_headers *hdr, mm_bytes payload, bool tagged,
                     bool detached)
{
    t->hdr = *hdr;
    t->payload = payload;
    t->cose_tagged = tagged;
    return e == MM_OK && detached ? MM_ERR_MISSING_FIELD : e;
}

mm_err eat_open_cwt(mm_bytes token, const mm_cose_verify_opts *opts, bool verify, mm_eat_token *t)
{
    mm_cbor_dec d;
    mm_cbor_item it;
    mm_err e = mm_cbor_dec_init(&d, token, 0);
    if (e == MM_OK) {
        e = mm_cbor_opt_tag(&d, MM_CWT_TAG, &t->cwt_tagged);
    }
    if (e == MM_OK) {
        e = eat_peek(&d, &it);
    }
    if (e != MM_OK) {
        return e;
    }
    bool symmetric = opts != NULL && opts->key != NULL && opts->key->kty == MM_KTY_SYMMETRIC;
    if (it.type == MM_CBOR_TAG && it.arg != MM_COSE_TAG_SIGN1 && it.arg != MM_COSE_TAG_MAC0) {
        return MM_ERR_UNSUPPORTED; /* encrypted, COSE_Sign, a bundle, ... */
    }
    if (t->cwt_tagged && it.type != MM_CBOR_TAG) {
        return MM_ERR_CBOR_TYPE; /* tag 61 must hold a tagged COSE message */
    }
    mm_bytes msg = mm_bytes_make(token.ptr + it.offset, token.len - it.offset);
    t->mac = it.type == MM_CBOR_TAG ? it.arg == MM_COSE_TAG_MAC0 : symmetric;
    if (t->mac) {
        mm_cose_mac0 m;
        e = mm_cose_mac0_decode(msg, &m, NULL);
        if (e == MM_OK && verify) {
            e = mm_cose_mac0_verify(&m, opts);
        }
        return opened(t, e, &m.hdr, m.payload, m.tagged, m.detached);
    }
    mm_cose_sign1 s;
    e = mm_cose_sign1_decode(msg, &s, NULL);
    if (e == MM_OK && verify) {
        e = mm_cose_sign1_verify(&s, opts);
    }
    return opened(t, e, &s.hdr, s.payload, s.tagged, s.detached);
}

static mm_cose_verify_opts cose_opts(const mm_eat_verify_opts *o, const mm_key *key)
{
    mm_cose_verify_opts v;
    memset(&v, 0, sizeof v);
    v.crypto = o->crypto;
    v.key = key;
    v.algs = o->algs;
    v.scratch = o->scratch;
    v.scratch_len = o->scratch_len;
    return v;
}

/*
 * Nested tokens: the submods of every claims-set, at every depth, walked
 * from the encoded maps (so the caller's storage holds only the top
 * level).
 */
typedef struct walk_ctx {
    const mm_eat_verify_opts *o;
    mm_bytes path[MM_EAT_MAX_DEPTH];
    mm_eat_claims scratch; /* nested claims-sets are checked into it */
} walk_ctx;

static mm_err walk(walk_ctx *w, mm_bytes claims_map, unsigned depth);

/* A nested CBOR token at depth (1 = a submodule of the top level). */
static mm_err nested_token(walk_ctx *w, mm_bytes token, unsigned depth)
{
    const mm_eat_verify_opts *o = w->o;
    if (o->nested == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    mm_eat_token t;
    memset(&t, 0, sizeof t);
    mm_err e = eat_open_cwt(token, NULL, false, &t);
    if (e != MM_OK) {
        return e;
    }
    mm_eat_nested n = {depth, w->path, MM_EAT_SUBMOD_TOKEN, token, &t.hdr};
    const mm_key *key = NULL;
    e = o->nested(o->user, &n, &key);
    if (e != MM_OK) {
        return e;
    }
    if (key == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cose_verify_opts v = cose_opts(o, key);
    e = eat_open_cwt(token, &v, true, &t);
    if (e == MM_OK) {
        e = eat_check_claims(t.payload, o->flags & MM_EAT_PREFERRED, depth, &w->scratch);
    }
    return e == MM_OK ? walk(w, t.payload, depth) : e;
}

static mm_err walk_submod(walk_ctx *w, mm_cbor_dec *d, unsigned depth)
{
    mm_cbor_item it;
    mm_bytes v;
    if (eat_peek(d, &it) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    switch (it.type) {
    case MM_CBOR_MAP:
        return mm_cbor_get_raw(d, &v) == MM_OK ? walk(w, v, depth) : mm_cbor_dec_error(d, NULL);
    case MM_CBOR_BSTR:
        if (mm_cbor_get_bstr(d, &v) != MM_OK) {
            return mm_cbor_dec_error(d, NULL);
        }
        return (w->o->flags & MM_EAT_NESTED_UNCHECKED) != 0 ? MM_OK : nested_token(w, v, depth);
    case MM_CBOR_TSTR: {
        if (mm_cbor_get_tstr(d, &v) != MM_OK) {
            return mm_cbor_dec_error(d, NULL);
        }
        if ((w->o->flags & MM_EAT_NESTED_UNCHECKED) != 0) {
            return MM_OK;
        }
        if (w->o->nested == NULL) {
            return MM_ERR_UNSUPPORTED;
        }
        mm_eat_nested n = {depth, w->path, MM_EAT_SUBMOD_JSON, v, NULL};
        const mm_key *key = NULL;
        return w->o->nested(w->o->user, &n, &key);
    }
    default:
        return mm_cbor_skip(d); /* a detached digest: checked in a bundle */
    }
}

/* The submods of the claims-set claims_map, whose own depth is depth - 1. */
static mm_err walk(walk_ctx *w, mm_bytes claims_map, unsigned depth)
{
    mm_cwt_claims c;
    memset(&c, 0, sizeof c);
    c.map = claims_map;
    mm_bytes submods;
    mm_err e = mm_cwt_claim_find(&c, MM_EAT_SUBMODS, &submods);
    if (e == MM_ERR_MISSING_FIELD) {
        return MM_OK;
    }
    if (e != MM_OK) {
        return e;
    }
    if (depth + 1 > MM_EAT_MAX_DEPTH) {
        return MM_ERR_NESTING;
    }
    mm_cbor_dec d;
    size_t n = 0;
    e = mm_cbor_dec_init(&d, submods, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_map(&d, &n);
    }
    for (size_t i = 0; i < n && e == MM_OK; i++) {
        e = mm_cbor_get_tstr(&d, &w->path[depth]);
        if (e == MM_OK) {
            e = walk_submod(w, &d, depth + 1);
        }
    }
    return e;
}

mm_err mm_eat_verify(mm_bytes token, const mm_eat_verify_opts *o, mm_eat_token *out)
{
    if (o == NULL || out == NULL || o->key == NULL ||
        (o->flags & ~(MM_EAT_PREFERRED | MM_EAT_REQUIRE_NONCE | MM_EAT_NESTED_UNCHECKED)) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    mm_cose_verify_opts v = cose_opts(o, o->key);
    mm_err e = eat_open_cwt(token, &v, true, out);
    if (e == MM_OK) {
        e = mm_eat_claims_decode(out->payload, o->flags & MM_EAT_PREFERRED, o->storage, &out->claims, NULL);
    }
    if (e != MM_OK) {
        return e;
    }
    if (o->nonce.len != 0 || (o->flags & MM_EAT_REQUIRE_NONCE) != 0) {
        if ((out->claims.present & MM_EAT_HAS_NONCE) == 0) {
            return MM_ERR_MISSING_FIELD;
        }
        if (o->nonce.len != 0 && !mm_eat_has_nonce(&out->claims, o->nonce)) {
            return MM_ERR_CLAIM_MISMATCH;
        }
    }
    if (o->time != NULL) {
        e = mm_cwt_validate(&out->claims.cwt, o->time);
        if (e != MM_OK) {
            return e;
        }
    }
    if ((out->claims.present & MM_EAT_HAS_SUBMODS) == 0) {
        return MM_OK;
    }
    walk_ctx w;
    w.o = o;
    return walk(&w, out->payload, 0);
}

mm_err mm_eat_verify_nested(const mm_eat_submod *sm, const mm_eat_verify_opts *opts, const mm_key *key,
                            mm_eat_token *out)
{
    if (sm == NULL || opts == NULL || key == NULL || out == NULL || sm->kind != MM_EAT_SUBMOD_TOKEN) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    mm_cose_verify_opts v = cose_opts(opts, key);
    mm_err e = eat_open_cwt(sm->value, &v, true, out);
    return e == MM_OK
               ? mm_eat_claims_decode(out->payload, opts->flags & MM_EAT_PREFERRED, opts->storage, &out->claims, NULL)
               : e;
}
