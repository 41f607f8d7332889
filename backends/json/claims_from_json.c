/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 9711's JSON form of a claims-set to CBOR: one writer per value shape
 * of the claim table, a generic one for what the table does not know. The
 * encoder sorts every map on close, so the result is deterministic.
 */
#include <errno.h>
#include <math.h>

#include "json_internal.h"

typedef struct from_json {
    mm_cbor_enc *enc;
    mm_json_where *where;
} from_json;

static mm_err claims(from_json *c, json_t *obj);

/* jansson iterates objects through non-const pointers; the converters
 * only read. */
static json_t *mut(const json_t *j)
{
    union {
        const json_t *c;
        json_t *m;
    } u = {j};
    return u.m;
}

static mm_err enc_err(const from_json *c) { return c->enc->err; }

static mm_err text(from_json *c, json_t *v)
{
    if (!json_is_string(v)) {
        return MM_ERR_CBOR_TYPE;
    }
    return mm_cbor_put_tstr(c->enc, mm_bytes_make(json_string_value(v), json_string_length(v)));
}

static mm_err bytes(from_json *c, json_t *v)
{
    uint8_t *b;
    size_t n;
    mm_err e = ej_unb64_json(v, &b, &n);
    if (e != MM_OK) {
        return e;
    }
    e = mm_cbor_put_bstr(c->enc, mm_bytes_make(b, n));
    free(b);
    return e;
}

/* An integer; a real only when it holds one (a NumericDate written as
 * 1.666529184e+09, as JWT libraries do). */
static mm_err integer(from_json *c, json_t *v, int64_t min)
{
    int64_t i;
    if (json_is_integer(v)) {
        i = json_integer_value(v);
    } else if (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)) &&
               fabs(json_real_value(v)) < 9.2e18) {
        i = (int64_t)json_real_value(v);
    } else {
        return MM_ERR_CBOR_TYPE;
    }
    return i < min ? MM_ERR_CBOR_RANGE : mm_cbor_put_int(c->enc, i);
}

static mm_err named(from_json *c, json_t *v, const char *const *names, size_t n, int64_t first)
{
    if (json_is_integer(v)) {
        return mm_cbor_put_int(c->enc, json_integer_value(v));
    }
    if (!json_is_string(v)) {
        return MM_ERR_CBOR_TYPE;
    }
    int64_t i = ej_enum_value(names, n, first, json_string_value(v));
    return i < 0 ? MM_ERR_CBOR_RANGE : mm_cbor_put_int(c->enc, i);
}

/* A claim label from a JSON name: the table's, an integer written as
 * decimal text, or the text itself. */
static void put_label(from_json *c, const char *name, size_t len, const mm_eat_claim_info **info)
{
    *info = mm_eat_claim_info_by_name(mm_bytes_make(name, len));
    if (*info != NULL) {
        mm_cbor_put_int(c->enc, (*info)->label);
        return;
    }
    if (len != 0 && len < 21 && strlen(name) == len) {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(name, &end, 10);
        bool canonical = (name[0] != '0' || len == 1) && !(name[0] == '-' && name[1] == '0') && name[0] != '+';
        if (errno == 0 && end == name + len && canonical) {
            mm_cbor_put_int(c->enc, v);
            return;
        }
    }
    mm_cbor_put_tstr(c->enc, mm_bytes_make(name, len));
}

/* Any JSON value, generically: strings as text, objects as text-keyed
 * maps. */
static mm_err any(from_json *c, json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return text(c, v);
    case JSON_INTEGER:
        return mm_cbor_put_int(c->enc, json_integer_value(v));
    case JSON_REAL:
        return mm_cbor_put_float(c->enc, json_real_value(v));
    case JSON_TRUE:
    case JSON_FALSE:
        return mm_cbor_put_bool(c->enc, json_is_true(v));
    case JSON_NULL:
        return mm_cbor_put_null(c->enc);
    case JSON_ARRAY: {
        mm_err e = mm_cbor_put_array(c->enc, json_array_size(v));
        for (size_t i = 0; i < json_array_size(v) && e == MM_OK; i++) {
            e = any(c, json_array_get(v, i));
        }
        return e;
    }
    default: { /* JSON_OBJECT */
        mm_err e = mm_cbor_open_map(c->enc);
        for (void *it = json_object_iter(v); it != NULL && e == MM_OK; it = json_object_iter_next(v, it)) {
            mm_cbor_put_tstr(c->enc, mm_bytes_make(json_object_iter_key(it), json_object_iter_key_len(it)));
            e = any(c, json_object_iter_value(it));
        }
        return e == MM_OK ? mm_cbor_close(c->enc, NULL) : e;
    }
    }
}

