/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SUIT parameters: one table drives override-parameters, override-multiple,
 * copy-params and the structure check. Each value is validated when it is
 * decoded (a UUID is 16 bytes, a digest names a hash this build has, a
 * version match and wait events have their shape), so commands later read
 * views they can trust.
 */
#include "processor.h"

/* Checks one value (its head already read; tag is the tag number in front
 * of it, or 0). *at is where the value is; on failure, where it went wrong. */
typedef mm_err (*param_check_fn)(mm_suit_processor *p, const mm_cbor_head *v, uint64_t tag, const uint8_t **at);

/* RFC 9090 relative OID under the IANA PEN arc (tag 112), or a UUID. */
#define TAG_PEN 112

static mm_err check_uuid(mm_suit_processor *p, const mm_cbor_head *v, uint64_t tag, const uint8_t **at)
{
    (void)p;
    (void)at;
    if (tag != 0 || v->type != MM_CBOR_BSTR) {
        return MM_ERR_CBOR_TYPE;
    }
    return v->arg == 16 ? MM_OK : MM_ERR_CBOR_RANGE;
}

static mm_err check_vendor(mm_suit_processor *p, const mm_cbor_head *v, uint64_t tag, const uint8_t **at)
{
    if (tag == 0) {
        return check_uuid(p, v, tag, at);
    }
    if (tag != TAG_PEN || v->type != MM_CBOR_BSTR) {
        return MM_ERR_CBOR_TYPE;
    }
    return v->arg != 0 ? MM_OK : MM_ERR_CBOR_RANGE;
}

/* A URI: text, checked as UTF-8 here (sequences are read without the
 * decoder's UTF-8 check, which would slow every item down). */
static mm_err check_uri(mm_suit_processor *p, const mm_cbor_head *v, uint64_t tag, const uint8_t **at)
{
    (void)p;
    (void)at;
    if (tag != 0 || v->type != MM_CBOR_TSTR) {
        return MM_ERR_CBOR_TYPE;
    }
    return mm_cbor_utf8_valid(v->str, (size_t)v->arg) ? MM_OK : MM_ERR_CBOR_BAD_UTF8;
}

static mm_err check_source(mm_suit_processor *p, const mm_cbor_head *v, uint64_t tag, const uint8_t **at)
{
    (void)at;
    if (tag != 0 || v->type != MM_CBOR_UINT) {
        return MM_ERR_CBOR_TYPE;
    }
    return v->arg < p->man.n_components ? MM_OK : MM_ERR_CBOR_RANGE;
}

/* A bstr holding one item, read by fn with the scratch decoder; *at is the
 * failing byte inside. For the update-management values, which are rare. */
static mm_err check_wrapped(mm_suit_processor *p, const mm_cbor_head *v, uint64_t tag, const uint8_t **at,
                            mm_err (*fn)(mm_cbor_dec *d))
{
    if (tag != 0 || v->type != MM_CBOR_BSTR) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_cbor_dec *d = &p->dec;
    mm_err e = suit_dec_init(d, mm_bytes_make(v->str, (size_t)v->arg), SUIT_SEQ_FLAGS);
    if (e == MM_OK) {
        (void)fn(d); /* its error is the decoder's sticky one */
        e = mm_cbor_dec_finish(d);
    }
    if (e != MM_OK) {
        size_t off = 0;
        mm_cbor_dec_error(d, &off);
        *at = v->str + off;
    }
    return e;
}

/* An image digest: a bstr holding exactly one SUIT_Digest, read flat. */
static mm_err check_digest(mm_suit_processor *p, const mm_cbor_head *v, uint64_t tag, const uint8_t **at)
{
    (void)p;
    if (tag != 0 || v->type != MM_CBOR_BSTR) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_cbor_flat r;
    mm_suit_digest dg;
    suit_flat_init(&r, mm_bytes_make(v->str, (size_t)v->arg));
    (void)suit_read_digest(&r, &dg); /* its error is the reader's sticky one */
    mm_err e = mm_cbor_flat_finish(&r);
    if (e != MM_OK) {
        *at = v->str + r.err_off;
    }
    return e;
}

