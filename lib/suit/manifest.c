/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The manifest and its common block, decoded into views, and the severable
 * members joined with their bodies in the envelope (each
 * body checked against the digest the manifest gives it). Runs only after
 * the manifest's digest and signature have been checked.
 */
#include "processor.h"

/*
 * The manifest's map is read flat against its grammar, in deterministic
 * mode: every head shortest, keys in order, text valid UTF-8; the common
 * block well-formed. Refusals are those of the map engine
 * (mm_cbor_decode_map) they replace, with the same codes at the same
 * places: a key neither integer nor text (MM_ERR_CBOR_BAD_KEY), one the
 * manifest does not define (MM_ERR_UNKNOWN_FIELD), one twice
 * (MM_ERR_CBOR_DUP_KEY), a required one missing (MM_ERR_MISSING_FIELD at
 * the map), a value of the wrong type (MM_ERR_CBOR_TYPE).
 */

/* A key's label: an integer within int64, or text (which no table here
 * has). False for any other key. */
static bool key_label(const mm_cbor_head *k, int64_t *label)
{
    if ((k->type == MM_CBOR_UINT || k->type == MM_CBOR_NINT) && k->arg <= (uint64_t)INT64_MAX) {
        *label = k->type == MM_CBOR_UINT ? (int64_t)k->arg : -1 - (int64_t)k->arg;
        return true;
    }
    *label = INT64_MIN; /* matches no field */
    return k->type == MM_CBOR_TSTR;
}

/* Reads a container or wrapped item that must be of type t, as the
 * decoder's enter calls do: an item whose head shows another type is a type
 * error before anything else about it is checked. keys: as for
 * mm_cbor_flat_value() (NULL outside a deterministic map's value). */
static mm_err enter(mm_cbor_flat *r, mm_cbor_flat_keys *keys, mm_cbor_type t, mm_cbor_head *h)
{
    const uint8_t *at = r->pos;
    if (mm_cbor_flat_peek(r, h) == MM_OK && h->type != t) {
        return mm_cbor_flat_fail(r, MM_ERR_CBOR_TYPE, (size_t)(at - r->base));
    }
    if ((keys != NULL ? mm_cbor_flat_value(r, keys, h) : mm_cbor_flat_next(r, h)) != MM_OK) {
        return r->err;
    }
    return MM_OK;
}

/* [* bstr] from its head (arr, at `at`): the encoded identifier. */
static mm_err read_component_id(mm_cbor_flat *r, const mm_cbor_head *arr, const uint8_t *at, mm_bytes *raw)
{
    if (arr->type != MM_CBOR_ARRAY) {
        return mm_cbor_flat_fail(r, MM_ERR_CBOR_TYPE, (size_t)(at - r->base));
    }
    for (uint64_t i = 0; i < arr->arg; i++) {
        mm_cbor_head seg;
        const uint8_t *seg_at = r->pos;
        if (mm_cbor_flat_next(r, &seg) != MM_OK) {
            return r->err;
        }
        if (seg.type != MM_CBOR_BSTR) {
            return mm_cbor_flat_fail(r, MM_ERR_CBOR_TYPE, (size_t)(seg_at - r->base));
        }
    }
    *raw = mm_bytes_make(at, (size_t)(r->pos - at));
    return MM_OK;
}

/* suit-set-version: bstr .cbor [+ int], read in place (*content: the
 * bstr's content). */
static mm_err read_set_version(mm_cbor_flat *r, mm_cbor_flat_keys *keys, mm_bytes *content)
{
    mm_cbor_head h;
    if (enter(r, keys, MM_CBOR_BSTR, &h) != MM_OK) {
        return r->err;
    }
    *content = mm_bytes_make(h.str, (size_t)h.arg);
    /* Into the byte string: reads stop at its end. */
    const uint8_t *outer = r->end;
    r->pos = h.str;
    r->end = h.str + h.arg;
    mm_cbor_head arr;
    const uint8_t *arr_at = r->pos;
    if (enter(r, NULL, MM_CBOR_ARRAY, &arr) != MM_OK) {
        return r->err;
    }
    if (arr.arg == 0) {
        return mm_cbor_flat_fail(r, MM_ERR_MISSING_FIELD, (size_t)(arr_at - r->base));
    }
    for (uint64_t i = 0; i < arr.arg; i++) {
        const uint8_t *v_at = r->pos;
        if (mm_cbor_flat_next(r, &h) != MM_OK) {
            return r->err;
        }
        if (h.type != MM_CBOR_UINT && h.type != MM_CBOR_NINT) {
            return mm_cbor_flat_fail(r, MM_ERR_CBOR_TYPE, (size_t)(v_at - r->base));
        }
        if (h.arg > (uint64_t)INT64_MAX) {
            return mm_cbor_flat_fail(r, MM_ERR_CBOR_RANGE, (size_t)(v_at - r->base));
        }
    }
    if (r->pos != r->end) {
        return mm_cbor_flat_fail(r, MM_ERR_CBOR_BAD_WRAP, mm_cbor_flat_offset(r));
    }
    r->end = outer;
    return MM_OK;
}