/* An array whose items are each written by fn. */
static mm_err array_of(from_json *c, json_t *v, mm_err (*fn)(from_json *, json_t *))
{
    if (!json_is_array(v)) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_err e = mm_cbor_put_array(c->enc, json_array_size(v));
    for (size_t i = 0; i < json_array_size(v) && e == MM_OK; i++) {
        e = fn(c, json_array_get(v, i));
    }
    return e;
}

/* An object whose keys become text labels and whose values fn writes. */
static mm_err text_map(from_json *c, json_t *v, mm_err (*fn)(from_json *, json_t *))
{
    if (!json_is_object(v)) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_err e = mm_cbor_open_map(c->enc);
    for (void *it = json_object_iter(v); it != NULL && e == MM_OK; it = json_object_iter_next(v, it)) {
        const char *k = json_object_iter_key(it);
        size_t kl = json_object_iter_key_len(it);
        size_t saved = 0;
        ej_where_push(c->where, k, kl, &saved);
        mm_cbor_put_tstr(c->enc, mm_bytes_make(k, kl));
        e = fn(c, json_object_iter_value(it));
        if (e == MM_OK) {
            ej_where_pop(c->where, saved);
        }
    }
    return e == MM_OK ? mm_cbor_close(c->enc, NULL) : e;
}

static mm_err nonce(from_json *c, json_t *v) { return json_is_array(v) ? array_of(c, v, bytes) : bytes(c, v); }

static mm_err oemid(from_json *c, json_t *v) { return json_is_integer(v) ? integer(c, v, 0) : bytes(c, v); }

/* [text, ? int / text], or a bare text. */
static mm_err version(from_json *c, json_t *v)
{
    if (json_is_string(v)) {
        return text(c, v);
    }
    size_t n = json_array_size(v);
    if (!json_is_array(v) || n < 1 || n > 2 || !json_is_string(json_array_get(v, 0))) {
        return MM_ERR_CBOR_TYPE;
    }
    json_t *scheme = json_array_get(v, 1);
    if (n == 2 && !json_is_integer(scheme) && !json_is_string(scheme)) {
        return MM_ERR_CBOR_TYPE;
    }
    return any(c, v);
}

static mm_err number(from_json *c, json_t *v)
{
    if (json_is_integer(v)) {
        return mm_cbor_put_int(c->enc, json_integer_value(v));
    }
    return json_is_real(v) ? mm_cbor_put_float(c->enc, json_real_value(v)) : MM_ERR_CBOR_TYPE;
}

static mm_err location(from_json *c, json_t *v)
{
    if (!json_is_object(v)) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_err e = mm_cbor_open_map(c->enc);
    for (void *it = json_object_iter(v); it != NULL && e == MM_OK; it = json_object_iter_next(v, it)) {
        int64_t k = ej_enum_value(ej_location_names, 9, 1, json_object_iter_key(it));
        if (k < 0) {
            return MM_ERR_CBOR_RANGE;
        }
        mm_cbor_put_int(c->enc, k);
        json_t *val = json_object_iter_value(it);
        e = k >= 8 ? integer(c, val, k == 9 ? 0 : INT64_MIN) : number(c, val);
    }
    return e == MM_OK ? mm_cbor_close(c->enc, NULL) : e;
}

/* A URI, or an OID in dotted text (RFC 9711 section 7.2.1). */
static mm_err profile(from_json *c, json_t *v)
{
    if (!json_is_string(v)) {
        return MM_ERR_CBOR_TYPE;
    }
    uint8_t oid[128];
    size_t n;
    if (ej_oid_from_text(json_string_value(v), oid, sizeof oid, &n)) {
        return mm_cbor_put_bstr(c->enc, mm_bytes_make(oid, n));
    }
    return text(c, v);
}

static mm_err digest(from_json *c, json_t *v)
{
    json_t *alg = json_array_get(v, 0);
    if (!json_is_array(v) || json_array_size(v) != 2 || (!json_is_string(alg) && !json_is_integer(alg))) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_cbor_put_array(c->enc, 2);
    mm_err e = any(c, alg);
    return e == MM_OK ? bytes(c, json_array_get(v, 1)) : e;
}

/* A submodule: a claims-set object, or a JSON-Selector [type, token]. */
static mm_err submod(from_json *c, json_t *v)
{
    if (json_is_object(v)) {
        return claims(c, v);
    }
    const char *type = json_string_value(json_array_get(v, 0));
    if (!json_is_array(v) || json_array_size(v) != 2 || type == NULL) {
        return MM_ERR_CBOR_TYPE;
    }
    if (strcmp(type, "CBOR") == 0) {
        return bytes(c, json_array_get(v, 1)); /* a CBOR token, byte-string wrapped */
    }
    if (strcmp(type, "DIGEST") == 0) {
        return digest(c, json_array_get(v, 1));
    }
    /* JWT, BUNDLE and later types stay JSON: the selector as text. */
    char *sel = json_dumps(v, JSON_COMPACT);
    if (sel == NULL) {
        return MM_ERR_PLATFORM;
    }
    mm_err e = mm_cbor_put_tstr(c->enc, mm_bytes_from_cstr(sel));
    free(sel);
    return e;
}

