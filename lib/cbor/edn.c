/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Diagnostic notation printer (RFC 8949 section 8, RFC 8610 Appendix G).
 * It walks the input with the pull decoder, so printing is also a full
 * well-formedness check, and writes through the caller's callback in small
 * buffered pieces.
 */
#include "internal.h"

enum level_kind { LV_ARRAY = 1, LV_MAP, LV_TAG, LV_WRAP };

typedef struct edn_level {
    uint8_t kind;
    uint8_t indef;
    uint32_t count; /* items printed inside */
} edn_level;

typedef struct edn_printer {
    mm_edn_write_fn write;
    void *user;
    mm_err err;
    unsigned flags;
    unsigned indent;
    size_t n;
    char buf[256];
    unsigned n_lv;
    uint32_t top_count;
    edn_level lv[MM_CBOR_MAX_NESTING];
} edn_printer;

static void flush(edn_printer *pr)
{
    if (pr->err == MM_OK && pr->n != 0) {
        pr->err = pr->write(pr->user, pr->buf, pr->n);
    }
    pr->n = 0;
}

static void out(edn_printer *pr, const char *s, size_t n)
{
    while (n != 0 && pr->err == MM_OK) {
        if (pr->n == sizeof pr->buf) {
            flush(pr);
        }
        size_t k = sizeof pr->buf - pr->n;
        if (k > n) {
            k = n;
        }
        memcpy(pr->buf + pr->n, s, k);
        pr->n += k;
        s += k;
        n -= k;
    }
}

static void outs(edn_printer *pr, const char *s) { out(pr, s, strlen(s)); }

static void out_char(edn_printer *pr, char c) { out(pr, &c, 1); }

static void out_u64(edn_printer *pr, uint64_t v, bool plus_one)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    if (plus_one) {
        /* -1 - arg needs arg + 1, which for 2^64 - 1 exceeds 64 bits. */
        size_t k = sizeof tmp;
        while (k-- > i) {
            if (tmp[k] != '9') {
                tmp[k]++;
                break;
            }
            tmp[k] = '0';
            if (k == i) {
                tmp[--i] = '1';
                break;
            }
        }
    }
    out(pr, tmp + i, sizeof tmp - i);
}

/* Number of array/map levels open: the indentation depth. */
static unsigned indent_depth(const edn_printer *pr)
{
    unsigned d = 0;
    for (unsigned i = 0; i < pr->n_lv; i++) {
        d += pr->lv[i].kind == LV_ARRAY || pr->lv[i].kind == LV_MAP;
    }
    return d;
}

static void newline(edn_printer *pr, unsigned depth)
{
    out_char(pr, '\n');
    for (unsigned i = 0; i < depth * pr->indent; i++) {
        out_char(pr, ' ');
    }
}

static void out_hex(edn_printer *pr, mm_bytes b)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < b.len; i++) {
        char two[2] = {digits[b.ptr[i] >> 4], digits[b.ptr[i] & 15]};
        out(pr, two, 2);
    }
}

static void out_text(edn_printer *pr, mm_bytes t)
{
    if (!mm_cbor_utf8_valid(t.ptr, t.len)) {
        /* EDN cannot spell invalid text; show the bytes and say so. */
        outs(pr, "/ invalid UTF-8 / h'");
        out_hex(pr, t);
        out_char(pr, '\'');
        return;
    }
    out_char(pr, '"');
    size_t run = 0;
    for (size_t i = 0; i < t.len; i++) {
        uint8_t c = t.ptr[i];
        const char *esc = NULL;
        char u[7];
        if (c == '"') {
            esc = "\\\"";
        } else if (c == '\\') {
            esc = "\\\\";
        } else if (c == '\n') {
            esc = "\\n";
        } else if (c == '\r') {
            esc = "\\r";
        } else if (c == '\t') {
            esc = "\\t";
        } else if (c == '\b') {
            esc = "\\b";
        } else if (c == '\f') {
            esc = "\\f";
        } else if (c < 0x20 || c == 0x7f) {
            static const char digits[] = "0123456789abcdef";
            u[0] = '\\';
            u[1] = 'u';
            u[2] = '0';
            u[3] = '0';
            u[4] = digits[c >> 4];
            u[5] = digits[c & 15];
            u[6] = '\0';
            esc = u;
        }
        if (esc != NULL) {
            out(pr, (const char *)t.ptr + run, i - run);
            outs(pr, esc);
            run = i + 1;
        }
    }
    out(pr, (const char *)t.ptr + run, t.len - run);
    out_char(pr, '"');
}

