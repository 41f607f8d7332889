/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori eat_json: the JSON side of EAT and EAR, for hosts (library
 * mamori_json, on jansson): claims-sets converted between CBOR and RFC
 * 9711's JSON encoding, JWTs (JWS compact serialization) signed and
 * verified through the crypto contract, JSON detached EAT bundles, and EAR
 * as a JWT.
 *
 * Model
 * -----
 * The CBOR claims-set is the one model (mamori/eat.h, mamori/ear.h); JSON
 * is a serialization of it. The converter is driven by the claim table of
 * eat.h (mm_eat_claim_info): each claim's JSON name and value shape. JSON
 * byte strings are base64url (padding and non-zero trailing bits tolerated
 * on input, never written). Claims this library does not know convert
 * generically (text, numbers, booleans, arrays, objects), integer labels
 * by their decimal text as name and back. docs/eat.md lists every claim's
 * two forms.
 *
 * JWS: the signing input is BASE64URL(header) "." BASE64URL(payload), and
 * the signature is what the crypto contract makes for the matching COSE
 * algorithm: ECDSA as r || s (JOSE's form too), EdDSA, RSA-PSS; HMAC
 * (HS256/384/512) through mm_hmac. "none" is refused; the key must fit the
 * header's algorithm (mm_key_allows, except that HMAC keys shorter than
 * 128 bits are accepted for verification, as RFC 9711's own example uses
 * one).
 *
 * Memory: results are allocated (json_t owned by the caller, text and
 * bytes freed with free()). Every input is bounded by MM_JSON_MAX_INPUT.
 */
#ifndef MAMORI_EAT_JSON_H
#define MAMORI_EAT_JSON_H

#include <jansson.h>

#include "mamori/ear.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest token, claims-set or bundle the library reads or writes. */
#define MM_JSON_MAX_INPUT ((size_t)1 << 24)

/* Where a conversion failed: the claim's path ("submods.Audio.ueid"). */
typedef struct mm_json_where {
    char path[160];
} mm_json_where;

/* Converts an encoded CBOR claims-set (EAT, EAR, or any CWT claims) into
 * a JSON object (*out, the caller's). Errors: malformed CBOR; the decoder's
 * type errors; MM_ERR_UNSUPPORTED for values JSON cannot hold (tags, NaN,
 * integers beyond int64, a cnf other than a kid); where (may be NULL) names
 * the claim. Claims are not checked beyond what the conversion needs: run
 * mm_eat_claims_decode() or mm_ear_decode() on the CBOR for that. */
MM_NODISCARD mm_err mm_eat_json_from_cbor(mm_bytes claims, json_t **out, mm_json_where *where);

/* Converts a JSON claims object into an encoded CBOR claims-set in
 * deterministic form (*out malloc'ed, *len its length). Errors:
 * MM_ERR_CBOR_TYPE (a claim of the wrong JSON type), MM_ERR_BAD_BASE64,
 * MM_ERR_CBOR_RANGE (a number out of range, an unknown enumeration name),
 * MM_ERR_TOO_LARGE; where names the claim. */
MM_NODISCARD mm_err mm_eat_json_to_cbor(const json_t *claims, uint8_t **out, size_t *len, mm_json_where *where);

/* Decodes JSON binary-data text (base64url; base64, padding and non-zero
 * trailing bits tolerated) into *out (malloc'ed, free() it). Errors:
 * MM_ERR_BAD_BASE64, MM_ERR_TOO_LARGE. */
MM_NODISCARD mm_err mm_json_b64_decode(const char *text, size_t len, uint8_t **out, size_t *out_len);

/* The COSE algorithm of a JOSE "alg" name (ES256, ES384, ES512, EdDSA,
 * PS256, PS384, PS512, HS256, HS384, HS512), or 0. */
int32_t mm_jose_alg(const char *name);

/* The JOSE name of a COSE algorithm, or NULL. */
const char *mm_jose_alg_name(int32_t alg);

/* Signs claims as a JWT: header {"alg", "typ": "JWT", "kid" when kid is
 * not empty (base64url)}, payload the compact JSON of claims. alg 0: the
 * key's, else the usual one for its type (ES256/384/512 by curve, EdDSA,
 * PS256, HS256). *out: NUL-terminated text, free() it. */
MM_NODISCARD mm_err mm_jwt_sign(const json_t *claims, const mm_crypto *crypto, const mm_key *key, int32_t alg,
                                mm_bytes kid, char **out);

/* Verifies a JWT with key and returns its claims (*claims) and, when
 * header is not NULL, its header (*header); both the caller's. Errors:
 * MM_ERR_SYNTAX (not three base64url parts of JSON objects),
 * MM_ERR_UNSUPPORTED_ALG, MM_ERR_ALG_MISMATCH (the key does not fit),
 * MM_ERR_SIG_LENGTH, MM_ERR_VERIFY. */
MM_NODISCARD mm_err mm_jwt_verify(mm_bytes jwt, const mm_crypto *crypto, const mm_key *key, json_t **claims,
                                  json_t **header);

/* Verifies a JSON detached EAT bundle (RFC 9711 section 5): [["JWT",
 * token], {name: base64url of a JSON claims-set}]: the JWT with key, then
 * each detached claims-set against the DIGEST submodule of its name.
 * *main_claims (may be NULL) gets the main token's claims. Errors as
 * mm_jwt_verify(); MM_ERR_VERIFY for a digest that differs,
 * MM_ERR_MISSING_FIELD for a detached claims-set without one,
 * MM_ERR_UNSUPPORTED for a main token that is not a JWT. */
MM_NODISCARD mm_err mm_eat_json_deb_verify(const json_t *bundle, const mm_crypto *crypto, const mm_key *key,
                                           json_t **main_claims);

/* Signs an EAR as a JWT (the JSON form of mm_ear_encode()). */
MM_NODISCARD mm_err mm_ear_jwt_sign(const mm_ear *e, const mm_crypto *crypto, const mm_key *key, int32_t alg,
                                    mm_bytes kid, char **out);

/* Verifies an EAR JWT with the verifier's key and decodes it as
 * mm_ear_verify() does a CWT: *cbor (free() it) holds the claims-set the
 * views in out point into. */
MM_NODISCARD mm_err mm_ear_jwt_verify(mm_bytes jwt, const mm_crypto *crypto, const mm_key *key,
                                      const mm_cwt_check *time, mm_bytes nonce, const mm_ear_storage *st,
                                      uint8_t **cbor, mm_ear *out);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_EAT_JSON_H */
