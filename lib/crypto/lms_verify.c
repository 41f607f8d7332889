/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HSS and LMS verification (RFC 8554 Algorithms 6 and 6a): decoding a
 * public key and a signature with every typecode and length checked before
 * any hashing, then one level at a time, the last one over the message as
 * it streams in.
 */
#include "lms_internal.h"

/* Offsets inside an LMS signature: u32 q || u32 ots type || C || y[p] ||
 * u32 lms type || path[h]. */
#define SIG_C 8

static mm_err read_lms_pub(mm_bytes in, mm_lms_level *lv, const mm_lms_type_info **lms)
{
    const mm_lms_ots_type_info *ots;
    if (in.len < 8) {
        return MM_ERR_TRUNCATED;
    }
    mm_err e = lms_types(lms_get_u32(in.ptr), lms_get_u32(in.ptr + 4), lms, &ots);
    if (e != MM_OK) {
        return e;
    }
    size_t len = mm_lms_lms_pub_len(*lms);
    if (in.len < len) {
        return MM_ERR_TRUNCATED;
    }
    lv->lms_type = (*lms)->type;
    lv->ots_type = ots->type;
    lv->I = mm_bytes_make(in.ptr + 8, MM_LMS_I_LEN);
    lv->pub = mm_bytes_make(in.ptr, len);
    return MM_OK;
}

