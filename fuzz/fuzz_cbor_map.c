/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the table-driven map decoder and the typed reads protocol
 * code is built from.
 *
 * Input layout: [mode] [n] [n path bytes] [CBOR...]. The mode picks decoder
 * flags and the nesting limit; the path is a program of typed calls
 * (enter, get, exit, peek, ...) run against the CBOR in that order. Any
 * sequence of calls on any input must end in an error or a result, never in
 * a crash, a read outside the input or a loop; errors must be sticky (a
 * failed decoder never changes again) and anything handed back must point
 * into the input. When a decode reads everything and succeeds, the input
 * must be well-formed by the checker's verdict too.
 */
#include <stddef.h>

#include "fuzz_common.h"
#include "mamori/cbor.h"

/*
 * The map table: int and text labels, every field kind.
 */
typedef struct record {
    uint64_t u;
    int64_t i;
    mm_bytes b;
    mm_bytes t;
    bool flag;
    mm_bytes raw;
    mm_bytes wrapped;
    unsigned custom;
} record;

/* Shared by the handlers through mm_cbor_map_opts.user. */
typedef struct map_ctx {
    mm_bytes in;
    unsigned flags;
    bool deep; /* the nesting limit is above the checker's default */
    const mm_cbor_field *fields;
    size_t n;
    unsigned level; /* maps decoded by the custom field, one inside another */
} map_ctx;

static mm_err custom_field(mm_cbor_dec *dec, void *dst, void *user);

#define AT(member) ((uint16_t)offsetof(record, member))

static const mm_cbor_field table[] = {
    {1, NULL, MM_CBOR_F_UINT, 0, AT(u), NULL},         {2, NULL, MM_CBOR_F_INT, 0, AT(i), NULL},
    {3, NULL, MM_CBOR_F_BSTR, 0, AT(b), NULL},         {4, NULL, MM_CBOR_F_TSTR, 0, AT(t), NULL},
    {-1, NULL, MM_CBOR_F_BOOL, 0, AT(flag), NULL},     {-2, NULL, MM_CBOR_F_RAW, 0, AT(raw), NULL},
    {0, "w", MM_CBOR_F_WRAPPED, 0, AT(wrapped), NULL}, {0, "c", MM_CBOR_F_CUSTOM, 0, AT(custom), custom_field},
    {-65536, NULL, MM_CBOR_F_UINT, 0, AT(u), NULL}, /* shares u with label 1 */
    {0, "", MM_CBOR_F_RAW, 0, AT(raw), NULL},
};
#define N_FIELDS (sizeof table / sizeof table[0])

/* Bytes each kind writes at its offset. */
static size_t kind_size(uint8_t kind)
{
    switch (kind) {
    case MM_CBOR_F_UINT:
        return sizeof(uint64_t);
    case MM_CBOR_F_INT:
        return sizeof(int64_t);
    case MM_CBOR_F_BOOL:
        return sizeof(bool);
    case MM_CBOR_F_CUSTOM:
        return sizeof(unsigned);
    default:
        return sizeof(mm_bytes);
    }
}

/* Fills a record with a pattern, so that a write to an absent field shows. */
static void record_init(record *r) { memset(r, 0x5a, sizeof *r); }

/* A record the engine reported as decoded: every present field holds a
 * sound value, every absent one is untouched. */
