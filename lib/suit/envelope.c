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

/*
 * The envelope's map is read flat, in deterministic mode, with the refusals
 * of the map engine (mm_cbor_decode_map()) it replaces, same codes at the
 * same places: a key neither integer nor text (MM_ERR_CBOR_BAD_KEY), a
 * known key twice or a text key twice (MM_ERR_CBOR_DUP_KEY, before its
 * value is read), more text keys than MM_CBOR_MAP_MAX_UNKNOWN
 * (MM_ERR_TOO_LARGE), an integer key the envelope does not define
 * (MM_ERR_UNSUPPORTED: an extension this processor does not implement), a
 * required member missing (MM_ERR_MISSING_FIELD at the map), a value not a
 * byte string (MM_ERR_CBOR_TYPE).
 */

/* The members of the envelope map other than integrated payloads: bit i of
 * the presence mask is entry i. */
static const struct {
    int32_t key;
    int8_t severed; /* mm_suit_member_index of a severed member, or -1 */
} envelope_fields[] = {
    {MM_SUIT_ENVELOPE_AUTH, -1},
    {MM_SUIT_ENVELOPE_MANIFEST, -1},
    {MM_SUIT_SECTION_COSWID, MM_SUIT_M_COSWID},
    {MM_SUIT_SECTION_DEPENDENCY_RESOLUTION, MM_SUIT_M_DEPENDENCY_RESOLUTION},
    {MM_SUIT_SECTION_PAYLOAD_FETCH, MM_SUIT_M_PAYLOAD_FETCH},
    {MM_SUIT_SECTION_CANDIDATE_VERIFICATION, MM_SUIT_M_CANDIDATE_VERIFICATION},
    {MM_SUIT_SECTION_INSTALL, MM_SUIT_M_INSTALL},
    {MM_SUIT_SECTION_TEXT, MM_SUIT_M_TEXT},
};
#define N_ENVELOPE_FIELDS (sizeof envelope_fields / sizeof envelope_fields[0])

static mm_err fail_at(mm_cbor_flat *r, mm_err e, const uint8_t *at)
{
    return mm_cbor_flat_fail(r, e, (size_t)(at - r->base));
}

/* A byte string value, as the engine's bstr field reads it: read (key order
 * checked), then typed. */
static mm_err bstr_value(mm_cbor_flat *r, mm_cbor_flat_keys *keys, mm_cbor_head *h)
{
    const uint8_t *at = r->pos;
    if (mm_cbor_flat_value(r, keys, h) != MM_OK) {
        return r->err;
    }
    return h->type == MM_CBOR_BSTR ? MM_OK : fail_at(r, MM_ERR_CBOR_TYPE, at);
}

/* A byte string item, as the manifest and severed members were read (peek
 * first): a well-formed head of another type is a type error before the
 * key order is checked. *item: its encoded bytes, head included. */
static mm_err bstr_item(mm_cbor_flat *r, mm_cbor_flat_keys *keys, mm_bytes *item, mm_bytes *content)
{
    mm_cbor_head h;
    const uint8_t *at = r->pos;
    if (mm_cbor_flat_peek(r, &h) == MM_OK && h.type != MM_CBOR_BSTR) {
        return fail_at(r, MM_ERR_CBOR_TYPE, at);
    }
    if (mm_cbor_flat_value(r, keys, &h) != MM_OK) {
        return r->err;
    }
    *item = mm_bytes_make(at, (size_t)(r->pos - at));
    *content = mm_bytes_make(h.str, (size_t)h.arg);
    return MM_OK;
}

