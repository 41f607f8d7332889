/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CBOR Web Tokens (RFC 8392): the claims set, its validation against a
 * caller-supplied clock, and tokens signed (COSE_Sign1) or MACed (COSE_Mac0),
 * tagged 61 or not.
 *
 * Claims are decoded into views of the caller's bytes; claims not listed in
 * mm_cwt_claims stay reachable by label (mm_cwt_claim_find), which is how
 * EAT (RFC 9711) reads its own claims from the same map. Nothing allocates;
 * the time is the caller's, so devices without a clock can skip exp/nbf or
 * use a trusted counter.
 */
#ifndef MAMORI_CWT_H
#define MAMORI_CWT_H

#include "mamori/cose.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Claim keys (IANA "CBOR Web Token Claims"). */
#define MM_CWT_ISS 1
#define MM_CWT_SUB 2
#define MM_CWT_AUD 3
#define MM_CWT_EXP 4
#define MM_CWT_NBF 5
#define MM_CWT_IAT 6
#define MM_CWT_CTI 7
#define MM_CWT_CNF 8

/* Tag of a CWT (RFC 8392 section 6). */
#define MM_CWT_TAG 61

/* Bits of mm_cwt_claims.present. */
enum {
    MM_CWT_HAS_ISS = 1u << 0,
    MM_CWT_HAS_SUB = 1u << 1,
    MM_CWT_HAS_AUD = 1u << 2,
    MM_CWT_HAS_EXP = 1u << 3,
    MM_CWT_HAS_NBF = 1u << 4,
    MM_CWT_HAS_IAT = 1u << 5,
    MM_CWT_HAS_CTI = 1u << 6,
    MM_CWT_HAS_CNF = 1u << 7,
};

typedef struct mm_cwt_claims {
    mm_bytes iss; /* text */
    mm_bytes sub; /* text */
    mm_bytes aud; /* text */
    int64_t exp;  /* NumericDate, seconds; a float is rounded down */
    int64_t nbf;
    int64_t iat;
    mm_bytes cti;     /* bstr content */
    mm_bytes cnf;     /* encoded map (RFC 8747) */
    uint32_t present; /* MM_CWT_HAS_* */
    mm_bytes map;     /* the whole encoded claims set */
} mm_cwt_claims;

/* Decodes an encoded claims set (a map). Claims other than the eight above
 * are allowed and left in map. Errors: malformed CBOR, wrong claim types
 * (MM_ERR_CBOR_TYPE), duplicate claims (MM_ERR_CBOR_DUP_KEY). */
MM_NODISCARD mm_err mm_cwt_claims_decode(mm_bytes map, mm_cwt_claims *out);

/* Reads a NumericDate (RFC 8392 section 2), an integer or a float rounded
 * down, into the int64_t at dst: the reader (mm_cbor_field_fn) of the date
 * claims of a claims table. A float beyond int64 seconds (or NaN) is
 * MM_ERR_CBOR_RANGE. */
MM_NODISCARD mm_err mm_cwt_read_date(mm_cbor_dec *dec, void *dst, void *user);

/* Skips the value of a claim the table does not know: the unknown-label
 * handler (mm_cbor_unknown_fn) of claims tables that ignore other claims. */
MM_NODISCARD mm_err mm_cwt_skip_claim(mm_cbor_dec *dec, const mm_cbor_item *key, void *user);

/* Encodes the claims flagged in c->present as a deterministic map, followed
 * by extra claims (label, encoded value) from the caller. */
MM_NODISCARD mm_err mm_cwt_claims_encode(const mm_cwt_claims *c, const mm_cose_param *extra, size_t n_extra,
                                         mm_buf *out);

/* Finds any claim by integer label: its encoded value.
 * MM_ERR_MISSING_FIELD when absent. */
MM_NODISCARD mm_err mm_cwt_claim_find(const mm_cwt_claims *c, int64_t label, mm_bytes *value);

typedef struct mm_cwt_check {
    int64_t now;      /* the caller's time, seconds since 1970 */
    int64_t leeway;   /* seconds of clock skew tolerated */
    bool ignore_time; /* no clock: skip exp and nbf */
    bool require_exp; /* refuse tokens without exp */
    mm_bytes iss;     /* required issuer, or empty for any */
    mm_bytes aud;     /* required audience, or empty for any */
} mm_cwt_check;

/* Checks exp (MM_ERR_EXPIRED), nbf (MM_ERR_NOT_YET_VALID), iss and aud
 * (MM_ERR_CLAIM_MISMATCH; a required one absent is MM_ERR_MISSING_FIELD). */
MM_NODISCARD mm_err mm_cwt_validate(const mm_cwt_claims *c, const mm_cwt_check *check);

/* Verifies a CWT (tag 61 optional; COSE_Sign1 or COSE_Mac0, tagged, or
 * untagged and then told apart by the key: symmetric means Mac0), decodes
 * its claims and validates them. The claims are views into token. */
MM_NODISCARD mm_err mm_cwt_verify(mm_bytes token, const mm_cose_verify_opts *opts, const mm_cwt_check *check,
                                  mm_cwt_claims *claims);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_CWT_H */