static void check_record(const map_ctx *ctx, const mm_cbor_field *fields, size_t n, const record *r, uint64_t present)
{
    record pristine;
    record_init(&pristine);
    FUZZ_REQUIRE(n == 64 || (present >> n) == 0);
    unsigned inner = ctx->flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_ALLOW_INDEF | MM_CBOR_CHECK_UTF8);
    for (size_t i = 0; i < n; i++) {
        const mm_cbor_field *f = &fields[i];
        const uint8_t *at = (const uint8_t *)r + f->offset;
        if ((present & ((uint64_t)1 << i)) == 0) {
            /* Another field may share the member (label -65536 and 1). */
            bool shared = false;
            for (size_t j = 0; j < n; j++) {
                shared |= j != i && fields[j].offset == f->offset && (present & ((uint64_t)1 << j)) != 0;
            }
            FUZZ_REQUIRE(shared || memcmp(at, (const uint8_t *)&pristine + f->offset, kind_size(f->kind)) == 0);
            continue;
        }
        mm_bytes v;
        switch (f->kind) {
        case MM_CBOR_F_BOOL: {
            uint8_t raw_bool;
            memcpy(&raw_bool, at, 1);
            FUZZ_REQUIRE(raw_bool <= 1);
            break;
        }
        case MM_CBOR_F_BSTR:
        case MM_CBOR_F_TSTR:
        case MM_CBOR_F_RAW:
        case MM_CBOR_F_WRAPPED:
            memcpy(&v, at, sizeof v);
            FUZZ_REQUIRE(fuzz_view_inside(v, ctx->in));
            if (f->kind == MM_CBOR_F_TSTR && (ctx->flags & MM_CBOR_CHECK_UTF8) != 0) {
                FUZZ_REQUIRE(fuzz_utf8_valid(v.ptr, v.len));
            }
            /* A value is well-formed on its own (the engine checks wrapped
             * content at the default limit, whatever the decoder's). */
            if (f->kind == MM_CBOR_F_WRAPPED || (f->kind == MM_CBOR_F_RAW && !ctx->deep)) {
                FUZZ_REQUIRE(mm_cbor_check(v, inner, NULL) == MM_OK);
            }
            break;
        default:
            break;
        }
    }
}

static mm_err unknown_field(mm_cbor_dec *dec, const mm_cbor_item *key, void *user)
{
    const map_ctx *ctx = user;
    FUZZ_REQUIRE(key->type == MM_CBOR_UINT || key->type == MM_CBOR_NINT || key->type == MM_CBOR_TSTR);
    if (key->type != MM_CBOR_TSTR) {
        return mm_cbor_skip(dec);
    }
    /* Capture text-labelled values, as an extension handler would. */
    mm_bytes raw;
    mm_err e = mm_cbor_get_raw(dec, &raw);
    if (e == MM_OK) {
        FUZZ_REQUIRE(fuzz_view_inside(raw, ctx->in) && raw.len != 0);
    }
    return e;
}

/* Decodes one map against ctx's table into a fresh record; *present (may
 * be NULL) gets the engine's presence bits. */
static mm_err decode_one(mm_cbor_dec *dec, map_ctx *ctx, bool with_opts, uint64_t *present_out)
{
    record r;
    record_init(&r);
    uint64_t present = UINT64_MAX;
    mm_cbor_map_opts opts = {unknown_field, ctx, 0};
    mm_err e = mm_cbor_decode_map(dec, ctx->fields, ctx->n, &r, &present, with_opts ? &opts : NULL);
    if (present_out != NULL) {
        *present_out = present;
    }
    if (e == MM_OK) {
        check_record(ctx, ctx->fields, ctx->n, &r, present);
    } else {
        FUZZ_REQUIRE(mm_cbor_dec_error(dec, NULL) == e);
        FUZZ_REQUIRE(!with_opts || opts.failed_field == SIZE_MAX || opts.failed_field < ctx->n);
    }
    return e;
}

/* Values of "c": maps are decoded with the same table, a few levels deep;
 * anything else is skipped (and everything when no options carry ctx). */
static mm_err custom_field(mm_cbor_dec *dec, void *dst, void *user)
{
    map_ctx *ctx = user;
    unsigned count;
    memcpy(&count, dst, sizeof count);
    count++;
    memcpy(dst, &count, sizeof count);
    mm_cbor_item next;
    if (ctx != NULL && ctx->level < 4 && mm_cbor_peek(dec, &next) == MM_OK && next.type == MM_CBOR_MAP) {
        ctx->level++;
        mm_err e = decode_one(dec, ctx, true, NULL);
        ctx->level--;
        return e;
    }
    return mm_cbor_skip(dec);
}

