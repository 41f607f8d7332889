/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Attestation Result of an appraisal: an EAR (draft-ietf-rats-ear)
 * with one appraisal, signed as a CWT with the verifier's key (kid: its
 * RFC 9679 thumbprint), or as a JWT on request. What goes in is listed in
 * docs/verifier.md ("The result").
 */
#include <stdlib.h>
#include <string.h>

#include "mamori/eat_json.h"
#include "vf_internal.h"

/* Longest text of one check in mamori_failed_checks. */
#define CHECK_TEXT_MAX 480

/* mamori_failed_checks: {check: why}, the findings of one check joined. */
static mm_err encode_checks(const vf_verdict *v, uint8_t *buf, size_t cap, size_t *len)
{
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, cap);
    mm_cbor_open_map(&enc);
    for (size_t i = 0; i < v->n_findings; i++) {
        bool first = true;
        for (size_t j = 0; j < i && first; j++) {
            first = strcmp(v->findings[j].check, v->findings[i].check) != 0;
        }
        if (!first) {
            continue;
        }
        char text[CHECK_TEXT_MAX];
        size_t n = 0;
        for (size_t j = i; j < v->n_findings; j++) {
            if (strcmp(v->findings[j].check, v->findings[i].check) != 0) {
                continue;
            }
            size_t dl = strlen(v->findings[j].detail);
            if (n != 0 && n + 2 + dl < sizeof text) {
                memcpy(text + n, "; ", 2); // NOLINT(bugprone-not-null-terminated-result): sized text
                n += 2;
            }
            if (n + dl < sizeof text) {
                memcpy(text + n, v->findings[j].detail, dl);
                n += dl;
            }
        }
        mm_cbor_put_cstr(&enc, v->findings[i].check);
        mm_cbor_put_tstr(&enc, mm_bytes_make(text, n));
    }
    if (v->n_failed > v->n_findings) {
        mm_cbor_put_cstr(&enc, "more");
        mm_cbor_put_cstr(&enc, "further checks failed; only the first ones are listed");
    }
    mm_cbor_close(&enc, NULL);
    return mm_cbor_enc_finish(&enc, len);
}

mm_err vf_result_sign(const vf_service *svc, const vf_result_in *in, bool jwt, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    const vf_verdict *v = in->verdict;
    int64_t now = vf_now(svc);
    uint8_t digest[MM_HASH_MAX];
    size_t digest_len = 0;
    mm_err e = mm_hash(svc->crypto, MM_ALG_SHA256, in->evidence, digest, &digest_len);
    if (e != MM_OK) {
        return e;
    }
    uint8_t teep[1024];
    mm_buf tb = mm_buf_make(teep, sizeof teep);
    if (in->teep && (e = mm_ear_teep_claims(in->claims, &tb)) != MM_OK) {
        return e;
    }
    uint8_t checks[2048];
    size_t checks_len = 0;
    if (v->n_findings != 0 && (e = encode_checks(v, checks, sizeof checks, &checks_len)) != MM_OK) {
        return e;
    }
    mm_ear_appraisal ap;
    memset(&ap, 0, sizeof ap);
    ap.name = in->name;
    ap.status = v->status;
    ap.vector = v->vector;
    ap.present = MM_EAR_AP_VECTOR | MM_EAR_AP_POLICY_IDS;
    ap.policy_ids = in->policy_ids;
    ap.n_policy_ids = in->n_policy_ids;
    if ((in->claims->present & MM_EAT_HAS_PROFILE) != 0 && !in->claims->profile_is_oid) {
        ap.profile = in->claims->profile;
        ap.present |= MM_EAR_AP_PROFILE;
    }
    if (in->nonce.len != 0) {
        ap.nonce = in->nonce;
        ap.present |= MM_EAR_AP_NONCE;
    }
    if (in->teep) {
        ap.teep = mm_bytes_make(teep, tb.len);
        ap.present |= MM_EAR_AP_TEEP;
    }
    if (checks_len != 0) {
        ap.checks = mm_bytes_make(checks, checks_len);
        ap.present |= MM_EAR_AP_CHECKS;
    }
    mm_ear r;
    memset(&r, 0, sizeof r);
    r.iat = now;
    r.exp = now + (int64_t)svc->cfg.result_ttl;
    r.status = v->status;
    r.developer = mm_bytes_from_cstr(svc->cfg.developer);
    r.build = mm_bytes_from_cstr(svc->cfg.build);
    r.evidence_digest_alg = MM_ALG_SHA256;
    r.evidence_digest = mm_bytes_make(digest, digest_len);
    r.submods = &ap;
    r.n_submods = 1;
    r.present = MM_EAR_HAS_STATUS | MM_EAR_HAS_EXP | MM_EAR_HAS_EVIDENCE_DIGEST;
    if (in->nonce.len != 0) {
        r.nonce = in->nonce; /* the challenge's nonce, for the relying party that asked for it */
        r.present |= MM_EAR_HAS_NONCE;
    }
    if (svc->cfg.raw_evidence) {
        r.raw_evidence = in->evidence;
        r.present |= MM_EAR_HAS_RAW_EVIDENCE;
    }
    if (jwt) {
        char *text = NULL;
        e = mm_ear_jwt_sign(&r, svc->crypto, svc->cfg.key, svc->alg, mm_bytes_make(svc->kid, sizeof svc->kid), &text);
        if (e == MM_OK) {
            *out = (uint8_t *)text;
            *len = strlen(text);
        }
        return e;
    }
    mm_cose_create_opts co;
    memset(&co, 0, sizeof co);
    co.crypto = svc->crypto;
    co.key = svc->cfg.key;
    co.alg = svc->alg;
    co.kid = mm_bytes_make(svc->kid, sizeof svc->kid);
    size_t cap = 2048 + in->evidence.len + tb.len + checks_len + (svc->cfg.raw_evidence ? in->evidence.len : 0);
    uint8_t *scratch = malloc(cap); /* EdDSA signs the whole ToBeSigned */
    uint8_t *buf = malloc(cap);
    if (scratch == NULL || buf == NULL) {
        free(scratch);
        free(buf);
        return MM_ERR_PLATFORM;
    }
    co.scratch = scratch;
    co.scratch_len = cap;
    mm_buf b = mm_buf_make(buf, cap);
    e = mm_ear_sign(&r, &co, 0, &b);
    free(scratch);
    if (e != MM_OK) {
        free(buf);
        return e;
    }
    *out = buf;
    *len = b.len;
    return MM_OK;
}
