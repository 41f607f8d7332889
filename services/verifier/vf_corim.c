/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CoRIM reader (vf_corim.h): corim-map, CoMID tags, reference and
 * attest-key triples, environments, measurement maps; signed CoRIMs. Maps
 * go through the table engine, which refuses duplicate labels; the labels a
 * map defines but this reader does not act on are table entries that
 * refuse with their name, and unknown labels (extensions) are refused too.
 */
#include <stddef.h>
#include <string.h>

#include "mamori/cwt.h"
#include "vf_corim.h"
#include "vf_policy.h"

/* The walk's state: where records go, and the record being built. */
typedef struct walk {
    vf_corim_fn fn;
    void *user;
    vf_corim_info *info;
    vf_corim_error *where;
    vf_corim_record rec;
    char label[24]; /* a numeric mkey as text */
} walk;

/* Records off and what in *where (may be NULL), unless it names a place
 * already: the first refusal is the one reported. */
static void note(vf_corim_error *where, size_t off, const char *what)
{
    if (where != NULL && where->what[0] == '\0') {
        where->offset = off;
        size_t n = strlen(what);
        n = n < sizeof where->what - 1 ? n : sizeof where->what - 1;
        memcpy(where->what, what, n);
        where->what[n] = '\0';
    }
}

/* Records what and the offset, and fails the decoder with e there. */
static mm_err refuse(walk *w, mm_cbor_dec *d, mm_err e, size_t off, const char *what)
{
    note(w->where, off, what);
    return mm_cbor_dec_fail(d, e, off);
}

/* A map label that names a part this reader does not act on. */
#define UNSUPPORTED(fn_name, text)                                                                                     \
    static mm_err fn_name(mm_cbor_dec *d, void *dst, void *user)                                                       \
    {                                                                                                                  \
        (void)dst;                                                                                                     \
        return refuse(user, d, MM_ERR_UNSUPPORTED, mm_cbor_dec_offset(d), text " are not supported");                  \
    }

/* Unknown labels of a map: extensions this reader does not know. */
static mm_err unknown_label(mm_cbor_dec *d, const mm_cbor_item *key, void *user)
{
    (void)key;
    walk *w = user;
    return refuse(w, d, MM_ERR_UNSUPPORTED, key->offset, "an extension label this reader does not know");
}

static mm_err emit(walk *w, mm_cbor_dec *d)
{
    w->info->n_records++;
    if (w->fn == NULL) {
        return MM_OK;
    }
    mm_err e = w->fn(w->user, &w->rec);
    return e == MM_OK ? MM_OK : refuse(w, d, e, w->rec.offset, "the record was refused");
}

