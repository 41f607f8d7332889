/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CBOR claims-set to RFC 9711's JSON form: one reader per value shape of
 * the claim table, a generic one for what the table does not know.
 */
#include <inttypes.h>
#include <stdio.h>

#include "json_internal.h"

typedef struct to_json {
    mm_cbor_dec *d;
    mm_json_where *where;
} to_json;

static mm_err claims(to_json *c, json_t **out);

static mm_err dec_err(to_json *c) { return mm_cbor_dec_error(c->d, NULL); }

/* Attach v (ownership taken, a partial value too, so that freeing the
 * top frees everything) and keep the first error: e, or MM_ERR_PLATFORM
 * when jansson ran out of memory. */
static mm_err set(json_t *obj, const char *key, size_t key_len, json_t *v, mm_err e)
{
    if (v == NULL || json_object_setn_new(obj, key, key_len, v) != 0) {
        return e != MM_OK ? e : MM_ERR_PLATFORM;
    }
    return e;
}

static mm_err append(json_t *arr, json_t *v, mm_err e)
{
    if (v == NULL || json_array_append_new(arr, v) != 0) {
        return e != MM_OK ? e : MM_ERR_PLATFORM;
    }
    return e;
}

static mm_err text(to_json *c, json_t **out)
{
    mm_bytes v;
    if (mm_cbor_get_tstr(c->d, &v) != MM_OK) {
        return dec_err(c);
    }
    *out = json_stringn((const char *)v.ptr, v.len);
    return *out != NULL ? MM_OK : MM_ERR_UNSUPPORTED;
}

static mm_err bytes(to_json *c, json_t **out)
{
    mm_bytes v;
    if (mm_cbor_get_bstr(c->d, &v) != MM_OK) {
        return dec_err(c);
    }
    *out = ej_b64(v);
    return *out != NULL ? MM_OK : MM_ERR_PLATFORM;
}

static mm_err integer(to_json *c, json_t **out)
{
    int64_t v;
    if (mm_cbor_get_int(c->d, INT64_MIN, INT64_MAX, &v) != MM_OK) {
        return dec_err(c);
    }
    *out = json_integer(v);
    return MM_OK;
}

/* An integer with a JSON name (an enumeration), or the number when the
 * value has no name. */
static mm_err named(to_json *c, const char *const *names, size_t n, int64_t first, json_t **out)
{
    int64_t v;
    if (mm_cbor_get_int(c->d, INT64_MIN, INT64_MAX, &v) != MM_OK) {
        return dec_err(c);
    }
    const char *name = ej_enum_name(names, n, first, v);
    *out = name != NULL ? json_string(name) : json_integer(v);
    return MM_OK;
}

/* [* item] with each item read by fn. */
static mm_err array_of(to_json *c, mm_err (*fn)(to_json *, json_t **), json_t **out)
{
    size_t n;
    mm_err e = MM_OK;
    if (mm_cbor_enter_array(c->d, &n) != MM_OK) {
        return dec_err(c);
    }
    *out = json_array();
    for (size_t i = 0; i < n && e == MM_OK; i++) {
        json_t *v = NULL;
        e = fn(c, &v);
        e = append(*out, v, e);
    }
    return e == MM_OK ? mm_cbor_exit(c->d) : e;
}

/* A map key as a JSON member name: text as is, an integer label by its claim
 * name when info is not NULL and the label has one (*info gets its entry),
 * else as decimal text written into num. false for any other key. */
static bool key_name(const mm_cbor_item *k, char num[24], const mm_eat_claim_info **info, const char **name,
                     size_t *len)
{
    if (k->type == MM_CBOR_TSTR) {
        *name = (const char *)k->str.ptr;
        *len = k->str.len;
        return true;
    }
    if ((k->type != MM_CBOR_UINT && k->type != MM_CBOR_NINT) || k->arg > INT64_MAX) {
        return false;
    }
    int64_t label = k->type == MM_CBOR_UINT ? (int64_t)k->arg : -1 - (int64_t)k->arg;
    const mm_eat_claim_info *found = info != NULL ? mm_eat_claim_info_find(label) : NULL;
    if (info != NULL) {
        *info = found;
    }
    if (found != NULL) {
        *name = found->name;
        *len = strlen(found->name);
    } else {
        *name = num;
        *len = (size_t)snprintf(num, 24, "%" PRId64, label);
    }
    return true;
}

