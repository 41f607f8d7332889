/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the SUIT description reader (suit_json.c: members, commands and
 * sequences; suit_json_values.c: the values they hold). Every function
 * writes CBOR for one JSON value into an encoder and returns a CLI exit code,
 * having printed "mamori: DESC: JSON.PATH: why" when it is not CLI_OK; the
 * encoder's own errors (a full buffer) are left for its finish.
 */
#ifndef MAMORI_SUIT_JSON_H
#define MAMORI_SUIT_JSON_H

#include <jansson.h>

#include "suit_build.h"

/* Where the reader is: for file names and messages. */
typedef struct sj {
    const char *desc;   /* the description file */
    const char *dir;    /* folder relative file names start from */
    int32_t digest_alg; /* "digest-algorithm": the default of every digest */
    char path[512];     /* JSON path of the value being read, e.g. "install[2].directive-fetch" */
    size_t path_len;
} sj;

/* Extends the path with ".key" (or "key" at the top) or "[i]"; returns the
 * mark sj_leave() goes back to. */
size_t sj_enter_key(sj *s, const char *key);
size_t sj_enter_index(sj *s, size_t i);
void sj_leave(sj *s, size_t mark);

/* Prints "mamori: DESC: PATH: what" and returns CLI_DATAERR. */
int sj_fail(const sj *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True for keys that are comments ("$comment" and any other starting with $). */
bool sj_is_comment(const char *key);

/* A decimal integer key ("-257", "0"): true and *v, else false. */
bool sj_key_number(const char *key, int64_t *v);

/* Integers of a range. */
int sj_uint(const sj *s, const json_t *v, uint64_t *out);
int sj_int(const sj *s, const json_t *v, int64_t *out);

/* Reads a file named in the description (relative to s->dir); the caller
 * frees *data. */
int sj_read_file(const sj *s, const char *name, uint8_t **data, size_t *len);

/* A digest algorithm: a name of the COSE table ("SHA-256") or a number. */
int sj_digest_alg(const sj *s, const json_t *v, int32_t *alg);

/* Writes v as the kind of value the SUIT tables give it (mm_suit_kind). */
int sj_put_kind(sj *s, mm_cbor_enc *e, unsigned kind, json_t *v);

/* Writes one member of an object whose keys are names of reg: its label, and
 * its value as the table says (a generic value for a number the table does
 * not know). */
int sj_put_member(sj *s, mm_cbor_enc *e, mm_suit_reg reg, const char *key, json_t *v);

/* Writes an object whose keys are names of reg (or numbers, whose values are
 * written as generic values) as a map; wrapped puts it in a byte string.
 * nonempty refuses an object without members. */
int sj_put_object(sj *s, mm_cbor_enc *e, mm_suit_reg reg, json_t *obj, bool wrapped, bool nonempty);

/* Writes one item of a JSON array (sj_put_each()). */
typedef int (*sj_item_fn)(sj *s, mm_cbor_enc *e, json_t *item);

/* Writes the items of the array v, each by fn with the path extended by its
 * index, into a CBOR array (a map when map: fn writes a key and a value);
 * stops at the first item that fails. v has been checked to be an array. */
int sj_put_each(sj *s, mm_cbor_enc *e, json_t *v, bool map, sj_item_fn fn);

/*
 * Values (suit_json_values.c).
 */

/* BYTES: "hex", {"hex": ...}, {"text": ...}, {"file": ...} or {"cbor": VALUE}
 * into *out (malloc'ed). */
int sj_bytes(sj *s, json_t *v, mm_buf *out);
int sj_put_bytes(sj *s, mm_cbor_enc *e, json_t *v);

/* VALUE: any CBOR item (see docs/suit-json.md). */
int sj_put_value(sj *s, mm_cbor_enc *e, json_t *v);

/* Text: a string or {"file": ...} holding UTF-8 text. */
int sj_put_text_string(sj *s, mm_cbor_enc *e, json_t *v);

int sj_put_uuid(sj *s, mm_cbor_enc *e, json_t *v);
int sj_put_vendor_id(sj *s, mm_cbor_enc *e, json_t *v);
int sj_put_digest(sj *s, mm_cbor_enc *e, json_t *v);
int sj_put_image_size(sj *s, mm_cbor_enc *e, json_t *v);
int sj_put_component_id(sj *s, mm_cbor_enc *e, json_t *v);
/* [comparison, [+ int]] (wrapped: as suit-parameter-version has it). */
int sj_put_version_match(sj *s, mm_cbor_enc *e, json_t *v, bool wrapped);
/* [+ int] */
int sj_put_version(sj *s, mm_cbor_enc *e, json_t *v);
/* A number, or an array of names of reg, as a bit set. */
int sj_put_bits(sj *s, mm_cbor_enc *e, mm_suit_reg reg, json_t *v);
/* A name of reg or its number. */
int sj_put_enum(sj *s, mm_cbor_enc *e, mm_suit_reg reg, json_t *v);
int sj_put_actor(sj *s, mm_cbor_enc *e, json_t *v);
int sj_put_permission_map(sj *s, mm_cbor_enc *e, json_t *v);
int sj_put_other_device(sj *s, mm_cbor_enc *e, json_t *v);
/* SUIT_Text_Map (not wrapped). */
int sj_put_text_map(sj *s, mm_cbor_enc *e, json_t *v);

#endif