/* The manifest's fields, by key; bit i of the presence mask is entry i. */
typedef enum {
    MF_VERSION,
    MF_SEQUENCE,
    MF_COMMON,
    MF_REFERENCE_URI,
    MF_COMPONENT_ID,
    MF_SET_VERSION,
    MF_MEMBER, /* and on: the members, in the order of member_fields */
} manifest_field;

/* The members the manifest may hold, and whether each may be severed. */
static const struct {
    int32_t key;
    uint8_t index; /* mm_suit_member_index */
    bool severable;
} member_fields[] = {
    {MM_SUIT_SECTION_VALIDATE, MM_SUIT_M_VALIDATE, false},
    {MM_SUIT_SECTION_LOAD, MM_SUIT_M_LOAD, false},
    {MM_SUIT_SECTION_INVOKE, MM_SUIT_M_INVOKE, false},
    {MM_SUIT_SECTION_COSWID, MM_SUIT_M_COSWID, true},
    {MM_SUIT_SECTION_DEPENDENCY_RESOLUTION, MM_SUIT_M_DEPENDENCY_RESOLUTION, true},
    {MM_SUIT_SECTION_PAYLOAD_FETCH, MM_SUIT_M_PAYLOAD_FETCH, true},
    {MM_SUIT_SECTION_CANDIDATE_VERIFICATION, MM_SUIT_M_CANDIDATE_VERIFICATION, true},
    {MM_SUIT_SECTION_INSTALL, MM_SUIT_M_INSTALL, true},
    {MM_SUIT_SECTION_TEXT, MM_SUIT_M_TEXT, true},
    {MM_SUIT_SECTION_UNINSTALL, MM_SUIT_M_UNINSTALL, false},
};
#define N_MEMBER_FIELDS (sizeof member_fields / sizeof member_fields[0])

/* The field of a manifest key, or -1. */
static int manifest_field_of(int64_t label)
{
    if (label >= 1 && label <= 6) {
        return (int)(label - 1);
    }
    for (size_t i = 0; i < N_MEMBER_FIELDS; i++) {
        if (member_fields[i].key == label) {
            return MF_MEMBER + (int)i;
        }
    }
    return -1;
}

/* One member: a bstr, or (when severable) the SUIT_Digest of one that the
 * envelope carries or that was stripped. */
static mm_err read_member(mm_cbor_flat *r, mm_cbor_flat_keys *keys, bool severable, mm_suit_member *m)
{
    mm_cbor_head h;
    const uint8_t *at = r->pos;
    if (mm_cbor_flat_value(r, keys, &h) != MM_OK) {
        return r->err;
    }
    if (severable && h.type == MM_CBOR_ARRAY) {
        m->state = MM_SUIT_SEVERED;
        return suit_read_digest_rest(r, &h, at, &m->digest);
    }
    if (h.type != MM_CBOR_BSTR) {
        return mm_cbor_flat_fail(r, MM_ERR_CBOR_TYPE, (size_t)(at - r->base));
    }
    m->body = mm_bytes_make(h.str, (size_t)h.arg);
    m->state = MM_SUIT_INLINE;
    return MM_OK;
}