/* Any item, for claims the table does not know: maps with integer keys get
 * their decimal text as key, byte strings base64url. */
static mm_err any(to_json *c, json_t **out)
{
    mm_cbor_item it;
    if (mm_cbor_peek(c->d, &it) != MM_OK) {
        return dec_err(c);
    }
    size_t n;
    mm_err e = MM_OK;
    switch (it.type) {
    case MM_CBOR_UINT:
    case MM_CBOR_NINT:
        return integer(c, out) == MM_OK ? MM_OK : MM_ERR_UNSUPPORTED;
    case MM_CBOR_BSTR:
        return bytes(c, out);
    case MM_CBOR_TSTR:
        return text(c, out);
    case MM_CBOR_TRUE:
    case MM_CBOR_FALSE:
    case MM_CBOR_NULL:
    case MM_CBOR_UNDEFINED:
        *out = it.type == MM_CBOR_TRUE ? json_true() : it.type == MM_CBOR_FALSE ? json_false() : json_null();
        return mm_cbor_skip(c->d);
    case MM_CBOR_FLOAT: {
        double f;
        if (mm_cbor_get_float(c->d, &f) != MM_OK) {
            return dec_err(c);
        }
        *out = json_real(f); /* NULL for NaN and infinities */
        return *out != NULL ? MM_OK : MM_ERR_UNSUPPORTED;
    }
    case MM_CBOR_ARRAY:
        return array_of(c, any, out);
    case MM_CBOR_MAP:
        if (mm_cbor_enter_map(c->d, &n) != MM_OK) {
            return dec_err(c);
        }
        *out = json_object();
        for (size_t i = 0; i < n && e == MM_OK; i++) {
            mm_cbor_item k;
            char num[24];
            json_t *v = NULL;
            if (mm_cbor_get_item(c->d, &k) != MM_OK) {
                return dec_err(c);
            }
            const char *key;
            size_t key_len;
            if (!key_name(&k, num, NULL, &key, &key_len)) {
                return MM_ERR_UNSUPPORTED;
            }
            e = any(c, &v);
            e = set(*out, key, key_len, v, e);
        }
        return e == MM_OK ? mm_cbor_exit(c->d) : e;
    default:
        return MM_ERR_UNSUPPORTED; /* tags and simple values have no JSON form */
    }
}

/* [tstr, ? int / tstr], or a bare tstr. */
static mm_err version(to_json *c, json_t **out)
{
    mm_cbor_item it;
    if (mm_cbor_peek(c->d, &it) != MM_OK) {
        return dec_err(c);
    }
    return it.type == MM_CBOR_ARRAY || it.type == MM_CBOR_TSTR ? any(c, out) : MM_ERR_CBOR_TYPE;
}

static mm_err nonce(to_json *c, json_t **out)
{
    mm_cbor_item it;
    if (mm_cbor_peek(c->d, &it) != MM_OK) {
        return dec_err(c);
    }
    return it.type == MM_CBOR_BSTR || it.type == MM_CBOR_ARRAY ? any(c, out) : MM_ERR_CBOR_TYPE;
}

static mm_err oemid(to_json *c, json_t **out)
{
    mm_cbor_item it;
    if (mm_cbor_peek(c->d, &it) != MM_OK) {
        return dec_err(c);
    }
    return it.type == MM_CBOR_UINT || it.type == MM_CBOR_BSTR ? any(c, out) : MM_ERR_CBOR_TYPE;
}

/* A map with integer keys first..first+count-1, each written under its
 * name with fn (location, the trustworthiness vector, the verifier's
 * identity). */
