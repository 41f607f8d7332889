/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Verifier's appraisal policy as data, and its evaluation: what an
 * endorsement and a reference value are, which of them apply to an
 * attester, and how the claims of authenticated evidence map onto the AR4SI
 * trustworthiness vector (draft-ietf-rats-ar4si section 2.3.4), each check
 * with its own value and a named finding when it fails. See
 * docs/verifier.md ("Appraisal") for the table this code implements.
 *
 * Model
 * -----
 * An endorsement says which public key attests for a device (by ueid) or
 * for a model (by oemid and hwmodel). A reference value says what a device,
 * a model, or every attester is expected to report: allowed swname,
 * swversion, hardware, measurement digests, installed SUIT manifest
 * digests, a lowest debug state, secure boot. For each kind, the most
 * specific scope that has any rows wins (device over model over every
 * attester), so a device can be given its own expectations.
 *
 * Evaluation is a pure function of the authenticated claims, the
 * endorsement and the reference values: no storage, no clock, no
 * allocation. Values are views the caller keeps alive.
 */
#ifndef MAMORI_VF_POLICY_H
#define MAMORI_VF_POLICY_H

#include "mamori/ear.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Who an endorsement or reference value is for: a device (ueid), a model
 * (oemid and hwmodel: oemid as its encoded claim value, a uint or a byte
 * string), or, for reference values only, every attester (all empty). */
typedef struct vf_scope {
    mm_bytes ueid;
    mm_bytes oemid;
    mm_bytes hwmodel;
} vf_scope;

/* A scope's rank: 2 a device, 1 a model, 0 every attester. */
int vf_scope_rank(const vf_scope *s);

/* An endorsement: the attestation public key of a device or model. */
typedef struct vf_endorsement {
    int64_t id;
    vf_scope scope;
    mm_bytes cose_key;   /* the public key as an encoded COSE_Key */
    mm_bytes kid;        /* the key id it is known by (may be empty) */
    mm_bytes thumbprint; /* its RFC 9679 SHA-256 thumbprint (also looked up as a kid) */
    bool compromised;    /* known to be compromised: evidence it signs is contraindicated */
    mm_bytes source;     /* where it came from ("local", "corim:<id>") */
} vf_endorsement;

/* Kinds of reference values. */
typedef enum vf_ref_kind {
    VF_REF_SWNAME = 1,      /* value: an allowed swname (text) */
    VF_REF_SWVERSION = 2,   /* value: an allowed swversion's version text */
    VF_REF_MEASUREMENT = 3, /* value: a digest (alg) of a measurement body; label: the element */
    VF_REF_MANIFEST = 4,    /* value: an approved SUIT manifest digest (alg) */
    VF_REF_SECURE_BOOT = 5, /* oemboot must be true (no value) */
    VF_REF_DEBUG = 6,       /* level: the lowest dbgstat accepted (1..4) */
    VF_REF_OEMID = 7,       /* value: an allowed oemid (encoded claim value) */
    VF_REF_HWMODEL = 8,     /* value: an allowed hwmodel */
    VF_REF_HWVERSION = 9,   /* value: an allowed hwversion's version text */
    VF_REF_KINDS = 10,
} vf_ref_kind;

/* A kind's name as the store and the CLI write it ("swname" ...), NULL
 * when unknown; and back (0 when unknown). */
const char *vf_ref_kind_name(unsigned kind);
unsigned vf_ref_kind_find(const char *name);

/* One reference value. */
typedef struct vf_ref {
    int64_t id;
    vf_scope scope;
    uint8_t kind;   /* vf_ref_kind */
    mm_bytes value; /* see vf_ref_kind */
    int32_t alg;    /* COSE hash algorithm of a digest (MM_ALG_SHA256 ...) */
    int64_t level;  /* VF_REF_DEBUG */
    mm_bytes label; /* VF_REF_MEASUREMENT: the measured element's name; values with the same label are
                       alternatives (text, may be empty) */
    mm_bytes source;
} vf_ref;