static mm_err enter_array(walk *w, mm_cbor_dec *d, size_t min, size_t max, size_t *n, const char *what)
{
    size_t off = mm_cbor_dec_offset(d);
    if (mm_cbor_enter_array(d, n) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    if (*n < min || *n > max) {
        return refuse(w, d, MM_ERR_CBOR_RANGE, off, what);
    }
    return MM_OK;
}

/* A map read against its table into dst (NULL when every field is a custom
 * reader), unknown labels refused; *present (may be NULL) as
 * mm_cbor_decode_map(). A map with none of the table's labels is refused
 * with empty, when given. */
static mm_err read_map(mm_cbor_dec *d, walk *w, const mm_cbor_field *fields, size_t n, void *dst, uint64_t *present,
                       const char *empty)
{
    size_t off = mm_cbor_dec_offset(d);
    uint64_t found = 0;
    mm_cbor_map_opts o = {unknown_label, w, 0};
    if (mm_cbor_decode_map(d, fields, n, dst, &found, &o) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    if (present != NULL) {
        *present = found;
    }
    return found != 0 || empty == NULL ? MM_OK : refuse(w, d, MM_ERR_MISSING_FIELD, off, empty);
}

#define READ_MAP(d, w, fields, dst, present, empty)                                                                    \
    read_map(d, w, fields, sizeof(fields) / sizeof((fields)[0]), dst, present, empty)

/* [+ entry]: each entry read by entry; an empty array is refused with
 * what. */
static mm_err read_list(mm_cbor_dec *d, walk *w, const char *what, mm_err (*entry)(mm_cbor_dec *d, walk *w))
{
    size_t n;
    if (enter_array(w, d, 1, SIZE_MAX, &n, what) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        if (entry(d, w) != MM_OK) {
            return mm_cbor_dec_error(d, NULL);
        }
    }
    return mm_cbor_exit(d);
}

/* A tag's number, and a look at the item it wraps: the first error of
 * mm_cbor_get_tag() and mm_cbor_peek(). */
static mm_err read_tag_head(mm_cbor_dec *d, uint64_t *tag, mm_cbor_item *it)
{
    mm_err e = mm_cbor_get_tag(d, tag);
    return e == MM_OK ? mm_cbor_peek(d, it) : e;
}

static mm_err skip_array(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    size_t n;
    mm_err e = enter_array(user, d, 1, SIZE_MAX, &n, "an empty array where one entry at least is required");
    return e == MM_OK ? mm_cbor_exit(d) : e;
}

/* time = #6.1(number) (the tag is optional here). */
static mm_err read_time(mm_cbor_dec *d, void *dst, void *user)
{
    (void)user;
    bool tagged;
    mm_cbor_item it;
    if (mm_cbor_opt_tag(d, 1, &tagged) != MM_OK || mm_cbor_peek(d, &it) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    int64_t v;
    if (it.type == MM_CBOR_FLOAT) {
        double f;
        if (mm_cbor_get_float(d, &f) != MM_OK) {
            return mm_cbor_dec_error(d, NULL);
        }
        if (!(f > -9.2e18 && f < 9.2e18)) {
            return mm_cbor_dec_fail(d, MM_ERR_CBOR_RANGE, it.offset);
        }
        v = (int64_t)f;
    } else if (mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &v) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    memcpy(dst, &v, sizeof v);
    return MM_OK;
}

/* validity-map = { ? 0: time, 1: time } */
typedef struct validity {
    int64_t not_before, not_after;
} validity;

static mm_err read_validity_map(mm_cbor_dec *d, walk *w, validity *v, uint64_t *present)
{
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_CUSTOM, 0, offsetof(validity, not_before), read_time},
        {1, NULL, MM_CBOR_F_CUSTOM, MM_CBOR_F_REQUIRED, offsetof(validity, not_after), read_time},
    };
    return READ_MAP(d, w, fields, v, present, NULL);
}

static mm_err read_rim_validity(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    walk *w = user;
    validity v = {INT64_MIN, 0};
    uint64_t present = 0;
    if (read_validity_map(d, w, &v, &present) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    w->info->has_validity = true;
    w->info->not_before = (present & 1u) != 0 ? v.not_before : INT64_MIN;
    w->info->not_after = v.not_after;
    return MM_OK;
}

/* corim-id / tag-id: text, or a UUID (16 bytes). */
static mm_err read_id(mm_cbor_dec *d, mm_bytes *id, bool *uuid, walk *w)
{
    mm_cbor_item it;
    if (mm_cbor_peek(d, &it) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    if (it.type == MM_CBOR_TSTR) {
        *uuid = false;
        return mm_cbor_get_tstr(d, id);
    }
    if (mm_cbor_get_bstr(d, id) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    *uuid = true;
    return id->len == 16 ? MM_OK : refuse(w, d, MM_ERR_CBOR_RANGE, it.offset, "an identifier of bytes is a UUID");
}

static mm_err read_corim_id(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    walk *w = user;
    return read_id(d, &w->info->id, &w->info->id_uuid, w);
}

/*
 * Environments.
 */
typedef struct class_fields {
    mm_bytes class_id, vendor, model;
} class_fields;

/* #6.tag(bytes) of min to max bytes into dst (an mm_bytes): untagged, the
 * item is refused with other; of another length, with range. */
static mm_err read_tagged_bytes(mm_cbor_dec *d, void *dst, walk *w, uint64_t tag, size_t min, size_t max,
                                const char *other, const char *range)
{
    size_t off = mm_cbor_dec_offset(d);
    bool tagged;
    if (mm_cbor_opt_tag(d, tag, &tagged) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    if (!tagged) {
        return refuse(w, d, MM_ERR_UNSUPPORTED, off, other);
    }
    mm_bytes v;
    if (mm_cbor_get_bstr(d, &v) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    if (v.len < min || v.len > max) {
        return refuse(w, d, MM_ERR_CBOR_RANGE, off, range);
    }
    memcpy(dst, &v, sizeof v);
    return MM_OK;
}

static mm_err read_class_id(mm_cbor_dec *d, void *dst, void *user)
{
    return read_tagged_bytes(
        d, dst, user, VF_CORIM_TAG_BYTES, 1, MM_EAT_HWMODEL_MAX,
        "a class-id that is an OID or a UUID is not supported (tagged bytes #6.560 are the hwmodel)",
        "a class-id read as hwmodel has 1 to 32 bytes");
}

UNSUPPORTED(class_layer, "class layers (sub-environments)")
UNSUPPORTED(class_index, "class indexes (cloned environments)")

static mm_err read_class(mm_cbor_dec *d, void *dst, void *user)
{
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_CUSTOM, 0, offsetof(class_fields, class_id), read_class_id},
        {1, NULL, MM_CBOR_F_TSTR, 0, offsetof(class_fields, vendor), NULL},
        {2, NULL, MM_CBOR_F_TSTR, 0, offsetof(class_fields, model), NULL},
        {3, NULL, MM_CBOR_F_CUSTOM, 0, 0, class_layer},
        {4, NULL, MM_CBOR_F_CUSTOM, 0, 0, class_index},
    };
    walk *w = user;
    vf_corim_env *env = dst;
    size_t off = mm_cbor_dec_offset(d);
    class_fields c;
    memset(&c, 0, sizeof c);
    uint64_t present = 0;
    if (READ_MAP(d, w, fields, &c, &present, NULL) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    if ((present & 1u) != 0 && (present & 4u) != 0) {
        return refuse(w, d, MM_ERR_UNSUPPORTED, off, "a class with both class-id and model (which is the hwmodel?)");
    }
    if ((present & 4u) != 0 && (c.model.len == 0 || c.model.len > MM_EAT_HWMODEL_MAX)) {
        return refuse(w, d, MM_ERR_CBOR_RANGE, off, "a class model read as hwmodel has 1 to 32 bytes");
    }
    if ((present & 2u) == 0 || (present & 5u) == 0) {
        return refuse(w, d, MM_ERR_UNSUPPORTED, off,
                      "a class is read as an oemid (vendor) and a hwmodel (class-id or model): give both");
    }
    env->vendor = c.vendor;
    env->hwmodel = (present & 1u) != 0 ? c.class_id : c.model;
    return MM_OK;
}

static mm_err read_instance(mm_cbor_dec *d, void *dst, void *user)
{
    return read_tagged_bytes(d, dst, user, VF_CORIM_TAG_UEID, MM_EAT_UEID_MIN, MM_EAT_UEID_MAX,
                             "an instance other than a UEID (#6.550) is not supported", "a UEID has 7 to 33 bytes");
}

UNSUPPORTED(env_group, "environment groups")

/* environment-map into w->rec.env. */
static mm_err read_env(mm_cbor_dec *d, walk *w)
{
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_class},
        {1, NULL, MM_CBOR_F_CUSTOM, 0, offsetof(vf_corim_env, ueid), read_instance},
        {2, NULL, MM_CBOR_F_CUSTOM, 0, 0, env_group},
    };
    memset(&w->rec.env, 0, sizeof w->rec.env);
    return READ_MAP(d, w, fields, &w->rec.env, NULL, "an empty environment");
}

/* An environment that names a device and its class: the class becomes the
 * device's allowed oemid and hwmodel. */
static mm_err emit_class_of_device(walk *w, mm_cbor_dec *d)
{
    if (w->rec.env.ueid.len == 0 || w->rec.env.hwmodel.len == 0) {
        return MM_OK;
    }
    vf_corim_record saved = w->rec;
    w->rec.kind = VF_CORIM_REF;
    w->rec.label = mm_bytes_make(NULL, 0);
    w->rec.alg = 0;
    w->rec.level = 0;
    w->rec.ref_kind = VF_REF_OEMID;
    w->rec.value = saved.env.vendor;
    mm_err e = emit(w, d);
    if (e == MM_OK) {
        w->rec.ref_kind = VF_REF_HWMODEL;
        w->rec.value = saved.env.hwmodel;
        e = emit(w, d);
    }
    w->rec = saved;
    return e;
}

/*
 * Measurements.
 */
static mm_err emit_ref(walk *w, mm_cbor_dec *d, uint8_t kind, mm_bytes value, int32_t alg, int64_t level)
{
    w->rec.kind = VF_CORIM_REF;
    w->rec.ref_kind = kind;
    w->rec.value = value;
    w->rec.alg = alg;
    w->rec.level = level;
    return emit(w, d);
}

static mm_err read_version(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_TSTR, MM_CBOR_F_REQUIRED, 0, NULL},
        {1, NULL, MM_CBOR_F_RAW, 0, sizeof(mm_bytes), NULL},
    };
    walk *w = user;
    mm_bytes v[2];
    if (READ_MAP(d, w, fields, v, NULL, NULL) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    return emit_ref(w, d, VF_REF_SWVERSION, v[0], 0, 0);
}

static mm_err read_name(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    mm_bytes v;
    if (mm_cbor_get_tstr(d, &v) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    return emit_ref(user, d, VF_REF_SWNAME, v, 0, 0);
}

int32_t vf_corim_hash_alg(int64_t id, mm_bytes name)
{
    static const struct {
        int64_t cose, ni;
        const char *name;
    } algs[] = {
        {MM_ALG_SHA256, 1, "sha-256"},
        {MM_ALG_SHA384, 7, "sha-384"},
        {MM_ALG_SHA512, 8, "sha-512"},
    };
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        if (name.ptr != NULL ? mm_bytes_equal(name, mm_bytes_from_cstr(algs[i].name))
                             : id == algs[i].cose || id == algs[i].ni) {
            return (int32_t)algs[i].cose;
        }
    }
    return 0;
}

/* digest = [alg: int / text, val: bytes] */
static mm_err read_digest(mm_cbor_dec *d, walk *w)
{
    size_t off = mm_cbor_dec_offset(d);
    size_t two;
    mm_cbor_item it;
    if (enter_array(w, d, 2, 2, &two, "a digest is [alg, value]") != MM_OK || mm_cbor_peek(d, &it) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    int64_t id = 0;
    mm_bytes name = mm_bytes_make(NULL, 0);
    mm_bytes value;
    if ((it.type == MM_CBOR_TSTR ? mm_cbor_get_tstr(d, &name) : mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &id)) !=
            MM_OK ||
        mm_cbor_get_bstr(d, &value) != MM_OK || mm_cbor_exit(d) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    int32_t alg = vf_corim_hash_alg(id, name);
    if (alg == 0) {
        return refuse(w, d, MM_ERR_UNSUPPORTED, off, "a digest algorithm other than SHA-256, -384 or -512");
    }
    if (value.len != mm_hash_len(alg)) {
        return refuse(w, d, MM_ERR_CBOR_RANGE, off, "a digest of the wrong length for its algorithm");
    }
    return emit_ref(w, d, VF_REF_MEASUREMENT, value, alg, 0);
}

/* digests-type = [+ digest] */
static mm_err read_digests(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    return read_list(d, user, "digests list one digest at least", read_digest);
}

/* flags-map: is-debug false and is-secure true are reference values this
 * verifier checks (dbgstat, oemboot); nothing else is. */
static mm_err read_flag(mm_cbor_dec *d, walk *w, bool want, uint8_t kind, const char *what)
{
    size_t off = mm_cbor_dec_offset(d);
    bool v;
    if (mm_cbor_get_bool(d, &v) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    if (v != want) {
        return refuse(w, d, MM_ERR_UNSUPPORTED, off, what);
    }
    return emit_ref(w, d, kind, mm_bytes_make(NULL, 0), 0, kind == VF_REF_DEBUG ? MM_EAT_DBG_DISABLED : 0);
}

static mm_err flag_secure(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    return read_flag(d, user, true, VF_REF_SECURE_BOOT, "is-secure false (a reference that wants security off)");
}

static mm_err flag_debug(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    return read_flag(d, user, false, VF_REF_DEBUG, "is-debug true (a reference that wants debug on)");
}

UNSUPPORTED(flag_other, "flags other than is-debug and is-secure")

static mm_err read_flags(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_CUSTOM, 0, 0, flag_other},  {1, NULL, MM_CBOR_F_CUSTOM, 0, 0, flag_secure},
        {2, NULL, MM_CBOR_F_CUSTOM, 0, 0, flag_other},  {3, NULL, MM_CBOR_F_CUSTOM, 0, 0, flag_debug},
        {4, NULL, MM_CBOR_F_CUSTOM, 0, 0, flag_other},  {5, NULL, MM_CBOR_F_CUSTOM, 0, 0, flag_other},
        {6, NULL, MM_CBOR_F_CUSTOM, 0, 0, flag_other},  {7, NULL, MM_CBOR_F_CUSTOM, 0, 0, flag_other},
        {8, NULL, MM_CBOR_F_CUSTOM, 0, 0, flag_other},  {9, NULL, MM_CBOR_F_CUSTOM, 0, 0, flag_other},
        {10, NULL, MM_CBOR_F_CUSTOM, 0, 0, flag_other},
    };
    return READ_MAP(d, user, fields, NULL, NULL, "an empty flags map");
}

UNSUPPORTED(mval_svn, "security version numbers (svn)")
UNSUPPORTED(mval_raw, "raw values")
UNSUPPORTED(mval_addr, "MAC and IP addresses")
UNSUPPORTED(mval_serial, "serial numbers")
UNSUPPORTED(mval_ueid, "UEIDs as measurements")
UNSUPPORTED(mval_uuid, "UUIDs as measurements")
UNSUPPORTED(mval_keys, "cryptokeys measurements")
UNSUPPORTED(mval_registers, "integrity registers")
UNSUPPORTED(mval_range, "int-range measurements")

static mm_err read_mval(mm_cbor_dec *d, walk *w)
{
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_version}, {1, NULL, MM_CBOR_F_CUSTOM, 0, 0, mval_svn},
        {2, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_digests}, {3, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_flags},
        {4, NULL, MM_CBOR_F_CUSTOM, 0, 0, mval_raw},     {5, NULL, MM_CBOR_F_CUSTOM, 0, 0, mval_raw},
        {6, NULL, MM_CBOR_F_CUSTOM, 0, 0, mval_addr},    {7, NULL, MM_CBOR_F_CUSTOM, 0, 0, mval_addr},
        {8, NULL, MM_CBOR_F_CUSTOM, 0, 0, mval_serial},  {9, NULL, MM_CBOR_F_CUSTOM, 0, 0, mval_ueid},
        {10, NULL, MM_CBOR_F_CUSTOM, 0, 0, mval_uuid},   {11, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_name},
        {13, NULL, MM_CBOR_F_CUSTOM, 0, 0, mval_keys},   {14, NULL, MM_CBOR_F_CUSTOM, 0, 0, mval_registers},
        {15, NULL, MM_CBOR_F_CUSTOM, 0, 0, mval_range},
    };
    return READ_MAP(d, w, fields, NULL, NULL, "an empty measurement-values-map");
}