static mm_err int_map(to_json *c, int64_t first, const char *const *names, size_t count,
                      mm_err (*fn)(to_json *, json_t **), json_t **out)
{
    size_t n;
    mm_err e = MM_OK;
    if (mm_cbor_enter_map(c->d, &n) != MM_OK) {
        return dec_err(c);
    }
    *out = json_object();
    for (size_t i = 0; i < n && e == MM_OK; i++) {
        int64_t k;
        json_t *v = NULL;
        if (mm_cbor_get_int(c->d, first, first + (int64_t)count - 1, &k) != MM_OK) {
            return dec_err(c);
        }
        const char *name = names[k - first];
        e = fn(c, &v);
        e = set(*out, name, strlen(name), v, e);
    }
    return e == MM_OK ? mm_cbor_exit(c->d) : e;
}

static mm_err location(to_json *c, json_t **out) { return int_map(c, 1, ej_location_names, 9, any, out); }

static mm_err profile(to_json *c, json_t **out)
{
    mm_cbor_item it;
    if (mm_cbor_peek(c->d, &it) != MM_OK) {
        return dec_err(c);
    }
    if (it.type != MM_CBOR_BSTR) {
        return text(c, out);
    }
    mm_bytes oid;
    char dotted[256];
    if (mm_cbor_get_bstr(c->d, &oid) != MM_OK) {
        return dec_err(c);
    }
    if (!ej_oid_to_text(oid, dotted, sizeof dotted)) {
        return MM_ERR_CBOR_RANGE;
    }
    *out = json_string(dotted);
    return MM_OK;
}

/* A submodule: a claims-set object, or a JSON-Selector array. */
static mm_err submod(to_json *c, json_t **out)
{
    mm_cbor_item it;
    mm_bytes v;
    json_error_t jerr;
    if (mm_cbor_peek(c->d, &it) != MM_OK) {
        return dec_err(c);
    }
    switch (it.type) {
    case MM_CBOR_MAP:
        return claims(c, out);
    case MM_CBOR_BSTR: /* a CBOR token: ["CBOR", base64url] */
        if (mm_cbor_get_bstr(c->d, &v) != MM_OK) {
            return dec_err(c);
        }
        *out = json_pack("[s, o]", "CBOR", ej_b64(v));
        return *out != NULL ? MM_OK : MM_ERR_PLATFORM;
    case MM_CBOR_TSTR: /* a JSON-Selector in text: the selector itself */
        if (mm_cbor_get_tstr(c->d, &v) != MM_OK) {
            return dec_err(c);
        }
        *out = json_loadb((const char *)v.ptr, v.len, 0, &jerr);
        return *out != NULL && json_is_array(*out) ? MM_OK : MM_ERR_SYNTAX;
    case MM_CBOR_ARRAY: { /* ["DIGEST", [alg, base64url]] */
        json_t *digest = NULL;
        mm_err e = any(c, &digest);
        if (e != MM_OK) {
            return e;
        }
        *out = json_pack("[s, o]", "DIGEST", digest);
        return *out != NULL ? MM_OK : MM_ERR_PLATFORM;
    }
    default:
        return MM_ERR_CBOR_TYPE;
    }
}

/* { + text => value } with value read by fn. */
static mm_err text_map(to_json *c, mm_err (*fn)(to_json *, json_t **), json_t **out)
{
    size_t n;
    mm_err e = MM_OK;
    if (mm_cbor_enter_map(c->d, &n) != MM_OK) {
        return dec_err(c);
    }
    *out = json_object();
    for (size_t i = 0; i < n && e == MM_OK; i++) {
        mm_bytes k;
        json_t *v = NULL;
        size_t saved = 0;
        if (mm_cbor_get_tstr(c->d, &k) != MM_OK) {
            return dec_err(c);
        }
        ej_where_push(c->where, (const char *)k.ptr, k.len, &saved);
        e = fn(c, &v);
        if (e == MM_OK) {
            ej_where_pop(c->where, saved);
        }
        e = set(*out, (const char *)k.ptr, k.len, v, e);
    }
    return e == MM_OK ? mm_cbor_exit(c->d) : e;
}

/* [content-format, body]: a byte-string body as base64url, any other item
 * as {"cbor": base64url of its encoding}. */