/* Decoder set-up chosen by the mode byte. */
typedef struct mode {
    unsigned flags;
    unsigned max_depth; /* 0: default */
    bool required;      /* field 0 (label 1) is required */
} mode;

static mode parse_mode(uint8_t m)
{
    static const unsigned flag_sets[4] = {0, MM_CBOR_ALLOW_INDEF, MM_CBOR_DETERMINISTIC,
                                          MM_CBOR_CHECK_UTF8 | MM_CBOR_ALLOW_INDEF};
    mode md;
    md.flags = flag_sets[m & 3u] | ((m & 8u) != 0 ? MM_CBOR_SEQUENCE : 0);
    md.required = (m & 4u) != 0;
    md.max_depth = (m >> 4) == 0 ? 0 : (unsigned)(m >> 4) * 2u + 2u;
    return md;
}

static void dec_start(mm_cbor_dec *dec, mm_bytes in, const mode *md)
{
    FUZZ_REQUIRE(mm_cbor_dec_init(dec, in, md->flags) == MM_OK);
    if (md->max_depth != 0) {
        FUZZ_REQUIRE(mm_cbor_dec_set_max_depth(dec, md->max_depth) == MM_OK);
    }
}

/* A decode that read everything without error saw a well-formed input. */
static void check_agrees(mm_bytes in, const mode *md, mm_err finished)
{
    if (finished == MM_OK && (md->max_depth == 0 || md->max_depth <= MM_CBOR_DEFAULT_NESTING)) {
        FUZZ_REQUIRE(mm_cbor_check(in, md->flags, NULL) == MM_OK);
    }
}

/*
 * A reference reading of the first map's labels, with the plain typed calls,
 * to hold the engine's verdicts against.
 */
#define REF_MAX_KEYS 64

typedef struct ref_label {
    bool is_text;
    int64_t num;
    mm_bytes text;
} ref_label;

typedef struct ref_map {
    bool read;        /* every key and value was read without error */
    bool dup;         /* some label appears twice */
    bool bad_key;     /* some key is neither an int64 nor a definite text string */
    size_t unknown;   /* labels not in the table */
    uint64_t present; /* table fields whose label appears */
} ref_map;

static bool ref_same(const ref_label *a, const ref_label *b)
{
    if (a->is_text != b->is_text) {
        return false;
    }
    return a->is_text ? mm_bytes_equal(a->text, b->text) : a->num == b->num;
}

static size_t ref_field(const ref_label *l, const mm_cbor_field *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (fields[i].text == NULL ? !l->is_text && fields[i].label == l->num
                                   : l->is_text && mm_bytes_equal(l->text, mm_bytes_from_cstr(fields[i].text))) {
            return i;
        }
    }
    return n;
}

/* Reads one key as a label; false for a key the engine must refuse. */
static bool ref_key(const mm_cbor_item *it, ref_label *l)
{
    l->is_text = it->type == MM_CBOR_TSTR;
    l->text = it->str;
    l->num = 0;
    if (l->is_text) {
        return (it->flags & MM_CBOR_ITEM_INDEF) == 0;
    }
    if ((it->type != MM_CBOR_UINT && it->type != MM_CBOR_NINT) || it->arg > (uint64_t)INT64_MAX) {
        return false;
    }
    l->num = it->type == MM_CBOR_UINT ? (int64_t)it->arg : -1 - (int64_t)it->arg;
    return true;
}