/* The map (its head at r's position). */
static mm_err read_envelope(mm_cbor_flat *r, mm_suit_envelope *out)
{
    mm_cbor_head h;
    const uint8_t *map_at = r->pos;
    if (mm_cbor_flat_peek(r, &h) == MM_OK && h.type != MM_CBOR_MAP) {
        return fail_at(r, MM_ERR_CBOR_TYPE, map_at);
    }
    if (mm_cbor_flat_next(r, &h) != MM_OK) {
        return r->err;
    }
    mm_cbor_flat_keys keys = {NULL, NULL, 0};
    uint32_t seen = 0;
    /* Text keys so far (offset and encoded length): a text key is refused
     * when it comes again, as the engine refuses it. */
    uint32_t text_off[MM_CBOR_MAP_MAX_UNKNOWN];
    uint32_t text_len[MM_CBOR_MAP_MAX_UNKNOWN];
    size_t n_text = 0;
    for (uint64_t i = 0, n = h.arg; i < n; i++) {
        mm_cbor_head k;
        const uint8_t *k_at = r->pos;
        if (mm_cbor_flat_key(r, &keys, &k) != MM_OK) {
            return r->err;
        }
        bool int_key = (k.type == MM_CBOR_UINT || k.type == MM_CBOR_NINT) && k.arg <= (uint64_t)INT64_MAX;
        if (!int_key && k.type != MM_CBOR_TSTR) {
            return fail_at(r, MM_ERR_CBOR_BAD_KEY, k_at);
        }
        if (k.type == MM_CBOR_TSTR) {
            /* An integrated payload. Deterministic heads are shortest, so
             * equal text is equal bytes. */
            uint32_t len = (uint32_t)(r->pos - k_at);
            for (size_t u = 0; u < n_text; u++) {
                if (text_len[u] == len && memcmp(r->base + text_off[u], k_at, len) == 0) {
                    return fail_at(r, MM_ERR_CBOR_DUP_KEY, k_at);
                }
            }
            if (n_text == MM_CBOR_MAP_MAX_UNKNOWN) {
                return fail_at(r, MM_ERR_TOO_LARGE, k_at);
            }
            text_off[n_text] = (uint32_t)(k_at - r->base);
            text_len[n_text++] = len;
            if (bstr_value(r, &keys, &h) != MM_OK) {
                return r->err;
            }
            out->n_integrated++;
            continue;
        }
        int64_t label = k.type == MM_CBOR_UINT ? (int64_t)k.arg : -1 - (int64_t)k.arg;
        size_t f = 0;
        while (f < N_ENVELOPE_FIELDS && envelope_fields[f].key != label) {
            f++;
        }
        if (f == N_ENVELOPE_FIELDS) {
            return fail_at(r, MM_ERR_UNSUPPORTED, k_at); /* delegation, ...: not implemented */
        }
        if ((seen & (1u << f)) != 0) {
            return fail_at(r, MM_ERR_CBOR_DUP_KEY, k_at);
        }
        seen |= 1u << f;
        mm_err e;
        if (f == 0) {
            e = bstr_value(r, &keys, &h);
            out->auth = mm_bytes_make(h.str, (size_t)h.arg);
        } else if (f == 1) {
            e = bstr_item(r, &keys, &out->manifest_item, &out->manifest);
        } else {
            mm_bytes content;
            e = bstr_item(r, &keys, &out->severed[envelope_fields[f].severed], &content);
        }
        if (e != MM_OK) {
            return r->err;
        }
    }
    if ((seen & 3u) != 3u) {
        return fail_at(r, MM_ERR_MISSING_FIELD, map_at);
    }
    out->map = mm_bytes_make(map_at, (size_t)(r->pos - map_at));
    return MM_OK;
}

mm_err mm_suit_envelope_decode(mm_bytes in, mm_suit_envelope *out, size_t *err_off)
{
    memset(out, 0, sizeof *out);
    mm_cbor_flat r;
    if (mm_cbor_flat_init(&r, in, SUIT_DEC_FLAGS) == MM_OK) {
        /* The optional tag 107; any other tag is left to be refused as
         * not a map. */
        mm_cbor_head h;
        mm_err e = mm_cbor_flat_peek(&r, &h);
        if (e == MM_ERR_CBOR_NO_ITEM) {
            (void)mm_cbor_flat_fail(&r, e, 0);
        } else if (e != MM_OK || (h.type == MM_CBOR_TAG && h.arg == MM_SUIT_TAG_ENVELOPE)) {
            out->tagged = mm_cbor_flat_next(&r, &h) == MM_OK;
        }
        (void)read_envelope(&r, out); /* its error is the reader's sticky one */
    }
    mm_err e = mm_cbor_flat_finish(&r);
    if (e != MM_OK) {
        if (err_off != NULL) {
            *err_off = r.err_off;
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