/* [comparison type 1..5, [+ int]] at the decoder's position. */
static mm_err read_version_match(mm_cbor_dec *d, uint64_t *type, int64_t *parts, size_t *n)
{
    size_t count;
    size_t at = mm_cbor_dec_offset(d);
    if (mm_cbor_enter_array(d, &count) != MM_OK || mm_cbor_get_uint(d, type) != MM_OK) {
        return d->err;
    }
    if (count != 2 || *type < 1 || *type > 5) {
        return mm_cbor_dec_fail(d, count != 2 ? MM_ERR_CBOR_TYPE : MM_ERR_CBOR_RANGE, at);
    }
    size_t list_at = mm_cbor_dec_offset(d);
    if (mm_cbor_enter_array(d, &count) != MM_OK) {
        return d->err;
    }
    if (count == 0 || count > MM_SUIT_MAX_VERSION) {
        return mm_cbor_dec_fail(d, count == 0 ? MM_ERR_MISSING_FIELD : MM_ERR_TOO_LARGE, list_at);
    }
    for (size_t i = 0; i < count; i++) {
        if (mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &parts[i]) != MM_OK) {
            return d->err;
        }
    }
    *n = count;
    if (mm_cbor_exit(d) != MM_OK) {
        return d->err;
    }
    return mm_cbor_exit(d);
}

/* An array head at r's position, refused as the decoder's enter refuses
 * it: an item whose head shows another type is a type error before
 * anything else about it is checked. */
static mm_err flat_array(mm_cbor_flat *r, mm_cbor_head *h)
{
    const uint8_t *at = r->pos;
    if (mm_cbor_flat_peek(r, h) == MM_OK && h->type != MM_CBOR_ARRAY) {
        return mm_cbor_flat_fail(r, MM_ERR_CBOR_TYPE, (size_t)(at - r->base));
    }
    return mm_cbor_flat_next(r, h);
}

/* read_version_match() with flat reads, refusing what it refuses with the
 * same codes at the same places: version conditions are read twice per
 * procedure (check and run), and flat reads cost a fraction of the
 * decoder's. */
static mm_err flat_version_match(mm_cbor_flat *r, uint64_t *type, int64_t *parts, size_t *n)
{
    mm_cbor_head arr;
    mm_cbor_head h;
    const uint8_t *at = r->pos;
    if (flat_array(r, &arr) != MM_OK) {
        return r->err;
    }
    const uint8_t *v_at = r->pos;
    if (arr.arg == 0) {
        return mm_cbor_flat_fail(r, MM_ERR_CBOR_NO_ITEM, (size_t)(v_at - r->base)); /* the type, missing */
    }
    if (mm_cbor_flat_next(r, &h) != MM_OK) {
        return r->err;
    }
    if (h.type != MM_CBOR_UINT) {
        return mm_cbor_flat_fail(r, MM_ERR_CBOR_TYPE, (size_t)(v_at - r->base));
    }
    *type = h.arg;
    if (arr.arg != 2 || *type < 1 || *type > 5) {
        return mm_cbor_flat_fail(r, arr.arg != 2 ? MM_ERR_CBOR_TYPE : MM_ERR_CBOR_RANGE, (size_t)(at - r->base));
    }
    const uint8_t *list_at = r->pos;
    if (flat_array(r, &arr) != MM_OK) {
        return r->err;
    }
    if (arr.arg == 0 || arr.arg > MM_SUIT_MAX_VERSION) {
        return mm_cbor_flat_fail(r, arr.arg == 0 ? MM_ERR_MISSING_FIELD : MM_ERR_TOO_LARGE,
                                 (size_t)(list_at - r->base));
    }
    for (size_t i = 0; i < (size_t)arr.arg; i++) {
        v_at = r->pos;
        if (mm_cbor_flat_next(r, &h) != MM_OK) {
            return r->err;
        }
        if (h.type != MM_CBOR_UINT && h.type != MM_CBOR_NINT) {
            return mm_cbor_flat_fail(r, MM_ERR_CBOR_TYPE, (size_t)(v_at - r->base));
        }
        if (h.arg > (uint64_t)INT64_MAX) {
            return mm_cbor_flat_fail(r, MM_ERR_CBOR_RANGE, (size_t)(v_at - r->base));
        }
        parts[i] = h.type == MM_CBOR_UINT ? (int64_t)h.arg : -1 - (int64_t)h.arg;
    }
    *n = (size_t)arr.arg;
    return MM_OK;
}

