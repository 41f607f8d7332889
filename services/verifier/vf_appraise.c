/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One appraisal, from the evidence's bytes to a signed result or a
 * refusal:
 *
 *   1. read the COSE layer's kid and the claims that name the attester
 *      (ueid, oemid, hwmodel) without trusting them, only to find the
 *      endorsed keys that may have signed;
 *   2. verify the token with those keys (signature, then claims, exp, nbf):
 *      from here on the claims are authenticated;
 *   3. refuse what this verifier does not appraise (submodules, profiles
 *      it does not know), check the TEEP profile when the token names it;
 *   4. freshness: a nonce this verifier issued and that has not expired,
 *      or, in timestamp mode, an iat within the window;
 *   5. evaluate the policy (vf_policy.c) and sign the result.
 *
 * The nonce is then recorded used (vf_use_nonce(), in memory) before the
 * result leaves the process.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/cose.h"
#include "vf_internal.h"

/* Claims storage of one evidence token: what a device reports, with room. */
typedef struct appraisal {
    mm_bytes nonces[8];
    mm_eat_sueid sueids[8];
    mm_eat_dloa dloas[8];
    mm_eat_manifest manifests[32];
    mm_eat_manifest measurements[32];
    mm_eat_measres measres[8];
    mm_eat_result results[64];
    mm_eat_submod submods[8];
    mm_eat_claim unknown[32];
    mm_eat_storage st;
    mm_eat_claims peek; /* unauthenticated: only to look the attester up */
    mm_eat_token token; /* authenticated */
    vf_rows *rows;      /* scratch for rows not cached (malloc'ed when needed) */
    vf_policy_rows pol; /* the rows in use */
    int64_t version;    /* the policy's, read once per appraisal */
    vf_verdict verdict;
    uint8_t oemid[32];
    size_t oemid_len;
} appraisal;

void vf_refuse(vf_outcome *out, unsigned status, const char *title, const char *fmt, ...)
{
    out->status = status;
    out->title = title;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->detail, sizeof out->detail, fmt, ap);
    va_end(ap);
}

void vf_outcome_free(vf_outcome *out)
{
    if (out != NULL) {
        free(out->result);
        out->result = NULL;
        out->result_len = 0;
    }
}

static void hex(mm_bytes b, char *out, size_t cap)
{
    static const char digits[] = "0123456789abcdef";
    size_t n = 0;
    for (size_t i = 0; i < b.len && n + 3 < cap; i++) {
        out[n++] = digits[b.ptr[i] >> 4];
        out[n++] = digits[b.ptr[i] & 15];
    }
    out[n] = '\0';
}

/* Step 1: the COSE layer and the claims, read but not trusted. */
static bool peek(const vf_service *svc, mm_bytes ev, appraisal *a, mm_bytes *kid, vf_outcome *out)
{
    (void)svc;
    mm_cbor_dec d;
    mm_cbor_item it;
    bool cwt_tag = false;
    size_t off = 0;
    mm_err e = mm_cbor_dec_init(&d, ev, 0);
    if (e == MM_OK) {
        e = mm_cbor_opt_tag(&d, MM_CWT_TAG, &cwt_tag);
    }
    if (e == MM_OK) {
        e = mm_cbor_peek(&d, &it);
    }
    if (e != MM_OK) {
        (void)mm_cbor_dec_error(&d, &off);
        vf_refuse(out, 400, VF_T_MALFORMED, "not a CWT: %s at byte %zu", mm_strerror(e), off);
        return false;
    }
    if (it.type == MM_CBOR_TAG && it.arg == MM_COSE_TAG_MAC0) {
        vf_refuse(out, 422, VF_T_UNSUPPORTED,
                  "MACed evidence (COSE_Mac0) is not appraised: this verifier shares no keys with attesters");
        return false;
    }
    if (it.type == MM_CBOR_TAG && it.arg != MM_COSE_TAG_SIGN1) {
        vf_refuse(out, 422, VF_T_UNSUPPORTED, "a CWT holding CBOR tag %llu: only COSE_Sign1 evidence is appraised",
                  (unsigned long long)it.arg);
        return false;
    }
    mm_cose_sign1 s;
    e = mm_cose_sign1_decode(mm_bytes_make(ev.ptr + it.offset, ev.len - it.offset), &s, &off);
    if (e == MM_OK && s.detached) {
        e = MM_ERR_MISSING_FIELD;
    }
    if (e != MM_OK) {
        vf_refuse(out, 400, VF_T_MALFORMED, "not a COSE_Sign1 with claims: %s at byte %zu", mm_strerror(e),
                  off + it.offset);
        return false;
    }
    e = mm_eat_claims_decode(s.payload, 0, &a->st, &a->peek, &off);
    if (e != MM_OK) {
        vf_refuse(out, e == MM_ERR_TOO_LARGE ? 413 : 400, VF_T_MALFORMED, "claims: %s at byte %zu of the payload",
                  mm_strerror(e), off);
        return false;
    }
    *kid = (s.hdr.present & MM_HDRBIT_KID) != 0 ? s.hdr.kid : mm_bytes_make(NULL, 0);
    return true;
}