/* The value of field f (its key just read). */
static mm_err read_manifest_field(mm_cbor_flat *r, mm_cbor_flat_keys *keys, int f, mm_suit_manifest *m)
{
    if (f >= MF_MEMBER) {
        return read_member(r, keys, member_fields[f - MF_MEMBER].severable,
                           &m->members[member_fields[f - MF_MEMBER].index]);
    }
    if (f == MF_SET_VERSION) {
        return read_set_version(r, keys, &m->set_version);
    }
    mm_cbor_head h;
    const uint8_t *at = r->pos;
    if (mm_cbor_flat_value(r, keys, &h) != MM_OK) {
        return r->err;
    }
    static const mm_cbor_type types[] = {
        [MF_VERSION] = MM_CBOR_UINT,       [MF_SEQUENCE] = MM_CBOR_UINT,      [MF_COMMON] = MM_CBOR_BSTR,
        [MF_REFERENCE_URI] = MM_CBOR_TSTR, [MF_COMPONENT_ID] = MM_CBOR_ARRAY,
    };
    if (h.type != types[f] && f != MF_COMPONENT_ID) {
        return mm_cbor_flat_fail(r, MM_ERR_CBOR_TYPE, (size_t)(at - r->base));
    }
    switch (f) {
    case MF_VERSION:
        return h.arg == 1 ? MM_OK : mm_cbor_flat_fail(r, MM_ERR_UNSUPPORTED, (size_t)(at - r->base));
    case MF_SEQUENCE:
        m->sequence = h.arg;
        return MM_OK;
    case MF_COMMON:
        /* A bstr here; decoding it below checks it holds exactly one map. */
        m->common = mm_bytes_make(h.str, (size_t)h.arg);
        return MM_OK;
    case MF_REFERENCE_URI:
        m->reference_uri = mm_bytes_make(h.str, (size_t)h.arg);
        return MM_OK;
    default: /* MF_COMPONENT_ID */
        return read_component_id(r, &h, at, &m->component_id);
    }
}

/* The manifest's map. */
static mm_err read_manifest(mm_cbor_flat *r, mm_suit_manifest *m)
{
    mm_cbor_head map;
    if (enter(r, NULL, MM_CBOR_MAP, &map) != MM_OK) {
        return r->err;
    }
    mm_cbor_flat_keys keys = {NULL, NULL, 0};
    uint32_t seen = 0;
    for (uint64_t i = 0; i < map.arg; i++) {
        mm_cbor_head k;
        const uint8_t *k_at = r->pos;
        int64_t label;
        if (mm_cbor_flat_key(r, &keys, &k) != MM_OK) {
            return r->err;
        }
        if (!key_label(&k, &label)) {
            return mm_cbor_flat_fail(r, MM_ERR_CBOR_BAD_KEY, (size_t)(k_at - r->base));
        }
        int f = manifest_field_of(label);
        if (f < 0 || (seen & (1u << f)) != 0) {
            return mm_cbor_flat_fail(r, f < 0 ? MM_ERR_UNKNOWN_FIELD : MM_ERR_CBOR_DUP_KEY, (size_t)(k_at - r->base));
        }
        seen |= 1u << f;
        if (read_manifest_field(r, &keys, f, m) != MM_OK) {
            return r->err;
        }
    }
    const uint32_t required = (1u << MF_VERSION) | (1u << MF_SEQUENCE) | (1u << MF_COMMON);
    if ((seen & required) != required) {
        return mm_cbor_flat_fail(r, MM_ERR_MISSING_FIELD, 0);
    }
    if (mm_cbor_flat_finish(r) != MM_OK) {
        return r->err;
    }
    /* Only a manifest read whole names its URI (in reports too). */
    m->has_reference_uri = (seen & (1u << MF_REFERENCE_URI)) != 0;
    return MM_OK;
}

/* [+ component identifier], at most MM_SUIT_MAX_COMPONENTS. */
static mm_err read_components(mm_cbor_flat *r, mm_suit_manifest *m)
{
    mm_cbor_head arr;
    const uint8_t *at = r->pos;
    if (mm_cbor_flat_next(r, &arr) != MM_OK) {
        return r->err;
    }
    if (arr.type != MM_CBOR_ARRAY || arr.arg == 0 || arr.arg > MM_SUIT_MAX_COMPONENTS) {
        mm_err e = arr.type != MM_CBOR_ARRAY ? MM_ERR_CBOR_TYPE
                   : arr.arg == 0            ? MM_ERR_MISSING_FIELD
                                             : MM_ERR_TOO_LARGE;
        return mm_cbor_flat_fail(r, e, (size_t)(at - r->base));
    }
    for (uint64_t i = 0; i < arr.arg; i++) {
        mm_cbor_head id;
        const uint8_t *id_at = r->pos;
        if (mm_cbor_flat_next(r, &id) != MM_OK || read_component_id(r, &id, id_at, &m->component_ids[i]) != MM_OK) {
            return r->err;
        }
    }
    m->n_components = (uint32_t)arr.arg;
    m->components = mm_bytes_make(at, (size_t)(r->pos - at));
    return MM_OK;
}

/* The common block: {? 1: dependencies, ? 2: components, ? 4: shared
 * sequence}, well-formed. */
