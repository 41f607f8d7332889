/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EAT Attestation Results (draft-ietf-rats-ear) in CBOR: the claims-set
 * and its appraisals through the map engine, the AR4SI tiers, and the
 * rule that no status claims more trust than what it sums up.
 */
#include <stddef.h>

#include "eat_internal.h"

mm_ar4si_tier mm_ar4si_tier_of(int v)
{
    if (v >= -1 && v <= 1) {
        return MM_AR4SI_NONE;
    }
    if ((v >= 2 && v <= 31) || (v <= -2 && v >= -32)) {
        return MM_AR4SI_AFFIRMING;
    }
    if ((v >= 32 && v <= 95) || (v <= -33 && v >= -96)) {
        return MM_AR4SI_WARNING;
    }
    return MM_AR4SI_CONTRAINDICATED;
}

/* Trust order of the tiers, worst highest; none claims nothing. */
static int rank(unsigned tier)
{
    return tier == MM_AR4SI_AFFIRMING ? 1 : tier == MM_AR4SI_WARNING ? 2 : tier == MM_AR4SI_CONTRAINDICATED ? 3 : 0;
}

mm_ar4si_tier mm_ar4si_vector_tier(const mm_ar4si_vector *v)
{
    mm_ar4si_tier worst = MM_AR4SI_NONE;
    for (unsigned i = 0; i < MM_AR4SI_CATEGORIES; i++) {
        if ((v->present & (1u << i)) != 0) {
            mm_ar4si_tier t = mm_ar4si_tier_of(v->claim[i]);
            if (rank(t) > rank(worst)) {
                worst = t;
            }
        }
    }
    return worst;
}

const char *mm_ar4si_category_name(unsigned category)
{
    static const char *const names[MM_AR4SI_CATEGORIES] = {
        "instance-identity", "configuration",  "executables",    "file-system",
        "hardware",          "runtime-opaque", "storage-opaque", "sourced-data",
    };
    return category < MM_AR4SI_CATEGORIES ? names[category] : NULL;
}

const char *mm_ar4si_tier_name(int tier)
{
    switch (tier) {
    case MM_AR4SI_NONE:
        return "none";
    case MM_AR4SI_AFFIRMING:
        return "affirming";
    case MM_AR4SI_WARNING:
        return "warning";
    case MM_AR4SI_CONTRAINDICATED:
        return "contraindicated";
    default:
        return NULL;
    }
}

static bool is_tier(int64_t v) { return mm_ar4si_tier_name((int)v) != NULL && v >= 0 && v <= 96; }

/* A status claims no more trust than the worst tier below it. */
static bool status_fits(unsigned status, unsigned worst)
{
    return status == MM_AR4SI_NONE || rank(status) >= rank(worst);
}

/*
 * Decoding.
 */
typedef struct ear_ctx {
    const mm_ear_storage *st;
    mm_ear *out;
    mm_ear_appraisal *ap; /* the appraisal being read */
    size_t policy_used;
    mm_eat_claims scratch; /* the TEEP claims are checked into it */
} ear_ctx;

static mm_err read_tier(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    size_t off = mm_cbor_dec_offset(dec);
    int64_t v;
    if (mm_cbor_get_int(dec, INT64_MIN, INT64_MAX, &v) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (!is_tier(v)) {
        return eat_fail(dec, MM_ERR_CBOR_RANGE, off);
    }
    *(uint8_t *)dst = (uint8_t)v;
    return MM_OK;
}

static mm_err read_nonce(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    mm_bytes v;
    if (eat_get_bstr_sized(dec, MM_EAT_NONCE_MIN, MM_EAT_NONCE_MAX, &v) == MM_OK) {
        memcpy(dst, &v, sizeof v);
    }
    return mm_cbor_dec_error(dec, NULL);
}

/* {0: developer, 1: build} */
static mm_err read_verifier_id(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)dst;
    ear_ctx *ctx = user;
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_TSTR, MM_CBOR_F_REQUIRED, offsetof(mm_ear, developer), NULL},
        {1, NULL, MM_CBOR_F_TSTR, MM_CBOR_F_REQUIRED, offsetof(mm_ear, build), NULL},
    };
    return mm_cbor_decode_map(dec, fields, 2, ctx->out, NULL, NULL);
}

