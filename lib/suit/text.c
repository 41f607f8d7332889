/* SPDX-License-Identifier: Apache-2.0 */
/*
 * suit-text: { + language tag => { * int => tstr, * component id => { * int
 * => tstr } } }. Checked when present (every component it names must be one
 * of the manifest's), and looked up for tools. The processor never acts on
 * text.
 */
#include "processor.h"

/* [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})* (RFC 9290 tag 38's language tag). */
static bool ltag_valid(mm_bytes t)
{
    size_t run = 0;
    bool first = true;
    for (size_t i = 0; i < t.len; i++) {
        uint8_t c = t.ptr[i];
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        bool digit = c >= '0' && c <= '9';
        if (c == '-') {
            if (run == 0) {
                return false;
            }
            first = false;
            run = 0;
            continue;
        }
        if (!(alpha || (digit && !first)) || ++run > 8) {
            return false;
        }
    }
    return run != 0;
}

/* Index of the component whose encoded identifier is id, or -1. */
static int64_t component_of(const mm_suit_manifest *m, mm_bytes id)
{
    for (uint32_t i = 0; i < m->n_components; i++) {
        if (mm_bytes_equal(m->component_ids[i], id)) {
            return i;
        }
    }
    return -1;
}

/* { * int => tstr } */
static mm_err check_int_text_map(mm_cbor_dec *d)
{
    size_t n;
    if (mm_cbor_enter_map(d, &n) != MM_OK) {
        return d->err;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t key;
        mm_bytes text;
        if (mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &key) != MM_OK || mm_cbor_get_tstr(d, &text) != MM_OK) {
            return d->err;
        }
    }
    return mm_cbor_exit(d);
}

static mm_err check_language(mm_suit_processor *p, mm_cbor_dec *d)
{
    size_t n;
    if (mm_cbor_enter_map(d, &n) != MM_OK) {
        return d->err;
    }
    for (size_t i = 0; i < n; i++) {
        mm_cbor_item key;
        if (mm_cbor_peek(d, &key) != MM_OK) {
            return mm_cbor_skip(d);
        }
        if (key.type == MM_CBOR_ARRAY) {
            mm_bytes id;
            if (mm_cbor_get_raw(d, &id) != MM_OK) {
                return d->err;
            }
            if (component_of(&p->man, id) < 0) {
                return mm_cbor_dec_fail(d, MM_ERR_CBOR_RANGE, key.offset);
            }
            if (check_int_text_map(d) != MM_OK) {
                return d->err;
            }
            continue;
        }
        int64_t label;
        mm_bytes text;
        if (mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &label) != MM_OK || mm_cbor_get_tstr(d, &text) != MM_OK) {
            return d->err;
        }
    }
    return mm_cbor_exit(d);
}

mm_err suit_text_validate(mm_suit_processor *p, mm_bytes text)
{
    mm_cbor_dec *d = &p->dec;
    size_t n;
    mm_err e = suit_dec_init(d, text, SUIT_DEC_FLAGS);
    if (e == MM_OK && mm_cbor_enter_map(d, &n) == MM_OK) {
        if (n == 0) {
            mm_cbor_dec_fail(d, MM_ERR_MISSING_FIELD, 0);
        }
        for (size_t i = 0; i < n && mm_cbor_dec_error(d, NULL) == MM_OK; i++) {
            mm_bytes lang;
            size_t at = mm_cbor_dec_offset(d);
            if (mm_cbor_get_tstr(d, &lang) != MM_OK) {
                break;
            }
            if (!ltag_valid(lang)) {
                mm_cbor_dec_fail(d, MM_ERR_CBOR_RANGE, at);
                break;
            }
            if (check_language(p, d) != MM_OK) {
                break;
            }
        }
        if (mm_cbor_dec_error(d, NULL) == MM_OK) {
            (void)!mm_cbor_exit(d); /* its error is the sticky one */
        }
    }
    e = mm_cbor_dec_finish(d);
    if (e != MM_OK) {
        size_t off;
        mm_cbor_dec_error(d, &off);
        p->failure.offset = (uint32_t)off;
        return suit_fail(p, e, MM_SUIT_REASON_CBOR_PARSE, MM_SUIT_SECTION_TEXT);
    }
    return MM_OK;
}

mm_err mm_suit_text_find(const mm_suit_manifest *m, mm_bytes lang, int64_t component, int64_t key, mm_bytes *out)
{
    const mm_suit_member *t = &m->members[MM_SUIT_M_TEXT];
    if (t->state != MM_SUIT_INLINE && t->state != MM_SUIT_RESTORED) {
        return MM_ERR_MISSING_FIELD;
    }
    if (component >= (int64_t)m->n_components) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_dec d;
    size_t n_lang;
    if (suit_dec_init(&d, t->body, 0) != MM_OK || mm_cbor_enter_map(&d, &n_lang) != MM_OK) {
        return MM_ERR_MISSING_FIELD;
    }
    for (size_t i = 0; i < n_lang; i++) {
        mm_bytes tag;
        size_t n;
        if (mm_cbor_get_tstr(&d, &tag) != MM_OK) {
            break;
        }
        if (lang.len != 0 && !mm_bytes_equal(tag, lang)) {
            if (mm_cbor_skip(&d) != MM_OK) {
                break;
            }
            continue;
        }
        if (mm_cbor_enter_map(&d, &n) != MM_OK) {
            break;
        }
        for (size_t k = 0; k < n; k++) {
            mm_cbor_item it;
            if (mm_cbor_peek(&d, &it) != MM_OK) {
                break;
            }
            bool want_map = false;
            if (it.type == MM_CBOR_ARRAY) {
                mm_bytes id;
                if (mm_cbor_get_raw(&d, &id) != MM_OK) {
                    break;
                }
                want_map = component >= 0 && mm_bytes_equal(id, m->component_ids[component]);
            } else {
                int64_t label;
                if (mm_cbor_get_int(&d, INT64_MIN, INT64_MAX, &label) != MM_OK) {
                    break;
                }
                if (component < 0 && label == key) {
                    return mm_cbor_get_tstr(&d, out) == MM_OK ? MM_OK : MM_ERR_MISSING_FIELD;
                }
            }
            if (!want_map) {
                if (mm_cbor_skip(&d) != MM_OK) {
                    break;
                }
                continue;
            }
            size_t pairs;
            if (mm_cbor_enter_map(&d, &pairs) != MM_OK) {
                break;
            }
            for (size_t j = 0; j < pairs; j++) {
                int64_t label;
                mm_bytes text;
                if (mm_cbor_get_int(&d, INT64_MIN, INT64_MAX, &label) != MM_OK ||
                    mm_cbor_get_tstr(&d, &text) != MM_OK) {
                    break;
                }
                if (label == key) {
                    *out = text;
                    return MM_OK;
                }
            }
            return MM_ERR_MISSING_FIELD;
        }
        return MM_ERR_MISSING_FIELD; /* the language asked for (or the first) has no such text */
    }
    return MM_ERR_MISSING_FIELD;
}