/* A version match: a bstr holding exactly one, read flat. */
static mm_err check_version(mm_suit_processor *p, const mm_cbor_head *v, uint64_t tag, const uint8_t **at)
{
    (void)p;
    if (tag != 0 || v->type != MM_CBOR_BSTR) {
        return MM_ERR_CBOR_TYPE;
    }
    mm_cbor_flat r;
    uint64_t type;
    int64_t parts[MM_SUIT_MAX_VERSION];
    size_t n;
    suit_flat_init(&r, mm_bytes_make(v->str, (size_t)v->arg));
    (void)flat_version_match(&r, &type, parts, &n); /* its error is the reader's sticky one */
    mm_err e = mm_cbor_flat_finish(&r);
    if (e != MM_OK) {
        *at = v->str + r.err_off;
    }
    return e;
}

/*
 * Wait events.
 */
static mm_err read_other_device(mm_cbor_dec *d, void *dst, void *user)
{
    (void)user;
    size_t at = mm_cbor_dec_offset(d);
    size_t count;
    mm_bytes dev;
    if (mm_cbor_enter_array(d, &count) != MM_OK || mm_cbor_get_bstr(d, &dev) != MM_OK) {
        return d->err;
    }
    size_t list_at = mm_cbor_dec_offset(d);
    if (count != 2 || mm_cbor_enter_array(d, &count) != MM_OK) {
        return mm_cbor_dec_fail(d, MM_ERR_CBOR_TYPE, at);
    }
    if (count == 0) {
        return mm_cbor_dec_fail(d, MM_ERR_MISSING_FIELD, list_at);
    }
    for (size_t i = 0; i < count; i++) {
        uint64_t type;
        int64_t parts[MM_SUIT_MAX_VERSION];
        size_t n;
        if (read_version_match(d, &type, parts, &n) != MM_OK) {
            return d->err;
        }
    }
    /* Out of the list, then out of the pair. */
    if (mm_cbor_exit(d) != MM_OK) {
        return d->err;
    }
    if (mm_cbor_exit(d) != MM_OK) {
        return d->err;
    }
    *(mm_bytes *)dst = mm_bytes_make(d->base + at, mm_cbor_dec_offset(d) - at);
    return MM_OK;
}

static const mm_cbor_field wait_fields[] = {
    {1, NULL, MM_CBOR_F_INT, 0, offsetof(mm_suit_wait, authorization), NULL},
    {2, NULL, MM_CBOR_F_INT, 0, offsetof(mm_suit_wait, power), NULL},
    {3, NULL, MM_CBOR_F_INT, 0, offsetof(mm_suit_wait, network), NULL},
    {4, NULL, MM_CBOR_F_CUSTOM, 0, offsetof(mm_suit_wait, other_device), read_other_device},
    {5, NULL, MM_CBOR_F_UINT, 0, offsetof(mm_suit_wait, time), NULL},
    {6, NULL, MM_CBOR_F_UINT, 0, offsetof(mm_suit_wait, time_of_day), NULL},
    {7, NULL, MM_CBOR_F_UINT, 0, offsetof(mm_suit_wait, day_of_week), NULL},
    {8, NULL, MM_CBOR_F_UINT, 0, offsetof(mm_suit_wait, time_of_day_utc), NULL},
    {9, NULL, MM_CBOR_F_UINT, 0, offsetof(mm_suit_wait, day_of_week_utc), NULL},
};

/* The wait events map at the decoder's position into *out (the table's bit
 * i is MM_SUIT_WAIT_* bit i). At least one event. */
