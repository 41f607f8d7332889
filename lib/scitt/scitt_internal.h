/* SPDX-License-Identifier: Apache-2.0 */
/* Pieces shared by the files of the SCITT module (not installed). */
#ifndef MM_SCITT_INTERNAL_H
#define MM_SCITT_INTERNAL_H

#include <string.h>

#include "mamori/scitt.h"

/* CWT claims as statements and receipts use them. */
typedef struct scitt_claims {
    mm_bytes iss;
    mm_bytes sub;
    int64_t iat;
} scitt_claims;

/* Decodes an encoded CWT claims map: iss and sub text, iat a NumericDate
 * (an int, a float rounded down, or either inside tag 1, which issuers in the
 * wild write); other claims, with int or text labels, are skipped.
 * *present gets MM_SCITT_HAS_ISS, _SUB and _IAT. */
mm_err scitt_claims_decode(mm_bytes map, scitt_claims *out, uint32_t *present);

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

/* The frame of an entry: tag 18 and an array of four. */
extern const uint8_t scitt_entry_head[2];

#endif