/* [alg, digest] */
static mm_err read_digest(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)dst;
    ear_ctx *ctx = user;
    size_t off = mm_cbor_dec_offset(dec);
    size_t n;
    int64_t alg;
    if (mm_cbor_enter_array(dec, &n) == MM_OK && n != 2) {
        return eat_fail(dec, MM_ERR_CBOR_TYPE, off);
    }
    if (mm_cbor_get_int(dec, INT32_MIN, INT32_MAX, &alg) == MM_OK &&
        mm_cbor_get_bstr(dec, &ctx->out->evidence_digest) == MM_OK) {
        ctx->out->evidence_digest_alg = (int32_t)alg;
    }
    return mm_cbor_exit(dec);
}

/* { ? 0..7 => -128..127 }, at least one claim. */
static mm_err read_vector(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    mm_ar4si_vector *v = dst;
    size_t n;
    memset(v, 0, sizeof *v);
    if (eat_enter(dec, true, 1, SIZE_MAX, &n) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        size_t key_off = mm_cbor_dec_offset(dec);
        uint64_t k;
        int64_t val;
        if (mm_cbor_get_uint(dec, &k) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        if (k >= MM_AR4SI_CATEGORIES) {
            return eat_fail(dec, MM_ERR_CBOR_RANGE, key_off);
        }
        if ((v->present & (1u << k)) != 0) {
            return eat_fail(dec, MM_ERR_CBOR_DUP_KEY, key_off);
        }
        if (mm_cbor_get_int(dec, -128, 127, &val) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        v->claim[k] = (int8_t)val;
        v->present |= (uint8_t)(1u << k);
    }
    return mm_cbor_exit(dec);
}

static mm_err read_policy_ids(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)dst;
    ear_ctx *ctx = user;
    size_t off = mm_cbor_dec_offset(dec);
    size_t n;
    if (eat_enter(dec, false, 1, SIZE_MAX, &n) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    const mm_ear_storage *st = ctx->st;
    if (st->policy_ids == NULL || st->policy_ids_cap - ctx->policy_used < n) {
        return eat_fail(dec, MM_ERR_TOO_LARGE, off);
    }
    ctx->ap->policy_ids = st->policy_ids + ctx->policy_used;
    ctx->ap->n_policy_ids = n;
    for (size_t i = 0; i < n; i++) {
        if (mm_cbor_get_tstr(dec, &st->policy_ids[ctx->policy_used++]) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
    }
    return mm_cbor_exit(dec);
}

/* ear_teep_claims: a claims-set (of EAT claims), kept encoded. */
static mm_err read_teep(mm_cbor_dec *dec, void *dst, void *user)
{
    ear_ctx *ctx = user;
    mm_cbor_item it;
    mm_bytes raw;
    if (eat_peek(dec, &it) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (it.type != MM_CBOR_MAP) {
        return eat_fail(dec, MM_ERR_CBOR_TYPE, it.offset);
    }
    if (mm_cbor_get_raw(dec, &raw) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    mm_err e = eat_check_claims(raw, 0, 1, &ctx->scratch);
    if (e != MM_OK) {
        return eat_fail(dec, e, it.offset);
    }
    memcpy(dst, &raw, sizeof raw);
    return MM_OK;
}

/* mamori_failed_checks: a map of text to text, kept encoded. */
static mm_err read_checks(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    size_t start = mm_cbor_dec_offset(dec);
    size_t n;
    if (eat_enter(dec, true, 1, SIZE_MAX, &n) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    for (size_t i = 0; i < 2 * n; i++) {
        mm_bytes t;
        if (mm_cbor_get_tstr(dec, &t) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
    }
    if (mm_cbor_exit(dec) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    mm_bytes raw = mm_bytes_make(dec->base + start, mm_cbor_dec_offset(dec) - start);
    memcpy(dst, &raw, sizeof raw);
    return MM_OK;
}

static mm_err skip_unknown(mm_cbor_dec *dec, const mm_cbor_item *key, void *user)
{
    (void)key;
    (void)user;
    return mm_cbor_skip(dec); /* EAR: a receiver ignores unknown claims */
}

#define AP(label, kind, member, fn, flags)                                                                             \
    {                                                                                                                  \
        label, NULL, kind, flags, offsetof(mm_ear_appraisal, member), fn                                               \
    }

/* In the order of the MM_EAR_AP_* bits, status last. */
static const mm_cbor_field appraisal_fields[] = {
    AP(MM_EAR_TRUST_VECTOR, MM_CBOR_F_CUSTOM, vector, read_vector, 0),
    AP(MM_EAT_PROFILE, MM_CBOR_F_TSTR, profile, NULL, 0),
    AP(MM_EAR_POLICY_IDS, MM_CBOR_F_CUSTOM, policy_ids, read_policy_ids, 0),
    AP(MM_EAT_NONCE, MM_CBOR_F_CUSTOM, nonce, read_nonce, 0),
    AP(MM_EAR_TEEP_CLAIMS, MM_CBOR_F_CUSTOM, teep, read_teep, 0),
    AP(MM_EAR_FAILED_CHECKS, MM_CBOR_F_CUSTOM, checks, read_checks, 0),
    AP(MM_EAR_STATUS, MM_CBOR_F_CUSTOM, status, read_tier, MM_CBOR_F_REQUIRED),
};

static mm_err read_appraisal(mm_cbor_dec *dec, ear_ctx *ctx, mm_ear_appraisal *ap)
{
    size_t start = mm_cbor_dec_offset(dec);
    uint64_t present = 0;
    mm_cbor_map_opts opts = {skip_unknown, ctx, 0};
    ctx->ap = ap;
    if (mm_cbor_decode_map(dec, appraisal_fields, sizeof appraisal_fields / sizeof appraisal_fields[0], ap, &present,
                           &opts) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    ap->present = (uint32_t)(present & 0x3fu);
    ap->map = mm_bytes_make(dec->base + start, mm_cbor_dec_offset(dec) - start);
    if ((ap->present & MM_EAR_AP_VECTOR) != 0 && !status_fits(ap->status, mm_ar4si_vector_tier(&ap->vector))) {
        return eat_fail(dec, MM_ERR_CLAIM_MISMATCH, start);
    }
    return MM_OK;
}

static mm_err read_submods(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)dst;
    ear_ctx *ctx = user;
    size_t off = mm_cbor_dec_offset(dec);
    size_t n;
    if (eat_enter(dec, true, 1, SIZE_MAX, &n) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (ctx->st->appraisals == NULL || n > ctx->st->appraisals_cap) {
        return eat_fail(dec, MM_ERR_TOO_LARGE, off);
    }
    for (size_t i = 0; i < n; i++) {
        mm_ear_appraisal *ap = &ctx->st->appraisals[i];
        memset(ap, 0, sizeof *ap);
        size_t key_off = mm_cbor_dec_offset(dec);
        if (mm_cbor_get_tstr(dec, &ap->name) != MM_OK || read_appraisal(dec, ctx, ap) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        for (size_t j = 0; j < i; j++) {
            if (mm_bytes_equal(ctx->st->appraisals[j].name, ap->name)) {
                return eat_fail(dec, MM_ERR_CBOR_DUP_KEY, key_off);
            }
        }
    }
    ctx->out->submods = ctx->st->appraisals;
    ctx->out->n_submods = n;
    return mm_cbor_exit(dec);
}

#define E(label, kind, member, fn, flags)                                                                              \
    {                                                                                                                  \
        label, NULL, kind, flags, offsetof(mm_ear, member), fn                                                         \
    }

/* In the order of the MM_EAR_HAS_* bits, then the required claims. */
static const mm_cbor_field ear_fields[] = {
    E(MM_EAR_STATUS, MM_CBOR_F_CUSTOM, status, read_tier, 0),
    E(MM_CWT_EXP, MM_CBOR_F_INT, exp, NULL, 0),
    E(MM_EAR_RAW_EVIDENCE, MM_CBOR_F_BSTR, raw_evidence, NULL, 0),
    E(MM_EAT_NONCE, MM_CBOR_F_CUSTOM, nonce, read_nonce, 0),
    E(MM_EAR_EVIDENCE_DIGEST, MM_CBOR_F_CUSTOM, evidence_digest, read_digest, 0),
    E(MM_EAT_PROFILE, MM_CBOR_F_TSTR, profile, NULL, MM_CBOR_F_REQUIRED),
    E(MM_CWT_IAT, MM_CBOR_F_INT, iat, NULL, MM_CBOR_F_REQUIRED),
    E(MM_EAR_VERIFIER_ID, MM_CBOR_F_CUSTOM, developer, read_verifier_id, MM_CBOR_F_REQUIRED),
    E(MM_EAT_SUBMODS, MM_CBOR_F_CUSTOM, submods, read_submods, MM_CBOR_F_REQUIRED),
};

mm_err mm_ear_decode(mm_bytes map, const mm_ear_storage *st, mm_ear *out, size_t *err_off)
{
    static const mm_ear_storage none = {NULL, 0, NULL, 0};
    if (out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    ear_ctx ctx;
    ctx.st = st != NULL ? st : &none;
    ctx.out = out;
    ctx.ap = NULL;
    ctx.policy_used = 0;
    mm_cbor_dec d;
    uint64_t present = 0;
    mm_cbor_map_opts opts = {skip_unknown, &ctx, 0};
    mm_err e = mm_cbor_dec_init(&d, map, MM_CBOR_CHECK_UTF8);
    if (e == MM_OK) {
        e = mm_cbor_decode_map(&d, ear_fields, sizeof ear_fields / sizeof ear_fields[0], out, &present, &opts);
    }
    if (e == MM_OK && !mm_bytes_equal(out->profile, MM_BYTES_LIT(MM_EAR_PROFILE))) {
        e = mm_cbor_dec_fail(&d, MM_ERR_CLAIM_MISMATCH, 0);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    if (e != MM_OK) {
        if (err_off != NULL) {
            (void)mm_cbor_dec_error(&d, err_off);
        }
        return e;
    }
    out->present = (uint32_t)(present & 0x1fu);
    out->map = map;
    if ((out->present & MM_EAR_HAS_STATUS) != 0) {
        for (size_t i = 0; i < out->n_submods; i++) {
            if (!status_fits(out->status, out->submods[i].status)) {
                return MM_ERR_CLAIM_MISMATCH;
            }
        }
    }
    return MM_OK;
}

/*
 * Encoding.
 */

static bool text_ok(mm_bytes b) { return b.ptr != NULL || b.len == 0; }

static mm_err put_appraisal(mm_cbor_enc *enc, const mm_ear_appraisal *ap)
{
    if (!is_tier(ap->status) || !text_ok(ap->name) ||
        ((ap->present & MM_EAR_AP_VECTOR) != 0 &&
         (ap->vector.present == 0 || !status_fits(ap->status, mm_ar4si_vector_tier(&ap->vector))))) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_put_tstr(enc, ap->name);
    mm_cbor_open_map(enc);
    mm_cbor_put_uint(enc, MM_EAR_STATUS);
    mm_cbor_put_uint(enc, ap->status);
    if ((ap->present & MM_EAR_AP_VECTOR) != 0) {
        mm_cbor_put_uint(enc, MM_EAR_TRUST_VECTOR);
        mm_cbor_open_map(enc);
        for (unsigned i = 0; i < MM_AR4SI_CATEGORIES; i++) {
            if ((ap->vector.present & (1u << i)) != 0) {
                mm_cbor_put_uint(enc, i);
                mm_cbor_put_int(enc, ap->vector.claim[i]);
            }
        }
        mm_cbor_close(enc, NULL);
    }
    if ((ap->present & MM_EAR_AP_PROFILE) != 0) {
        mm_cbor_put_uint(enc, MM_EAT_PROFILE);
        mm_cbor_put_tstr(enc, ap->profile);
    }
    if ((ap->present & MM_EAR_AP_POLICY_IDS) != 0) {
        if (ap->n_policy_ids == 0 || ap->policy_ids == NULL) {
            return MM_ERR_INVALID_ARG;
        }
        mm_cbor_put_uint(enc, MM_EAR_POLICY_IDS);
        mm_cbor_put_array(enc, ap->n_policy_ids);
        for (size_t i = 0; i < ap->n_policy_ids; i++) {
            mm_cbor_put_tstr(enc, ap->policy_ids[i]);
        }
    }
    if ((ap->present & MM_EAR_AP_NONCE) != 0) {
        if (ap->nonce.len < MM_EAT_NONCE_MIN || ap->nonce.len > MM_EAT_NONCE_MAX) {
            return MM_ERR_INVALID_ARG;
        }
        mm_cbor_put_uint(enc, MM_EAT_NONCE);
        mm_cbor_put_bstr(enc, ap->nonce);
    }
    if ((ap->present & MM_EAR_AP_TEEP) != 0) {
        mm_cbor_put_uint(enc, MM_EAR_TEEP_CLAIMS);
        if (ap->teep.len == 0 || (ap->teep.ptr[0] >> 5) != 5 || mm_cbor_put_raw(enc, ap->teep) != MM_OK) {
            return MM_ERR_INVALID_ARG;
        }
    }
    if ((ap->present & MM_EAR_AP_CHECKS) != 0) {
        mm_cbor_put_int(enc, MM_EAR_FAILED_CHECKS);
        if (ap->checks.len == 0 || (ap->checks.ptr[0] >> 5) != 5 || mm_cbor_put_raw(enc, ap->checks) != MM_OK) {
            return MM_ERR_INVALID_ARG;
        }
    }
    return mm_cbor_close(enc, NULL);
}

static mm_err write_ear(mm_cbor_enc *enc, void *user)
{
    const mm_ear *e = user;
    if (e->n_submods == 0 || e->submods == NULL || !text_ok(e->developer) || !text_ok(e->build) ||
        ((e->present & MM_EAR_HAS_STATUS) != 0 && !is_tier(e->status))) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_open_map(enc);
    mm_cbor_put_uint(enc, MM_EAT_PROFILE);
    mm_cbor_put_cstr(enc, MM_EAR_PROFILE);
    mm_cbor_put_uint(enc, MM_CWT_IAT);
    mm_cbor_put_int(enc, e->iat);
    mm_cbor_put_uint(enc, MM_EAR_VERIFIER_ID);
    mm_cbor_put_map(enc, 2);
    mm_cbor_put_uint(enc, 0);
    mm_cbor_put_tstr(enc, e->developer);
    mm_cbor_put_uint(enc, 1);
    mm_cbor_put_tstr(enc, e->build);
    if ((e->present & MM_EAR_HAS_STATUS) != 0) {
        mm_cbor_put_uint(enc, MM_EAR_STATUS);
        mm_cbor_put_uint(enc, e->status);
    }
    if ((e->present & MM_EAR_HAS_EXP) != 0) {
        mm_cbor_put_uint(enc, MM_CWT_EXP);
        mm_cbor_put_int(enc, e->exp);
    }
    if ((e->present & MM_EAR_HAS_RAW_EVIDENCE) != 0) {
        mm_cbor_put_uint(enc, MM_EAR_RAW_EVIDENCE);
        mm_cbor_put_bstr(enc, e->raw_evidence);
    }
    if ((e->present & MM_EAR_HAS_NONCE) != 0) {
        if (e->nonce.len < MM_EAT_NONCE_MIN || e->nonce.len > MM_EAT_NONCE_MAX) {
            return MM_ERR_INVALID_ARG;
        }
        mm_cbor_put_uint(enc, MM_EAT_NONCE);
        mm_cbor_put_bstr(enc, e->nonce);
    }
    if ((e->present & MM_EAR_HAS_EVIDENCE_DIGEST) != 0) {
        mm_cbor_put_int(enc, MM_EAR_EVIDENCE_DIGEST);
        mm_cbor_put_array(enc, 2);
        mm_cbor_put_int(enc, e->evidence_digest_alg);
        mm_cbor_put_bstr(enc, e->evidence_digest);
    }
    mm_cbor_put_uint(enc, MM_EAT_SUBMODS);
    mm_cbor_open_map(enc);
    for (size_t i = 0; i < e->n_submods; i++) {
        if ((e->present & MM_EAR_HAS_STATUS) != 0 && !status_fits(e->status, e->submods[i].status)) {
            return MM_ERR_INVALID_ARG;
        }
        mm_err err = put_appraisal(enc, &e->submods[i]);
        if (err != MM_OK) {
            return err;
        }
    }
    mm_cbor_close(enc, NULL);
    return mm_cbor_close(enc, NULL);
}

mm_err mm_ear_encode(const mm_ear *e, mm_buf *out)
{
    if (e == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->ptr != NULL ? out->cap : 0);
    void *u;
    memcpy(&u, &e, sizeof u); /* the writer only reads */
    return eat_enc_end(&enc, write_ear(&enc, u), out);
}

mm_err mm_ear_sign(const mm_ear *e, const mm_cose_create_opts *opts, unsigned flags, mm_buf *out)
{
    if (e == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return eat_sign_cwt(opts, flags, write_ear, e, out);
}

mm_err mm_ear_verify(mm_bytes token, const mm_cose_verify_opts *opts, const mm_cwt_check *time, mm_bytes nonce,
                     const mm_ear_storage *st, mm_ear *out)
{
    if (opts == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_eat_token t;
    memset(&t, 0, sizeof t);
    mm_err e = eat_open_cwt(token, opts, true, &t);
    if (e == MM_OK) {
        e = mm_ear_decode(t.payload, st, out, NULL);
    }
    if (e != MM_OK) {
        return e;
    }
    return mm_ear_check(out, time, nonce);
}

mm_err mm_ear_check(const mm_ear *e, const mm_cwt_check *time, mm_bytes nonce)
{
    if (e == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (time != NULL) {
        mm_cwt_claims c;
        memset(&c, 0, sizeof c);
        c.iat = e->iat;
        c.exp = e->exp;
        c.present = MM_CWT_HAS_IAT | ((e->present & MM_EAR_HAS_EXP) != 0 ? MM_CWT_HAS_EXP : 0u);
        mm_err err = mm_cwt_validate(&c, time);
        if (err != MM_OK) {
            return err;
        }
    }
    if (nonce.len != 0) {
        if ((e->present & MM_EAR_HAS_NONCE) == 0) {
            return MM_ERR_MISSING_FIELD;
        }
        if (!mm_bytes_equal(e->nonce, nonce)) {
            return MM_ERR_CLAIM_MISMATCH;
        }
    }
    return MM_OK;
}

const mm_ear_appraisal *mm_ear_find(const mm_ear *e, mm_bytes name)
{
    for (size_t i = 0; e != NULL && i < e->n_submods; i++) {
        if (mm_bytes_equal(e->submods[i].name, name)) {
            return &e->submods[i];
        }
    }
    return NULL;
}

mm_err mm_ear_teep_claims(const mm_eat_claims *evidence, mm_buf *out)
{
    if (evidence == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    const uint32_t teep = MM_EAT_HAS_NONCE | MM_EAT_HAS_UEID | MM_EAT_HAS_OEMID | MM_EAT_HAS_HWMODEL |
                          MM_EAT_HAS_HWVERSION | MM_EAT_HAS_MANIFESTS;
    mm_eat_claims c;
    memset(&c, 0, sizeof c);
    c.present = evidence->present & teep;
    if (c.present == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    c.nonce = evidence->nonce;
    c.nonces = evidence->nonces;
    c.n_nonces = evidence->n_nonces;
    c.ueid = evidence->ueid;
    c.oemid = evidence->oemid;
    c.hwmodel = evidence->hwmodel;
    c.hwversion = evidence->hwversion;
    c.manifests = evidence->manifests;
    c.n_manifests = evidence->n_manifests;
    return mm_eat_claims_encode(&c, out);
}
