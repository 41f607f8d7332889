/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The manifest and its common block, decoded through map tables into views,
 * and the severable members joined with their bodies in the envelope (each
 * body checked against the digest the manifest gives it). Runs only after
 * the manifest's digest and signature have been checked.
 */
#include "processor.h"

static mm_err read_version(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    (void)user;
    uint64_t v;
    size_t at = mm_cbor_dec_offset(d);
    if (mm_cbor_get_uint(d, &v) != MM_OK) {
        return d->err;
    }
    return v == 1 ? MM_OK : mm_cbor_dec_fail(d, MM_ERR_UNSUPPORTED, at);
}

/* [* bstr]: the encoded identifier. */
static mm_err read_component_id(mm_cbor_dec *d, mm_bytes *raw)
{
    mm_cbor_item arr;
    mm_cbor_item seg;
    const uint8_t *at = d->pos;
    if (suit_next(d, &arr) != MM_OK) {
        return d->err;
    }
    if (arr.type != MM_CBOR_ARRAY) {
        return mm_cbor_dec_fail(d, MM_ERR_CBOR_TYPE, arr.offset);
    }
    for (uint64_t i = 0; i < arr.arg; i++) {
        if (suit_next(d, &seg) != MM_OK) {
            return d->err;
        }
        if (seg.type != MM_CBOR_BSTR) {
            return mm_cbor_dec_fail(d, MM_ERR_CBOR_TYPE, seg.offset);
        }
    }
    *raw = mm_bytes_make(at, (size_t)(d->pos - at));
    return MM_OK;
}

static mm_err read_component_id_field(mm_cbor_dec *d, void *dst, void *user)
{
    (void)user;
    return read_component_id(d, (mm_bytes *)dst);
}

/* [+ int]: a version (suit-set-version). */
static mm_err read_int_list(mm_cbor_dec *d)
{
    size_t n;
    size_t at = mm_cbor_dec_offset(d);
    if (mm_cbor_enter_array(d, &n) != MM_OK) {
        return d->err;
    }
    if (n == 0) {
        return mm_cbor_dec_fail(d, MM_ERR_MISSING_FIELD, at);
    }
    for (size_t i = 0; i < n; i++) {
        int64_t v;
        if (mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &v) != MM_OK) {
            return d->err;
        }
    }
    return mm_cbor_exit(d);
}

static mm_err read_set_version(mm_cbor_dec *d, void *dst, void *user)
{
    (void)user;
    if (mm_cbor_enter_wrapped(d, (mm_bytes *)dst) != MM_OK || read_int_list(d) != MM_OK) {
        return d->err;
    }
    return mm_cbor_exit(d);
}

/* A member that is always in the manifest: a bstr. */
static mm_err read_member(mm_cbor_dec *d, void *dst, void *user)
{
    (void)user;
    mm_suit_member *m = dst;
    if (mm_cbor_get_bstr(d, &m->body) != MM_OK) {
        return d->err;
    }
    m->state = MM_SUIT_INLINE;
    return MM_OK;
}

/* A member that may be severed: a bstr, or the SUIT_Digest of one that the
 * envelope carries (or that was stripped). */
static mm_err read_severable(mm_cbor_dec *d, void *dst, void *user)
{
    (void)user;
    mm_suit_member *m = dst;
    mm_cbor_item it;
    if (mm_cbor_peek(d, &it) != MM_OK) {
        return mm_cbor_skip(d);
    }
    if (it.type == MM_CBOR_ARRAY) {
        m->state = MM_SUIT_SEVERED;
        return suit_read_digest(d, &m->digest);
    }
    return read_member(d, dst, user);
}

#define MEMBER(m, key, fn)                                                                                             \
    {                                                                                                                  \
        key, NULL, MM_CBOR_F_CUSTOM, 0, (uint16_t)offsetof(mm_suit_manifest, members[m]), fn                           \
    }