static ref_map ref_read(mm_bytes in, const mode *md, const mm_cbor_field *fields, size_t n)
{
    ref_map rm = {false, false, false, 0, 0};
    ref_label seen[REF_MAX_KEYS];
    size_t n_seen = 0;
    mm_cbor_dec dec;
    dec_start(&dec, in, md);
    if (mm_cbor_enter_map(&dec, NULL) != MM_OK) {
        return rm;
    }
    while (mm_cbor_more(&dec)) {
        mm_cbor_item key;
        if (mm_cbor_peek(&dec, &key) != MM_OK || n_seen == REF_MAX_KEYS) {
            return rm;
        }
        ref_label l;
        if (!ref_key(&key, &l)) {
            rm.bad_key = true;
            return rm; /* the engine stops here too */
        }
        for (size_t i = 0; i < n_seen; i++) {
            rm.dup |= ref_same(&seen[i], &l);
        }
        seen[n_seen++] = l;
        size_t idx = ref_field(&l, fields, n);
        if (idx < n) {
            rm.present |= (uint64_t)1 << idx;
        } else {
            rm.unknown++;
        }
        if (mm_cbor_skip(&dec) != MM_OK || mm_cbor_skip(&dec) != MM_OK) {
            return rm;
        }
    }
    rm.read = mm_cbor_exit(&dec) == MM_OK;
    return rm;
}

/* The engine's verdict on the first map against the reference reading.
 * variant 0: table and unknown handler, 1: no options, 2: empty table. */
static void check_verdict(const ref_map *rm, int variant, bool required, mm_err e, uint64_t present)
{
    size_t unknown_allowed = variant == 1 ? 0 : MM_CBOR_MAP_MAX_UNKNOWN;
    size_t unknown = rm->unknown;
    for (uint64_t bits = rm->present; variant == 2 && bits != 0; bits &= bits - 1) {
        unknown++; /* with no table, the fields' labels are unknown too */
    }
    if (rm->bad_key || (rm->read && (rm->dup || unknown > unknown_allowed))) {
        FUZZ_REQUIRE(e != MM_OK);
    }
    if (e == MM_OK) {
        FUZZ_REQUIRE(rm->read && !rm->dup && unknown <= unknown_allowed);
        FUZZ_REQUIRE(present == (variant == 2 ? 0 : rm->present));
        FUZZ_REQUIRE(!required || variant == 2 || (present & 1u) != 0);
    }
}

/* Decodes the input as maps (one, or each item of a sequence), checking the
 * first against the reference reading. */
static void run_maps(mm_bytes in, const mode *md, const mm_cbor_field *fields, int variant)
{
    mm_cbor_dec dec;
    dec_start(&dec, in, md);
    map_ctx ctx = {in, md->flags, md->max_depth > MM_CBOR_DEFAULT_NESTING, fields, variant == 2 ? 0 : N_FIELDS, 0};
    ref_map rm = ref_read(in, md, fields, N_FIELDS);
    size_t guard = 0;
    mm_err e;
    do {
        uint64_t present = 0;
        e = decode_one(&dec, &ctx, variant != 1, &present);
        if (guard == 0) {
            check_verdict(&rm, variant, md->required, e, present);
        }
        FUZZ_REQUIRE(++guard <= in.len + 1);
    } while (e == MM_OK && (md->flags & MM_CBOR_SEQUENCE) != 0 && mm_cbor_more(&dec));
    mm_err fin = mm_cbor_dec_finish(&dec);
    if (e != MM_OK) {
        FUZZ_REQUIRE(fin == e);
    }
    check_agrees(in, md, fin);
}

/*
 * The path: one byte per call. The low five bits choose the call (modulo
 * OP_COUNT), the high three a parameter (a range, a tag, a buffer size).
 */
enum op {
    OP_ENTER_ARRAY,
    OP_ENTER_MAP,
    OP_GET_INT,
    OP_GET_BSTR,
    OP_OPT_TAG,
    OP_ENTER_WRAPPED,
    OP_EXIT,
    OP_MORE,
    OP_PEEK,
    OP_SKIP,
    OP_GET_RAW,
    OP_GET_UINT,
    OP_GET_TSTR,
    OP_GET_BOOL,
    OP_GET_NULL,
    OP_GET_FLOAT,
    OP_GET_TAG,
    OP_GET_BIGINT,
    OP_GET_ITEM,
    OP_NEXT,
    OP_COPY,
    OP_DECODE_MAP,
    OP_FINISH,
    OP_COUNT
};

