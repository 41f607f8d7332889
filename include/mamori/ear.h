/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori EAR: EAT Attestation Results (draft-ietf-rats-ear) carrying the
 * AR4SI trustworthiness vector (draft-ietf-rats-ar4si), as CWTs.
 *
 * A Verifier appraises evidence and issues an EAR: an overall status, the
 * verifier's identity, the time, and per appraised attester (a submodule)
 * its status, trustworthiness vector, policy ids, the evidence's nonce and,
 * for TEEP evidence, the claims a TAM needs (ueid, oemid, hwmodel,
 * hwversion, manifests). A Relying Party verifies the EAR with the
 * verifier's key and reads the vector. This header is the CBOR/CWT form,
 * device-safe like the rest of lib/; the JSON/JWT form is the host
 * library's (mamori/eat_json.h), which converts to and from this one.
 *
 * Decoding fills the structs with views into the caller's bytes and the
 * appraisals into caller storage; nothing allocates. Unknown claims are
 * ignored (EAR requires it) but stay reachable by label through map.
 */
#ifndef MAMORI_EAR_H
#define MAMORI_EAR_H

#include "mamori/eat.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Claim keys (the draft's suggested CWT keys). */
#define MM_EAR_STATUS       1000
#define MM_EAR_TRUST_VECTOR 1001
#define MM_EAR_RAW_EVIDENCE 1002
#define MM_EAR_POLICY_IDS   1003
#define MM_EAR_VERIFIER_ID  1004
#define MM_EAR_TEEP_CLAIMS  65000
/* mamori's extension (private space, RFC 8392 section 9.1): the digest of
 * the appraised evidence, [hash alg, digest], for when the evidence itself
 * is not to be repeated (ear_raw_evidence). JSON name
 * "mamori_evidence_digest". */
#define MM_EAR_EVIDENCE_DIGEST (-70100)
/* mamori's appraisal extension (private space): the checks that failed,
 * {name (text): why (text)}, so a result says which check gave each
 * vector value (the Verifier's names, docs/verifier.md). JSON name
 * "mamori_failed_checks". */
#define MM_EAR_FAILED_CHECKS (-70101)

/* The EAR profile (eat_profile of every EAR claims-set). */
#define MM_EAR_PROFILE "tag:ietf.org,2026:rats/ear#03"

/* AR4SI trustworthiness tiers (section 3.2), which ear_status takes. */
typedef enum mm_ar4si_tier {
    MM_AR4SI_NONE = 0,
    MM_AR4SI_AFFIRMING = 2,
    MM_AR4SI_WARNING = 32,
    MM_AR4SI_CONTRAINDICATED = 96,
} mm_ar4si_tier;

/* Trustworthiness claims (categories) of the vector (section 3.3). */
enum {
    MM_AR4SI_INSTANCE_IDENTITY = 0,
    MM_AR4SI_CONFIGURATION = 1,
    MM_AR4SI_EXECUTABLES = 2,
    MM_AR4SI_FILE_SYSTEM = 3,
    MM_AR4SI_HARDWARE = 4,
    MM_AR4SI_RUNTIME_OPAQUE = 5,
    MM_AR4SI_STORAGE_OPAQUE = 6,
    MM_AR4SI_SOURCED_DATA = 7,
    MM_AR4SI_CATEGORIES = 8,
};

/* A trustworthiness vector: claim[i] is valid when bit i of present is
 * set. Values are AR4SI's -128..127 enumerations. */
typedef struct mm_ar4si_vector {
    int8_t claim[MM_AR4SI_CATEGORIES];
    uint8_t present;
} mm_ar4si_vector;

/* The tier a trustworthiness claim value belongs to: -1, 0, 1 none; 2..31
 * and -2..-32 affirming; 32..95 and -33..-96 warning; 96..127 and
 * -97..-128 contraindicated. */
mm_ar4si_tier mm_ar4si_tier_of(int value);

/* The worst tier among the vector's claims (none when it has none). */
mm_ar4si_tier mm_ar4si_vector_tier(const mm_ar4si_vector *v);

/* The name of a category ("instance-identity"...) or of a tier
 * ("affirming"...), as the JSON form spells them; NULL when unknown. */
const char *mm_ar4si_category_name(unsigned category);
const char *mm_ar4si_tier_name(int tier);

/* Bits of mm_ear_appraisal.present. */
enum {
    MM_EAR_AP_VECTOR = 1u << 0,
    MM_EAR_AP_PROFILE = 1u << 1,
    MM_EAR_AP_POLICY_IDS = 1u << 2,
    MM_EAR_AP_NONCE = 1u << 3,
    MM_EAR_AP_TEEP = 1u << 4,
    MM_EAR_AP_CHECKS = 1u << 5,
};