static const mm_cbor_field manifest_fields[] = {
    {1, NULL, MM_CBOR_F_CUSTOM, MM_CBOR_F_REQUIRED, 0, read_version},
    {2, NULL, MM_CBOR_F_UINT, MM_CBOR_F_REQUIRED, offsetof(mm_suit_manifest, sequence), NULL},
    /* The common block is a bstr here; decoding it below checks it holds
     * exactly one map. */
    {3, NULL, MM_CBOR_F_BSTR, MM_CBOR_F_REQUIRED, offsetof(mm_suit_manifest, common), NULL},
    {4, NULL, MM_CBOR_F_TSTR, 0, offsetof(mm_suit_manifest, reference_uri), NULL},
    {5, NULL, MM_CBOR_F_CUSTOM, 0, offsetof(mm_suit_manifest, component_id), read_component_id_field},
    {6, NULL, MM_CBOR_F_CUSTOM, 0, offsetof(mm_suit_manifest, set_version), read_set_version},
    MEMBER(MM_SUIT_M_VALIDATE, MM_SUIT_SECTION_VALIDATE, read_member),
    MEMBER(MM_SUIT_M_LOAD, MM_SUIT_SECTION_LOAD, read_member),
    MEMBER(MM_SUIT_M_INVOKE, MM_SUIT_SECTION_INVOKE, read_member),
    MEMBER(MM_SUIT_M_COSWID, MM_SUIT_SECTION_COSWID, read_severable),
    MEMBER(MM_SUIT_M_DEPENDENCY_RESOLUTION, MM_SUIT_SECTION_DEPENDENCY_RESOLUTION, read_severable),
    MEMBER(MM_SUIT_M_PAYLOAD_FETCH, MM_SUIT_SECTION_PAYLOAD_FETCH, read_severable),
    MEMBER(MM_SUIT_M_CANDIDATE_VERIFICATION, MM_SUIT_SECTION_CANDIDATE_VERIFICATION, read_severable),
    MEMBER(MM_SUIT_M_INSTALL, MM_SUIT_SECTION_INSTALL, read_severable),
    MEMBER(MM_SUIT_M_TEXT, MM_SUIT_SECTION_TEXT, read_severable),
    MEMBER(MM_SUIT_M_UNINSTALL, MM_SUIT_SECTION_UNINSTALL, read_member),
};
#define FIELD_REFERENCE_URI 3

static mm_err read_components(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    mm_suit_manifest *m = user;
    mm_cbor_item arr;
    const uint8_t *at = d->pos;
    if (suit_next(d, &arr) != MM_OK) {
        return d->err;
    }
    if (arr.type != MM_CBOR_ARRAY || arr.arg == 0 || arr.arg > MM_SUIT_MAX_COMPONENTS) {
        mm_err e = arr.type != MM_CBOR_ARRAY ? MM_ERR_CBOR_TYPE
                   : arr.arg == 0            ? MM_ERR_MISSING_FIELD
                                             : MM_ERR_TOO_LARGE;
        return mm_cbor_dec_fail(d, e, arr.offset);
    }
    for (uint64_t i = 0; i < arr.arg; i++) {
        if (read_component_id(d, &m->component_ids[i]) != MM_OK) {
            return d->err;
        }
    }
    m->n_components = (uint32_t)arr.arg;
    m->components = mm_bytes_make(at, (size_t)(d->pos - at));
    return MM_OK;
}

static const mm_cbor_field common_fields[] = {
    {1, NULL, MM_CBOR_F_RAW, 0, offsetof(mm_suit_manifest, dependencies), NULL},
    {2, NULL, MM_CBOR_F_CUSTOM, 0, 0, read_components},
    {4, NULL, MM_CBOR_F_BSTR, 0, offsetof(mm_suit_manifest, shared), NULL},
};
#define FIELD_SHARED 2

/* Records a decoding failure at the decoder's error offset. */
static mm_err decode_failed(mm_suit_processor *p, mm_cbor_dec *d, mm_bytes within, int64_t detail)
{
    size_t off;
    mm_err e = mm_cbor_dec_error(d, &off);
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
        mm_cbor_dec *d = &p->dec;
        if (suit_dec_init(d, item, 0) != MM_OK || mm_cbor_get_bstr(d, &m->body) != MM_OK) {
            return suit_fail(p, MM_ERR_TRUNCATED, MM_SUIT_REASON_CBOR_PARSE, key);
        }
        m->state = MM_SUIT_RESTORED;
    }
    return MM_OK;
}

mm_err suit_manifest_decode(mm_suit_processor *p)
{
    mm_suit_manifest *m = &p->man;
    mm_cbor_dec *d = &p->dec;
    memset(m, 0, sizeof *m);
    uint64_t present = 0;
    mm_err e = suit_dec_init(d, p->env.manifest, SUIT_DEC_FLAGS);
    if (e == MM_OK) {
        mm_cbor_map_opts opts = {NULL, m, 0};
        e = mm_cbor_decode_map(d, manifest_fields, sizeof manifest_fields / sizeof manifest_fields[0], m, &present,
                               &opts);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(d);
    }
    if (e != MM_OK) {
        return decode_failed(p, d, p->env.manifest, MM_SUIT_ENVELOPE_MANIFEST);
    }
    m->has_reference_uri = (present & (1u << FIELD_REFERENCE_URI)) != 0;

    e = suit_dec_init(d, m->common, SUIT_SEQ_FLAGS);
    if (e == MM_OK) {
        mm_cbor_map_opts opts = {NULL, m, 0};
        e = mm_cbor_decode_map(d, common_fields, sizeof common_fields / sizeof common_fields[0], m, &present, &opts);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(d);
    }
    if (e != MM_OK) {
        return decode_failed(p, d, m->common, MM_SUIT_SECTION_COMMON);
    }
    m->has_shared = (present & (1u << FIELD_SHARED)) != 0;
    if (m->dependencies.len != 0) {
        /* Dependencies are processed by the trust-domains extension. */
        return suit_fail(p, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_COMPONENT_UNSUPPORTED, MM_SUIT_SECTION_COMMON);
    }
    return join_severed(p);
}
