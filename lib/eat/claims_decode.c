/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EAT claims-set decoding: one field table for the CWT and RFC 9711
 * claims, read by the CBOR map engine; a reader per claim shape checks type
 * and size as RFC 9711's CDDL has them. Submodule claims-sets are checked by
 * the same engine, one level deeper each time.
 */
#include <stddef.h>

#include "eat_internal.h"

/* A text string, valid UTF-8. The claims are read without the decoder's
 * MM_CBOR_CHECK_UTF8, which would send every item down its slow path; the
 * strings kept are checked here instead (unknown claims stay opaque). */
static mm_err get_text(mm_cbor_dec *dec, mm_bytes *v)
{
    size_t off = mm_cbor_dec_offset(dec);
    if (mm_cbor_get_tstr(dec, v) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    return mm_cbor_utf8_valid(v->ptr, v->len) ? MM_OK : eat_fail(dec, MM_ERR_CBOR_BAD_UTF8, off);
}

static mm_err read_text(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return get_text(dec, dst);
}

/* Takes the next entry of a storage array, or only counts with no storage
 * (a nested claims-set being checked). */
static mm_err take(mm_cbor_dec *dec, const eat_dec_ctx *ctx, void *base, size_t cap, size_t size, size_t i, size_t off,
                   void **slot)
{
    *slot = NULL;
    if (ctx->st == NULL) {
        return MM_OK;
    }
    if (base == NULL || i >= cap) {
        return eat_fail(dec, MM_ERR_TOO_LARGE, off);
    }
    *slot = (uint8_t *)base + i * size;
    return MM_OK;
}

/* take() for entry i of the storage array field (nonces, sueids, ...). */
#define TAKE(field, i, off, slot)                                                                                      \
    take(dec, ctx, ctx->st != NULL ? (void *)ctx->st->field : NULL, ctx->st != NULL ? ctx->st->field##_cap : 0,        \
         sizeof *ctx->st->field, i, off, slot)

/* The storage array of field: where a list is kept, its room, its entry
 * size (read_list()'s base, cap and size). */
#define LIST(field)                                                                                                    \
    ctx->st != NULL ? (void *)ctx->st->field : NULL, ctx->st != NULL ? ctx->st->field##_cap : 0, sizeof *ctx->st->field

/* Reads one entry of a list into v (zeroed); kept[0..i) are the entries
 * before it, or kept is NULL when entries are only counted. */
typedef mm_err (*entry_fn)(mm_cbor_dec *dec, eat_dec_ctx *ctx, void *v, const void *kept, size_t i);

/* [+ entry] (a map { + entry } with map set) into the storage array
 * base[0..cap) of size-byte entries, each read by fn; *count gets the
 * number of entries once all are read. */
static mm_err read_list(mm_cbor_dec *dec, eat_dec_ctx *ctx, bool map, void *base, size_t cap, size_t size, entry_fn fn,
                        size_t *count)
{
    size_t off = mm_cbor_dec_offset(dec);
    size_t n;
    if (eat_enter(dec, map, 1, SIZE_MAX, &n) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        void *slot;
        union {
            mm_eat_sueid sueid;
            mm_eat_dloa dloa;
            mm_eat_manifest manifest;
            mm_eat_measres measres;
            mm_eat_submod submod;
        } v;
        memset(&v, 0, sizeof v);
        if (take(dec, ctx, base, cap, size, i, off, &slot) != MM_OK ||
            fn(dec, ctx, &v, slot != NULL ? base : NULL, i) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        if (slot != NULL) {
            memcpy(slot, &v, size);
        }
    }
    *count = n;
    return mm_cbor_exit(dec);
}

static mm_err read_map_raw(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    mm_cbor_item it;
    if (eat_peek(dec, &it) == MM_OK && it.type != MM_CBOR_MAP) {
        return eat_fail(dec, MM_ERR_CBOR_TYPE, it.offset);
    }
    mm_bytes raw;
    if (mm_cbor_get_raw(dec, &raw) == MM_OK) {
        memcpy(dst, &raw, sizeof raw);
    }
    return mm_cbor_dec_error(dec, NULL);
}

static mm_err read_nonce(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)dst;
    eat_dec_ctx *ctx = user;
    mm_eat_claims *c = ctx->out;
    mm_cbor_item it;
    if (eat_peek(dec, &it) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (it.type != MM_CBOR_ARRAY) {
        c->n_nonces = 1;
        c->nonces = NULL;
        return eat_get_bstr_sized(dec, MM_EAT_NONCE_MIN, MM_EAT_NONCE_MAX, &c->nonce);
    }
    size_t n;
    if (eat_enter(dec, false, 2, SIZE_MAX, &n) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    c->nonces = ctx->st != NULL ? ctx->st->nonces : NULL;
    for (size_t i = 0; i < n; i++) {
        void *slot;
        mm_bytes v;
        if (TAKE(nonces, i, it.offset, &slot) != MM_OK ||
            eat_get_bstr_sized(dec, MM_EAT_NONCE_MIN, MM_EAT_NONCE_MAX, &v) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        if (i == 0) {
            c->nonce = v;
        }
        if (slot != NULL) {
            memcpy(slot, &v, sizeof v);
        }
    }
    c->n_nonces = n;
    return mm_cbor_exit(dec);
}

static mm_err read_ueid(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return eat_get_bstr_sized(dec, MM_EAT_UEID_MIN, MM_EAT_UEID_MAX, dst);
}

static mm_err read_hwmodel(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return eat_get_bstr_sized(dec, 1, MM_EAT_HWMODEL_MAX, dst);
}

/* { + text => ueid }: labels compared here (the map engine's duplicate
 * check does not apply to the caller's labels, and the decoder refuses
 * duplicates only in deterministic mode). */
static mm_err sueid_entry(mm_cbor_dec *dec, eat_dec_ctx *ctx, void *v, const void *kept, size_t i)
{
    (void)ctx;
    mm_eat_sueid *e = v;
    const mm_eat_sueid *before = kept;
    size_t key_off = mm_cbor_dec_offset(dec);
    if (get_text(dec, &e->label) != MM_OK ||
        eat_get_bstr_sized(dec, MM_EAT_UEID_MIN, MM_EAT_UEID_MAX, &e->ueid) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    for (size_t j = 0; before != NULL && j < i; j++) {
        if (mm_bytes_equal(before[j].label, e->label)) {
            return eat_fail(dec, MM_ERR_CBOR_DUP_KEY, key_off);
        }
    }
    return MM_OK;
}

static mm_err read_sueids(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)dst;
    eat_dec_ctx *ctx = user;
    size_t n = 0;
    mm_err e = read_list(dec, ctx, true, LIST(sueids), sueid_entry, &n);
    if (n != 0) {
        ctx->out->sueids = ctx->st != NULL ? ctx->st->sueids : NULL;
        ctx->out->n_sueids = n;
    }
    return e;
}

static mm_err read_oemid(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    mm_eat_oemid *o = dst;
    mm_cbor_item it;
    if (eat_peek(dec, &it) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (it.type == MM_CBOR_UINT) {
        o->form = MM_EAT_OEMID_PEN;
        return mm_cbor_get_uint(dec, &o->pen);
    }
    if (mm_cbor_get_bstr(dec, &o->id) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (o->id.len != 3 && o->id.len != 16) {
        return eat_fail(dec, MM_ERR_CBOR_RANGE, it.offset);
    }
    o->form = o->id.len == 3 ? MM_EAT_OEMID_IEEE : MM_EAT_OEMID_RANDOM;
    return MM_OK;
}

/* [version: tstr, ? scheme: int / tstr]; a bare tstr as well, since RFC
 * 9711's examples (submods, simple.json) write swversion that way. */
static mm_err read_version(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    mm_eat_version *v = dst;
    mm_cbor_item it;
    if (eat_peek(dec, &it) == MM_OK && it.type == MM_CBOR_TSTR) {
        v->bare = true;
        v->scheme_kind = MM_EAT_SCHEME_NONE;
        return get_text(dec, &v->version);
    }
    size_t n;
    if (eat_enter(dec, false, 1, 2, &n) != MM_OK || get_text(dec, &v->version) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    v->bare = false;
    v->scheme_kind = MM_EAT_SCHEME_NONE;
    if (n == 2) {
        if (eat_peek(dec, &it) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        if (it.type == MM_CBOR_TSTR) {
            v->scheme_kind = MM_EAT_SCHEME_TEXT;
            eat_recorded(get_text(dec, &v->scheme_text));
        } else {
            v->scheme_kind = MM_EAT_SCHEME_INT;
            eat_recorded(mm_cbor_get_int(dec, INT64_MIN, INT64_MAX, &v->scheme));
        }
    }
    return mm_cbor_exit(dec);
}

static mm_err read_dbgstat(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    size_t off = mm_cbor_dec_offset(dec);
    uint64_t v;
    if (mm_cbor_get_uint(dec, &v) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (v > MM_EAT_DBG_DISABLED_FULLY_AND_PERMANENTLY) {
        return eat_fail(dec, MM_ERR_CBOR_RANGE, off); /* the claim is not extensible */
    }
    *(uint8_t *)dst = (uint8_t)v;
    return MM_OK;
}

/* number: an int or a float, as a double. */
static mm_err read_number(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    mm_cbor_item it;
    double d;
    if (eat_peek(dec, &it) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (it.type == MM_CBOR_FLOAT) {
        eat_recorded(mm_cbor_get_float(dec, &d));
    } else {
        int64_t i;
        if (mm_cbor_get_int(dec, INT64_MIN, INT64_MAX, &i) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        d = (double)i;
    }
    memcpy(dst, &d, sizeof d);
    return mm_cbor_dec_error(dec, NULL);
}

#define LOC(label, kind, member, fn, flags)                                                                            \
    {                                                                                                                  \
        label, NULL, kind, flags, offsetof(mm_eat_location, member), fn                                                \
    }

/* In the order of MM_EAT_LOC_* after latitude and longitude. */
static const mm_cbor_field location_fields[] = {
    LOC(1, MM_CBOR_F_CUSTOM, latitude, read_number, MM_CBOR_F_REQUIRED),
    LOC(2, MM_CBOR_F_CUSTOM, longitude, read_number, MM_CBOR_F_REQUIRED),
    LOC(3, MM_CBOR_F_CUSTOM, altitude, read_number, 0),
    LOC(4, MM_CBOR_F_CUSTOM, accuracy, read_number, 0),
    LOC(5, MM_CBOR_F_CUSTOM, altitude_accuracy, read_number, 0),
    LOC(6, MM_CBOR_F_CUSTOM, heading, read_number, 0),
    LOC(7, MM_CBOR_F_CUSTOM, speed, read_number, 0),
    LOC(8, MM_CBOR_F_INT, timestamp, NULL, 0),
    LOC(9, MM_CBOR_F_UINT, age, NULL, 0),
};

static mm_err read_location(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    mm_eat_location *loc = dst;
    uint64_t present = 0;
    if (mm_cbor_decode_map(dec, location_fields, sizeof location_fields / sizeof location_fields[0], loc, &present,
                           NULL) == MM_OK) {
        loc->present = (uint32_t)(present >> 2);
    }
    return mm_cbor_dec_error(dec, NULL);
}

/* general-uri (text) or general-oid (an untagged OID's bytes). */
static mm_err read_profile(mm_cbor_dec *dec, void *dst, void *user)
{
    eat_dec_ctx *ctx = user;
    mm_cbor_item it;
    if (eat_peek(dec, &it) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    ctx->out->profile_is_oid = it.type == MM_CBOR_BSTR;
    if (it.type == MM_CBOR_BSTR) {
        return eat_get_bstr_sized(dec, 1, SIZE_MAX, dst);
    }
    return get_text(dec, dst);
}

/* [registrar: uri, platform: text, ? application: text] */
static mm_err dloa_entry(mm_cbor_dec *dec, eat_dec_ctx *ctx, void *v, const void *kept, size_t i)
{
    (void)ctx;
    (void)kept;
    (void)i;
    mm_eat_dloa *d = v;
    size_t parts;
    if (eat_enter(dec, false, 2, 3, &parts) != MM_OK || get_text(dec, &d->registrar) != MM_OK ||
        get_text(dec, &d->platform) != MM_OK || (parts == 3 && get_text(dec, &d->application) != MM_OK)) {
        return mm_cbor_dec_error(dec, NULL);
    }
    return mm_cbor_exit(dec);
}

static mm_err read_dloas(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)dst;
    eat_dec_ctx *ctx = user;
    size_t n = 0;
    mm_err e = read_list(dec, ctx, false, LIST(dloas), dloa_entry, &n);
    if (n != 0) {
        ctx->out->dloas = ctx->st != NULL ? ctx->st->dloas : NULL;
        ctx->out->n_dloas = n;
    }
    return e;
}

/* [content-type: uint .le 65535, body: any] */
static mm_err format_entry(mm_cbor_dec *dec, eat_dec_ctx *ctx, void *v, const void *kept, size_t i)
{
    (void)ctx;
    (void)kept;
    (void)i;
    mm_eat_manifest *m = v;
    size_t parts;
    uint64_t cf;
    if (eat_enter(dec, false, 2, 2, &parts) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    size_t cf_off = mm_cbor_dec_offset(dec);
    if (mm_cbor_get_uint(dec, &cf) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (cf > 65535) {
        return eat_fail(dec, MM_ERR_CBOR_RANGE, cf_off);
    }
    m->content_type = (uint16_t)cf;
    if (mm_cbor_get_raw(dec, &m->body) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    return mm_cbor_exit(dec);
}

static mm_err read_manifests(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)dst;
    eat_dec_ctx *ctx = user;
    size_t n = 0;
    mm_err e = read_list(dec, ctx, false, LIST(manifests), format_entry, &n);
    if (n != 0) {
        ctx->out->manifests = ctx->st != NULL ? ctx->st->manifests : NULL;
        ctx->out->n_manifests = n;
    }
    return e;
}

static mm_err read_measurements(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)dst;
    eat_dec_ctx *ctx = user;
    size_t n = 0;
    mm_err e = read_list(dec, ctx, false, LIST(measurements), format_entry, &n);
    if (n != 0) {
        ctx->out->measurements = ctx->st != NULL ? ctx->st->measurements : NULL;
        ctx->out->n_measurements = n;
    }
    return e;
}

/* One measurement-results group: [system: tstr, [+ [id: tstr / bstr,
 * result: 1..4]]]; results go to the shared pool. */
static mm_err read_group(mm_cbor_dec *dec, eat_dec_ctx *ctx, mm_eat_measres *g)
{
    size_t parts;
    size_t n;
    if (eat_enter(dec, false, 2, 2, &parts) != MM_OK || get_text(dec, &g->system) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    size_t off = mm_cbor_dec_offset(dec);
    if (eat_enter(dec, false, 1, SIZE_MAX, &n) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    const mm_eat_storage *st = ctx->st;
    g->results = st != NULL && st->results != NULL ? st->results + ctx->results_used : NULL;
    g->n_results = n;
    for (size_t i = 0; i < n; i++) {
        void *slot;
        mm_eat_result r;
        mm_cbor_item it;
        if (TAKE(results, ctx->results_used, off, &slot) != MM_OK || eat_enter(dec, false, 2, 2, &parts) != MM_OK ||
            eat_peek(dec, &it) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        r.id_is_bytes = it.type == MM_CBOR_BSTR;
        if ((r.id_is_bytes ? mm_cbor_get_bstr(dec, &r.id) : get_text(dec, &r.id)) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        size_t res_off = mm_cbor_dec_offset(dec);
        uint64_t res;
        if (mm_cbor_get_uint(dec, &res) != MM_OK || mm_cbor_exit(dec) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        if (res < MM_EAT_RESULT_SUCCESS || res > MM_EAT_RESULT_ABSENT) {
            return eat_fail(dec, MM_ERR_CBOR_RANGE, res_off);
        }
        r.result = (uint8_t)res;
        if (slot != NULL) {
            memcpy(slot, &r, sizeof r);
            ctx->results_used++;
        }
    }
    eat_recorded(mm_cbor_exit(dec));
    return mm_cbor_exit(dec);
}

static mm_err measres_entry(mm_cbor_dec *dec, eat_dec_ctx *ctx, void *v, const void *kept, size_t i)
{
    (void)kept;
    (void)i;
    return read_group(dec, ctx, v);
}

static mm_err read_measres(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)dst;
    eat_dec_ctx *ctx = user;
    size_t n = 0;
    mm_err e = read_list(dec, ctx, false, LIST(measres), measres_entry, &n);
    if (n != 0) {
        ctx->out->measres = ctx->st != NULL ? ctx->st->measres : NULL;
        ctx->out->n_measres = n;
    }
    return e;
}

/* One submodule's value: told apart by its CBOR type (section 4.2.18). */
static mm_err read_submod_value(mm_cbor_dec *dec, eat_dec_ctx *ctx, mm_eat_submod *sm)
{
    mm_cbor_item it;
    if (eat_peek(dec, &it) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    size_t start = it.offset;
    switch (it.type) {
    case MM_CBOR_MAP: {
        /* A claims-set, checked one level deeper into the scratch struct. */
        if (ctx->depth + 1 > MM_EAT_MAX_DEPTH) {
            return eat_fail(dec, MM_ERR_NESTING, start);
        }
        eat_dec_ctx inner = {NULL, ctx->scratch, ctx->scratch, ctx->depth + 1, 0};
        if (eat_decode_claims(dec, &inner) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        sm->kind = MM_EAT_SUBMOD_CLAIMS;
        sm->value = mm_bytes_make(dec->base + start, mm_cbor_dec_offset(dec) - start);
        return MM_OK;
    }
    case MM_CBOR_BSTR: {
        /* A CBOR nested token: one tagged item (CWT, bundle, ...). */
        mm_cbor_item inner;
        if (mm_cbor_enter_wrapped(dec, &sm->value) != MM_OK || eat_peek(dec, &inner) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        if (inner.type != MM_CBOR_TAG) {
            return eat_fail(dec, MM_ERR_CBOR_TYPE, inner.offset);
        }
        sm->kind = MM_EAT_SUBMOD_TOKEN;
        return mm_cbor_exit(dec);
    }
    case MM_CBOR_TSTR:
        sm->kind = MM_EAT_SUBMOD_JSON;
        return get_text(dec, &sm->value);
    case MM_CBOR_ARRAY: {
        /* [hash-algorithm: text / int, digest: bstr] */
        size_t parts;
        mm_cbor_item alg;
        sm->kind = MM_EAT_SUBMOD_DIGEST;
        if (eat_enter(dec, false, 2, 2, &parts) != MM_OK || eat_peek(dec, &alg) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        if (alg.type == MM_CBOR_TSTR) {
            eat_recorded(get_text(dec, &sm->digest_alg_name));
        } else {
            eat_recorded(mm_cbor_get_int(dec, INT32_MIN, INT32_MAX, &sm->digest_alg));
        }
        eat_recorded(mm_cbor_get_bstr(dec, &sm->value));
        return mm_cbor_exit(dec);
    }
    default:
        return eat_fail(dec, MM_ERR_CBOR_TYPE, start);
    }
}

/* text => Submodule, the labels compared as for sueids. */
static mm_err submod_entry(mm_cbor_dec *dec, eat_dec_ctx *ctx, void *v, const void *kept, size_t i)
{
    mm_eat_submod *sm = v;
    const mm_eat_submod *before = kept;
    size_t key_off = mm_cbor_dec_offset(dec);
    if (get_text(dec, &sm->name) != MM_OK || read_submod_value(dec, ctx, sm) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    for (size_t j = 0; before != NULL && j < i; j++) {
        if (mm_bytes_equal(before[j].name, sm->name)) {
            return eat_fail(dec, MM_ERR_CBOR_DUP_KEY, key_off);
        }
    }
    return MM_OK;
}

/* { + text => Submodule } */
static mm_err read_submods(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)dst;
    eat_dec_ctx *ctx = user;
    size_t n = 0;
    mm_err e = read_list(dec, ctx, true, LIST(submods), submod_entry, &n);
    if (n != 0) {
        ctx->out->submods = ctx->st != NULL ? ctx->st->submods : NULL;
        ctx->out->n_submods = n;
    }
    return e;
}

/* A claim the table does not know: kept (or counted) with its label. */
static mm_err read_unknown(mm_cbor_dec *dec, const mm_cbor_item *key, void *user)
{
    eat_dec_ctx *ctx = user;
    mm_eat_claims *c = ctx->out;
    mm_eat_claim v;
    v.label = 0;
    v.text = mm_bytes_make(NULL, 0);
    if (key->type == MM_CBOR_TSTR) {
        if (!mm_cbor_utf8_valid(key->str.ptr, key->str.len)) {
            return eat_fail(dec, MM_ERR_CBOR_BAD_UTF8, key->offset);
        }
        v.text = key->str;
    } else {
        v.label = key->type == MM_CBOR_UINT ? (int64_t)key->arg : -1 - (int64_t)key->arg;
    }
    if (mm_cbor_get_raw(dec, &v.value) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    /* Kept while there is room; all stay reachable by mm_eat_claim_find. */
    const mm_eat_storage *st = ctx->st;
    if (st != NULL && st->unknown != NULL && c->n_unknown < st->unknown_cap) {
        st->unknown[c->n_unknown++] = v;
        c->unknown = st->unknown;
    }
    return MM_OK;
}

#define F(label, kind, member, fn)                                                                                     \
    {                                                                                                                  \
        label, NULL, kind, 0, offsetof(mm_eat_claims, member), fn                                                      \
    }

/* The CWT claims in the order of the MM_CWT_HAS_* bits, then RFC 9711's in
 * the order of the MM_EAT_HAS_* bits. Times are MM_CBOR_F_INT: EAT forbids
 * floating-point times (RFC 9711 section 4.3.1). */
static const mm_cbor_field claim_fields[] = {
    F(MM_CWT_ISS, MM_CBOR_F_CUSTOM, cwt.iss, read_text),
    F(MM_CWT_SUB, MM_CBOR_F_CUSTOM, cwt.sub, read_text),
    F(MM_CWT_AUD, MM_CBOR_F_CUSTOM, cwt.aud, read_text),
    F(MM_CWT_EXP, MM_CBOR_F_INT, cwt.exp, NULL),
    F(MM_CWT_NBF, MM_CBOR_F_INT, cwt.nbf, NULL),
    F(MM_CWT_IAT, MM_CBOR_F_INT, cwt.iat, NULL),
    F(MM_CWT_CTI, MM_CBOR_F_BSTR, cwt.cti, NULL),
    F(MM_CWT_CNF, MM_CBOR_F_CUSTOM, cwt.cnf, read_map_raw),
    F(MM_EAT_NONCE, MM_CBOR_F_CUSTOM, nonce, read_nonce),
    F(MM_EAT_UEID, MM_CBOR_F_CUSTOM, ueid, read_ueid),
    F(MM_EAT_SUEIDS, MM_CBOR_F_CUSTOM, sueids, read_sueids),
    F(MM_EAT_OEMID, MM_CBOR_F_CUSTOM, oemid, read_oemid),
    F(MM_EAT_HWMODEL, MM_CBOR_F_CUSTOM, hwmodel, read_hwmodel),
    F(MM_EAT_HWVERSION, MM_CBOR_F_CUSTOM, hwversion, read_version),
    F(MM_EAT_UPTIME, MM_CBOR_F_UINT, uptime, NULL),
    F(MM_EAT_OEMBOOT, MM_CBOR_F_BOOL, oemboot, NULL),
    F(MM_EAT_DBGSTAT, MM_CBOR_F_CUSTOM, dbgstat, read_dbgstat),
    F(MM_EAT_LOCATION, MM_CBOR_F_CUSTOM, location, read_location),
    F(MM_EAT_PROFILE, MM_CBOR_F_CUSTOM, profile, read_profile),
    F(MM_EAT_SUBMODS, MM_CBOR_F_CUSTOM, submods, read_submods),
    F(MM_EAT_BOOTCOUNT, MM_CBOR_F_UINT, bootcount, NULL),
    F(MM_EAT_BOOTSEED, MM_CBOR_F_BSTR, bootseed, NULL),
    F(MM_EAT_DLOAS, MM_CBOR_F_CUSTOM, dloas, read_dloas),
    F(MM_EAT_SWNAME, MM_CBOR_F_CUSTOM, swname, read_text),
    F(MM_EAT_SWVERSION, MM_CBOR_F_CUSTOM, swversion, read_version),
    F(MM_EAT_MANIFESTS, MM_CBOR_F_CUSTOM, manifests, read_manifests),
    F(MM_EAT_MEASUREMENTS, MM_CBOR_F_CUSTOM, measurements, read_measurements),
    F(MM_EAT_MEASRES, MM_CBOR_F_CUSTOM, measres, read_measres),
    F(MM_EAT_INTUSE, MM_CBOR_F_INT, intuse, NULL),
};

#define N_CWT_FIELDS 8

mm_err eat_decode_claims(mm_cbor_dec *dec, eat_dec_ctx *ctx)
{
    mm_eat_claims *out = ctx->out;
    memset(out, 0, sizeof *out);
    size_t start = mm_cbor_dec_offset(dec);
    uint64_t present = 0;
    mm_cbor_map_opts opts = {read_unknown, ctx, 0};
    if (mm_cbor_decode_map(dec, claim_fields, sizeof claim_fields / sizeof claim_fields[0], out, &present, &opts) !=
        MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    out->cwt.present = (uint32_t)(present & ((1u << N_CWT_FIELDS) - 1));
    out->present = (uint32_t)(present >> N_CWT_FIELDS);
    out->cwt.map = mm_bytes_make(dec->base + start, mm_cbor_dec_offset(dec) - start);
    return MM_OK;
}

mm_err mm_eat_claims_decode(mm_bytes map, unsigned flags, const mm_eat_storage *st, mm_eat_claims *out, size_t *err_off)
{
    if (out == NULL || (flags & ~MM_EAT_PREFERRED) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    mm_eat_claims scratch;
    static const mm_eat_storage none = {NULL, 0,    NULL, 0,    NULL, 0,    NULL, 0,    NULL,
                                        0,    NULL, 0,    NULL, 0,    NULL, 0,    NULL, 0};
    eat_dec_ctx ctx = {st != NULL ? st : &none, out, &scratch, 0, 0};
    mm_cbor_dec d;
    unsigned cbor_flags = (flags & MM_EAT_PREFERRED) != 0 ? MM_CBOR_PREFERRED : 0;
    mm_err e = mm_cbor_dec_init(&d, map, cbor_flags);
    if (e == MM_OK) {
        e = eat_decode_claims(&d, &ctx);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    if (e != MM_OK && err_off != NULL) {
        (void)mm_cbor_dec_error(&d, err_off);
    }
    return e;
}

mm_err mm_eat_claim_find(const mm_eat_claims *c, int64_t label, mm_bytes *value)
{
    if (c == NULL || value == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return mm_cwt_claim_find(&c->cwt, label, value);
}

bool mm_eat_has_nonce(const mm_eat_claims *c, mm_bytes nonce)
{
    if ((c->present & MM_EAT_HAS_NONCE) == 0) {
        return false;
    }
    if (c->n_nonces <= 1 || c->nonces == NULL) {
        return mm_bytes_equal(c->nonce, nonce);
    }
    for (size_t i = 0; i < c->n_nonces; i++) {
        if (mm_bytes_equal(c->nonces[i], nonce)) {
            return true;
        }
    }
    return false;
}

mm_err eat_check_claims(mm_bytes map, unsigned flags, unsigned depth, mm_eat_claims *scratch)
{
    eat_dec_ctx ctx = {NULL, scratch, scratch, depth, 0};
    mm_cbor_dec d;
    unsigned cbor_flags = (flags & MM_EAT_PREFERRED) != 0 ? MM_CBOR_PREFERRED : 0;
    mm_err e = mm_cbor_dec_init(&d, map, cbor_flags);
    if (e == MM_OK) {
        e = eat_decode_claims(&d, &ctx);
    }
    return e == MM_OK ? mm_cbor_dec_finish(&d) : e;
}
