/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CoRIM (draft-ietf-rats-corim): reference values and endorsements as the
 * Verifier reads them. The decoder walks an unsigned CoRIM (tag 501 or a
 * bare corim-map) or opens a signed one (COSE_Sign1, tag 18) and hands each
 * statement the Verifier can act on to a callback: attest-key triples
 * become endorsements, reference triples reference values. Whatever it
 * cannot act on (other triples, profiles, linked tags, svn, raw values,
 * ...) is refused with its name and offset, never skipped: a reference
 * value silently dropped would make an appraisal more lenient than its
 * author meant. docs/verifier.md ("CoRIM") lists what is read and how.
 *
 * Memory: no allocation, no stdio, no globals; records are views into the
 * input. Errors follow base.h: malformed CBOR and wrong types with the
 * CBOR codes, parts this reader does not support MM_ERR_UNSUPPORTED, a
 * signature that does not verify MM_ERR_VERIFY; *where says where and what.
 */
#ifndef MAMORI_VF_CORIM_H
#define MAMORI_VF_CORIM_H

#include "mamori/cose.h"

#ifdef __cplusplus
extern "C" {
#endif

/* CBOR tags of CoRIM. */
#define VF_CORIM_TAG_UNSIGNED 501
#define VF_CORIM_TAG_COSWID   505
#define VF_CORIM_TAG_COMID    506
#define VF_CORIM_TAG_COTL     508
#define VF_CORIM_TAG_UEID     550
#define VF_CORIM_TAG_PEM_KEY  554
#define VF_CORIM_TAG_COSE_KEY 558
#define VF_CORIM_TAG_BYTES    560
#define VF_CORIM_CONTENT_TYPE "application/rim+cbor"
#define VF_CORIM_HDR_META     8
#define VF_CORIM_HDR_HASH_ALG 258

/* Where a CoRIM was refused: the offset of the item and what it is. */
typedef struct vf_corim_error {
    size_t offset;
    char what[160];
} vf_corim_error;

/* The environment a statement is about: a device (ueid), a class (vendor
 * and hwmodel), or both. */
typedef struct vf_corim_env {
    mm_bytes ueid;    /* instance: #6.550 */
    mm_bytes vendor;  /* class vendor: the oemid, as text (vf_oemid_parse reads it) */
    mm_bytes hwmodel; /* class-id #6.560 bytes, or the class model text's bytes */
} vf_corim_env;

/* Kinds of records. */
enum {
    VF_CORIM_KEY = 1, /* an attestation key of env (attest-key triple) */
    VF_CORIM_REF = 2, /* a reference value of env (reference triple) */
};

/* Key forms. */
enum {
    VF_CORIM_COSE_KEY = 1, /* key: an encoded COSE_Key (#6.558) */
    VF_CORIM_PEM_KEY = 2,  /* key: PEM SubjectPublicKeyInfo text (#6.554) */
};

typedef struct vf_corim_record {
    uint8_t kind; /* VF_CORIM_KEY or VF_CORIM_REF */
    vf_corim_env env;
    size_t offset; /* of the triple */
    /* VF_CORIM_KEY */
    uint8_t key_form;
    mm_bytes key;
    /* VF_CORIM_REF: as vf_ref (vf_policy.h) */
    uint8_t ref_kind;
    mm_bytes value;
    int32_t alg;
    int64_t level;
    mm_bytes label;
} vf_corim_record;

/* What the CoRIM says about itself. */
typedef struct vf_corim_info {
    mm_bytes id; /* corim-id: text, or a UUID's 16 bytes */
    bool id_uuid;
    bool has_validity; /* rim-validity */
    int64_t not_before;
    int64_t not_after;
    size_t n_tags;
    size_t n_records;
} vf_corim_info;

/* Receives one record; any error stops the walk and is returned. */
typedef mm_err (*vf_corim_fn)(void *user, const vf_corim_record *r);

/* Walks an unsigned CoRIM (#6.501(corim-map), or the bare map) and calls fn
 * (may be NULL: validate only) for each record, in order. Errors:
 * malformed CBOR, MM_ERR_CBOR_TYPE, MM_ERR_CBOR_RANGE, MM_ERR_MISSING_FIELD,
 * MM_ERR_CBOR_DUP_KEY, MM_ERR_UNSUPPORTED (a part this reader does not act
 * on), what fn returns; *where (may be NULL) names the item. */
MM_NODISCARD mm_err vf_corim_decode(mm_bytes corim, vf_corim_fn fn, void *user, vf_corim_info *info,
                                    vf_corim_error *where);

/* A signed CoRIM opened. */
typedef struct vf_corim_signed {
    mm_cose_sign1 msg;
    mm_bytes payload; /* the unsigned CoRIM it carries */
    mm_bytes signer;  /* corim-meta signer-name, or the CWT-Claims iss */
    bool has_nbf, has_exp;
    int64_t nbf, exp; /* signature-validity, or CWT-Claims nbf / exp */
} vf_corim_signed;

/* Opens a signed CoRIM (#6.18(COSE_Sign1)): checks the protected header
 * (alg, content type application/rim+cbor, corim-meta or CWT-Claims),
 * then, when key is not NULL, the signature (scratch: room for the whole
 * ToBeSigned, for EdDSA; may be NULL otherwise). A hash envelope or a
 * detached payload is MM_ERR_UNSUPPORTED. out->payload is a view into in.
 * Errors as vf_corim_decode(), and MM_ERR_VERIFY and the COSE layer's. */
MM_NODISCARD mm_err vf_corim_open_signed(mm_bytes in, const mm_crypto *crypto, const mm_key *key, uint8_t *scratch,
                                         size_t scratch_len, vf_corim_signed *out, vf_corim_error *where);

/* True when in starts like a signed CoRIM (tag 18). */
bool vf_corim_is_signed(mm_bytes in);

/* The COSE hash algorithm of a CoRIM digest's algorithm: a COSE id (-16,
 * -43, -44), a Named Information id (1, 7, 8) or name ("sha-256",
 * "sha-384", "sha-512"); 0 when it is none of these. */
int32_t vf_corim_hash_alg(int64_t id, mm_bytes name);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_VF_CORIM_H */
