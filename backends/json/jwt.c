/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JWS compact serialization (RFC 7515) for JWTs (RFC 7519): signed and
 * verified through the crypto contract, JOSE algorithm names mapped onto
 * the COSE algorithms that compute the same signature.
 */
#include "json_internal.h"

static const struct {
    const char *name;
    int32_t alg;
    int32_t hmac_hash; /* HS*: the HMAC's hash; 0 for signatures */
} jose_algs[] = {
    {"ES256", MM_ALG_ES256, 0},
    {"ES384", MM_ALG_ES384, 0},
    {"ES512", MM_ALG_ES512, 0},
    {"EdDSA", MM_ALG_EDDSA, 0},
    {"PS256", MM_ALG_PS256, 0},
    {"PS384", MM_ALG_PS384, 0},
    {"PS512", MM_ALG_PS512, 0},
    {"HS256", MM_ALG_HMAC256, MM_ALG_SHA256},
    {"HS384", MM_ALG_HMAC384, MM_ALG_SHA384},
    {"HS512", MM_ALG_HMAC512, MM_ALG_SHA512},
};

#define N_ALGS (sizeof jose_algs / sizeof jose_algs[0])

int32_t mm_jose_alg(const char *name)
{
    for (size_t i = 0; name != NULL && i < N_ALGS; i++) {
        if (strcmp(jose_algs[i].name, name) == 0) {
            return jose_algs[i].alg;
        }
    }
    return 0;
}

const char *mm_jose_alg_name(int32_t alg)
{
    for (size_t i = 0; i < N_ALGS; i++) {
        if (jose_algs[i].alg == alg) {
            return jose_algs[i].name;
        }
    }
    return NULL;
}

static int32_t hmac_hash_of(int32_t alg)
{
    for (size_t i = 0; i < N_ALGS; i++) {
        if (jose_algs[i].alg == alg) {
            return jose_algs[i].hmac_hash;
        }
    }
    return 0;
}

static mm_err hmac(const mm_crypto *crypto, const mm_key *key, int32_t hash, mm_bytes input, uint8_t *mac, size_t *len)
{
    mm_crypto_ctx ctx;
    mm_err e = mm_hmac_init(crypto, &ctx, hash, key);
    if (e != MM_OK) {
        return e;
    }
    e = mm_hmac_update(crypto, &ctx, input);
    if (e != MM_OK) {
        mm_hmac_abort(crypto, &ctx);
        return e;
    }
    return mm_hmac_final(crypto, &ctx, mac, len);
}

/* The usual JOSE algorithm of a key that names none. */
static int32_t default_alg(const mm_key *key)
{
    switch (key->kty) {
    case MM_KTY_EC2:
        return key->crv == MM_CRV_P256 ? MM_ALG_ES256 : key->crv == MM_CRV_P384 ? MM_ALG_ES384 : MM_ALG_ES512;
    case MM_KTY_OKP:
        return MM_ALG_EDDSA;
    case MM_KTY_RSA:
        return MM_ALG_PS256;
    case MM_KTY_SYMMETRIC:
        return MM_ALG_HMAC256;
    default:
        return 0;
    }
}

/* The key may be used with alg: the signature check of the crypto layer,
 * or for HMAC a symmetric key not pinned to another algorithm (of any
 * length: RFC 9711's example bundle uses a 6-byte key). */
static bool key_fits(const mm_key *key, int32_t alg, bool sign)
{
    if (hmac_hash_of(alg) == 0) {
        return mm_key_allows(key, alg, sign);
    }
    return key->kty == MM_KTY_SYMMETRIC && (key->alg == 0 || key->alg == alg) && (!sign || key->bits >= 128);
}

/* base64url(a) "." base64url(b) into a malloc'ed NUL-terminated text. */
static char *join(mm_bytes a, mm_bytes b, mm_bytes c)
{
    size_t la = (a.len + 2) / 3 * 4;
    size_t lb = (b.len + 2) / 3 * 4;
    size_t lc = (c.len + 2) / 3 * 4;
    char *out = malloc(la + lb + lc + 3);
    if (out == NULL) {
        return NULL;
    }
    mm_buf buf = mm_buf_make(out, la);
    size_t at;
    if (mm_base64_encode(a, MM_B64URL, &buf) != MM_OK) {
        free(out);
        return NULL;
    }
    at = buf.len;
    out[at++] = '.';
    buf = mm_buf_make(out + at, lb);
    if (mm_base64_encode(b, MM_B64URL, &buf) != MM_OK) {
        free(out);
        return NULL;
    }
    at += buf.len;
    if (c.ptr != NULL) {
        out[at++] = '.';
        buf = mm_buf_make(out + at, lc);
        if (mm_base64_encode(c, MM_B64URL, &buf) != MM_OK) {
            free(out);
            return NULL;
        }
        at += buf.len;
    }
    out[at] = '\0';
    return out;
}