static void out_string(edn_printer *pr, const mm_cbor_item *it)
{
    bool text = it->type == MM_CBOR_TSTR;
    if ((it->flags & MM_CBOR_ITEM_INDEF) == 0) {
        if (text) {
            out_text(pr, it->str);
        } else {
            outs(pr, "h'");
            out_hex(pr, it->str);
            out_char(pr, '\'');
        }
        return;
    }
    if (it->str.len == 0) {
        outs(pr, text ? "\"\"_" : "''_");
        return;
    }
    outs(pr, "(_ ");
    mm_bytes area = it->str;
    mm_bytes chunk;
    bool first = true;
    while (mm_cbor_chunk_next(&area, &chunk)) {
        if (!first) {
            outs(pr, ", ");
        }
        first = false;
        if (text) {
            out_text(pr, chunk);
        } else {
            outs(pr, "h'");
            out_hex(pr, chunk);
            out_char(pr, '\'');
        }
    }
    out_char(pr, ')');
}

static void close_level(edn_printer *pr)
{
    edn_level *l = &pr->lv[--pr->n_lv];
    bool ind = (pr->flags & MM_EDN_INDENT) != 0;
    if (l->kind == LV_TAG) {
        out_char(pr, ')');
        return;
    }
    if (l->kind == LV_ARRAY || l->kind == LV_MAP) {
        if (ind && l->count != 0) {
            newline(pr, indent_depth(pr));
        } else if (l->indef && l->count == 0 && ind) {
            out_char(pr, ' ');
        }
        out_char(pr, l->kind == LV_ARRAY ? ']' : '}');
    }
}

/* Writes what separates the item about to be printed from the one before. */
static void separator(edn_printer *pr)
{
    bool ind = (pr->flags & MM_EDN_INDENT) != 0;
    if (pr->n_lv == 0) {
        if (pr->top_count++ != 0) {
            out_char(pr, ',');
            if (ind) {
                out_char(pr, '\n');
            } else {
                out_char(pr, ' ');
            }
        }
        return;
    }
    edn_level *l = &pr->lv[pr->n_lv - 1];
    uint32_t c = l->count++;
    if (l->kind == LV_TAG || l->kind == LV_WRAP) {
        return;
    }
    if (l->kind == LV_MAP && c % 2 == 1) {
        outs(pr, ": ");
        return;
    }
    if (c != 0) {
        out_char(pr, ',');
    }
    if (ind) {
        newline(pr, indent_depth(pr));
    } else if (c != 0) {
        out_char(pr, ' ');
    }
}

static mm_err push_level(edn_printer *pr, uint8_t kind, bool indef)
{
    if (pr->n_lv >= MM_CBOR_MAX_NESTING) {
        return MM_ERR_NESTING; /* the decoder's limit is lower; kept for safety */
    }
    edn_level *l = &pr->lv[pr->n_lv++];
    l->kind = kind;
    l->indef = indef;
    l->count = 0;
    return MM_OK;
}

/* A byte string is shown as << >> when it holds one well-formed container
 * or tag: scalars are too likely to be coincidence (h'01' is also 1). */
static bool show_nested(const edn_printer *pr, const mm_cbor_dec *dec, const mm_cbor_item *pk)
{
    /* The wrap takes a level itself; what is inside gets the rest. */
    unsigned used = mm_cbor_dec_depth(dec) + 1u;
    if ((pr->flags & MM_EDN_NESTED) == 0 || pk->type != MM_CBOR_BSTR || (pk->flags & MM_CBOR_ITEM_INDEF) != 0 ||
        pk->str.len == 0 || used >= dec->max_depth) {
        return false;
    }
    unsigned mt = pk->str.ptr[0] >> 5;
    if (mt != MT_ARRAY && mt != MT_MAP && mt != MT_TAG) {
        return false;
    }
    unsigned fl = dec->flags & (MM_CBOR_ALLOW_INDEF | MM_CBOR_CHECK_UTF8 | MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED);
    mm_cbor_dec inner;
    mm_err e = mm_cbor_dec_init(&inner, pk->str, fl);
    if (e == MM_OK) {
        e = mm_cbor_dec_set_max_depth(&inner, dec->max_depth - used);
    }
    if (e == MM_OK) {
        e = mm_cbor_skip(&inner);
    }
    return e == MM_OK && mm_cbor_dec_finish(&inner) == MM_OK;
}