mm_err mm_lms_pub_decode(mm_bytes pub, unsigned flags, mm_lms_info *out)
{
    if (out == NULL || (pub.ptr == NULL && pub.len != 0) || (flags & ~MM_LMS_SINGLE) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    uint32_t levels = 1;
    if ((flags & MM_LMS_SINGLE) == 0) {
        if (pub.len < 4) {
            return MM_ERR_BAD_KEY;
        }
        levels = lms_get_u32(pub.ptr);
        if (levels < 1 || levels > MM_LMS_MAX_LEVELS) {
            return MM_ERR_BAD_KEY;
        }
        pub.ptr += 4;
        pub.len -= 4;
    }
    const mm_lms_type_info *lms;
    mm_err e = read_lms_pub(pub, &out->level[0], &lms);
    if (e == MM_ERR_TRUNCATED || (e == MM_OK && out->level[0].pub.len != pub.len)) {
        return MM_ERR_BAD_KEY;
    }
    out->levels = levels;
    return e;
}

/* Reads the LMS signature at sig[*off..] for level lv (whose key's types are
 * known): the one-time signature's type and the tree's must be the key's,
 * q below 2^h, and the whole signature present. */
static mm_err read_lms_sig(mm_bytes sig, size_t *off, mm_lms_level *lv)
{
    const mm_lms_type_info *lms = mm_lms_type(lv->lms_type);
    const mm_lms_ots_type_info *ots = mm_lms_ots_type(lv->ots_type);
    size_t left = sig.len - *off;
    const uint8_t *p = sig.ptr + *off;
    if (left < 8) {
        return MM_ERR_SIG_LENGTH;
    }
    if (lms_get_u32(p + 4) != lv->ots_type) {
        return MM_ERR_VERIFY;
    }
    size_t ots_len = mm_lms_ots_sig_len(ots);
    if (left < 4 + ots_len + 4) {
        return MM_ERR_SIG_LENGTH;
    }
    if (lms_get_u32(p + 4 + ots_len) != lv->lms_type) {
        return MM_ERR_VERIFY;
    }
    size_t len = mm_lms_lms_sig_len(lms, ots);
    if (left < len) {
        return MM_ERR_SIG_LENGTH;
    }
    uint32_t q = lms_get_u32(p);
    if (q >= (UINT32_C(1) << lms->h)) {
        return MM_ERR_VERIFY;
    }
    lv->q = q;
    lv->sig = mm_bytes_make(p, len);
    *off += len;
    return MM_OK;
}

mm_err mm_lms_sig_decode(mm_bytes pub, mm_bytes sig, unsigned flags, mm_lms_info *out)
{
    mm_err e = mm_lms_pub_decode(pub, flags, out);
    if (e != MM_OK) {
        return e;
    }
    if (sig.ptr == NULL && sig.len != 0) {
        return MM_ERR_INVALID_ARG;
    }
    size_t off = 0;
    if ((flags & MM_LMS_SINGLE) == 0) {
        if (sig.len < 4) {
            return MM_ERR_SIG_LENGTH;
        }
        if (lms_get_u32(sig.ptr) != out->levels - 1) {
            return MM_ERR_VERIFY; /* Nspk + 1 must be the key's L */
        }
        off = 4;
    }
    for (uint32_t i = 0; i < out->levels; i++) {
        if ((e = read_lms_sig(sig, &off, &out->level[i])) != MM_OK) {
            return e;
        }
        if (i + 1 < out->levels) {
            const mm_lms_type_info *lms;
            e = read_lms_pub(mm_bytes_make(sig.ptr + off, sig.len - off), &out->level[i + 1], &lms);
            if (e != MM_OK) {
                return e == MM_ERR_TRUNCATED ? MM_ERR_SIG_LENGTH : MM_ERR_VERIFY;
            }
            off += out->level[i + 1].pub.len;
        }
    }
    return off == sig.len ? MM_OK : MM_ERR_SIG_LENGTH;
}

/* The hash of a level's key and the parts of its signature. */
typedef struct level_parts {
    lms_hash h;
    const mm_lms_type_info *lms;
    const mm_lms_ots_type_info *ots;
    const uint8_t *c;    /* randomizer C */
    const uint8_t *y;    /* chain values */
    const uint8_t *path; /* authentication path */
} level_parts;

static mm_err level_parts_of(const mm_crypto *c, const mm_lms_level *lv, level_parts *lp)
{
    lp->lms = mm_lms_type(lv->lms_type);
    lp->ots = mm_lms_ots_type(lv->ots_type);
    lp->c = lv->sig.ptr + SIG_C;
    lp->y = lp->c + lp->ots->n;
    lp->path = lv->sig.ptr + 8 + mm_lms_ots_sig_len(lp->ots);
    return lms_hash_setup(&lp->h, c, lp->lms->hash_alg, lp->ots->n);
}

/* Starts H(I || q || D_MESG || C || message). */
static mm_err message_begin(mm_lms_hash_state *s, const level_parts *lp, const mm_lms_level *lv)
{
    mm_err e = lms_h_begin(s, &lp->h, lv->I.ptr, lv->q, LMS_D_MESG);
    if (e == MM_OK && (e = lms_h_update(s, lp->c, lp->ots->n)) != MM_OK) {
        lms_h_abort(s);
    }
    return e;
}

/* From the message digest on: the candidate one-time key, the path to the
 * root, and the comparison with the key's root. */
static mm_err level_finish(const level_parts *lp, const uint8_t I[MM_LMS_I_LEN], uint32_t q, const uint8_t *digest,
                           const uint8_t *root)
{
    uint8_t kc[MM_LMS_N_MAX];
    uint8_t tc[MM_LMS_N_MAX];
    mm_err e = lms_ots_candidate(&lp->h, lp->ots, I, q, digest, lp->y, kc);
    if (e == MM_OK) {
        e = lms_root_from_path(&lp->h, lp->lms, I, q, kc, lp->path, tc);
    }
    if (e == MM_OK && !mm_ct_equal(tc, root, lp->lms->m)) {
        e = MM_ERR_VERIFY;
    }
    return e;
}

/* Verifies one level whose message is whole (an upper level signs the next
 * level's public key). */
static mm_err verify_level(const mm_crypto *c, const mm_lms_level *lv, mm_bytes msg)
{
    level_parts lp;
    mm_lms_hash_state s;
    uint8_t digest[MM_LMS_N_MAX];
    mm_err e = level_parts_of(c, lv, &lp);
    if (e == MM_OK) {
        e = message_begin(&s, &lp, lv);
    }
    if (e == MM_OK) {
        e = lms_h_update(&s, msg.ptr, msg.len);
        e = e == MM_OK ? lms_h_final(&s, digest) : (lms_h_abort(&s), e);
    }
    if (e == MM_OK) {
        e = level_finish(&lp, lv->I.ptr, lv->q, digest, lv->pub.ptr + 24);
    }
    return e;
}

mm_err mm_lms_verify_begin(mm_lms_verify_ctx *v, const mm_crypto *c, mm_bytes pub, mm_bytes sig, unsigned flags)
{
    if (v == NULL || c == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    v->started = false;
    mm_lms_info info;
    mm_err e = mm_lms_sig_decode(pub, sig, flags, &info);
    for (uint32_t i = 0; e == MM_OK && i + 1 < info.levels; i++) {
        e = verify_level(c, &info.level[i], info.level[i + 1].pub);
    }
    if (e != MM_OK) {
        return e;
    }
    const mm_lms_level *lv = &info.level[info.levels - 1];
    level_parts lp;
    e = level_parts_of(c, lv, &lp);
    if (e == MM_OK) {
        e = message_begin(&v->msg, &lp, lv);
    }
    if (e != MM_OK) {
        return e;
    }
    v->y = lp.y;
    v->path = lp.path;
    v->q = lv->q;
    v->lms_type = lv->lms_type;
    v->ots_type = lv->ots_type;
    memcpy(v->I, lv->I.ptr, MM_LMS_I_LEN);
    memcpy(v->root, lv->pub.ptr + 24, lp.lms->m);
    v->started = true;
    return MM_OK;
}

mm_err mm_lms_verify_update(mm_lms_verify_ctx *v, mm_bytes chunk)
{
    if (v == NULL || !v->started) {
        return MM_ERR_STATE;
    }
    if (chunk.ptr == NULL && chunk.len != 0) {
        mm_lms_verify_abort(v);
        return MM_ERR_INVALID_ARG;
    }
    mm_err e = lms_h_update(&v->msg, chunk.ptr, chunk.len);
    if (e != MM_OK) {
        mm_lms_verify_abort(v);
    }
    return e;
}

mm_err mm_lms_verify_end(mm_lms_verify_ctx *v)
{
    if (v == NULL || !v->started) {
        return MM_ERR_STATE;
    }
    v->started = false;
    level_parts lp;
    uint8_t digest[MM_LMS_N_MAX];
    mm_err e = lms_h_final(&v->msg, digest);
    if (e == MM_OK) {
        lp.lms = mm_lms_type(v->lms_type);
        lp.ots = mm_lms_ots_type(v->ots_type);
        lp.y = v->y;
        lp.path = v->path;
        lp.c = NULL;
        e = lms_hash_setup(&lp.h, v->msg.crypto, lp.lms->hash_alg, lp.ots->n);
    }
    if (e == MM_OK) {
        e = level_finish(&lp, v->I, v->q, digest, v->root);
    }
    return e;
}

void mm_lms_verify_abort(mm_lms_verify_ctx *v)
{
    if (v != NULL && v->started) {
        lms_h_abort(&v->msg);
        v->started = false;
    }
}

mm_err mm_lms_verify(const mm_crypto *c, mm_bytes pub, mm_bytes msg, mm_bytes sig, unsigned flags)
{
    if (msg.ptr == NULL && msg.len != 0) {
        return MM_ERR_INVALID_ARG;
    }
    mm_lms_verify_ctx v;
    mm_err e = mm_lms_verify_begin(&v, c, pub, sig, flags);
    if (e == MM_OK) {
        e = mm_lms_verify_update(&v, msg);
    }
    return e == MM_OK ? mm_lms_verify_end(&v) : e;
}

mm_err mm_lms_ots_verify(const mm_crypto *c, mm_bytes ots_pub, mm_bytes msg, mm_bytes ots_sig)
{
    if (c == NULL || (ots_pub.ptr == NULL && ots_pub.len != 0) || (msg.ptr == NULL && msg.len != 0) ||
        (ots_sig.ptr == NULL && ots_sig.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    /* u32 type || I || u32 q || K */
    if (ots_pub.len < 4) {
        return MM_ERR_BAD_KEY;
    }
    const mm_lms_ots_type_info *ots = mm_lms_ots_type(lms_get_u32(ots_pub.ptr));
    if (ots == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (ots_pub.len != 24 + (size_t)ots->n) {
        return MM_ERR_BAD_KEY;
    }
    if (ots_sig.len < 4) {
        return MM_ERR_SIG_LENGTH;
    }
    if (lms_get_u32(ots_sig.ptr) != ots->type) {
        return MM_ERR_VERIFY;
    }
    if (ots_sig.len != mm_lms_ots_sig_len(ots)) {
        return MM_ERR_SIG_LENGTH;
    }
    const uint8_t *I = ots_pub.ptr + 4;
    uint32_t q = lms_get_u32(ots_pub.ptr + 20);
    lms_hash h;
    mm_lms_hash_state s;
    uint8_t digest[MM_LMS_N_MAX];
    uint8_t kc[MM_LMS_N_MAX];
    mm_err e = lms_hash_setup(&h, c, ots->hash_alg, ots->n);
    if (e == MM_OK) {
        e = lms_h_begin(&s, &h, I, q, LMS_D_MESG);
    }
    if (e == MM_OK) {
        if ((e = lms_h_update(&s, ots_sig.ptr + 4, ots->n)) == MM_OK) {
            e = lms_h_update(&s, msg.ptr, msg.len);
        }
        e = e == MM_OK ? lms_h_final(&s, digest) : (lms_h_abort(&s), e);
    }
    if (e == MM_OK) {
        e = lms_ots_candidate(&h, ots, I, q, digest, ots_sig.ptr + 4 + ots->n, kc);
    }
    if (e == MM_OK && !mm_ct_equal(kc, ots_pub.ptr + 24, ots->n)) {
        e = MM_ERR_VERIFY;
    }
    return e;
}