static mm_err format(to_json *c, json_t **out)
{
    size_t parts;
    uint64_t cf;
    mm_cbor_item it;
    json_t *body = NULL;
    if (mm_cbor_enter_array(c->d, &parts) != MM_OK || mm_cbor_get_uint(c->d, &cf) != MM_OK ||
        mm_cbor_peek(c->d, &it) != MM_OK) {
        return dec_err(c);
    }
    if (parts != 2) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_err e = MM_OK;
    if (it.type == MM_CBOR_BSTR) {
        e = bytes(c, &body);
    } else {
        mm_bytes raw;
        if (mm_cbor_get_raw(c->d, &raw) != MM_OK) {
            return dec_err(c);
        }
        body = json_pack("{s:o}", "cbor", ej_b64(raw));
    }
    if (e != MM_OK) {
        return e;
    }
    *out = json_pack("[I, o]", (json_int_t)cf, body);
    if (*out == NULL) {
        return MM_ERR_PLATFORM;
    }
    return mm_cbor_exit(c->d) != MM_OK ? dec_err(c) : MM_OK;
}

/* [+ [content-format, body]] */
static mm_err formats(to_json *c, json_t **out) { return array_of(c, format, out); }

static mm_err result(to_json *c, json_t **out)
{
    size_t parts;
    json_t *id = NULL;
    json_t *res = NULL;
    if (mm_cbor_enter_array(c->d, &parts) != MM_OK) {
        return dec_err(c);
    }
    mm_err e = parts == 2 ? any(c, &id) : MM_ERR_CBOR_TYPE;
    if (e == MM_OK) {
        e = named(c, ej_result_names, 4, 1, &res);
    }
    if (e != MM_OK) {
        json_decref(id);
        json_decref(res);
        return e;
    }
    *out = json_pack("[o, o]", id, res);
    return mm_cbor_exit(c->d);
}

/* [measurement system, [+ result]] */
static mm_err measres_group(to_json *c, json_t **out)
{
    size_t parts;
    json_t *sys = NULL;
    if (mm_cbor_enter_array(c->d, &parts) != MM_OK || parts != 2 || text(c, &sys) != MM_OK) {
        json_decref(sys);
        return mm_cbor_dec_error(c->d, NULL) != MM_OK ? dec_err(c) : MM_ERR_CBOR_TYPE;
    }
    json_t *results = NULL;
    mm_err e = array_of(c, result, &results);
    if (results == NULL) {
        json_decref(sys);
        return e != MM_OK ? e : MM_ERR_PLATFORM;
    }
    *out = json_pack("[o, o]", sys, results);
    return e == MM_OK ? mm_cbor_exit(c->d) : e; /* out of the group */
}

static mm_err measres(to_json *c, json_t **out) { return array_of(c, measres_group, out); }

/* {3: kid} as {"kid": base64url} (RFC 8747 and RFC 7800). */
static mm_err cnf(to_json *c, json_t **out)
{
    size_t n;
    uint64_t k;
    json_t *kid = NULL;
    if (mm_cbor_enter_map(c->d, &n) != MM_OK || n != 1 || mm_cbor_get_uint(c->d, &k) != MM_OK || k != 3 ||
        bytes(c, &kid) != MM_OK) {
        return MM_ERR_UNSUPPORTED; /* a COSE_Key or encrypted key: no JWK form here */
    }
    *out = json_pack("{s:o}", "kid", kid);
    return mm_cbor_exit(c->d);
}

static mm_err vector(to_json *c, json_t **out)
{
    const char *names[MM_AR4SI_CATEGORIES];
    for (unsigned i = 0; i < MM_AR4SI_CATEGORIES; i++) {
        names[i] = mm_ar4si_category_name(i);
    }
    return int_map(c, 0, names, MM_AR4SI_CATEGORIES, integer, out);
}

static mm_err verifier_id(to_json *c, json_t **out)
{
    static const char *const names[] = {"developer", "build"};
    return int_map(c, 0, names, 2, text, out);
}

static mm_err tier(to_json *c, json_t **out)
{
    int64_t v;
    if (mm_cbor_get_int(c->d, INT64_MIN, INT64_MAX, &v) != MM_OK) {
        return dec_err(c);
    }
    const char *name = v >= 0 && v <= 96 ? mm_ar4si_tier_name((int)v) : NULL;
    *out = name != NULL ? json_string(name) : json_integer(v);
    return MM_OK;
}