typedef struct path {
    mm_cbor_dec dec;
    mm_bytes in;
    map_ctx ctx;
    unsigned open; /* containers entered and not yet exited */
} path;

static void check_view(const path *p, mm_bytes v) { FUZZ_REQUIRE(fuzz_view_inside(v, p->in)); }

static void check_item(const path *p, const mm_cbor_item *it)
{
    FUZZ_REQUIRE(it->offset < p->in.len);
    if (it->type == MM_CBOR_BSTR || it->type == MM_CBOR_TSTR) {
        check_view(p, it->str);
    }
}

static mm_err op_get_int(path *p, unsigned param)
{
    static const int64_t ranges[8][2] = {
        {INT64_MIN, INT64_MAX}, {0, 23}, {-24, -1}, {-1, 1}, {INT64_MIN, -1}, {0, INT64_MAX}, {-1000, 1000}, {0, 0},
    };
    int64_t v;
    mm_err e = mm_cbor_get_int(&p->dec, ranges[param][0], ranges[param][1], &v);
    if (e == MM_OK) {
        FUZZ_REQUIRE(v >= ranges[param][0] && v <= ranges[param][1]);
    }
    return e;
}

static mm_err op_opt_tag(path *p, unsigned param)
{
    static const uint64_t tags[8] = {0, 1, 2, 3, 18, 24, 55799, UINT64_MAX};
    bool present = true;
    size_t before = mm_cbor_dec_offset(&p->dec);
    mm_err e = mm_cbor_opt_tag(&p->dec, tags[param], &present);
    /* An absent tag reads nothing. */
    if (e == MM_OK && !present) {
        FUZZ_REQUIRE(mm_cbor_dec_offset(&p->dec) == before);
    }
    return e;
}

static mm_err op_get_string(path *p, unsigned op)
{
    mm_bytes v = {NULL, 0};
    mm_err e;
    if (op == OP_ENTER_WRAPPED) {
        e = mm_cbor_enter_wrapped(&p->dec, &v);
    } else if (op == OP_GET_RAW) {
        e = mm_cbor_get_raw(&p->dec, &v);
    } else {
        e = op == OP_GET_BSTR ? mm_cbor_get_bstr(&p->dec, &v) : mm_cbor_get_tstr(&p->dec, &v);
    }
    if (e == MM_OK) {
        check_view(p, v);
        FUZZ_REQUIRE(op != OP_GET_RAW || v.len != 0);
    }
    return e;
}

static mm_err op_get_item(path *p, unsigned op)
{
    mm_cbor_item it;
    mm_err e = op == OP_NEXT ? mm_cbor_next(&p->dec, &it) : mm_cbor_get_item(&p->dec, &it);
    if (e == MM_OK) {
        check_item(p, &it);
    }
    return e;
}

static mm_err op_peek(path *p)
{
    mm_cbor_item it;
    mm_err e = mm_cbor_peek(&p->dec, &it);
    if (e == MM_OK) {
        check_item(p, &it);
    }
    return e;
}

static mm_err op_get_scalar(path *p, unsigned op)
{
    uint64_t u;
    bool b;
    double d;
    switch (op) {
    case OP_GET_UINT:
        return mm_cbor_get_uint(&p->dec, &u);
    case OP_GET_BOOL:
        return mm_cbor_get_bool(&p->dec, &b);
    case OP_GET_NULL:
        return mm_cbor_get_null(&p->dec);
    case OP_GET_FLOAT:
        return mm_cbor_get_float(&p->dec, &d);
    default:
        return mm_cbor_get_tag(&p->dec, &u);
    }
}

