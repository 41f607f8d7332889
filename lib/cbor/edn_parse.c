/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Diagnostic notation reader (RFC 8949 section 8, RFC 8610 Appendix G): the
 * text the printer writes, and the examples of the IETF documents, turned
 * into CBOR through the encoder.
 *
 * A recursive-descent parser, bounded by the encoder's nesting limit. The
 * encoder needs each array's and map's count before its items, so a
 * container's items are first read without output (enc NULL) to count them;
 * a concatenated string's pieces likewise, to learn its length. Each byte of
 * text is thus read at most once more per enclosing container, and output
 * keeps the order of the text (maps are not sorted: the notation describes
 * one encoding, and examples are often signed bytes).
 */
#include "internal.h"

typedef struct edn_in {
    const uint8_t *p;
    const uint8_t *end;
    const uint8_t *err_at;
    mm_err err;
    unsigned depth;
} edn_in;

static mm_err fail(edn_in *in, mm_err e, const uint8_t *at)
{
    if (in->err == MM_OK) {
        in->err = e;
        in->err_at = at;
    }
    return in->err;
}

static bool at(const edn_in *in, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(in->end - in->p) >= n && memcmp(in->p, s, n) == 0;
}

/* The first c at or after p before end, or NULL (the device-safe core
 * links no memchr). */
static const uint8_t *find(const uint8_t *p, const uint8_t *end, uint8_t c)
{
    while (p < end && *p != c) {
        p++;
    }
    return p < end ? p : NULL;
}

/* Skips white space, / block comments / and # line comments. */
static mm_err skip_ws(edn_in *in)
{
    while (in->p < in->end) {
        uint8_t c = *in->p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            in->p++;
        } else if (c == '/') {
            const uint8_t *close = find(in->p + 1, in->end, '/');
            if (close == NULL) {
                return fail(in, MM_ERR_SYNTAX, in->p);
            }
            in->p = close + 1;
        } else if (c == '#') {
            const uint8_t *nl = find(in->p, in->end, '\n');
            in->p = nl != NULL ? nl + 1 : in->end;
        } else {
            break;
        }
    }
    return in->err;
}

/*
 * String literals: pieces written into a sink that counts and, with an
 * encoder, streams the content out in small chunks.
 */
typedef struct sink {
    mm_cbor_enc *enc; /* NULL: count only */
    size_t len;
    size_t n;
    uint8_t buf[64];
} sink;

static void sink_flush(sink *s)
{
    if (s->enc != NULL && s->n != 0) {
        (void)mm_cbor_put_bytes(s->enc, mm_bytes_make(s->buf, s->n));
    }
    s->n = 0;
}

static void sink_put(sink *s, uint8_t b)
{
    if (s->n == sizeof s->buf) {
        sink_flush(s);
    }
    s->buf[s->n++] = b;
    s->len++;
}

/* A symbol of either base64 alphabet (EDN's b64'' takes both). */
static int b64_val(uint8_t c)
{
    int v = mm_base64_symbol(c, MM_B64);
    return v >= 0 ? v : mm_base64_symbol(c, MM_B64URL);
}

