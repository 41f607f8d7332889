/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tokens in JSON: detached EAT bundles (RFC 9711 section 5) and EARs as
 * JWTs. Both convert to the CBOR model and reuse its checks.
 */
#include "json_internal.h"

/* One detached claims-set (base64url of JSON) against the DIGEST
 * submodule of its name in the main token's claims. */
static mm_err check_detached(const mm_crypto *crypto, const json_t *submods, const char *name, const json_t *b64)
{
    json_t *sel = json_object_get(submods, name);
    json_t *digest = json_array_get(sel, 1);
    const char *type = json_string_value(json_array_get(sel, 0));
    if (sel == NULL || type == NULL || strcmp(type, "DIGEST") != 0 || json_array_size(digest) != 2) {
        return MM_ERR_MISSING_FIELD;
    }
    json_t *alg = json_array_get(digest, 0);
    mm_eat_submod sm;
    memset(&sm, 0, sizeof sm);
    if (json_is_string(alg)) {
        sm.digest_alg_name = mm_bytes_from_cstr(json_string_value(alg));
    } else if (json_is_integer(alg)) {
        sm.digest_alg = json_integer_value(alg);
    }
    int32_t hash = mm_eat_digest_alg(&sm);
    if (hash != MM_ALG_SHA256 && hash != MM_ALG_SHA384 && hash != MM_ALG_SHA512) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    uint8_t *claims = NULL;
    uint8_t *want = NULL;
    size_t n = 0;
    size_t want_len = 0;
    json_error_t jerr;
    mm_err e = ej_unb64_json(b64, &claims, &n);
    if (e == MM_OK) {
        e = ej_unb64_json(json_array_get(digest, 1), &want, &want_len);
    }
    if (e == MM_OK) {
        /* The detached claims-set must be one: a JSON object. */
        json_t *parsed = json_loadb((const char *)claims, n, 0, &jerr);
        e = json_is_object(parsed) ? MM_OK : MM_ERR_SYNTAX;
        json_decref(parsed);
    }
    uint8_t h[MM_HASH_MAX];
    size_t hl = 0;
    if (e == MM_OK) {
        e = mm_hash(crypto, hash, mm_bytes_make(claims, n), h, &hl);
    }
    if (e == MM_OK && !mm_bytes_equal(mm_bytes_make(h, hl), mm_bytes_make(want, want_len))) {
        e = MM_ERR_VERIFY;
    }
    free(claims);
    free(want);
    return e;
}

mm_err mm_eat_json_deb_verify(const json_t *bundle, const mm_crypto *crypto, const mm_key *key, json_t **main_claims)
{
    if (main_claims != NULL) {
        *main_claims = NULL;
    }
    json_t *sel = json_array_get(bundle, 0);
    json_t *detached = json_array_get(bundle, 1);
    if (!json_is_array(bundle) || json_array_size(bundle) != 2 || !json_is_array(sel) || json_array_size(sel) != 2 ||
        !json_is_object(detached) || json_object_size(detached) == 0) {
        return MM_ERR_SYNTAX;
    }
    const char *type = json_string_value(json_array_get(sel, 0));
    const char *jwt = json_string_value(json_array_get(sel, 1));
    if (type == NULL || jwt == NULL) {
        return MM_ERR_SYNTAX;
    }
    if (strcmp(type, "JWT") != 0) {
        return MM_ERR_UNSUPPORTED; /* a CBOR main token in a JSON bundle */
    }
    json_t *claims = NULL;
    mm_err e =
        mm_jwt_verify(mm_bytes_make(jwt, json_string_length(json_array_get(sel, 1))), crypto, key, &claims, NULL);
    json_t *submods = json_object_get(claims, "submods");
    const char *name;
    json_t *value;
    json_object_foreach(detached, name, value)
    {
        if (e == MM_OK) {
            e = check_detached(crypto, submods, name, value);
        }
    }
    if (e != MM_OK || main_claims == NULL) {
        json_decref(claims);
        return e;
    }
    *main_claims = claims;
    return MM_OK;
}

mm_err mm_ear_jwt_sign(const mm_ear *e, const mm_crypto *crypto, const mm_key *key, int32_t alg, mm_bytes kid,
                       char **out)
{
    if (e == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *out = NULL;
    mm_buf size = mm_buf_make(NULL, 0);
    mm_err err = mm_ear_encode(e, &size);
    if (err != MM_ERR_BUFFER_TOO_SMALL && err != MM_OK) {
        return err;
    }
    uint8_t *cbor = malloc(size.len);
    if (cbor == NULL) {
        return MM_ERR_PLATFORM;
    }
    mm_buf buf = mm_buf_make(cbor, size.len);
    json_t *claims = NULL;
    err = mm_ear_encode(e, &buf);
    if (err == MM_OK) {
        err = mm_eat_json_from_cbor(mm_bytes_make(cbor, buf.len), &claims, NULL);
    }
    if (err == MM_OK) {
        err = mm_jwt_sign(claims, crypto, key, alg, kid, out);
    }
    json_decref(claims);
    free(cbor);
    return err;
}

mm_err mm_ear_jwt_verify(mm_bytes jwt, const mm_crypto *crypto, const mm_key *key, const mm_cwt_check *time,
                         mm_bytes nonce, const mm_ear_storage *st, uint8_t **cbor, mm_ear *out)
{
    if (cbor == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *cbor = NULL;
    json_t *claims = NULL;
    size_t len = 0;
    mm_err e = mm_jwt_verify(jwt, crypto, key, &claims, NULL);
    if (e == MM_OK) {
        e = mm_eat_json_to_cbor(claims, cbor, &len, NULL);
    }
    json_decref(claims);
    if (e == MM_OK) {
        e = mm_ear_decode(mm_bytes_make(*cbor, len), st, out, NULL);
    }
    if (e == MM_OK) {
        e = mm_ear_check(out, time, nonce);
    }
    if (e != MM_OK) {
        free(*cbor);
        *cbor = NULL;
    }
    return e;
}
