/* SPDX-License-Identifier: Apache-2.0 */
/* Pieces shared by the files of the SCITT module (not installed). */
#ifndef MM_SCITT_INTERNAL_H
#define MM_SCITT_INTERNAL_H

#include <string.h>

#include "mamori/cwt.h"
#include "mamori/scitt.h"

/* CWT claims as statements and receipts use them. */
typedef struct scitt_claims {
    mm_bytes map; /* the encoded claims (scitt_header_claims()) */
    mm_bytes iss;
    mm_bytes sub;
    int64_t iat;
} scitt_claims;

/* Decodes an encoded CWT claims map: iss and sub text, iat a NumericDate
 * (an int, a float rounded down, or either inside tag 1, which issuers in the
 * wild write); other claims, with int or text labels, are skipped.
 * *present gets MM_SCITT_HAS_ISS, _SUB and _IAT. */
mm_err scitt_claims_decode(mm_bytes map, scitt_claims *out, uint32_t *present);

/* The CWT claims header of a statement or receipt, when it has one, read
 * into the caller's claims, iss, sub and iat fields (left alone when there is
 * none): in the protected bucket only (architecture section 6: claims nobody
 * signed are not the issuer's; MM_ERR_CBOR_TYPE otherwise). *present gets
 * MM_SCITT_HAS_CLAIMS and the claims found ORed in. On an error, *err_off
 * (when not NULL) is the claims' offset in `in` (scitt_fail_at()). */
mm_err scitt_header_claims(const mm_cose_headers *h, mm_bytes in, size_t *err_off, mm_bytes *map, mm_bytes *iss,
                           mm_bytes *sub, int64_t *iat, uint32_t *present);

/* Sets *err_off (when not NULL) to where view starts in `in` (0 when it does
 * not point into it) and returns e. */
mm_err scitt_fail_at(mm_err e, mm_bytes in, mm_bytes view, size_t *err_off);

/* Encodes {1: iss, 2: sub, 6: iat} (each when given) into buf; *out views
 * the result. MM_ERR_TOO_LARGE when it does not fit. */
mm_err scitt_claims_encode(mm_bytes iss, mm_bytes sub, bool with_iat, int64_t iat, uint8_t *buf, size_t cap,
                           mm_bytes *out);

/* Finds the value of an integer label (text NULL) or a text label in an
 * encoded map. MM_ERR_MISSING_FIELD when absent. */
mm_err scitt_map_find(mm_bytes map, int64_t label, const char *text, mm_bytes *value);

/* A statement's parts, read from its bytes: the protected bucket, payload
 * and signature items exactly as encoded, and the unprotected map. */
typedef struct scitt_parts {
    mm_bytes protected_item;
    mm_bytes unprotected;
    mm_bytes payload_item;
    mm_bytes signature_item;
} scitt_parts;

/* Validates statement as a COSE_Sign1 and splits it into its parts. */
mm_err scitt_split(mm_bytes statement, scitt_parts *parts);

/* Re-encoding a statement from its parts into out: the opening writes tag
 * 18, the array of four and the protected bucket as they were; the caller
 * writes the unprotected map; the closing writes the payload and signature
 * as they were and finishes (out->len: the length written, or needed). */
void scitt_open_entry(mm_cbor_enc *enc, const scitt_parts *p, mm_buf *out);
mm_err scitt_close_entry(mm_cbor_enc *enc, const scitt_parts *p, mm_buf *out);

/* The SHA-256 of parts[0..n) joined (empty parts skipped): leaves, nodes,
 * entries and CCF's tree. */
mm_err scitt_sha256(const mm_crypto *c, const mm_bytes *parts, size_t n, uint8_t out[MM_MERKLE_HASH_LEN]);

/* The frame of an entry: tag 18 and an array of four. */
extern const uint8_t scitt_entry_head[2];

#endif