static mm_err op_get_bigint(path *p)
{
    uint8_t scratch[8];
    bool neg;
    mm_bytes mag = {NULL, 0};
    mm_err e = mm_cbor_get_bigint(&p->dec, &neg, scratch, &mag);
    if (e == MM_OK) {
        FUZZ_REQUIRE(mag.ptr == scratch ? mag.len == 8 : fuzz_view_inside(mag, p->in));
    }
    return e;
}

/* Copies the next item into a buffer of 8 * param bytes. */
static mm_err op_copy(path *p, unsigned param)
{
    size_t cap = 8u * param;
    uint8_t *buf = fuzz_alloc(cap);
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, cap);
    mm_err e = mm_cbor_copy(&p->dec, &enc);
    size_t len = 0;
    mm_err fin = mm_cbor_enc_finish(&enc, &len);
    if (e == MM_OK && fin == MM_OK) {
        FUZZ_REQUIRE(len <= cap);
        /* The copy may be as deep as the path's decoder allowed. */
        mm_cbor_dec check;
        FUZZ_REQUIRE(mm_cbor_dec_init(&check, mm_bytes_make(buf, len), 0) == MM_OK);
        FUZZ_REQUIRE(mm_cbor_dec_set_max_depth(&check, MM_CBOR_MAX_NESTING) == MM_OK);
        FUZZ_REQUIRE(mm_cbor_skip(&check) == MM_OK && mm_cbor_dec_finish(&check) == MM_OK);
    }
    free(buf);
    return e;
}

static mm_err op_enter(path *p, unsigned op)
{
    size_t count = 0;
    mm_err e = op == OP_ENTER_ARRAY ? mm_cbor_enter_array(&p->dec, &count) : mm_cbor_enter_map(&p->dec, &count);
    if (e == MM_OK && count != MM_CBOR_INDEF_COUNT) {
        FUZZ_REQUIRE(count <= p->in.len);
    }
    return e;
}

static mm_err run_call(path *p, unsigned op, unsigned param)
{
    switch (op) {
    case OP_ENTER_ARRAY:
    case OP_ENTER_MAP:
        return op_enter(p, op);
    case OP_GET_INT:
        return op_get_int(p, param);
    case OP_OPT_TAG:
        return op_opt_tag(p, param);
    case OP_GET_BSTR:
    case OP_GET_TSTR:
    case OP_ENTER_WRAPPED:
    case OP_GET_RAW:
        return op_get_string(p, op);
    case OP_EXIT:
        return mm_cbor_exit(&p->dec);
    case OP_MORE:
        (void)mm_cbor_more(&p->dec);
        return MM_OK;
    case OP_PEEK:
        return op_peek(p);
    case OP_SKIP:
        return mm_cbor_skip(&p->dec);
    case OP_GET_BIGINT:
        return op_get_bigint(p);
    case OP_GET_ITEM:
    case OP_NEXT:
        return op_get_item(p, op);
    case OP_COPY:
        return op_copy(p, param);
    case OP_DECODE_MAP:
        return decode_one(&p->dec, &p->ctx, (param & 1u) == 0, NULL);
    case OP_FINISH:
        return mm_cbor_dec_finish(&p->dec);
    default:
        return op_get_scalar(p, op);
    }
}

/* The decoder never points outside its input (judged through the public
 * calls only: the struct's fields are internal). */
static void check_dec(const path *p) { FUZZ_REQUIRE(mm_cbor_dec_offset(&p->dec) <= p->in.len); }

