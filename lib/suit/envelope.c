/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SUIT envelope: its members located and type-checked, nothing
 * interpreted. Integrated payloads are found again by key when a fetch
 * names one, so the envelope keeps no table of them.
 */
#include "processor.h"

static const int32_t member_keys[MM_SUIT_M_COUNT] = {
    MM_SUIT_SECTION_VALIDATE,      MM_SUIT_SECTION_LOAD,
    MM_SUIT_SECTION_INVOKE,        MM_SUIT_SECTION_DEPENDENCY_RESOLUTION,
    MM_SUIT_SECTION_PAYLOAD_FETCH, MM_SUIT_SECTION_CANDIDATE_VERIFICATION,
    MM_SUIT_SECTION_INSTALL,       MM_SUIT_SECTION_UNINSTALL,
    MM_SUIT_SECTION_TEXT,          MM_SUIT_SECTION_COSWID,
};

int32_t mm_suit_member_key(mm_suit_member_index m) { return (unsigned)m < MM_SUIT_M_COUNT ? member_keys[m] : 0; }

/* A byte string item: its encoded bytes (head included) and its content. */
static mm_err get_bstr_item(mm_cbor_dec *d, mm_bytes *item, mm_bytes *content)
{
    mm_cbor_item it;
    if (mm_cbor_peek(d, &it) != MM_OK) {
        return mm_cbor_skip(d); /* records what peek found */
    }
    if (it.type != MM_CBOR_BSTR) {
        return mm_cbor_dec_fail(d, MM_ERR_CBOR_TYPE, it.offset);
    }
    if (content != NULL) {
        *content = it.str;
    }
    return mm_cbor_get_raw(d, item);
}

static mm_err read_manifest(mm_cbor_dec *d, void *dst, void *user)
{
    mm_suit_envelope *env = user;
    return get_bstr_item(d, (mm_bytes *)dst, &env->manifest);
}

static mm_err read_severed(mm_cbor_dec *d, void *dst, void *user)
{
    (void)user;
    return get_bstr_item(d, (mm_bytes *)dst, NULL);
}

#define SEVERED(m, key)                                                                                                \
    {                                                                                                                  \
        key, NULL, MM_CBOR_F_CUSTOM, 0, (uint16_t)offsetof(mm_suit_envelope, severed[m]), read_severed                 \
    }

static const mm_cbor_field envelope_fields[] = {
    {MM_SUIT_ENVELOPE_AUTH, NULL, MM_CBOR_F_BSTR, MM_CBOR_F_REQUIRED, offsetof(mm_suit_envelope, auth), NULL},
    {MM_SUIT_ENVELOPE_MANIFEST, NULL, MM_CBOR_F_CUSTOM, MM_CBOR_F_REQUIRED, offsetof(mm_suit_envelope, manifest_item),
     read_manifest},
    SEVERED(MM_SUIT_M_COSWID, MM_SUIT_SECTION_COSWID),
    SEVERED(MM_SUIT_M_DEPENDENCY_RESOLUTION, MM_SUIT_SECTION_DEPENDENCY_RESOLUTION),
    SEVERED(MM_SUIT_M_PAYLOAD_FETCH, MM_SUIT_SECTION_PAYLOAD_FETCH),
    SEVERED(MM_SUIT_M_CANDIDATE_VERIFICATION, MM_SUIT_SECTION_CANDIDATE_VERIFICATION),
    SEVERED(MM_SUIT_M_INSTALL, MM_SUIT_SECTION_INSTALL),
    SEVERED(MM_SUIT_M_TEXT, MM_SUIT_SECTION_TEXT),
};

/* Text keys are integrated payloads (byte strings); other integer keys are
 * extensions this processor does not implement (delegation, ...). */
static mm_err other_member(mm_cbor_dec *d, const mm_cbor_item *key, void *user)
{
    mm_suit_envelope *env = user;
    if (key->type != MM_CBOR_TSTR) {
        return mm_cbor_dec_fail(d, MM_ERR_UNSUPPORTED, key->offset);
    }
    mm_bytes payload;
    if (mm_cbor_get_bstr(d, &payload) != MM_OK) {
        return d->err;
    }
    env->n_integrated++;
    return MM_OK;
}

mm_err mm_suit_envelope_decode(mm_bytes in, mm_suit_envelope *out, size_t *err_off)
{
    memset(out, 0, sizeof *out);
    mm_cbor_dec d;
    mm_err e = suit_dec_init(&d, in, SUIT_DEC_FLAGS);
    if (e == MM_OK) {
        e = mm_cbor_opt_tag(&d, MM_SUIT_TAG_ENVELOPE, &out->tagged);
    }
    if (e == MM_OK) {
        size_t map_at = mm_cbor_dec_offset(&d);
        mm_cbor_map_opts opts = {other_member, out, 0};
        /* Its error is the decoder's sticky one, which finishing reports. */
        (void)!mm_cbor_decode_map(&d, envelope_fields, sizeof envelope_fields / sizeof envelope_fields[0], out, NULL,
                                  &opts);
        out->map = mm_bytes_make(in.ptr + map_at, mm_cbor_dec_offset(&d) - map_at);
    }
    e = mm_cbor_dec_finish(&d);
    if (e != MM_OK) {
        if (err_off != NULL) {
            *err_off = d.err_off;
        }
        memset(out, 0, sizeof *out);
    }
    return e;
}

mm_err suit_find_payload(mm_cbor_dec *d, const mm_suit_envelope *env, mm_bytes key, mm_bytes *payload)
{
    size_t n;
    if (suit_dec_init(d, env->map, 0) != MM_OK || mm_cbor_enter_map(d, &n) != MM_OK) {
        return MM_ERR_MISSING_FIELD;
    }
    for (size_t i = 0; i < n; i++) {
        mm_cbor_item k;
        if (mm_cbor_get_item(d, &k) != MM_OK) {
            break;
        }
        if (k.type == MM_CBOR_TSTR && mm_bytes_equal(k.str, key)) {
            return mm_cbor_get_bstr(d, payload) == MM_OK ? MM_OK : MM_ERR_MISSING_FIELD;
        }
        if (mm_cbor_skip(d) != MM_OK) {
            break;
        }
    }
    return MM_ERR_MISSING_FIELD;
}

mm_err mm_suit_envelope_payload(const mm_suit_envelope *env, mm_bytes key, mm_bytes *payload)
{
    mm_cbor_dec d;
    return suit_find_payload(&d, env, key, payload);
}