/* One appraised attester (a submodule of the EAR). */
typedef struct mm_ear_appraisal {
    mm_bytes name;  /* the submodule label */
    uint8_t status; /* mm_ar4si_tier */
    mm_ar4si_vector vector;
    mm_bytes profile; /* text (a URI) */
    const mm_bytes *policy_ids;
    size_t n_policy_ids;
    mm_bytes nonce;   /* the evidence's nonce */
    mm_bytes teep;    /* ear_teep_claims: an encoded claims-set (mm_eat_claims_decode reads it) */
    mm_bytes checks;  /* mamori_failed_checks: an encoded map of text to text */
    uint32_t present; /* MM_EAR_AP_* */
    mm_bytes map;     /* decoded: the appraisal's whole map (extensions by label: mm_cwt_claim_find) */
} mm_ear_appraisal;

/* Bits of mm_ear.present. */
enum {
    MM_EAR_HAS_STATUS = 1u << 0,
    MM_EAR_HAS_EXP = 1u << 1,
    MM_EAR_HAS_RAW_EVIDENCE = 1u << 2,
    MM_EAR_HAS_NONCE = 1u << 3,
    MM_EAR_HAS_EVIDENCE_DIGEST = 1u << 4,
};

/* An EAR claims-set. iat, the verifier's identity and one appraisal at
 * least are required; eat_profile is always MM_EAR_PROFILE. */
typedef struct mm_ear {
    mm_bytes profile; /* decoded: eat_profile (always MM_EAR_PROFILE; encoding writes that) */
    int64_t iat;
    int64_t exp;
    uint8_t status;     /* overall tier (MM_EAR_HAS_STATUS) */
    mm_bytes developer; /* ear_verifier_id: the verifier's developer (text) */
    mm_bytes build;     /* and its build (text) */
    mm_bytes raw_evidence;
    mm_bytes nonce;
    int32_t evidence_digest_alg; /* COSE hash alg of evidence_digest */
    mm_bytes evidence_digest;
    const mm_ear_appraisal *submods;
    size_t n_submods;
    uint32_t present; /* MM_EAR_HAS_* */
    mm_bytes map;     /* decoded: the whole claims-set */
} mm_ear;

/* Storage for decoding: the appraisals, and the policy ids of all of them
 * (shared). */
typedef struct mm_ear_storage {
    mm_ear_appraisal *appraisals;
    size_t appraisals_cap;
    mm_bytes *policy_ids;
    size_t policy_ids_cap;
} mm_ear_storage;

/* Decodes an EAR claims-set. Checks: eat_profile is MM_EAR_PROFILE
 * (MM_ERR_CLAIM_MISMATCH), iat (an integer), ear_verifier_id and submods
 * are present (MM_ERR_MISSING_FIELD), every status is a tier and every
 * vector value in -128..127 (MM_ERR_CBOR_RANGE), no status claims more
 * trust than the worst of what it sums up (the vector for an appraisal,
 * the appraisals for the overall status: MM_ERR_CLAIM_MISMATCH), nonces
 * of 8..64 bytes. Appraisals go to st (MM_ERR_TOO_LARGE beyond it). */
MM_NODISCARD mm_err mm_ear_decode(mm_bytes map, const mm_ear_storage *st, mm_ear *out, size_t *err_off);

/* Encodes e (with eat_profile) as a deterministic map, after the checks
 * mm_ear_decode() makes (MM_ERR_INVALID_ARG when they fail). */
MM_NODISCARD mm_err mm_ear_encode(const mm_ear *e, mm_buf *out);

/* Encodes and signs e as a CWT (flags as mm_eat_sign()). */
MM_NODISCARD mm_err mm_ear_sign(const mm_ear *e, const mm_cose_create_opts *opts, unsigned flags, mm_buf *out);

/* Verifies an EAR CWT with the verifier's key (opts->key; opts->crypto,
 * algs, scratch as for mm_cose_sign1_verify), checks exp against time
 * (NULL: not checked) and decodes it into out. nonce, when not empty, must
 * equal the EAR's eat_nonce (MM_ERR_CLAIM_MISMATCH, MM_ERR_MISSING_FIELD).
 * Errors as mm_cose_sign1_verify(), mm_ear_decode(), mm_cwt_validate(). */
MM_NODISCARD mm_err mm_ear_verify(mm_bytes token, const mm_cose_verify_opts *opts, const mm_cwt_check *time,
                                  mm_bytes nonce, const mm_ear_storage *st, mm_ear *out);

/* Checks a decoded EAR's time (exp and iat against time; NULL: not
 * checked) and nonce (when not empty, it must equal the EAR's eat_nonce:
 * MM_ERR_CLAIM_MISMATCH, MM_ERR_MISSING_FIELD). mm_ear_verify() and the
 * JWT form both end with it. */
MM_NODISCARD mm_err mm_ear_check(const mm_ear *e, const mm_cwt_check *time, mm_bytes nonce);

/* The appraisal named name, or NULL. */
const mm_ear_appraisal *mm_ear_find(const mm_ear *e, mm_bytes name);

/* Encodes the TEEP extension claims (ear_teep_claims: eat_nonce, ueid,
 * oemid, hwmodel, hwversion, manifests, those present) taken from
 * evidence into out, for mm_ear_appraisal.teep. MM_ERR_MISSING_FIELD when
 * the evidence has none of them. */
MM_NODISCARD mm_err mm_ear_teep_claims(const mm_eat_claims *evidence, mm_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_EAR_H */
