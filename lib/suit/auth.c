/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The authentication wrapper: [bstr .cbor SUIT_Digest, * bstr .cbor
 * authentication block]. The digest must be the manifest's; each block is a
 * tagged COSE_Sign1, COSE_Sign or COSE_Mac0 over the encoded digest
 * (detached payload), verified through the COSE layer with the algorithm
 * registry the caller configured, so new algorithms (HSS-LMS) plug in there.
 */
#include "processor.h"

/* Which of two refusals says more: a failed check over "no key for it" over
 * "algorithm unknown". */
static int err_rank(mm_err e)
{
    switch (e) {
    case MM_ERR_VERIFY:
        return 4;
    case MM_ERR_UNTRUSTED:
        return 2;
    case MM_ERR_UNSUPPORTED_ALG:
        return 1;
    default:
        return 3; /* malformed or unsupported structure */
    }
}

static void keep_worst(mm_err *worst, mm_err e)
{
    if (e != MM_OK && (*worst == MM_OK || err_rank(e) > err_rank(*worst))) {
        *worst = e;
    }
}

static bool kid_fits(const mm_suit_trust_anchor *a, mm_bytes kid)
{
    return a->kid.len == 0 || kid.len == 0 || mm_bytes_equal(a->kid, kid);
}

/* The kinds of authentication block. */
enum { BLOCK_SIGN1, BLOCK_MAC0, BLOCK_SIGN };

/* Verifies one signer (or the block's only one) with each trust anchor that
 * fits its kid and algorithm. *anchor gets the one that verified. */