/* A short description of how the attester was looked up, for refusals. */
static void describe(const vf_lookup *lk, char *out, size_t cap)
{
    char h[80];
    if (lk->kid.len != 0) {
        hex(mm_bytes_make(lk->kid.ptr, lk->kid.len > 32 ? 32 : lk->kid.len), h, sizeof h);
        snprintf(out, cap, "kid %s", h);
    } else if (lk->ueid.len != 0) {
        hex(lk->ueid, h, sizeof h);
        snprintf(out, cap, "ueid %s", h);
    } else if (lk->oemid.len != 0 && lk->hwmodel.len != 0) {
        char o[64];
        vf_oemid_text(lk->oemid, o, sizeof o);
        hex(mm_bytes_make(lk->hwmodel.ptr, lk->hwmodel.len > 32 ? 32 : lk->hwmodel.len), h, sizeof h);
        snprintf(out, cap, "oemid %s, hwmodel %s", o, h);
    } else {
        snprintf(out, cap, "no kid, ueid, or oemid and hwmodel");
    }
}

/* Step 2: the endorsed keys, one by one; *chosen gets the one that
 * verified. */
static bool authenticate(vf_service *svc, mm_bytes ev, appraisal *a, const vf_lookup *lk, size_t *chosen,
                         vf_outcome *out)
{
    char who[160];
    describe(lk, who, sizeof who);
    mm_err e = vf_cache_endorsements(&svc->cache, svc->store, a->version, lk, &a->rows, &a->pol);
    if (e != MM_OK) {
        vf_refuse(out, 503, VF_T_UNAVAILABLE, "cannot read the endorsements: %s", mm_strerror(e));
        return false;
    }
    if (a->pol.n_endorsements == 0) {
        vf_refuse(out, 403, VF_T_UNKNOWN, "no endorsement for %s", who);
        return false;
    }
    mm_cwt_check chk;
    memset(&chk, 0, sizeof chk);
    chk.now = vf_now(svc);
    chk.leeway = svc->cfg.leeway;
    size_t scratch_len = ev.len + 1024; /* EdDSA verifies over the whole ToBeSigned */
    uint8_t *scratch = malloc(scratch_len);
    if (scratch == NULL) {
        vf_refuse(out, 500, VF_T_FAILURE, "out of memory");
        return false;
    }
    mm_err worst = MM_ERR_VERIFY;
    bool ok = false;
    for (size_t i = 0; i < a->pol.n_endorsements && !ok; i++) {
        vf_key_ref key;
        e = vf_keys_get(&svc->keys, svc->crypto, a->pol.endorsements[i].cose_key, &key);
        if (e != MM_OK) {
            vf_log(svc, "endorsement %lld: the stored key does not import: %s", (long long)a->pol.endorsements[i].id,
                   mm_strerror(e));
            continue;
        }
        mm_eat_verify_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = svc->crypto;
        o.key = key.key;
        o.time = &chk;
        o.flags = MM_EAT_NESTED_UNCHECKED; /* submodules are refused below */
        o.storage = &a->st;
        o.scratch = scratch;
        o.scratch_len = scratch_len;
        e = mm_eat_verify(ev, &o, &a->token);
        vf_keys_put(&svc->keys, &key);
        if (e == MM_OK) {
            *chosen = i;
            ok = true;
        } else if (e == MM_ERR_EXPIRED || e == MM_ERR_NOT_YET_VALID || mm_err_class(e) == 1) {
            worst = e; /* authentic but stale, or a claim the peek let pass: the most telling */
        }
    }
    free(scratch);
    if (ok) {
        return true;
    }
    if (worst == MM_ERR_EXPIRED || worst == MM_ERR_NOT_YET_VALID) {
        vf_refuse(out, 403, VF_T_NOT_FRESH, "the evidence %s (exp/nbf, %u s of clock skew allowed)",
                  worst == MM_ERR_EXPIRED ? "has expired" : "is not valid yet", svc->cfg.leeway);
    } else if (mm_err_class(worst) == 1) {
        vf_refuse(out, 400, VF_T_MALFORMED, "claims: %s", mm_strerror(worst));
    } else {
        vf_refuse(out, 403, VF_T_SIGNATURE, "the evidence does not verify with the %zu key%s endorsed for %s",
                  a->pol.n_endorsements, a->pol.n_endorsements == 1 ? "" : "s", who);
    }
    return false;
}