static mm_err read_wait_map(mm_cbor_dec *d, mm_suit_wait *out)
{
    uint64_t present = 0;
    size_t at = mm_cbor_dec_offset(d);
    memset(out, 0, sizeof *out);
    if (mm_cbor_decode_map(d, wait_fields, sizeof wait_fields / sizeof wait_fields[0], out, &present, NULL) != MM_OK) {
        return d->err == MM_ERR_UNKNOWN_FIELD ? mm_cbor_dec_fail(d, MM_ERR_UNSUPPORTED, at) : d->err;
    }
    if (present == 0) {
        return mm_cbor_dec_fail(d, MM_ERR_MISSING_FIELD, at);
    }
    out->present = (unsigned)present;
    return MM_OK;
}

static mm_err read_wait(mm_cbor_dec *d)
{
    mm_suit_wait w;
    return read_wait_map(d, &w);
}

static mm_err check_wait(mm_suit_processor *p, const mm_cbor_head *v, uint64_t tag, const uint8_t **at)
{
    return check_wrapped(p, v, tag, at, read_wait);
}

mm_err suit_wait_decode(mm_cbor_dec *d, mm_bytes encoded, mm_suit_wait *out)
{
    mm_err e = suit_dec_init(d, encoded, SUIT_SEQ_FLAGS);
    if (e == MM_OK) {
        e = read_wait_map(d, out);
    }
    return e == MM_OK ? mm_cbor_dec_finish(d) : e;
}

/*
 * Component metadata (update management): its shape only; what the fields
 * mean is the platform's business.
 */
#define TAG_EPOCH_TIME 1
#define TAG_UUID       37

static mm_err read_actor(mm_cbor_dec *d)
{
    mm_cbor_item it;
    size_t at = mm_cbor_dec_offset(d);
    bool uuid;
    if (mm_cbor_opt_tag(d, TAG_UUID, &uuid) != MM_OK || mm_cbor_get_item(d, &it) != MM_OK) {
        return d->err;
    }
    bool ok =
        uuid ? it.type == MM_CBOR_BSTR && it.str.len == 16
             : it.type == MM_CBOR_BSTR || it.type == MM_CBOR_TSTR || it.type == MM_CBOR_UINT || it.type == MM_CBOR_NINT;
    return ok ? MM_OK : mm_cbor_dec_fail(d, MM_ERR_CBOR_TYPE, at);
}

static mm_err read_actor_field(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    (void)user;
    return read_actor(d);
}

static mm_err read_permission_map(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    (void)user;
    size_t n;
    size_t at = mm_cbor_dec_offset(d);
    if (mm_cbor_enter_map(d, &n) != MM_OK) {
        return d->err;
    }
    if (n == 0) {
        return mm_cbor_dec_fail(d, MM_ERR_MISSING_FIELD, at);
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t bits;
        if (read_actor(d) != MM_OK || mm_cbor_get_uint(d, &bits) != MM_OK) {
            return d->err;
        }
    }
    return mm_cbor_exit(d);
}

static mm_err read_file_type(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    (void)user;
    uint64_t t;
    size_t at = mm_cbor_dec_offset(d);
    if (mm_cbor_get_uint(d, &t) != MM_OK) {
        return d->err;
    }
    return t >= 1 && t <= 3 ? MM_OK : mm_cbor_dec_fail(d, MM_ERR_UNSUPPORTED, at);
}

static mm_err read_epoch(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    (void)user;
    uint64_t tag;
    uint64_t t;
    size_t at = mm_cbor_dec_offset(d);
    if (mm_cbor_get_tag(d, &tag) != MM_OK) {
        return d->err;
    }
    if (tag != TAG_EPOCH_TIME) {
        return mm_cbor_dec_fail(d, MM_ERR_CBOR_TYPE, at);
    }
    return mm_cbor_get_uint(d, &t);
}

/* Values are checked, not kept: the platform reads the map it is given. */
static const mm_cbor_field metadata_fields[] = {
    {1, NULL, MM_CBOR_F_UINT, 0, 0, NULL},
    {2, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_permission_map},
    {3, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_permission_map},
    {4, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_permission_map},
    {5, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_file_type},
    {6, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_epoch},
    {7, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_epoch},
    {8, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_actor_field},
};