static mm_err try_anchors(mm_suit_processor *p, int kind, size_t signer, const mm_cose_headers *hdr, uint32_t *anchor)
{
    const mm_suit_config *c = &p->cfg;
    if (hdr->alg < INT32_MIN || hdr->alg > INT32_MAX || hdr->alg == 0) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    int32_t alg = (int32_t)hdr->alg;
    if (kind != BLOCK_MAC0 && mm_cose_find_sig_alg(c->algs, alg) == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    mm_err worst = MM_ERR_UNTRUSTED; /* no anchor fits this signer */
    for (size_t i = 0; i < c->n_anchors; i++) {
        const mm_suit_trust_anchor *a = &c->anchors[i];
        if (a->key == NULL || !kid_fits(a, hdr->kid) || !mm_key_allows(a->key, alg, false)) {
            continue;
        }
        mm_cose_verify_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = c->crypto;
        o.key = a->key;
        o.payload = p->auth.digest_item;
        o.algs = c->algs;
        o.scratch = c->scratch;
        o.scratch_len = c->scratch_len;
        mm_err e = kind == BLOCK_SIGN1  ? mm_cose_sign1_verify(&p->cose.sign1, &o)
                   : kind == BLOCK_MAC0 ? mm_cose_mac0_verify(&p->cose.mac0, &o)
                                        : mm_cose_sign_verify(&p->cose.sign.sign, signer, &o);
        if (e == MM_OK) {
            *anchor = (uint32_t)i;
            return MM_OK;
        }
        keep_worst(&worst, e == MM_ERR_ALG_MISMATCH ? MM_ERR_UNTRUSTED : e);
    }
    return worst;
}

/* One authentication block: decoded (tagged, detached) and verified. */
static mm_err verify_block(mm_suit_processor *p, mm_bytes block, uint32_t *anchor, int32_t *alg)
{
    mm_cbor_item tag;
    if (suit_dec_init(&p->dec, block, 0) != MM_OK || mm_cbor_peek(&p->dec, &tag) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    if (tag.type != MM_CBOR_TAG) {
        return MM_ERR_UNSUPPORTED; /* SUIT takes tagged COSE structures only */
    }
    mm_err e;
    switch (tag.arg) {
    case MM_COSE_TAG_SIGN1:
        e = mm_cose_sign1_decode(block, &p->cose.sign1, NULL);
        if (e == MM_OK && !p->cose.sign1.detached) {
            e = MM_ERR_UNSUPPORTED;
        }
        if (e == MM_OK) {
            *alg = (int32_t)p->cose.sign1.hdr.alg;
            e = try_anchors(p, BLOCK_SIGN1, 0, &p->cose.sign1.hdr, anchor);
        }
        return e;
    case MM_COSE_TAG_MAC0:
        e = mm_cose_mac0_decode(block, &p->cose.mac0, NULL);
        if (e == MM_OK && !p->cose.mac0.detached) {
            e = MM_ERR_UNSUPPORTED;
        }
        if (e == MM_OK) {
            *alg = (int32_t)p->cose.mac0.hdr.alg;
            e = try_anchors(p, BLOCK_MAC0, 0, &p->cose.mac0.hdr, anchor);
        }
        return e;
    case MM_COSE_TAG_SIGN: {
        e = mm_cose_sign_decode(block, &p->cose.sign.sign, p->cose.sign.signers, MM_SUIT_MAX_SIGNERS, NULL);
        if (e == MM_OK && !p->cose.sign.sign.detached) {
            e = MM_ERR_UNSUPPORTED;
        }
        if (e != MM_OK) {
            return e;
        }
        /* One signer a trust anchor verifies authenticates the block. */
        mm_err worst = MM_OK;
        for (size_t i = 0; i < p->cose.sign.sign.n_signers; i++) {
            const mm_cose_headers *h = &p->cose.sign.signers[i].hdr;
            e = try_anchors(p, BLOCK_SIGN, i, h, anchor);
            if (e == MM_OK) {
                *alg = (int32_t)h->alg;
                return MM_OK;
            }
            keep_worst(&worst, e);
        }
        return worst != MM_OK ? worst : MM_ERR_UNTRUSTED;
    }
    default:
        return MM_ERR_UNSUPPORTED; /* COSE_Mac (97) and anything else */
    }
}

/* Reads the wrapper: the digest, then each block in turn. */
mm_err suit_auth_verify(mm_suit_processor *p)
{
    mm_suit_auth *a = &p->auth;
    mm_cbor_dec *d = &p->dec;
    size_t n = 0;
    mm_err e = suit_dec_init(d, p->env.auth, SUIT_DEC_FLAGS);
    if (e == MM_OK && mm_cbor_enter_array(d, &n) == MM_OK && n == 0) {
        mm_cbor_dec_fail(d, MM_ERR_MISSING_FIELD, 0);
    }
    if (mm_cbor_dec_error(d, NULL) == MM_OK && mm_cbor_get_bstr(d, &a->digest_item) == MM_OK) {
        e = mm_suit_digest_decode(a->digest_item, &a->digest);
        if (e != MM_OK) {
            mm_cbor_dec_fail(d, e, (size_t)(a->digest_item.ptr - p->env.auth.ptr));
        }
    }
    /* The blocks' bytes, located before any of them is decoded (decoding one
     * reuses the decoder). They are the bstrs after the digest. */
    const uint8_t *blocks = d->pos;
    e = mm_cbor_exit(d);
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(d);
    }
    if (e != MM_OK) {
        size_t off;
        mm_cbor_dec_error(d, &off);
        p->failure.offset = (uint32_t)off;
        return suit_fail(p, e, suit_reason_for(e), MM_SUIT_ENVELOPE_AUTH);
    }
    /* Authenticate before parsing: the manifest bytes must be what the
     * wrapper's digest names, before a single one of them is read. */
    e = suit_digest_check(p->cfg.crypto, &a->digest, p->env.manifest_item);
    if (e != MM_OK) {
        return suit_fail(p, e, MM_SUIT_REASON_UNAUTHORISED, MM_SUIT_ENVELOPE_MANIFEST);
    }
    a->n_blocks = (uint32_t)(n - 1);
    if (a->n_blocks == 0) {
        return suit_fail(p, MM_ERR_UNTRUSTED, MM_SUIT_REASON_UNAUTHORISED, 0);
    }
    mm_err worst = MM_OK;
    mm_bytes rest = mm_bytes_make(blocks, (size_t)(p->env.auth.ptr + p->env.auth.len - blocks));
    for (uint32_t i = 0; i < a->n_blocks; i++) {
        /* Each block is one bstr of the rest, read as a sequence. */
        mm_bytes block;
        if (suit_dec_init(d, rest, SUIT_DEC_FLAGS | MM_CBOR_SEQUENCE) != MM_OK ||
            mm_cbor_get_bstr(d, &block) != MM_OK) {
            return suit_fail(p, MM_ERR_TRUNCATED, MM_SUIT_REASON_CBOR_PARSE, MM_SUIT_ENVELOPE_AUTH);
        }
        size_t used = mm_cbor_dec_offset(d);
        rest.ptr += used;
        rest.len -= used;
        uint32_t anchor = 0;
        int32_t alg = 0;
        e = verify_block(p, block, &anchor, &alg);
        if (i < sizeof a->block_err / sizeof a->block_err[0]) {
            a->block_err[i] = (uint32_t)e;
        }
        if (e == MM_OK) {
            if (a->n_verified++ == 0) {
                a->alg = alg;
                a->anchor = anchor;
            }
        } else {
            keep_worst(&worst, e);
        }
    }
    bool all = (p->cfg.flags & MM_SUIT_AUTH_ALL) != 0;
    if (a->n_verified == 0 || (all && a->n_verified != a->n_blocks)) {
        mm_suit_reason r = worst == MM_ERR_UNSUPPORTED_ALG ? MM_SUIT_REASON_ALG_UNSUPPORTED
                           : worst == MM_ERR_UNSUPPORTED   ? MM_SUIT_REASON_COSE_UNSUPPORTED
                           : mm_err_class(worst) == 1      ? MM_SUIT_REASON_CBOR_PARSE
                                                           : MM_SUIT_REASON_UNAUTHORISED;
        return suit_fail(p, worst, r, MM_SUIT_ENVELOPE_AUTH);
    }
    return MM_OK;
}