static void step_path(path *p, uint8_t byte)
{
    unsigned op = (byte & 31u) % OP_COUNT;
    unsigned param = byte >> 5;
    mm_cbor_dec before;
    memcpy(&before, &p->dec, sizeof before);
    size_t err_off_before = 0;
    mm_err err_before = mm_cbor_dec_error(&before, &err_off_before);
    size_t off_before = mm_cbor_dec_offset(&before);
    mm_err e = run_call(p, op, param);
    check_dec(p);
    if (e == MM_OK && (op == OP_ENTER_ARRAY || op == OP_ENTER_MAP || op == OP_ENTER_WRAPPED)) {
        p->open++;
    } else if (e == MM_OK && op == OP_EXIT) {
        FUZZ_REQUIRE(p->open != 0); /* nothing to leave: must have failed */
        p->open--;
    }
    size_t err_off = 0;
    mm_err err = mm_cbor_dec_error(&p->dec, &err_off);
    if (err_before != MM_OK) {
        /* Sticky: a failed decoder neither moves nor forgets. */
        FUZZ_REQUIRE(err == err_before && err_off == err_off_before);
        FUZZ_REQUIRE(mm_cbor_dec_offset(&p->dec) == off_before);
        FUZZ_REQUIRE(op == OP_MORE || e == err_before);
        return;
    }
    if (op == OP_PEEK) {
        /* Documented not to move; a malformed head is recorded as reading
         * it would record it, the end of a container is not. */
        FUZZ_REQUIRE(mm_cbor_dec_offset(&p->dec) == off_before);
        if (e == MM_OK || e == MM_ERR_CBOR_NO_ITEM) {
            FUZZ_REQUIRE(memcmp(&before, &p->dec, sizeof before) == 0);
        } else {
            FUZZ_REQUIRE(err == e && err_off == off_before);
        }
        return;
    }
    if (op == OP_MORE) {
        FUZZ_REQUIRE(err == MM_OK && mm_cbor_dec_offset(&p->dec) == off_before);
        return;
    }
    /* Errors of the typed calls are recorded; the walk's end-of-container
     * signal is not; the copy may fail in the encoder alone. */
    if (e != MM_OK && op != OP_COPY && !(op == OP_NEXT && e == MM_ERR_CBOR_NO_ITEM)) {
        FUZZ_REQUIRE(err == e);
    }
    if (err != MM_OK) {
        FUZZ_REQUIRE(err_off <= p->in.len);
    }
}

static void run_path(mm_bytes in, const mode *md, const mm_cbor_field *fields, const uint8_t *prog, size_t n)
{
    path p;
    dec_start(&p.dec, in, md);
    p.in = in;
    p.open = 0;
    map_ctx ctx = {in, md->flags, md->max_depth > MM_CBOR_DEFAULT_NESTING, fields, N_FIELDS, 0};
    p.ctx = ctx;
    for (size_t i = 0; i < n; i++) {
        step_path(&p, prog[i]);
    }
    /* Close what the path opened and read the rest, as a caller giving up
     * on the details would, then finish. */
    while (p.open != 0 && mm_cbor_exit(&p.dec) == MM_OK) {
        check_dec(&p);
        p.open--;
    }
    for (size_t guard = 0; mm_cbor_more(&p.dec); guard++) {
        FUZZ_REQUIRE(guard <= in.len);
        (void)mm_cbor_skip(&p.dec);
        check_dec(&p);
    }
    check_agrees(in, md, mm_cbor_dec_finish(&p.dec));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t m = size > 0 ? data[0] : 0;
    size_t n = size > 1 ? data[1] % 33u : 0;
    size_t head = 2 + n;
    if (size < head) {
        return 0;
    }
    mode md = parse_mode(m);
    /* Separate exact-size blocks: a read past the CBOR's end or before its
     * start lands outside them. */
    uint8_t *prog = fuzz_dup(data + 2, n);
    uint8_t *cbor = fuzz_dup(data + head, size - head);
    mm_bytes in = mm_bytes_make(cbor, size - head);

    mm_cbor_field fields[N_FIELDS];
    memcpy(fields, table, sizeof fields);
    if (md.required) {
        fields[0].flags = MM_CBOR_F_REQUIRED;
    }
    for (int variant = 0; variant < 3; variant++) {
        run_maps(in, &md, fields, variant);
    }
    run_path(in, &md, fields, prog, n);
    free(prog);
    free(cbor);
    return 0;
}