static mm_err read_metadata(mm_cbor_dec *d)
{
    uint64_t scratch = 0; /* the uint field's destination */
    size_t at = mm_cbor_dec_offset(d);
    if (mm_cbor_decode_map(d, metadata_fields, sizeof metadata_fields / sizeof metadata_fields[0], &scratch, NULL,
                           NULL) != MM_OK) {
        return d->err == MM_ERR_UNKNOWN_FIELD ? mm_cbor_dec_fail(d, MM_ERR_UNSUPPORTED, at) : d->err;
    }
    return MM_OK;
}

static mm_err check_metadata(mm_suit_processor *p, const mm_cbor_head *v, uint64_t tag, const uint8_t **at)
{
    return check_wrapped(p, v, tag, at, read_metadata);
}

/*
 * The parameter table, made from SUIT_PARAMS (processor.h).
 */
enum { ST_U64, ST_I64, ST_BOOL, ST_VIEW, ST_VENDOR };

typedef struct param_def {
    int64_t label;
    uint16_t offset; /* in mm_suit_params */
    uint8_t store;
    param_check_fn check;
} param_def;

#define DEF(bit, label, store, field, check) [bit] = {label, offsetof(mm_suit_params, field), store, check},

/* A parameter's bit in mm_suit_params.present is its index here. */
static const param_def param_defs[] = {SUIT_PARAMS(DEF)};
#define N_PARAMS ((int)(sizeof param_defs / sizeof param_defs[0]))

/* What the stored type requires of a value no function checks. */
static mm_err check_type(uint8_t store, const mm_cbor_head *v, uint64_t tag)
{
    bool ok;
    switch (store) {
    case ST_U64:
        ok = v->type == MM_CBOR_UINT;
        break;
    case ST_I64:
        ok = (v->type == MM_CBOR_UINT || v->type == MM_CBOR_NINT) && v->arg <= (uint64_t)INT64_MAX;
        break;
    case ST_BOOL:
        ok = v->type == MM_CBOR_TRUE || v->type == MM_CBOR_FALSE;
        break;
    default:
        ok = v->type == MM_CBOR_BSTR;
        break;
    }
    return ok && tag == 0 ? MM_OK : MM_ERR_CBOR_TYPE;
}

/* An integer head's value (clamped to int64: labels beyond it are unknown
 * anyway, and int values are checked to fit). */
static int64_t int_value(const mm_cbor_head *k)
{
    int64_t mag = k->arg <= (uint64_t)INT64_MAX ? (int64_t)k->arg : INT64_MAX;
    return k->type == MM_CBOR_UINT ? mag : -1 - mag;
}

/* Stores a located value. */
static void store(mm_suit_params *out, const param_def *def, const mm_cbor_head *v, uint64_t tag)
{
    uint8_t *dst = (uint8_t *)out + def->offset;
    mm_bytes view = mm_bytes_make(v->str, (size_t)v->arg);
    switch (def->store) {
    case ST_U64:
        memcpy(dst, &v->arg, sizeof v->arg);
        break;
    case ST_I64: {
        int64_t x = int_value(v);
        memcpy(dst, &x, sizeof x);
        break;
    }
    case ST_BOOL:
        *(bool *)(void *)dst = v->type == MM_CBOR_TRUE;
        break;
    case ST_VENDOR:
        out->vendor_pen = tag != 0;
        memcpy(dst, &view, sizeof view);
        break;
    default:
        memcpy(dst, &view, sizeof view);
        break;
    }
}

