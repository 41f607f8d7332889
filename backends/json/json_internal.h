/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the files of the JSON library (not installed). */
#ifndef MM_JSON_INTERNAL_H
#define MM_JSON_INTERNAL_H

#include <stdlib.h>
#include <string.h>

#include "mamori/eat_json.h"

/* A JSON string holding b in base64url without padding (NULL when out of
 * memory). */
json_t *ej_b64(mm_bytes b);

/* As mm_json_b64_decode() (eat_json.h) of a JSON string; MM_ERR_CBOR_TYPE
 * when j is no string. */
mm_err ej_unb64_json(const json_t *j, uint8_t **out, size_t *out_len);

/* The path of the claim being converted, for error messages. */
void ej_where_push(mm_json_where *w, const char *seg, size_t len, size_t *saved);
void ej_where_pop(mm_json_where *w, size_t saved);

/* JSON names of small enumerations: name of v in names[0..n) (index = v -
 * first), or NULL; and back (-1 when unknown). */
const char *ej_enum_name(const char *const *names, size_t n, int64_t first, int64_t v);
int64_t ej_enum_value(const char *const *names, size_t n, int64_t first, const char *name);

/* The enumerations RFC 9711 gives JSON names. */
extern const char *const ej_dbgstat_names[5];  /* 0.. */
extern const char *const ej_intuse_names[5];   /* 1.. */
extern const char *const ej_result_names[4];   /* 1.. */
extern const char *const ej_location_names[9]; /* 1.. */

/* An OID's content octets (BER, as RFC 9090's untagged oid) from dotted
 * text ("1.2.840.10045") and back; false when it is not an OID. */
bool ej_oid_from_text(const char *text, uint8_t *out, size_t cap, size_t *len);
bool ej_oid_to_text(mm_bytes oid, char *out, size_t cap);

#endif