static mm_err text_array(from_json *c, json_t *v) { return array_of(c, v, text); }

static mm_err dloa(from_json *c, json_t *v)
{
    size_t n = json_array_size(v);
    return json_is_array(v) && n >= 2 && n <= 3 ? text_array(c, v) : MM_ERR_CBOR_TYPE;
}

/* [content-format, body]: a base64url body is a byte string, {"cbor":
 * base64url} an encoded item as it is. */
static mm_err format(from_json *c, json_t *v)
{
    json_t *body = json_array_get(v, 1);
    if (!json_is_array(v) || json_array_size(v) != 2) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_cbor_put_array(c->enc, 2);
    mm_err e = integer(c, json_array_get(v, 0), 0);
    if (e != MM_OK || !json_is_object(body)) {
        return e != MM_OK ? e : bytes(c, body);
    }
    uint8_t *raw;
    size_t n;
    e = ej_unb64_json(json_object_get(body, "cbor"), &raw, &n);
    if (e == MM_OK) {
        e = mm_cbor_put_raw(c->enc, mm_bytes_make(raw, n)) == MM_OK ? MM_OK : MM_ERR_CBOR_TYPE;
        free(raw);
    }
    return e;
}

static mm_err result(from_json *c, json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) != 2) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_cbor_put_array(c->enc, 2);
    mm_err e = text(c, json_array_get(v, 0));
    return e == MM_OK ? named(c, json_array_get(v, 1), ej_result_names, 4, 1) : e;
}

static mm_err group(from_json *c, json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) != 2) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_cbor_put_array(c->enc, 2);
    mm_err e = text(c, json_array_get(v, 0));
    return e == MM_OK ? array_of(c, json_array_get(v, 1), result) : e;
}

static mm_err cnf(from_json *c, json_t *v)
{
    json_t *kid = json_object_get(v, "kid");
    if (!json_is_object(v) || json_object_size(v) != 1 || kid == NULL) {
        return MM_ERR_UNSUPPORTED; /* a jwk or jwe: no COSE_Key form here */
    }
    mm_cbor_put_map(c->enc, 1);
    mm_cbor_put_uint(c->enc, 3);
    return bytes(c, kid);
}

static mm_err vector(from_json *c, json_t *v)
{
    if (!json_is_object(v)) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_err e = mm_cbor_open_map(c->enc);
    for (void *it = json_object_iter(v); it != NULL && e == MM_OK; it = json_object_iter_next(v, it)) {
        const char *k = json_object_iter_key(it);
        unsigned i = 0;
        while (i < MM_AR4SI_CATEGORIES && strcmp(mm_ar4si_category_name(i), k) != 0) {
            i++;
        }
        if (i == MM_AR4SI_CATEGORIES) {
            return MM_ERR_CBOR_RANGE;
        }
        mm_cbor_put_uint(c->enc, i);
        e = integer(c, json_object_iter_value(it), INT64_MIN);
    }
    return e == MM_OK ? mm_cbor_close(c->enc, NULL) : e;
}

static mm_err verifier_id(from_json *c, json_t *v)
{
    json_t *dev = json_object_get(v, "developer");
    json_t *build = json_object_get(v, "build");
    if (!json_is_object(v) || json_object_size(v) != 2 || dev == NULL || build == NULL) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_cbor_put_map(c->enc, 2);
    mm_cbor_put_uint(c->enc, 0);
    mm_err e = text(c, dev);
    mm_cbor_put_uint(c->enc, 1);
    return e == MM_OK ? text(c, build) : e;
}

static mm_err tier(from_json *c, json_t *v)
{
    static const char *const names[] = {"none", "affirming", "warning", "contraindicated"};
    static const int64_t values[] = {MM_AR4SI_NONE, MM_AR4SI_AFFIRMING, MM_AR4SI_WARNING, MM_AR4SI_CONTRAINDICATED};
    if (json_is_integer(v)) {
        return mm_cbor_put_int(c->enc, json_integer_value(v));
    }
    int64_t i = json_is_string(v) ? ej_enum_value(names, 4, 0, json_string_value(v)) : -1;
    return i < 0 ? MM_ERR_CBOR_RANGE : mm_cbor_put_int(c->enc, values[i]);
}

/* jti is text; cti bytes. A base64url jti (as mm_eat_json_from_cbor writes
 * cti) gives its bytes, any other text its UTF-8. */