UNSUPPORTED(meas_authorized, "authorized-by conditions")

/* measurement-map: mkey and mval are captured first, since the label must
 * be known before the values are emitted whatever order the map has. */
static mm_err read_measurement(mm_cbor_dec *d, walk *w)
{
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_RAW, 0, 0, NULL},
        {1, NULL, MM_CBOR_F_RAW, MM_CBOR_F_REQUIRED, sizeof(mm_bytes), NULL},
        {2, NULL, MM_CBOR_F_CUSTOM, 0, 0, meas_authorized},
    };
    mm_bytes raw[2] = {{NULL, 0}, {NULL, 0}};
    uint64_t present = 0;
    if (READ_MAP(d, w, fields, raw, &present, NULL) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    w->rec.label = mm_bytes_make(NULL, 0);
    if ((present & 1u) != 0) {
        size_t off = (size_t)(raw[0].ptr - d->base);
        mm_cbor_dec k;
        mm_cbor_item it;
        if (mm_cbor_dec_init(&k, raw[0], 0) != MM_OK || mm_cbor_peek(&k, &it) != MM_OK) {
            return refuse(w, d, MM_ERR_CBOR_TYPE, off, "a measurement key");
        }
        if (it.type == MM_CBOR_TSTR) {
            w->rec.label = it.str;
        } else if (it.type == MM_CBOR_UINT) {
            size_t n = 0;
            char tmp[24];
            uint64_t v = it.arg;
            do {
                tmp[n++] = (char)('0' + v % 10);
                v /= 10;
            } while (v != 0);
            for (size_t i = 0; i < n; i++) {
                w->label[i] = tmp[n - 1 - i];
            }
            w->rec.label = mm_bytes_make(w->label, n);
        } else {
            return refuse(w, d, MM_ERR_UNSUPPORTED, off, "a measurement key other than text or a number");
        }
    }
    /* The values, read again from their own bytes with offsets of the
     * whole input. */
    mm_cbor_dec v;
    size_t base = (size_t)(raw[1].ptr - d->base);
    mm_err e = mm_cbor_dec_init(&v, mm_bytes_make(d->base, base + raw[1].len), 0);
    if (e == MM_OK) {
        v.pos = d->base + base;
        e = read_mval(&v, w);
    }
    if (e != MM_OK) {
        size_t off = 0;
        e = mm_cbor_dec_error(&v, &off);
        return mm_cbor_dec_fail(d, e, off);
    }
    return MM_OK;
}