static mm_err read_common(mm_cbor_flat *r, mm_suit_manifest *m)
{
    mm_cbor_head map;
    if (enter(r, NULL, MM_CBOR_MAP, &map) != MM_OK) {
        return r->err;
    }
    unsigned seen = 0;
    for (uint64_t i = 0; i < map.arg; i++) {
        mm_cbor_head k;
        const uint8_t *k_at = r->pos;
        int64_t label;
        if (mm_cbor_flat_next(r, &k) != MM_OK) {
            return r->err;
        }
        if (!key_label(&k, &label)) {
            return mm_cbor_flat_fail(r, MM_ERR_CBOR_BAD_KEY, (size_t)(k_at - r->base));
        }
        int f = label == 1 ? 0 : label == 2 ? 1 : label == 4 ? 2 : -1;
        if (f < 0 || (seen & (1u << f)) != 0) {
            return mm_cbor_flat_fail(r, f < 0 ? MM_ERR_UNKNOWN_FIELD : MM_ERR_CBOR_DUP_KEY, (size_t)(k_at - r->base));
        }
        seen |= 1u << f;
        const uint8_t *at = r->pos;
        mm_err e;
        if (label == 1) {
            /* Kept whole (trust domains read it): any item, checked. */
            e = mm_cbor_flat_skip(r, 1, SUIT_DEC_DEPTH);
            m->dependencies = mm_bytes_make(at, (size_t)(r->pos - at));
        } else if (label == 2) {
            e = read_components(r, m);
        } else {
            mm_cbor_head h = {0};
            e = mm_cbor_flat_next(r, &h);
            if (e == MM_OK && h.type != MM_CBOR_BSTR) {
                e = mm_cbor_flat_fail(r, MM_ERR_CBOR_TYPE, (size_t)(at - r->base));
            }
            if (e == MM_OK) {
                m->shared = mm_bytes_make(h.str, (size_t)h.arg);
                m->has_shared = true;
            }
        }
        if (e != MM_OK) {
            return r->err;
        }
    }
    return mm_cbor_flat_finish(r);
}

/* Records a decoding failure at the reader's error offset. */
static mm_err decode_failed(mm_suit_processor *p, const mm_cbor_flat *r, mm_bytes within, int64_t detail)
{
    size_t off;
    mm_err e = mm_cbor_flat_error(r, &off);
    p->failure.offset = (uint32_t)((size_t)(within.ptr - p->env.manifest.ptr) + off);
    return suit_fail(p, e, suit_reason_for(e), detail);
}

/* Joins the severed members with their bodies in the envelope. */
static mm_err join_severed(mm_suit_processor *p)
{
    for (unsigned i = 0; i < MM_SUIT_M_COUNT; i++) {
        mm_suit_member *m = &p->man.members[i];
        mm_bytes item = p->env.severed[i];
        int32_t key = mm_suit_member_key((mm_suit_member_index)i);
        if (item.len == 0) {
            continue; /* stripped, or never severed: both fine */
        }
        if (m->state != MM_SUIT_SEVERED) {
            /* A body the manifest has no digest for is not authenticated. */
            return suit_fail(p, MM_ERR_VERIFY, MM_SUIT_REASON_UNAUTHORISED, key);
        }
        if (suit_digest_check(p->cfg.crypto, &m->digest, item) != MM_OK) {
            return suit_fail(p, MM_ERR_VERIFY, MM_SUIT_REASON_UNAUTHORISED, key);
        }
        /* The content of the (already well-formed) bstr item. */
        mm_cbor_flat r;
        mm_cbor_head h;
        suit_flat_init(&r, item);
        if (mm_cbor_flat_next(&r, &h) != MM_OK || h.type != MM_CBOR_BSTR) {
            return suit_fail(p, MM_ERR_TRUNCATED, MM_SUIT_REASON_CBOR_PARSE, key);
        }
        m->body = mm_bytes_make(h.str, (size_t)h.arg);
        m->state = MM_SUIT_RESTORED;
    }
    return MM_OK;
}

mm_err suit_manifest_decode(mm_suit_processor *p)
{
    mm_suit_manifest *m = &p->man;
    memset(m, 0, sizeof *m);
    mm_cbor_flat r;
    if (mm_cbor_flat_init(&r, p->env.manifest, SUIT_DEC_FLAGS) != MM_OK || read_manifest(&r, m) != MM_OK) {
        return decode_failed(p, &r, p->env.manifest, MM_SUIT_ENVELOPE_MANIFEST);
    }
    suit_flat_init(&r, m->common);
    if (read_common(&r, m) != MM_OK) {
        return decode_failed(p, &r, m->common, MM_SUIT_SECTION_COMMON);
    }
    if (m->dependencies.len != 0) {
        /* Dependencies are processed by the trust-domains extension. */
        return suit_fail(p, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_COMPONENT_UNSUPPORTED, MM_SUIT_SECTION_COMMON);
    }
    return join_severed(p);
}