static void put_utf8(sink *s, uint32_t cp)
{
    if (cp < 0x80) {
        sink_put(s, (uint8_t)cp);
    } else if (cp < 0x800) {
        sink_put(s, (uint8_t)(0xc0 | (cp >> 6)));
        sink_put(s, (uint8_t)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        sink_put(s, (uint8_t)(0xe0 | (cp >> 12)));
        sink_put(s, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
        sink_put(s, (uint8_t)(0x80 | (cp & 0x3f)));
    } else {
        sink_put(s, (uint8_t)(0xf0 | (cp >> 18)));
        sink_put(s, (uint8_t)(0x80 | ((cp >> 12) & 0x3f)));
        sink_put(s, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
        sink_put(s, (uint8_t)(0x80 | (cp & 0x3f)));
    }
}

/* Four hex digits of a \u escape at p (which has room for them). */
static bool read_u4(edn_in *in, uint32_t *v)
{
    if (in->end - in->p < 4) {
        return false;
    }
    *v = 0;
    for (int i = 0; i < 4; i++) {
        int h = mm_hex_digit(in->p[i]);
        if (h < 0) {
            return false;
        }
        *v = (*v << 4) | (uint32_t)h;
    }
    in->p += 4;
    return true;
}

/* The content of "..." or '...' (in->p after the opening quote): JSON's
 * escapes, plus \' in single quotes. */
static mm_err quoted(edn_in *in, uint8_t quote, sink *s)
{
    const uint8_t *run = in->p; /* start of the unescaped bytes not yet put */
    for (;;) {
        if (in->p == in->end) {
            return fail(in, MM_ERR_SYNTAX, in->p);
        }
        uint8_t c = *in->p;
        if (c != quote && c != '\\' && c >= 0x20) {
            in->p++;
            continue;
        }
        if (!mm_cbor_utf8_valid(run, (size_t)(in->p - run))) {
            return fail(in, MM_ERR_CBOR_BAD_UTF8, run);
        }
        for (const uint8_t *q = run; q < in->p; q++) {
            sink_put(s, *q);
        }
        if (c == quote) {
            in->p++;
            return MM_OK;
        }
        if (c < 0x20) {
            return fail(in, MM_ERR_SYNTAX, in->p); /* control characters must be escaped */
        }
        const uint8_t *esc = in->p++;
        if (in->p == in->end) {
            return fail(in, MM_ERR_SYNTAX, esc);
        }
        uint8_t e = *in->p++;
        static const uint8_t from[] = "\"\\/bfnrt'";
        static const uint8_t to[] = "\"\\/\b\f\n\r\t'";
        const uint8_t *hit = find(from, from + sizeof from - 1, e);
        if (hit != NULL) {
            sink_put(s, to[hit - from]);
        } else if (e == 'u') {
            uint32_t cp;
            if (!read_u4(in, &cp)) {
                return fail(in, MM_ERR_SYNTAX, esc);
            }
            if (cp >= 0xd800 && cp < 0xdc00) {
                uint32_t lo;
                if (!at(in, "\\u") || (in->p += 2, !read_u4(in, &lo)) || lo < 0xdc00 || lo > 0xdfff) {
                    return fail(in, MM_ERR_SYNTAX, esc); /* a high surrogate needs its low half */
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                return fail(in, MM_ERR_SYNTAX, esc);
            }
            put_utf8(s, cp);
        } else {
            return fail(in, MM_ERR_SYNTAX, esc);
        }
        run = in->p;
    }
}

/* The content of h'...': hex digits, white space and comments. */
static mm_err hex_piece(edn_in *in, sink *s)
{
    int hi = -1;
    const uint8_t *hi_at = in->p;
    for (;;) {
        if (skip_ws(in) != MM_OK) {
            return in->err;
        }
        if (in->p == in->end) {
            return fail(in, MM_ERR_SYNTAX, in->p);
        }
        if (*in->p == '\'') {
            in->p++;
            return hi < 0 ? MM_OK : fail(in, MM_ERR_BAD_HEX, hi_at);
        }
        int v = mm_hex_digit(*in->p);
        if (v < 0) {
            return fail(in, MM_ERR_BAD_HEX, in->p);
        }
        if (hi < 0) {
            hi = v;
            hi_at = in->p;
        } else {
            sink_put(s, (uint8_t)(hi << 4 | v));
            hi = -1;
        }
        in->p++;
    }
}

/* The content of b64'...': base64 or base64url, padding optional but
 * correct when present, unused bits zero, white space allowed. */
static mm_err b64_piece(edn_in *in, sink *s)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    unsigned chars = 0; /* symbols since the last full quantum */
    unsigned pad = 0;
    for (;; in->p++) {
        if (in->p == in->end) {
            return fail(in, MM_ERR_SYNTAX, in->p);
        }
        uint8_t c = *in->p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            continue;
        }
        if (c == '\'') {
            break;
        }
        if (c == '=') {
            pad++;
            continue;
        }
        int v = b64_val(c);
        if (v < 0 || pad != 0) {
            return fail(in, MM_ERR_BAD_BASE64, in->p);
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        chars = (chars + 1) % 4;
        if (bits >= 8) {
            bits -= 8;
            sink_put(s, (uint8_t)(acc >> bits));
            acc &= (1u << bits) - 1;
        }
    }
    bool bad = chars == 1 || (acc != 0) || (pad != 0 && (chars + pad) % 4 != 0) || (pad != 0 && chars == 0);
    if (bad) {
        return fail(in, MM_ERR_BAD_BASE64, in->p);
    }
    in->p++;
    return MM_OK;
}

enum piece_kind { PIECE_NONE, PIECE_TEXT, PIECE_BYTES_QUOTED, PIECE_HEX, PIECE_B64, PIECE_OTHER_PREFIX };

/* What string literal starts at in->p, and the length of its opening. */
static int piece_at(const edn_in *in, size_t *open)
{
    const uint8_t *p = in->p;
    size_t left = (size_t)(in->end - p);
    if (left >= 1 && (*p == '"' || *p == '\'')) {
        *open = 1;
        return *p == '"' ? PIECE_TEXT : PIECE_BYTES_QUOTED;
    }
    if (left >= 2 && p[0] == 'h' && p[1] == '\'') {
        *open = 2;
        return PIECE_HEX;
    }
    if (left >= 4 && memcmp(p, "b64'", 4) == 0) {
        *open = 4;
        return PIECE_B64;
    }
    /* Other application-oriented literals (b32'', dt'', ip''...). */
    size_t i = 0;
    while (i < left && ((p[i] >= 'a' && p[i] <= 'z') || (i != 0 && p[i] >= '0' && p[i] <= '9'))) {
        i++;
    }
    if (i != 0 && i < left && p[i] == '\'') {
        *open = i + 1;
        return PIECE_OTHER_PREFIX;
    }
    return PIECE_NONE;
}

/* One or more juxtaposed string literals (optionally joined by +), as one
 * string of the first one's type. */
static mm_err strings(edn_in *in, mm_cbor_enc *enc)
{
    const uint8_t *start = in->p;
    size_t open;
    int first = piece_at(in, &open);
    bool text = first == PIECE_TEXT;
    size_t len = 0;
    /* Pass 1 counts; pass 2 (with an encoder) writes. */
    for (int pass = 0; pass < (enc != NULL ? 2 : 1); pass++) {
        sink s;
        s.enc = pass == 0 ? NULL : enc;
        s.len = 0;
        s.n = 0;
        if (pass == 1) {
            in->p = start;
            (void)mm_cbor_put_stream_head(enc, text ? MT_TSTR : MT_BSTR, len);
        }
        for (;;) {
            const uint8_t *piece_start = in->p;
            int kind = piece_at(in, &open);
            if (kind == PIECE_OTHER_PREFIX) {
                return fail(in, MM_ERR_UNSUPPORTED, piece_start);
            }
            if (kind == PIECE_NONE || (text && kind != PIECE_TEXT)) {
                return fail(in, MM_ERR_SYNTAX, piece_start);
            }
            in->p += open;
            if (kind == PIECE_TEXT || kind == PIECE_BYTES_QUOTED) {
                (void)quoted(in, kind == PIECE_TEXT ? '"' : '\'', &s);
            } else if (kind == PIECE_HEX) {
                (void)hex_piece(in, &s);
            } else {
                (void)b64_piece(in, &s);
            }
            if (in->err != MM_OK) {
                return in->err;
            }
            const uint8_t *after = in->p;
            if (skip_ws(in) != MM_OK) {
                return in->err;
            }
            bool plus = in->p < in->end && *in->p == '+';
            if (plus) {
                in->p++;
                if (skip_ws(in) != MM_OK) {
                    return in->err;
                }
            }
            if (!plus && piece_at(in, &open) == PIECE_NONE) {
                in->p = after;
                break;
            }
        }
        sink_flush(&s);
        len = s.len;
    }
    if (enc != NULL && enc->err != MM_OK) {
        return fail(in, enc->err, start);
    }
    return in->err;
}

/*
 * Numbers.
 */

static bool is_digit_of(uint8_t c, unsigned base)
{
    int v = mm_hex_digit(c);
    return v >= 0 && (unsigned)v < base;
}

/* True when v * base + d is 2^64 (one more than fits). */
static bool is_two_to_64(uint64_t v, unsigned base, uint64_t d)
{
    if (d == 0) {
        return UINT64_MAX % base == base - 1 && v == UINT64_MAX / base + 1;
    }
    return v <= (UINT64_MAX - (d - 1)) / base && v * base + (d - 1) == UINT64_MAX;
}

/* An unsigned integer in base at in->p; MM_ERR_CBOR_RANGE above 2^64 - 1,
 * except that exactly 2^64 sets *is_2_64 (the magnitude of -2^64). */
static mm_err uint_digits(edn_in *in, unsigned base, uint64_t *v, bool *is_2_64)
{
    const uint8_t *start = in->p;
    *v = 0;
    *is_2_64 = false;
    bool over = false;
    for (; in->p < in->end && is_digit_of(*in->p, base); in->p++) {
        uint64_t d = (uint64_t)mm_hex_digit(*in->p);
        if (over) {
            *is_2_64 = false;
        } else if (*v > (UINT64_MAX - d) / base) {
            over = true;
            *is_2_64 = is_two_to_64(*v, base, d);
        } else {
            *v = *v * base + d;
        }
    }
    if (in->p == start) {
        return fail(in, MM_ERR_SYNTAX, start);
    }
    if (over && !*is_2_64) {
        return fail(in, MM_ERR_CBOR_RANGE, start);
    }
    return MM_OK;
}

static mm_err item(edn_in *in, mm_cbor_enc *enc);

/* A tag number followed by ( item ). */
static mm_err tagged(edn_in *in, mm_cbor_enc *enc, uint64_t tag)
{
    in->p++; /* ( */
    if (++in->depth > MM_CBOR_ENC_MAX_NESTING) {
        return fail(in, MM_ERR_NESTING, in->p);
    }
    if (enc != NULL) {
        (void)mm_cbor_put_tag(enc, tag);
    }
    if (item(in, enc) != MM_OK || skip_ws(in) != MM_OK) {
        return in->err;
    }
    if (in->p == in->end || *in->p != ')') {
        return fail(in, MM_ERR_SYNTAX, in->p);
    }
    in->p++;
    in->depth--;
    return MM_OK;
}

static mm_err number(edn_in *in, mm_cbor_enc *enc)
{
    const uint8_t *start = in->p;
    bool neg = *in->p == '-';
    if (neg || *in->p == '+') {
        in->p++;
    }
    double f;
    if (at(in, "Infinity")) {
        in->p += 8;
        f = neg ? -__builtin_inf() : __builtin_inf();
        return enc != NULL ? mm_cbor_put_float(enc, f) : MM_OK;
    }
    unsigned base = 10;
    if (at(in, "0x") || at(in, "0X")) {
        base = 16;
    } else if (at(in, "0o")) {
        base = 8;
    } else if (at(in, "0b")) {
        base = 2;
    }
    const uint8_t *digits = in->p;
    if (base != 10) {
        in->p += 2;
    } else {
        /* Decimal: a float when a fraction or an exponent follows. */
        const uint8_t *q = in->p;
        while (q < in->end && *q >= '0' && *q <= '9') {
            q++;
        }
        if (q < in->end && (*q == '.' || *q == 'e' || *q == 'E')) {
            q++;
            while (q < in->end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
                                   ((*q == '+' || *q == '-') && (q[-1] == 'e' || q[-1] == 'E')))) {
                q++;
            }
            mm_err e = mm_cbor_parse_decimal(digits, (size_t)(q - digits), &f);
            if (e != MM_OK) {
                return fail(in, e, start);
            }
            in->p = q;
            if (in->p < in->end && *in->p == '_') {
                return fail(in, MM_ERR_UNSUPPORTED, in->p); /* encoding indicator */
            }
            return enc != NULL ? mm_cbor_put_float(enc, neg ? -f : f) : MM_OK;
        }
    }
    uint64_t v;
    bool is_2_64;
    if (uint_digits(in, base, &v, &is_2_64) != MM_OK) {
        return in->err;
    }
    if (in->p < in->end && (*in->p == '.' || *in->p == 'p' || *in->p == 'P') && base == 16) {
        return fail(in, MM_ERR_UNSUPPORTED, in->p); /* hexadecimal floats */
    }
    if (in->p < in->end && *in->p == '_') {
        return fail(in, MM_ERR_UNSUPPORTED, in->p);
    }
    if (is_2_64 && !neg) {
        return fail(in, MM_ERR_CBOR_RANGE, start);
    }
    const uint8_t *after = in->p;
    if (!neg && start == digits && skip_ws(in) == MM_OK && in->p < in->end && *in->p == '(') {
        return tagged(in, enc, v);
    }
    in->p = after;
    if (enc == NULL) {
        return in->err;
    }
    if (!neg || (v == 0 && !is_2_64)) {
        return mm_cbor_put_uint(enc, v);
    }
    return mm_cbor_put_nint(enc, is_2_64 ? UINT64_MAX : v - 1);
}

/*
 * Containers.
 */

/* Items up to close (']', '}' or '>>'), separated by commas (a trailing
 * comma is allowed); map items are key : value pairs. *count gets the
 * number of items (pairs for a map). */
static mm_err items(edn_in *in, mm_cbor_enc *enc, const char *close, bool pairs, size_t *count)
{
    *count = 0;
    for (;;) {
        if (skip_ws(in) != MM_OK) {
            return in->err;
        }
        if (at(in, close)) {
            in->p += strlen(close);
            return MM_OK;
        }
        if (*count != 0) {
            if (in->p == in->end || *in->p != ',') {
                return fail(in, MM_ERR_SYNTAX, in->p);
            }
            in->p++;
            if (skip_ws(in) != MM_OK) {
                return in->err;
            }
            if (at(in, close)) {
                in->p += strlen(close);
                return MM_OK;
            }
        }
        if (item(in, enc) != MM_OK) {
            return in->err;
        }
        if (pairs) {
            if (skip_ws(in) != MM_OK) {
                return in->err;
            }
            if (in->p == in->end || *in->p != ':') {
                return fail(in, MM_ERR_SYNTAX, in->p);
            }
            in->p++;
            if (item(in, enc) != MM_OK) {
                return in->err;
            }
        }
        (*count)++;
    }
}

/* [ ... ], { ... } or << ... >>, in->p at the opening. */
static mm_err container(edn_in *in, mm_cbor_enc *enc, char kind)
{
    const uint8_t *open = in->p;
    in->p += kind == '<' ? 2 : 1;
    if (++in->depth > MM_CBOR_ENC_MAX_NESTING) {
        return fail(in, MM_ERR_NESTING, open);
    }
    if (skip_ws(in) != MM_OK) {
        return in->err;
    }
    if (in->p < in->end && *in->p == '_') {
        return fail(in, MM_ERR_UNSUPPORTED, in->p); /* indefinite length */
    }
    const char *close = kind == '[' ? "]" : kind == '{' ? "}" : ">>";
    bool pairs = kind == '{';
    size_t n;
    if (enc != NULL) {
        if (kind == '<') {
            (void)mm_cbor_open_wrap(enc);
        } else {
            /* Count first: the head comes before the items. */
            const uint8_t *body = in->p;
            unsigned depth = in->depth;
            if (items(in, NULL, close, pairs, &n) != MM_OK) {
                return in->err;
            }
            in->p = body;
            in->depth = depth;
            (void)(pairs ? mm_cbor_put_map(enc, n) : mm_cbor_put_array(enc, n));
        }
    }
    if (items(in, enc, close, pairs, &n) != MM_OK) {
        return in->err;
    }
    if (enc != NULL && kind == '<') {
        (void)mm_cbor_close(enc, NULL);
    }
    in->depth--;
    return MM_OK;
}

/* A keyword: true, false, null, undefined, NaN, simple(N). */
static mm_err word(edn_in *in, mm_cbor_enc *enc)
{
    const uint8_t *start = in->p;
    if (at(in, "true") || at(in, "false")) {
        bool v = *in->p == 't';
        in->p += v ? 4 : 5;
        return enc != NULL ? mm_cbor_put_bool(enc, v) : MM_OK;
    }
    if (at(in, "null")) {
        in->p += 4;
        return enc != NULL ? mm_cbor_put_null(enc) : MM_OK;
    }
    if (at(in, "undefined")) {
        in->p += 9;
        return enc != NULL ? mm_cbor_put_undefined(enc) : MM_OK;
    }
    if (at(in, "NaN") || at(in, "Infinity")) {
        bool nan = *in->p == 'N';
        in->p += nan ? 3 : 8;
        return enc != NULL ? mm_cbor_put_float(enc, nan ? __builtin_nan("") : __builtin_inf()) : MM_OK;
    }
    if (!at(in, "simple(")) {
        return fail(in, MM_ERR_SYNTAX, start);
    }
    in->p += 7;
    uint64_t v;
    bool is_2_64;
    if (skip_ws(in) != MM_OK || uint_digits(in, 10, &v, &is_2_64) != MM_OK || skip_ws(in) != MM_OK) {
        return in->err;
    }
    if (in->p == in->end || *in->p != ')') {
        return fail(in, MM_ERR_SYNTAX, in->p);
    }
    in->p++;
    if (v > 255 || (v >= 24 && v < 32)) {
        return fail(in, MM_ERR_CBOR_RANGE, start);
    }
    if (enc == NULL) {
        return MM_OK;
    }
    switch (v) {
    case 20:
    case 21:
        return mm_cbor_put_bool(enc, v == 21);
    case 22:
        return mm_cbor_put_null(enc);
    case 23:
        return mm_cbor_put_undefined(enc);
    default:
        return mm_cbor_put_simple(enc, (uint8_t)v);
    }
}

static mm_err item(edn_in *in, mm_cbor_enc *enc)
{
    if (skip_ws(in) != MM_OK) {
        return in->err;
    }
    if (in->p == in->end) {
        return fail(in, MM_ERR_SYNTAX, in->p);
    }
    const uint8_t *start = in->p;
    uint8_t c = *in->p;
    size_t open;
    if (c == '[' || c == '{') {
        (void)container(in, enc, (char)c);
    } else if (c == '<' && at(in, "<<")) {
        (void)container(in, enc, '<');
    } else if (piece_at(in, &open) != PIECE_NONE) {
        (void)strings(in, enc);
    } else if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
        (void)number(in, enc);
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        (void)word(in, enc);
    } else {
        return fail(in, MM_ERR_SYNTAX, start);
    }
    if (in->err == MM_OK && enc != NULL && enc->err != MM_OK) {
        return fail(in, enc->err, start);
    }
    return in->err;
}

mm_err mm_cbor_from_edn(mm_bytes text, unsigned flags, mm_buf *out, size_t *err_off)
{
    if (out == NULL || (text.ptr == NULL && text.len != 0) || (flags & ~MM_EDN_READ_SEQUENCE) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    static const uint8_t empty[1] = {0};
    edn_in in;
    in.p = text.ptr != NULL ? text.ptr : empty;
    in.end = in.p + text.len;
    in.err = MM_OK;
    in.err_at = in.p;
    in.depth = 0;
    const uint8_t *base = in.p;
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->ptr != NULL ? out->cap : 0);
    bool seq = (flags & MM_EDN_READ_SEQUENCE) != 0;
    size_t n = 0;
    for (;;) {
        if (skip_ws(&in) != MM_OK) {
            break;
        }
        if (in.p == in.end && (seq || n != 0)) {
            break;
        }
        if (n != 0) {
            if (!seq || *in.p != ',') {
                (void)fail(&in, MM_ERR_SYNTAX, in.p); /* text after the item */
                break;
            }
            in.p++;
        }
        if (item(&in, &enc) != MM_OK) {
            break;
        }
        n++;
    }
    size_t len = 0;
    mm_err e = mm_cbor_enc_finish(&enc, &len);
    out->len = len;
    if (in.err != MM_OK) {
        if (err_off != NULL) {
            *err_off = (size_t)(in.err_at - base);
        }
        return in.err;
    }
    return e;
}