/*
 * Triples.
 */
static mm_err read_reference_triple(mm_cbor_dec *d, walk *w)
{
    size_t two;
    w->rec.offset = mm_cbor_dec_offset(d);
    if (enter_array(w, d, 2, 2, &two, "a reference triple is [environment, [+ measurement]]") != MM_OK ||
        read_env(d, w) != MM_OK || emit_class_of_device(w, d) != MM_OK ||
        read_list(d, w, "a reference triple names one measurement at least", read_measurement) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    return mm_cbor_exit(d);
}

static mm_err read_reference_triples(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    return read_list(d, user, "reference-triples list one triple at least", read_reference_triple);
}

static mm_err read_key(mm_cbor_dec *d, walk *w)
{
    size_t off = mm_cbor_dec_offset(d);
    uint64_t tag;
    mm_cbor_item it;
    if (read_tag_head(d, &tag, &it) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    w->rec.kind = VF_CORIM_KEY;
    w->rec.ref_kind = 0;
    w->rec.value = mm_bytes_make(NULL, 0);
    w->rec.label = mm_bytes_make(NULL, 0);
    w->rec.alg = 0;
    w->rec.level = 0;
    if (tag == VF_CORIM_TAG_COSE_KEY && it.type == MM_CBOR_MAP) {
        w->rec.key_form = VF_CORIM_COSE_KEY;
        if (mm_cbor_get_raw(d, &w->rec.key) != MM_OK) {
            return mm_cbor_dec_error(d, NULL);
        }
    } else if (tag == VF_CORIM_TAG_COSE_KEY) {
        return refuse(w, d, MM_ERR_UNSUPPORTED, off, "a COSE_KeySet where one COSE_Key is expected");
    } else if (tag == VF_CORIM_TAG_PEM_KEY) {
        w->rec.key_form = VF_CORIM_PEM_KEY;
        if (mm_cbor_get_tstr(d, &w->rec.key) != MM_OK) {
            return mm_cbor_dec_error(d, NULL);
        }
        if (w->rec.key.len == 0) {
            return refuse(w, d, MM_ERR_BAD_KEY, off, "an empty PEM public key");
        }
    } else {
        return refuse(w, d, MM_ERR_UNSUPPORTED, off,
                      "a key other than a COSE_Key (#6.558) or a PEM public key (#6.554): certificates and "
                      "thumbprints are not supported");
    }
    w->rec.offset = off;
    return emit(w, d);
}

static mm_err read_attest_key_triple(mm_cbor_dec *d, walk *w)
{
    size_t len;
    size_t off = mm_cbor_dec_offset(d);
    w->rec.offset = off;
    if (enter_array(w, d, 2, 3, &len, "an attest-key triple is [environment, [+ key], ? conditions]") != MM_OK ||
        read_env(d, w) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    if (len == 3) {
        return refuse(w, d, MM_ERR_UNSUPPORTED, off, "attest-key conditions are not supported");
    }
    if (read_list(d, w, "an attest-key triple names one key at least", read_key) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    w->rec.offset = off;
    if (emit_class_of_device(w, d) != MM_OK || mm_cbor_exit(d) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    return MM_OK;
}

static mm_err read_attest_key_triples(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    return read_list(d, user, "attest-key-triples list one triple at least", read_attest_key_triple);
}

UNSUPPORTED(endorsed_triples, "endorsed-triples")
UNSUPPORTED(identity_triples, "identity-triples")
UNSUPPORTED(dependency_triples, "dependency-triples")
UNSUPPORTED(membership_triples, "membership-triples")
UNSUPPORTED(coswid_triples, "coswid-triples")
UNSUPPORTED(series_triples, "conditional-endorsement-series-triples")
UNSUPPORTED(conditional_triples, "conditional-endorsement-triples")

static mm_err read_triples(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_reference_triples},
        {1, NULL, MM_CBOR_F_CUSTOM, 0, 0, endorsed_triples},
        {2, NULL, MM_CBOR_F_CUSTOM, 0, 0, identity_triples},
        {3, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_attest_key_triples},
        {4, NULL, MM_CBOR_F_CUSTOM, 0, 0, dependency_triples},
        {5, NULL, MM_CBOR_F_CUSTOM, 0, 0, membership_triples},
        {6, NULL, MM_CBOR_F_CUSTOM, 0, 0, coswid_triples},
        {8, NULL, MM_CBOR_F_CUSTOM, 0, 0, series_triples},
        {10, NULL, MM_CBOR_F_CUSTOM, 0, 0, conditional_triples},
    };
    return READ_MAP(d, user, fields, NULL, NULL, "an empty triples map");
}

/*
 * CoMID tags.
 */
typedef struct tag_identity {
    mm_bytes id;
    uint64_t version;
} tag_identity;

static mm_err read_tag_id(mm_cbor_dec *d, void *dst, void *user)
{
    bool uuid;
    return read_id(d, dst, &uuid, user);
}

static mm_err read_tag_identity(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_CUSTOM, MM_CBOR_F_REQUIRED, offsetof(tag_identity, id), read_tag_id},
        {1, NULL, MM_CBOR_F_UINT, 0, offsetof(tag_identity, version), NULL},
    };
    tag_identity t;
    return READ_MAP(d, user, fields, &t, NULL, NULL);
}

UNSUPPORTED(linked_tags, "linked tags (supplements, replaces)")

static mm_err read_comid(mm_cbor_dec *d, walk *w)
{
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_TSTR, 0, 0, NULL},
        {1, NULL, MM_CBOR_F_CUSTOM, MM_CBOR_F_REQUIRED, 0, read_tag_identity},
        {2, NULL, MM_CBOR_F_CUSTOM, 0, 0, skip_array},
        {3, NULL, MM_CBOR_F_CUSTOM, 0, 0, linked_tags},
        {4, NULL, MM_CBOR_F_CUSTOM, MM_CBOR_F_REQUIRED, 0, read_triples},
    };
    mm_bytes language;
    return READ_MAP(d, w, fields, &language, NULL, NULL);
}