static mm_err cti(from_json *c, json_t *v)
{
    if (!json_is_string(v)) {
        return MM_ERR_CBOR_TYPE;
    }
    uint8_t *b;
    size_t n;
    if (ej_unb64_json(v, &b, &n) == MM_OK) {
        mm_err e = mm_cbor_put_bstr(c->enc, mm_bytes_make(b, n));
        free(b);
        return e;
    }
    return mm_cbor_put_bstr(c->enc, mm_bytes_make(json_string_value(v), json_string_length(v)));
}

static mm_err value(from_json *c, const mm_eat_claim_info *info, json_t *v)
{
    switch (info->kind) {
    case MM_EAT_V_TEXT:
        return text(c, v);
    case MM_EAT_V_TIME:
        return integer(c, v, INT64_MIN);
    case MM_EAT_V_UINT:
        return integer(c, v, 0);
    case MM_EAT_V_BOOL:
        return json_is_boolean(v) ? mm_cbor_put_bool(c->enc, json_is_true(v)) : MM_ERR_CBOR_TYPE;
    case MM_EAT_V_BYTES:
        return bytes(c, v);
    case MM_EAT_V_CTI:
        return cti(c, v);
    case MM_EAT_V_NONCE:
        return nonce(c, v);
    case MM_EAT_V_OEMID:
        return oemid(c, v);
    case MM_EAT_V_VERSION:
        return version(c, v);
    case MM_EAT_V_DBGSTAT:
        return named(c, v, ej_dbgstat_names, 5, 0);
    case MM_EAT_V_INTUSE:
        return named(c, v, ej_intuse_names, 5, 1);
    case MM_EAT_V_LOCATION:
        return location(c, v);
    case MM_EAT_V_PROFILE:
        return profile(c, v);
    case MM_EAT_V_SUBMODS:
        return text_map(c, v, submod);
    case MM_EAT_V_SUEIDS:
        return text_map(c, v, bytes);
    case MM_EAT_V_DLOAS:
        return array_of(c, v, dloa);
    case MM_EAT_V_MANIFESTS:
        return array_of(c, v, format);
    case MM_EAT_V_MEASRES:
        return array_of(c, v, group);
    case MM_EAT_V_CNF:
        return cnf(c, v);
    case MM_EAT_V_TIER:
        return tier(c, v);
    case MM_EAT_V_TRUST_VECTOR:
        return vector(c, v);
    case MM_EAT_V_VERIFIER_ID:
        return verifier_id(c, v);
    case MM_EAT_V_TEXT_ARRAY:
        return text_array(c, v);
    case MM_EAT_V_CLAIMS:
        return claims(c, v);
    case MM_EAT_V_DIGEST:
        return digest(c, v);
    default:
        return MM_ERR_UNSUPPORTED;
    }
}

static mm_err claims(from_json *c, json_t *obj)
{
    if (!json_is_object(obj)) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_err e = mm_cbor_open_map(c->enc);
    for (void *it = json_object_iter(obj); it != NULL && e == MM_OK; it = json_object_iter_next(obj, it)) {
        const char *k = json_object_iter_key(it);
        size_t kl = json_object_iter_key_len(it);
        size_t saved = 0;
        const mm_eat_claim_info *info;
        ej_where_push(c->where, k, kl, &saved);
        put_label(c, k, kl, &info);
        json_t *v = json_object_iter_value(it);
        e = info != NULL ? value(c, info, v) : any(c, v);
        if (e == MM_OK) {
            e = enc_err(c);
        }
        if (e == MM_OK) {
            ej_where_pop(c->where, saved);
        }
    }
    return e == MM_OK ? mm_cbor_close(c->enc, NULL) : e;
}

mm_err mm_eat_json_to_cbor(const json_t *obj, uint8_t **out, size_t *len, mm_json_where *where)
{
    if (obj == NULL || out == NULL || len == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *out = NULL;
    *len = 0;
    /* A dry run for the size, then the real one. */
    uint8_t *buf = NULL;
    size_t need = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (where != NULL) {
            where->path[0] = '\0';
        }
        mm_cbor_enc enc;
        mm_cbor_enc_init(&enc, buf, need);
        from_json c = {&enc, where};
        mm_err e = claims(&c, mut(obj));
        mm_err f = mm_cbor_enc_finish(&enc, &need);
        if (e == MM_OK && (pass == 1 || f != MM_ERR_BUFFER_TOO_SMALL)) {
            e = f;
        }
        if (e != MM_OK) {
            free(buf);
            return e;
        }
        if (pass == 0) {
            if (need > MM_JSON_MAX_INPUT) {
                return MM_ERR_TOO_LARGE;
            }
            buf = malloc(need != 0 ? need : 1);
            if (buf == NULL) {
                return MM_ERR_PLATFORM;
            }
        }
    }
    *out = buf;
    *len = need;
    return MM_OK;
}
