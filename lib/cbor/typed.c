/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Typed reads for protocol code: each reads exactly one item of the stated
 * type (or enters a container) through the engine in decode.c, and records a
 * type or range error at the item's offset.
 */
#include "internal.h"

static mm_err wrong_type(mm_cbor_dec *d, const mm_cbor_item *it)
{
    return mm_cbor_dec_fail(d, MM_ERR_CBOR_TYPE, it->offset);
}

mm_err mm_cbor_get_uint(mm_cbor_dec *dec, uint64_t *v)
{
    mm_cbor_item it;
    if (mm_cbor_read(dec, &it, 0) != MM_OK) {
        return dec->err;
    }
    if (it.type != MM_CBOR_UINT) {
        return wrong_type(dec, &it);
    }
    *v = it.arg;
    return MM_OK;
}

mm_err mm_cbor_get_int(mm_cbor_dec *dec, int64_t min, int64_t max, int64_t *v)
{
    mm_cbor_item it;
    if (mm_cbor_read(dec, &it, 0) != MM_OK) {
        return dec->err;
    }
    int64_t x;
    if (it.type == MM_CBOR_UINT) {
        if (it.arg > (uint64_t)INT64_MAX) {
            return mm_cbor_dec_fail(dec, MM_ERR_CBOR_RANGE, it.offset);
        }
        x = (int64_t)it.arg;
    } else if (it.type == MM_CBOR_NINT) {
        if (it.arg > (uint64_t)INT64_MAX) {
            return mm_cbor_dec_fail(dec, MM_ERR_CBOR_RANGE, it.offset);
        }
        x = -1 - (int64_t)it.arg;
    } else {
        return wrong_type(dec, &it);
    }
    if (x < min || x > max) {
        return mm_cbor_dec_fail(dec, MM_ERR_CBOR_RANGE, it.offset);
    }
    *v = x;
    return MM_OK;
}

static mm_err get_string(mm_cbor_dec *d, mm_cbor_type type, mm_bytes *v)
{
    mm_cbor_item it;
    if (mm_cbor_read(d, &it, 0) != MM_OK) {
        return d->err;
    }
    if (it.type != type) {
        return wrong_type(d, &it);
    }
    if ((it.flags & MM_CBOR_ITEM_INDEF) != 0) {
        return mm_cbor_dec_fail(d, MM_ERR_CBOR_INDEF, it.offset);
    }
    *v = it.str;
    return MM_OK;
}

mm_err mm_cbor_get_bstr(mm_cbor_dec *dec, mm_bytes *v) { return get_string(dec, MM_CBOR_BSTR, v); }

mm_err mm_cbor_get_tstr(mm_cbor_dec *dec, mm_bytes *v) { return get_string(dec, MM_CBOR_TSTR, v); }

mm_err mm_cbor_get_bool(mm_cbor_dec *dec, bool *v)
{
    mm_cbor_item it;
    if (mm_cbor_read(dec, &it, 0) != MM_OK) {
        return dec->err;
    }
    if (it.type != MM_CBOR_TRUE && it.type != MM_CBOR_FALSE) {
        return wrong_type(dec, &it);
    }
    *v = it.type == MM_CBOR_TRUE;
    return MM_OK;
}

mm_err mm_cbor_get_null(mm_cbor_dec *dec)
{
    mm_cbor_item it;
    if (mm_cbor_read(dec, &it, 0) != MM_OK) {
        return dec->err;
    }
    return it.type == MM_CBOR_NULL ? MM_OK : wrong_type(dec, &it);
}

mm_err mm_cbor_get_float(mm_cbor_dec *dec, double *v)
{
    mm_cbor_item it;
    if (mm_cbor_read(dec, &it, 0) != MM_OK) {
        return dec->err;
    }
    if (it.type != MM_CBOR_FLOAT) {
        return wrong_type(dec, &it);
    }
    *v = it.f;
    return MM_OK;
}

mm_err mm_cbor_get_tag(mm_cbor_dec *dec, uint64_t *tag)
{
    mm_cbor_item it;
    if (mm_cbor_read(dec, &it, 0) != MM_OK) {
        return dec->err;
    }
    if (it.type != MM_CBOR_TAG) {
        return wrong_type(dec, &it);
    }
    *tag = it.arg;
    return MM_OK;
}

mm_err mm_cbor_opt_tag(mm_cbor_dec *dec, uint64_t tag, bool *present)
{
    mm_cbor_item it;
    *present = false;
    mm_err e = mm_cbor_peek(dec, &it);
    if (e != MM_OK) {
        /* Record what peek found so the failure is reported once, here. */
        return e == MM_ERR_CBOR_NO_ITEM ? mm_cbor_dec_fail(dec, e, mm_cbor_dec_offset(dec)) : mm_cbor_read(dec, &it, 0);
    }
    if (it.type != MM_CBOR_TAG || it.arg != tag) {
        return MM_OK;
    }
    e = mm_cbor_read(dec, &it, 0);
    *present = e == MM_OK;
    return e;
}

mm_err mm_cbor_get_bigint(mm_cbor_dec *dec, bool *negative, uint8_t scratch[8], mm_bytes *magnitude)
{
    mm_cbor_item it;
    if (mm_cbor_read(dec, &it, 0) != MM_OK) {
        return dec->err;
    }
    if (it.type == MM_CBOR_UINT || it.type == MM_CBOR_NINT) {
        *negative = it.type == MM_CBOR_NINT;
        for (int i = 0; i < 8; i++) {
            scratch[i] = (uint8_t)(it.arg >> (56 - 8 * i));
        }
        *magnitude = mm_bytes_make(scratch, 8);
        return MM_OK;
    }
    if (it.type != MM_CBOR_TAG || (it.arg != 2 && it.arg != 3)) {
        return wrong_type(dec, &it);
    }
    *negative = it.arg == 3;
    return get_string(dec, MM_CBOR_BSTR, magnitude);
}

static mm_err enter(mm_cbor_dec *d, mm_cbor_type type, size_t *count)
{
    mm_cbor_item it;
    mm_err e = mm_cbor_peek(d, &it);
    if (e == MM_OK && it.type != type) {
        return wrong_type(d, &it);
    }
    if (mm_cbor_read(d, &it, MM_CBOR_READ_ENTER) != MM_OK) {
        return d->err;
    }
    if (count != NULL) {
        *count = (it.flags & MM_CBOR_ITEM_INDEF) != 0 ? MM_CBOR_INDEF_COUNT : (size_t)it.arg;
    }
    return MM_OK;
}

mm_err mm_cbor_enter_array(mm_cbor_dec *dec, size_t *count) { return enter(dec, MM_CBOR_ARRAY, count); }

mm_err mm_cbor_enter_map(mm_cbor_dec *dec, size_t *count) { return enter(dec, MM_CBOR_MAP, count); }

mm_err mm_cbor_enter_wrapped(mm_cbor_dec *dec, mm_bytes *content)
{
    mm_cbor_item it;
    mm_err e = mm_cbor_peek(dec, &it);
    if (e == MM_OK && it.type != MM_CBOR_BSTR) {
        return wrong_type(dec, &it);
    }
    if (mm_cbor_read(dec, &it, MM_CBOR_READ_WRAP) != MM_OK) {
        return dec->err;
    }
    if (content != NULL) {
        *content = it.str;
    }
    return MM_OK;
}

mm_err mm_cbor_get_item(mm_cbor_dec *dec, mm_cbor_item *item) { return mm_cbor_read(dec, item, 0); }