/* The names of the checks, as findings and the EAR's mamori_failed_checks
 * name them (never a claim's JSON name, so the JSON form of a result
 * converts back to the same CBOR). */
#define VF_CHECK_INSTANCE     "instance"
#define VF_CHECK_ENDORSEMENT  "endorsement"
#define VF_CHECK_OEMID        "oem-id"
#define VF_CHECK_HWMODEL      "hw-model"
#define VF_CHECK_HWVERSION    "hw-version"
#define VF_CHECK_SWNAME       "sw-name"
#define VF_CHECK_SWVERSION    "sw-version"
#define VF_CHECK_MANIFESTS    "sw-manifests"
#define VF_CHECK_MEASUREMENTS "measurement"
#define VF_CHECK_MEASRES      "measurement-results"
#define VF_CHECK_DEBUG        "debug"
#define VF_CHECK_SECURE_BOOT  "secure-boot"

/* Most findings one appraisal records (further ones are counted only). */
#define VF_MAX_FINDINGS 16

/* A failed check: its name, why, and the vector entry it set. */
typedef struct vf_finding {
    const char *check; /* VF_CHECK_* */
    uint8_t category;  /* MM_AR4SI_* */
    int8_t value;      /* the AR4SI value */
    char detail[160];
} vf_finding;

/* The result of an evaluation. */
typedef struct vf_verdict {
    mm_ar4si_vector vector;
    uint8_t status; /* the worst tier of the vector (mm_ar4si_tier) */
    vf_finding findings[VF_MAX_FINDINGS];
    size_t n_findings; /* recorded */
    size_t n_failed;   /* all failed checks, recorded or not */
} vf_verdict;

/* What the evaluation reads besides the claims. */
typedef struct vf_policy_in {
    const mm_crypto *crypto;           /* digests of measurements and manifests */
    const vf_endorsement *endorsement; /* the key the evidence verified with */
    const vf_ref *refs;                /* every reference value that applies (any scope) */
    size_t n_refs;
} vf_policy_in;

/* Appraises authenticated claims c: the instance against the endorsement
 * (its scope must name the same ueid, or oemid and hwmodel, when the
 * evidence states them; compromised keys are contraindicated), hardware,
 * software, measurements, measurement results, debug state and secure boot
 * against the reference values of the most specific scope per kind. Fills
 * out (always: a check that cannot run, such as a digest algorithm the
 * backend lacks, is a finding too). Errors: MM_ERR_INVALID_ARG. */
MM_NODISCARD mm_err vf_policy_evaluate(const mm_eat_claims *c, const vf_policy_in *in, vf_verdict *out);

/* Parses oemid text as the CLI and CoRIM vendor names take it: decimal
 * digits are an IANA PEN; otherwise hex bytes (':' or '-' between them
 * allowed) of 3 (IEEE OUI) or 16 (random) bytes. Writes the encoded claim
 * value (a CBOR uint or byte string) into out[0..32). Errors:
 * MM_ERR_SYNTAX. */
MM_NODISCARD mm_err vf_oemid_parse(mm_bytes text, uint8_t out[32], size_t *len);

/* Encodes an oemid claim (mm_eat_oemid) as its claim value, for lookups. */
MM_NODISCARD mm_err vf_oemid_encode(const mm_eat_oemid *o, uint8_t out[32], size_t *len);

/* Writes an encoded oemid value for people ("PEN 32473", "OUI 89-48-23",
 * "random 0011..."), NUL-terminated, into out. */
void vf_oemid_text(mm_bytes oemid, char *out, size_t cap);

/* The digest a measurement or manifest body is compared by: the content of
 * a byte-string body, else the encoded item, hashed with alg. */
MM_NODISCARD mm_err vf_body_digest(const mm_crypto *crypto, int32_t alg, mm_bytes body, uint8_t out[MM_HASH_MAX],
                                   size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_VF_POLICY_H */