/* Step 3: what this verifier appraises; *teep when the TEEP profile
 * applies. */
static bool profile_ok(const vf_service *svc, const vf_request *req, const appraisal *a, bool *teep, vf_outcome *out)
{
    const mm_eat_claims *c = &a->token.claims;
    bool stated = (c->present & MM_EAT_HAS_PROFILE) != 0;
    *teep = false;
    if (stated && c->profile_is_oid) {
        vf_refuse(out, 422, VF_T_PROFILE, "eat_profile is an OID: this verifier knows its profiles by URI");
        return false;
    }
    if (req->type_profile.len != 0 && (!stated || !mm_bytes_equal(req->type_profile, c->profile))) {
        vf_refuse(out, 422, VF_T_PROFILE, "the media type names eat_profile \"%.*s\", the evidence %s%.*s%s",
                  (int)req->type_profile.len, (const char *)req->type_profile.ptr, stated ? "\"" : "none",
                  stated ? (int)c->profile.len : 0, stated ? (const char *)c->profile.ptr : "", stated ? "\"" : "");
        return false;
    }
    if (!stated) {
        return true;
    }
    if (mm_bytes_equal(c->profile, mm_bytes_from_cstr(svc->cfg.teep_profile))) {
        *teep = true;
        return true;
    }
    for (size_t i = 0; i < svc->cfg.n_profiles; i++) {
        if (mm_bytes_equal(c->profile, mm_bytes_from_cstr(svc->cfg.profiles[i]))) {
            return true;
        }
    }
    vf_refuse(out, 422, VF_T_PROFILE, "eat_profile \"%.*s\" is not one this verifier appraises",
              c->profile.len > 120 ? 120 : (int)c->profile.len, (const char *)c->profile.ptr);
    return false;
}

static bool teep_ok(const vf_service *svc, mm_bytes ev, const appraisal *a, const mm_key *key, vf_outcome *out)
{
    mm_eat_teep_check tc;
    memset(&tc, 0, sizeof tc);
    tc.crypto = svc->crypto;
    tc.key = key;
    tc.profile = mm_bytes_from_cstr(svc->cfg.teep_profile);
    const char *why = NULL;
    mm_err e = mm_eat_teep_profile_check(ev, &a->token, &tc, &why);
    if (e != MM_OK) {
        vf_refuse(out, 422, VF_T_TEEP, "%s (%s)", why != NULL ? why : mm_strerror(e), mm_errname(e));
        return false;
    }
    return true;
}

/* Step 4: freshness. out->use gets the nonce to mark used. */
static bool fresh(const vf_service *svc, const appraisal *a, vf_outcome *out)
{
    const mm_eat_claims *c = &a->token.claims;
    int64_t now = vf_now(svc);
    if ((c->present & MM_EAT_HAS_NONCE) == 0) {
        if (svc->cfg.iat_window == 0) {
            vf_refuse(out, 403, VF_T_NOT_FRESH,
                      "the evidence carries no nonce, and this verifier requires one (POST /challenge)");
            return false;
        }
        if ((c->cwt.present & MM_CWT_HAS_IAT) == 0) {
            vf_refuse(out, 403, VF_T_NOT_FRESH, "the evidence carries neither a nonce nor iat");
            return false;
        }
        if (c->cwt.iat < now - (int64_t)svc->cfg.iat_window || c->cwt.iat > now + (int64_t)svc->cfg.leeway) {
            vf_refuse(out, 403, VF_T_NOT_FRESH, "iat is %lld s %s; accepted: at most %u s old",
                      (long long)(c->cwt.iat > now ? c->cwt.iat - now : now - c->cwt.iat),
                      c->cwt.iat > now ? "ahead" : "old", svc->cfg.iat_window);
            return false;
        }
        return true;
    }
    size_t n = c->nonces != NULL ? c->n_nonces : 1;
    bool expired = false;
    int64_t expiry = 0;
    for (size_t i = 0; i < n; i++) {
        mm_bytes nonce = c->nonces != NULL ? c->nonces[i] : c->nonce;
        int64_t exp = 0;
        mm_err e = vf_nonce_check(svc->crypto, &svc->nonce_key, nonce, now, &exp);
        if (e == MM_OK) {
            memcpy(out->nonce, nonce.ptr, nonce.len);
            out->nonce_len = nonce.len;
            out->nonce_expires = exp;
            out->needs_use = true;
            return true;
        }
        if (e == MM_ERR_EXPIRED) {
            expired = true;
            expiry = exp;
        }
    }
    if (expired) {
        vf_refuse(out, 403, VF_T_NONCE_EXPIRED, "the nonce expired %lld s ago (a nonce is valid for %u s)",
                  (long long)(now - expiry), svc->cfg.nonce_ttl);
    } else {
        vf_refuse(out, 403, VF_T_NONCE_UNKNOWN, "the evidence's nonce was not issued by this verifier");
    }
    return false;
}