mm_err suit_params_read(mm_suit_processor *p, mm_cbor_flat *r, mm_suit_params *out, uint64_t *given, bool check)
{
    mm_cbor_head m;
    const uint8_t *map_at = r->pos;
    if (mm_cbor_flat_next(r, &m) != MM_OK) {
        return r->err;
    }
    if (m.type != MM_CBOR_MAP || m.arg == 0) {
        /* {+ $$SUIT_Parameters} */
        return mm_cbor_flat_fail(r, m.type != MM_CBOR_MAP ? MM_ERR_CBOR_TYPE : MM_ERR_MISSING_FIELD,
                                 (size_t)(map_at - r->base));
    }
    uint64_t present = 0;
    for (uint64_t i = 0; i < m.arg; i++) {
        mm_cbor_head k;
        mm_cbor_head v;
        uint64_t tag = 0;
        const uint8_t *k_at = r->pos;
        if (mm_cbor_flat_next(r, &k) != MM_OK) {
            return r->err;
        }
        const uint8_t *v_at = r->pos;
        if (mm_cbor_flat_next(r, &v) != MM_OK) {
            return r->err;
        }
        if (v.type == MM_CBOR_TAG) {
            tag = v.arg;
            v_at = r->pos;
            if (mm_cbor_flat_next(r, &v) != MM_OK) {
                return r->err;
            }
        }
        bool int_key = k.type == MM_CBOR_UINT || k.type == MM_CBOR_NINT;
        int bit = int_key ? suit_param_bit(int_value(&k)) : -1;
        if (bit < 0) {
            p->failure.detail = int_key ? int_value(&k) : 0;
            return mm_cbor_flat_fail(r, int_key ? MM_ERR_UNSUPPORTED : MM_ERR_CBOR_BAD_KEY, (size_t)(k_at - r->base));
        }
        const param_def *def = &param_defs[bit];
        if (check) {
            const uint8_t *at = v_at;
            mm_err e;
            if ((present & ((uint64_t)1 << bit)) != 0) {
                at = k_at;
                e = MM_ERR_CBOR_DUP_KEY;
            } else {
                e = def->check != NULL ? def->check(p, &v, tag, &at) : check_type(def->store, &v, tag);
            }
            if (e != MM_OK) {
                p->failure.detail = def->label;
                return mm_cbor_flat_fail(r, e, (size_t)(at - r->base));
            }
        }
        store(out, def, &v, tag);
        present |= (uint64_t)1 << bit;
    }
    out->present |= present;
    *given = present;
    return MM_OK;
}

int64_t suit_param_label(int bit) { return bit >= 0 && bit < N_PARAMS ? param_defs[bit].label : 0; }

void suit_param_copy(mm_suit_params *dst, const mm_suit_params *src, int bit)
{
    if (bit < 0 || bit >= N_PARAMS) {
        return;
    }
    uint64_t mask = (uint64_t)1 << bit;
    const param_def *f = &param_defs[bit];
    uint8_t st = f->store;
    size_t size = st == ST_BOOL ? sizeof(bool) : st == ST_U64 || st == ST_I64 ? sizeof(uint64_t) : sizeof(mm_bytes);
    memcpy((uint8_t *)dst + f->offset, (const uint8_t *)src + f->offset, size);
    if (st == ST_VENDOR) {
        dst->vendor_pen = src->vendor_pen;
    }
    dst->present = (dst->present & ~mask) | (src->present & mask);
}

/*
 * Versions (update management, section 4.4).
 */
mm_err suit_version_match(mm_bytes match, const int64_t *parts, size_t n, bool *ok)
{
    uint64_t type = 0;
    int64_t want[MM_SUIT_MAX_VERSION] = {0};
    size_t m = 0;
    mm_cbor_flat r;
    suit_flat_init(&r, match);
    (void)flat_version_match(&r, &type, want, &m); /* its error is the reader's sticky one */
    mm_err e = mm_cbor_flat_finish(&r);
    if (e != MM_OK) {
        return e;
    }
    /* Integer by integer over the manifest's list; the first difference
     * decides. A version shorter than the list counts its missing parts as
     * 0, so [2,0,-1,1] (2.0-rc1) < [2,0,0] < [2,0,0,1]. */
    int cmp = 0;
    for (size_t i = 0; i < m && cmp == 0; i++) {
        int64_t have = i < n ? parts[i] : 0;
        cmp = have < want[i] ? -1 : have > want[i] ? 1 : 0;
    }
    switch (type) {
    case 1:
        *ok = cmp > 0;
        break;
    case 2:
        *ok = cmp >= 0;
        break;
    case 3:
        *ok = cmp == 0;
        break;
    case 4:
        *ok = cmp <= 0;
        break;
    default:
        *ok = cmp < 0;
        break;
    }
    return MM_OK;
}

mm_err mm_suit_version_match(mm_bytes version_match, const int64_t *parts, size_t n, bool *match)
{
    return suit_version_match(version_match, parts, n, match);
}