static mm_err value(to_json *c, const mm_eat_claim_info *info, json_t **out)
{
    switch (info->kind) {
    case MM_EAT_V_TEXT:
        return text(c, out);
    case MM_EAT_V_TIME:
    case MM_EAT_V_UINT:
        return integer(c, out);
    case MM_EAT_V_BOOL:
    case MM_EAT_V_TEXT_ARRAY:
    case MM_EAT_V_DLOAS:
    case MM_EAT_V_DIGEST:
        return any(c, out);
    case MM_EAT_V_BYTES:
    case MM_EAT_V_CTI: /* jti is text in JWT; as base64url it survives the way back */
        return bytes(c, out);
    case MM_EAT_V_NONCE:
        return nonce(c, out);
    case MM_EAT_V_OEMID:
        return oemid(c, out);
    case MM_EAT_V_VERSION:
        return version(c, out);
    case MM_EAT_V_DBGSTAT:
        return named(c, ej_dbgstat_names, 5, 0, out);
    case MM_EAT_V_INTUSE:
        return named(c, ej_intuse_names, 5, 1, out);
    case MM_EAT_V_LOCATION:
        return location(c, out);
    case MM_EAT_V_PROFILE:
        return profile(c, out);
    case MM_EAT_V_SUBMODS:
        return text_map(c, submod, out);
    case MM_EAT_V_SUEIDS:
        return text_map(c, bytes, out);
    case MM_EAT_V_MANIFESTS:
        return formats(c, out);
    case MM_EAT_V_MEASRES:
        return measres(c, out);
    case MM_EAT_V_CNF:
        return cnf(c, out);
    case MM_EAT_V_TIER:
        return tier(c, out);
    case MM_EAT_V_TRUST_VECTOR:
        return vector(c, out);
    case MM_EAT_V_VERIFIER_ID:
        return verifier_id(c, out);
    case MM_EAT_V_CLAIMS:
        return claims(c, out);
    default:
        return MM_ERR_UNSUPPORTED;
    }
}

/* A claims-set map: known labels by their names, others generically. */
static mm_err claims(to_json *c, json_t **out)
{
    size_t n;
    mm_err e = MM_OK;
    if (mm_cbor_enter_map(c->d, &n) != MM_OK) {
        return dec_err(c);
    }
    *out = json_object();
    if (*out == NULL) {
        return MM_ERR_PLATFORM;
    }
    for (size_t i = 0; i < n && e == MM_OK; i++) {
        mm_cbor_item k;
        char num[24];
        if (mm_cbor_get_item(c->d, &k) != MM_OK) {
            return dec_err(c);
        }
        const mm_eat_claim_info *info = NULL;
        const char *name;
        size_t name_len;
        if (!key_name(&k, num, &info, &name, &name_len)) {
            return MM_ERR_CBOR_BAD_KEY;
        }
        size_t saved = 0;
        ej_where_push(c->where, name, name_len, &saved);
        json_t *v = NULL;
        e = info != NULL ? value(c, info, &v) : any(c, &v);
        if (e == MM_OK && mm_cbor_dec_error(c->d, NULL) != MM_OK) {
            e = dec_err(c);
        }
        if (e == MM_OK) {
            ej_where_pop(c->where, saved);
        }
        e = set(*out, name, name_len, v, e);
    }
    return e == MM_OK ? mm_cbor_exit(c->d) : e;
}

mm_err mm_eat_json_from_cbor(mm_bytes cbor, json_t **out, mm_json_where *where)
{
    if (out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *out = NULL;
    if (where != NULL) {
        where->path[0] = '\0';
    }
    mm_cbor_dec d;
    mm_err e = mm_cbor_dec_init(&d, cbor, MM_CBOR_CHECK_UTF8);
    to_json c = {&d, where};
    json_t *j = NULL;
    if (e == MM_OK) {
        e = claims(&c, &j);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    if (e != MM_OK) {
        json_decref(j);
        return e;
    }
    *out = j;
    return MM_OK;
}