/* The sources of the endorsement and of the reference values that
 * applied, as policy ids (distinct, at most 8). */
static size_t policy_ids(const appraisal *a, const vf_endorsement *e, mm_bytes ids[8])
{
    size_t n = 0;
    ids[n++] = e->source;
    for (unsigned kind = 1; kind < VF_REF_KINDS; kind++) {
        int best = -1;
        for (size_t i = 0; i < a->pol.n_refs; i++) {
            if (a->pol.refs[i].kind == kind && vf_scope_rank(&a->pol.refs[i].scope) > best) {
                best = vf_scope_rank(&a->pol.refs[i].scope);
            }
        }
        for (size_t i = 0; i < a->pol.n_refs && n < 8; i++) {
            const vf_ref *r = &a->pol.refs[i];
            bool seen = r->kind != kind || vf_scope_rank(&r->scope) != best || r->source.len == 0;
            for (size_t j = 0; j < n && !seen; j++) {
                seen = mm_bytes_equal(ids[j], r->source);
            }
            if (!seen) {
                ids[n++] = r->source;
            }
        }
    }
    return n;
}

static void run(vf_service *svc, const vf_request *req, appraisal *a, vf_outcome *out)
{
    mm_bytes kid;
    if (!peek(svc, req->evidence, a, &kid, out)) {
        return;
    }
    vf_lookup lk;
    memset(&lk, 0, sizeof lk);
    lk.kid = kid;
    if ((a->peek.present & MM_EAT_HAS_UEID) != 0) {
        lk.ueid = a->peek.ueid;
    }
    if ((a->peek.present & MM_EAT_HAS_OEMID) != 0 &&
        vf_oemid_encode(&a->peek.oemid, a->oemid, &a->oemid_len) == MM_OK) {
        lk.oemid = mm_bytes_make(a->oemid, a->oemid_len);
    }
    if ((a->peek.present & MM_EAT_HAS_HWMODEL) != 0) {
        lk.hwmodel = a->peek.hwmodel;
    }
    /* Once per appraisal: rows cached before a policy change are not used
     * after it. */
    mm_err ve = vf_store_policy_version(svc->store, &a->version);
    if (ve != MM_OK) {
        vf_refuse(out, 503, VF_T_UNAVAILABLE, "cannot read the policy's version: %s", mm_strerror(ve));
        return;
    }
    size_t chosen = 0;
    if (!authenticate(svc, req->evidence, a, &lk, &chosen, out)) {
        return;
    }
    /* From here on only authenticated claims are used, the lookup too. */
    const mm_eat_claims *c = &a->token.claims;
    const vf_endorsement *endorsement = &a->pol.endorsements[chosen];
    if ((c->present & MM_EAT_HAS_SUBMODS) != 0) {
        vf_refuse(out, 422, VF_T_UNSUPPORTED,
                  "the evidence has submodules (%zu): this verifier appraises single attesters only", c->n_submods);
        return;
    }
    bool teep = false;
    if (!profile_ok(svc, req, a, &teep, out)) {
        return;
    }
    if (teep) {
        vf_key_ref key;
        if (vf_keys_get(&svc->keys, svc->crypto, endorsement->cose_key, &key) != MM_OK) {
            vf_refuse(out, 500, VF_T_FAILURE, "the endorsed key does not import");
            return;
        }
        bool ok = teep_ok(svc, req->evidence, a, key.key, out);
        vf_keys_put(&svc->keys, &key);
        if (!ok) {
            return;
        }
    }
    if (!fresh(svc, a, out)) {
        return;
    }
    memset(&lk, 0, sizeof lk);
    lk.ueid = (c->present & MM_EAT_HAS_UEID) != 0 ? c->ueid : mm_bytes_make(NULL, 0);
    if ((c->present & MM_EAT_HAS_OEMID) != 0 && (c->present & MM_EAT_HAS_HWMODEL) != 0 &&
        vf_oemid_encode(&c->oemid, a->oemid, &a->oemid_len) == MM_OK) {
        lk.oemid = mm_bytes_make(a->oemid, a->oemid_len);
        lk.hwmodel = c->hwmodel;
    } else if (endorsement->scope.oemid.len != 0) {
        /* A model's key: its reference values apply whatever the evidence says. */
        lk.oemid = endorsement->scope.oemid;
        lk.hwmodel = endorsement->scope.hwmodel;
    }
    if (lk.ueid.len == 0 && endorsement->scope.ueid.len != 0) {
        lk.ueid = endorsement->scope.ueid; /* a device's key: the device's reference values */
    }
    mm_err e = vf_cache_refs(&svc->cache, svc->store, a->version, &lk, &a->rows, &a->pol);
    if (e != MM_OK) {
        vf_refuse(out, e == MM_ERR_TOO_LARGE ? 500 : 503, e == MM_ERR_TOO_LARGE ? VF_T_FAILURE : VF_T_UNAVAILABLE,
                  "cannot read the reference values: %s", mm_strerror(e));
        return;
    }
    vf_policy_in in = {svc->crypto, endorsement, a->pol.refs, a->pol.n_refs};
    if (vf_policy_evaluate(c, &in, &a->verdict) != MM_OK) {
        vf_refuse(out, 500, VF_T_FAILURE, "the policy could not be evaluated");
        return;
    }
    mm_bytes ids[8];
    vf_result_in ri;
    memset(&ri, 0, sizeof ri);
    ri.claims = c;
    ri.evidence = req->evidence;
    ri.verdict = &a->verdict;
    ri.name = teep ? MM_BYTES_LIT("TEEP") : MM_BYTES_LIT("device");
    ri.teep = teep;
    ri.nonce = out->needs_use ? mm_bytes_make(out->nonce, out->nonce_len) : mm_bytes_make(NULL, 0);
    ri.policy_ids = ids;
    ri.n_policy_ids = policy_ids(a, endorsement, ids);
    e = vf_result_sign(svc, &ri, req->jwt, &out->result, &out->result_len);
    if (e != MM_OK) {
        vf_refuse(out, 500, VF_T_FAILURE, "cannot sign the result: %s", mm_strerror(e));
        out->needs_use = false;
        return;
    }
    out->status = 200;
    out->jwt = req->jwt;
    out->tier = a->verdict.status;
}