static mm_err read_tag(mm_cbor_dec *d, walk *w)
{
    size_t off = mm_cbor_dec_offset(d);
    uint64_t tag;
    mm_cbor_item it;
    if (read_tag_head(d, &tag, &it) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    if (tag == VF_CORIM_TAG_COSWID) {
        return refuse(w, d, MM_ERR_UNSUPPORTED, off, "CoSWID tags are not supported");
    }
    if (tag == VF_CORIM_TAG_COTL) {
        return refuse(w, d, MM_ERR_UNSUPPORTED, off, "CoTL tags are not supported");
    }
    if (tag != VF_CORIM_TAG_COMID) {
        return refuse(w, d, MM_ERR_UNSUPPORTED, off, "a tag that is not a CoMID");
    }
    /* bytes .cbor concise-mid-tag; earlier drafts put the map itself. */
    bool wrapped = it.type == MM_CBOR_BSTR;
    if ((wrapped && mm_cbor_enter_wrapped(d, NULL) != MM_OK) || read_comid(d, w) != MM_OK ||
        (wrapped && mm_cbor_exit(d) != MM_OK)) {
        return mm_cbor_dec_error(d, NULL);
    }
    w->info->n_tags++;
    return MM_OK;
}

static mm_err read_tags(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    return read_list(d, user, "a CoRIM carries one tag at least", read_tag);
}

UNSUPPORTED(corim_profile, "CoRIM profiles (none is known to this reader, and the draft requires refusing them)")

mm_err vf_corim_decode(mm_bytes corim, vf_corim_fn fn, void *user, vf_corim_info *info, vf_corim_error *where)
{
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_CUSTOM, MM_CBOR_F_REQUIRED, 0, read_corim_id},
        {1, NULL, MM_CBOR_F_CUSTOM, MM_CBOR_F_REQUIRED, 0, read_tags},
        {2, NULL, MM_CBOR_F_CUSTOM, 0, 0, skip_array},
        {3, NULL, MM_CBOR_F_CUSTOM, 0, 0, corim_profile},
        {4, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_rim_validity},
        {5, NULL, MM_CBOR_F_CUSTOM, 0, 0, skip_array},
    };
    vf_corim_info scratch;
    if (info == NULL) {
        info = &scratch;
    }
    memset(info, 0, sizeof *info);
    if (where != NULL) {
        memset(where, 0, sizeof *where);
    }
    walk w;
    memset(&w, 0, sizeof w);
    w.fn = fn;
    w.user = user;
    w.info = info;
    w.where = where;
    mm_cbor_dec d;
    bool tagged;
    mm_err e = mm_cbor_dec_init(&d, corim, MM_CBOR_CHECK_UTF8);
    if (e == MM_OK) {
        e = mm_cbor_opt_tag(&d, VF_CORIM_TAG_UNSIGNED, &tagged);
    }
    if (e == MM_OK) {
        e = READ_MAP(&d, &w, fields, NULL, NULL, NULL);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    if (e != MM_OK && where != NULL) {
        size_t off = 0;
        (void)mm_cbor_dec_error(&d, &off);
        if (where->what[0] == '\0') {
            where->offset = off;
        }
    }
    return e;
}