mm_err mm_jwt_sign(const json_t *claims, const mm_crypto *crypto, const mm_key *key, int32_t alg, mm_bytes kid,
                   char **out)
{
    if (claims == NULL || key == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *out = NULL;
    if (alg == 0) {
        alg = key->alg != 0 ? key->alg : default_alg(key);
    }
    const char *name = mm_jose_alg_name(alg);
    if (name == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (!key_fits(key, alg, true)) {
        return MM_ERR_ALG_MISMATCH;
    }
    json_t *hdr = json_pack("{s:s, s:s}", "alg", name, "typ", "JWT");
    if (hdr != NULL && kid.len != 0) {
        json_object_set_new(hdr, "kid", ej_b64(kid));
    }
    char *h = hdr != NULL ? json_dumps(hdr, JSON_COMPACT) : NULL;
    char *p = json_dumps(claims, JSON_COMPACT);
    json_decref(hdr);
    char *input =
        h != NULL && p != NULL ? join(mm_bytes_from_cstr(h), mm_bytes_from_cstr(p), mm_bytes_make(NULL, 0)) : NULL;
    free(h);
    free(p);
    if (input == NULL) {
        return MM_ERR_PLATFORM;
    }
    uint8_t sig[MM_SIG_MAX];
    size_t sig_len = 0;
    int32_t hash = hmac_hash_of(alg);
    mm_err e = hash != 0 ? hmac(crypto, key, hash, mm_bytes_from_cstr(input), sig, &sig_len)
                         : mm_sign(crypto, key, alg, mm_bytes_from_cstr(input), 0, sig, sizeof sig, &sig_len);
    if (e == MM_OK) {
        /* input already holds "h.p": add ".s". */
        size_t n = strlen(input);
        size_t ls = (sig_len + 2) / 3 * 4;
        char *jwt = realloc(input, n + 1 + ls + 1);
        if (jwt == NULL) {
            e = MM_ERR_PLATFORM;
        } else {
            input = jwt;
            jwt[n] = '.';
            mm_buf b = mm_buf_make(jwt + n + 1, ls);
            e = mm_base64_encode(mm_bytes_make(sig, sig_len), MM_B64URL, &b);
            jwt[n + 1 + b.len] = '\0';
        }
    }
    mm_wipe(sig, sizeof sig);
    if (e != MM_OK) {
        free(input);
        return e;
    }
    *out = input;
    return MM_OK;
}

/* A base64url part of the token as a JSON object. */
static mm_err part_json(mm_bytes part, json_t **out)
{
    uint8_t *raw;
    size_t n;
    json_error_t jerr;
    if (mm_json_b64_decode((const char *)part.ptr, part.len, &raw, &n) != MM_OK) {
        return MM_ERR_SYNTAX;
    }
    *out = json_loadb((const char *)raw, n, 0, &jerr);
    free(raw);
    if (*out == NULL || !json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return MM_ERR_SYNTAX;
    }
    return MM_OK;
}

mm_err mm_jwt_verify(mm_bytes jwt, const mm_crypto *crypto, const mm_key *key, json_t **claims, json_t **header)
{
    if (key == NULL || claims == NULL || (jwt.ptr == NULL && jwt.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    *claims = NULL;
    if (jwt.len > MM_JSON_MAX_INPUT) {
        return MM_ERR_TOO_LARGE;
    }
    size_t dots[2];
    size_t n_dots = 0;
    for (size_t i = 0; i < jwt.len; i++) {
        if (jwt.ptr[i] == '.') {
            if (n_dots == 2) {
                return MM_ERR_SYNTAX; /* a JWE has five parts: not supported */
            }
            dots[n_dots++] = i;
        }
    }
    if (n_dots != 2) {
        return MM_ERR_SYNTAX;
    }
    json_t *hdr = NULL;
    json_t *payload = NULL;
    uint8_t *sig = NULL;
    size_t sig_len = 0;
    mm_err e = part_json(mm_bytes_make(jwt.ptr, dots[0]), &hdr);
    if (e == MM_OK) {
        e = part_json(mm_bytes_make(jwt.ptr + dots[0] + 1, dots[1] - dots[0] - 1), &payload);
    }
    if (e == MM_OK &&
        mm_json_b64_decode((const char *)jwt.ptr + dots[1] + 1, jwt.len - dots[1] - 1, &sig, &sig_len) != MM_OK) {
        e = MM_ERR_SYNTAX;
    }
    int32_t alg = e == MM_OK ? mm_jose_alg(json_string_value(json_object_get(hdr, "alg"))) : 0;
    if (e == MM_OK && alg == 0) {
        e = MM_ERR_UNSUPPORTED_ALG; /* "none" among them */
    }
    if (e == MM_OK && json_object_get(hdr, "crit") != NULL) {
        e = MM_ERR_UNKNOWN_CRIT; /* no extension is understood */
    }
    if (e == MM_OK && !key_fits(key, alg, false)) {
        e = MM_ERR_ALG_MISMATCH;
    }
    mm_bytes input = mm_bytes_make(jwt.ptr, dots[1]);
    int32_t hash = hmac_hash_of(alg);
    if (e == MM_OK && hash != 0) {
        uint8_t mac[MM_HASH_MAX];
        size_t mac_len = 0;
        e = hmac(crypto, key, hash, input, mac, &mac_len);
        if (e == MM_OK && (sig_len != mac_len || !mm_ct_equal(mac, sig, mac_len))) {
            e = MM_ERR_VERIFY;
        }
    } else if (e == MM_OK) {
        const mm_cose_sig_alg *entry = mm_cose_find_sig_alg(NULL, alg);
        if (entry != NULL && entry->sig_len != 0 && sig_len != entry->sig_len) {
            e = MM_ERR_SIG_LENGTH;
        } else {
            e = mm_verify(crypto, key, alg, input, 0, mm_bytes_make(sig, sig_len));
        }
    }
    free(sig);
    if (e != MM_OK) {
        json_decref(hdr);
        json_decref(payload);
        return e;
    }
    *claims = payload;
    if (header != NULL) {
        *header = hdr;
    } else {
        json_decref(hdr);
    }
    return MM_OK;
}