void vf_appraise(vf_service *svc, const vf_request *req, vf_outcome *out)
{
    memset(out, 0, sizeof *out);
    appraisal *a = calloc(1, sizeof *a);
    if (a == NULL) {
        vf_refuse(out, 500, VF_T_FAILURE, "out of memory");
        return;
    }
    mm_eat_storage st = {a->nonces,  8, a->sueids,  8,  a->dloas,   8, a->manifests, 32, a->measurements, 32,
                         a->measres, 8, a->results, 64, a->submods, 8, a->unknown,   32};
    a->st = st;
    run(svc, req, a, out);
    vf_policy_rows_release(&svc->cache, &a->pol);
    free(a->rows);
    if (out->status != 200) {
        out->needs_use = false;
    }
    free(a);
}

void vf_use_nonce(vf_service *svc, vf_outcome *out)
{
    if (!out->needs_use) {
        return;
    }
    out->needs_use = false;
    /* Only authentic nonces (vf_nonce_check()) get here: 40 bytes, the tag last. */
    vf_used_result r = vf_used_add(svc->used, out->nonce + VF_NONCE_TAG_AT, out->nonce_expires, vf_now(svc));
    if (r == VF_USED_FRESH) {
        return;
    }
    vf_outcome_free(out);
    if (r == VF_USED_REPLAYED) {
        vf_refuse(out, 403, VF_T_NONCE_USED, "this nonce was used by earlier evidence; ask for a new one");
    } else {
        vf_refuse(out, 503, VF_T_UNAVAILABLE,
                  "too many nonces in use: the %zu used nonces this verifier can keep were all accepted within "
                  "the nonce lifetime (%u s); try again later",
                  vf_used_capacity(svc->used), svc->cfg.nonce_ttl);
    }
}