/*
 * Signed CoRIMs.
 */
bool vf_corim_is_signed(mm_bytes in)
{
    mm_cbor_dec d;
    mm_cbor_item it;
    return mm_cbor_dec_init(&d, in, 0) == MM_OK && mm_cbor_peek(&d, &it) == MM_OK && it.type == MM_CBOR_TAG &&
           it.arg == MM_COSE_TAG_SIGN1;
}

typedef struct meta {
    mm_bytes signer_name;
    validity v;
    uint64_t v_present;
    bool has_validity;
} meta;

/* Signer-map extensions describe the signer; they do not change what the
 * CoRIM says, so they are skipped. */
static mm_err skip_label(mm_cbor_dec *d, const mm_cbor_item *key, void *user)
{
    (void)key;
    (void)user;
    return mm_cbor_skip(d);
}

static mm_err read_signer(mm_cbor_dec *d, void *dst, void *user)
{
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_TSTR, MM_CBOR_F_REQUIRED, 0, NULL},
        {1, NULL, MM_CBOR_F_TSTR, 0, sizeof(mm_bytes), NULL},
    };
    mm_bytes v[2];
    mm_cbor_map_opts o = {skip_label, user, 0};
    if (mm_cbor_decode_map(d, fields, 2, v, NULL, &o) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    memcpy(dst, &v[0], sizeof v[0]);
    return MM_OK;
}