static mm_err print_all(edn_printer *pr, mm_cbor_dec *dec)
{
    mm_cbor_item it;
    memset(&it, 0, sizeof it); /* the walk sets f only for floats */
    for (;;) {
        if (pr->err != MM_OK) {
            return pr->err;
        }
        mm_cbor_item pk;
        if (mm_cbor_peek(dec, &pk) == MM_OK && show_nested(pr, dec, &pk)) {
            while (pr->n_lv > pk.depth) {
                close_level(pr);
            }
            separator(pr);
            if (mm_cbor_enter_wrapped(dec, NULL) != MM_OK) {
                return dec->err;
            }
            outs(pr, "<<");
            mm_err e = push_level(pr, LV_WRAP, false);
            if (e != MM_OK) {
                return e;
            }
            continue;
        }
        mm_err e = mm_cbor_next(dec, &it);
        if (e == MM_ERR_CBOR_NO_ITEM) {
            while (pr->n_lv > mm_cbor_dec_depth(dec)) {
                close_level(pr);
            }
            if (pr->n_lv == 0) {
                return MM_OK;
            }
            /* The end of a wrapped item. */
            if (mm_cbor_exit(dec) != MM_OK) {
                return dec->err;
            }
            pr->n_lv--;
            outs(pr, ">>");
            continue;
        }
        if (e != MM_OK) {
            return e;
        }
        while (pr->n_lv > it.depth) {
            close_level(pr);
        }
        separator(pr);
        bool indef = (it.flags & MM_CBOR_ITEM_INDEF) != 0;
        switch (it.type) {
        case MM_CBOR_UINT:
            out_u64(pr, it.arg, false);
            break;
        case MM_CBOR_NINT:
            out_char(pr, '-');
            out_u64(pr, it.arg, true);
            break;
        case MM_CBOR_BSTR:
        case MM_CBOR_TSTR:
            out_string(pr, &it);
            break;
        case MM_CBOR_ARRAY:
        case MM_CBOR_MAP:
            out_char(pr, it.type == MM_CBOR_ARRAY ? '[' : '{');
            if (indef) {
                outs(pr, (pr->flags & MM_EDN_INDENT) != 0 ? "_" : "_ ");
            }
            if (!indef && it.arg == 0) {
                out_char(pr, it.type == MM_CBOR_ARRAY ? ']' : '}');
            } else if ((e = push_level(pr, it.type == MM_CBOR_ARRAY ? LV_ARRAY : LV_MAP, indef)) != MM_OK) {
                return e;
            }
            break;
        case MM_CBOR_TAG:
            out_u64(pr, it.arg, false);
            out_char(pr, '(');
            if ((e = push_level(pr, LV_TAG, false)) != MM_OK) {
                return e;
            }
            break;
        case MM_CBOR_SIMPLE:
            outs(pr, "simple(");
            out_u64(pr, it.arg, false);
            out_char(pr, ')');
            break;
        case MM_CBOR_FALSE:
            outs(pr, "false");
            break;
        case MM_CBOR_TRUE:
            outs(pr, "true");
            break;
        case MM_CBOR_NULL:
            outs(pr, "null");
            break;
        case MM_CBOR_UNDEFINED:
            outs(pr, "undefined");
            break;
        default: {
            char num[32];
            out(pr, num, mm_cbor_format_double(it.f, num));
            break;
        }
        }
    }
}

mm_err mm_cbor_edn(mm_bytes in, const mm_edn_opts *opts, mm_edn_write_fn write, void *user, size_t *err_off)
{
    static const mm_edn_opts defaults = {0, 0, 0, 0};
    if (write == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (opts == NULL) {
        opts = &defaults;
    }
    edn_printer pr;
    pr.write = write;
    pr.user = user;
    pr.err = MM_OK;
    pr.flags = opts->flags;
    pr.indent = opts->indent != 0 ? opts->indent : 2;
    pr.n = 0;
    pr.n_lv = 0;
    pr.top_count = 0;
    mm_cbor_dec dec;
    mm_err e = mm_cbor_dec_init(&dec, in, opts->dec_flags);
    if (e == MM_OK && opts->max_depth != 0) {
        e = mm_cbor_dec_set_max_depth(&dec, opts->max_depth);
    }
    if (e == MM_OK) {
        e = print_all(&pr, &dec);
    }
    if (e == MM_OK && pr.err == MM_OK) {
        e = mm_cbor_dec_finish(&dec);
    }
    flush(&pr);
    if (e == MM_OK) {
        e = pr.err;
    }
    if (e != MM_OK && err_off != NULL) {
        *err_off = dec.err_off;
    }
    return e;
}

static mm_err write_buf(void *user, const char *text, size_t len)
{
    mm_buf *b = user;
    if (b->len <= b->cap && len <= b->cap - b->len) {
        memcpy(b->ptr + b->len, text, len);
    }
    b->len += len;
    return MM_OK;
}

mm_err mm_cbor_edn_buf(mm_bytes in, const mm_edn_opts *opts, mm_buf *out, size_t *err_off)
{
    if (out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (out->ptr == NULL) {
        out->cap = 0;
    }
    out->len = 0;
    mm_err e = mm_cbor_edn(in, opts, write_buf, out, err_off);
    if (e == MM_OK && out->len > out->cap) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    return e;
}