static mm_err read_signature_validity(mm_cbor_dec *d, void *dst, void *user)
{
    meta *m = dst;
    m->has_validity = true;
    return read_validity_map(d, user, &m->v, &m->v_present);
}

static mm_err read_meta(mm_bytes bytes, walk *w, meta *m, size_t base)
{
    static const mm_cbor_field fields[] = {
        {0, NULL, MM_CBOR_F_CUSTOM, MM_CBOR_F_REQUIRED, offsetof(meta, signer_name), read_signer},
        {1, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_signature_validity},
    };
    mm_cbor_dec d;
    mm_err e = mm_cbor_dec_init(&d, bytes, MM_CBOR_CHECK_UTF8);
    if (e == MM_OK) {
        e = READ_MAP(&d, w, fields, m, NULL, NULL);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    if (e != MM_OK && w->where != NULL) {
        size_t off = 0;
        (void)mm_cbor_dec_error(&d, &off);
        w->where->offset = base + (w->where->what[0] != '\0' ? w->where->offset : off);
        if (w->where->what[0] == '\0') {
            memcpy(w->where->what, "corim-meta", sizeof "corim-meta");
        }
    }
    return e;
}

static mm_err fail_signed(vf_corim_error *where, mm_err e, size_t off, const char *what)
{
    note(where, off, what);
    return e;
}

mm_err vf_corim_open_signed(mm_bytes in, const mm_crypto *crypto, const mm_key *key, uint8_t *scratch,
                            size_t scratch_len, vf_corim_signed *out, vf_corim_error *where)
{
    if (out == NULL || (key != NULL && crypto == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    if (where != NULL) {
        memset(where, 0, sizeof *where);
    }
    size_t off = 0;
    mm_err e = mm_cose_sign1_decode(in, &out->msg, &off);
    if (e != MM_OK) {
        return fail_signed(where, e, off, "a COSE_Sign1");
    }
    const mm_cose_headers *h = &out->msg.hdr;
    mm_bytes v;
    bool prot = false;
    if (out->msg.detached) {
        return fail_signed(where, MM_ERR_UNSUPPORTED, 0, "a signed CoRIM with a detached payload");
    }
    if (mm_cose_header_find(h, VF_CORIM_HDR_HASH_ALG, &v, &prot) == MM_OK) {
        return fail_signed(where, MM_ERR_UNSUPPORTED, 0, "a signed CoRIM as a hash envelope");
    }
    if ((h->protected_bits & MM_HDRBIT_ALG) == 0) {
        return fail_signed(where, MM_ERR_MISSING_FIELD, 0, "alg in the protected header");
    }
    mm_cbor_dec d;
    mm_bytes ct = mm_bytes_make(NULL, 0);
    if ((h->protected_bits & MM_HDRBIT_CONTENT_TYPE) == 0 || mm_cbor_dec_init(&d, h->content_type, 0) != MM_OK ||
        mm_cbor_get_tstr(&d, &ct) != MM_OK || !mm_bytes_equal(ct, MM_BYTES_LIT(VF_CORIM_CONTENT_TYPE))) {
        return fail_signed(where, MM_ERR_CLAIM_MISMATCH, 0,
                           "content type " VF_CORIM_CONTENT_TYPE " in the protected header");
    }
    walk w;
    memset(&w, 0, sizeof w);
    w.where = where;
    meta m;
    memset(&m, 0, sizeof m);
    bool has_meta = false;
    if (mm_cose_header_find(h, VF_CORIM_HDR_META, &v, &prot) == MM_OK) {
        mm_bytes inner;
        if (!prot || mm_cbor_dec_init(&d, v, 0) != MM_OK || mm_cbor_get_bstr(&d, &inner) != MM_OK) {
            return fail_signed(where, MM_ERR_CBOR_TYPE, 0, "corim-meta is a protected byte string");
        }
        e = read_meta(inner, &w, &m, 0);
        if (e != MM_OK) {
            return e;
        }
        has_meta = true;
        out->signer = m.signer_name;
        if (m.has_validity) {
            out->has_exp = true;
            out->exp = m.v.not_after;
            out->has_nbf = (m.v_present & 1u) != 0;
            out->nbf = m.v.not_before;
        }
    }
    if ((h->present & MM_HDRBIT_CWT_CLAIMS) != 0) {
        mm_cwt_claims c;
        if ((h->protected_bits & MM_HDRBIT_CWT_CLAIMS) == 0 || mm_cwt_claims_decode(h->cwt_claims, &c) != MM_OK ||
            (c.present & MM_CWT_HAS_ISS) == 0) {
            return fail_signed(where, MM_ERR_CBOR_TYPE, 0, "CWT-Claims are protected and name an iss");
        }
        if (has_meta && !mm_bytes_equal(c.iss, m.signer_name)) {
            return fail_signed(where, MM_ERR_CLAIM_MISMATCH, 0, "CWT-Claims iss and corim-meta signer-name differ");
        }
        out->signer = c.iss;
        if ((c.present & MM_CWT_HAS_EXP) != 0) {
            out->has_exp = true;
            out->exp = c.exp;
        }
        if ((c.present & MM_CWT_HAS_NBF) != 0) {
            out->has_nbf = true;
            out->nbf = c.nbf;
        }
    } else if (!has_meta) {
        return fail_signed(where, MM_ERR_MISSING_FIELD, 0, "corim-meta or CWT-Claims in the protected header");
    }
    if (key != NULL) {
        static const int64_t understood[] = {VF_CORIM_HDR_META};
        mm_cose_verify_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = crypto;
        o.key = key;
        o.crit = understood;
        o.n_crit = 1;
        o.scratch = scratch;
        o.scratch_len = scratch_len;
        e = mm_cose_sign1_verify(&out->msg, &o);
        if (e != MM_OK) {
            return fail_signed(where, e, 0, "the CoRIM's signature");
        }
    }
    out->payload = out->msg.payload;
    return MM_OK;
}
