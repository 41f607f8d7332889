/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the CBOR decoder, the re-encoder and the EDN printer.
 *
 * The input is one CBOR item (or a sequence). Beyond "no crash", the target
 * checks that the library's several readers agree with one another: the
 * checker, the item walk, the raw-bytes reader and the EDN printer accept
 * exactly the same inputs under the same flags; stricter flags accept a
 * subset of what looser ones accept; text validation matches an independent
 * UTF-8 check; and re-encoding is exact for deterministic input, canonical
 * and idempotent for any other, with the size-only dry run predicting the
 * real output size.
 */
#include "fuzz_common.h"
#include "mamori/cbor.h"

#define F_INDEF MM_CBOR_ALLOW_INDEF
#define F_DET   MM_CBOR_DETERMINISTIC
#define F_UTF8  MM_CBOR_CHECK_UTF8
#define F_SEQ   MM_CBOR_SEQUENCE

/* The flag sets every input is read under. */
enum { FS_PLAIN, FS_INDEF, FS_DET, FS_UTF8, FS_SEQ, FS_COUNT };
static const unsigned flag_sets[FS_COUNT] = {0, F_INDEF, F_DET, F_UTF8 | F_INDEF, F_SEQ | F_INDEF};

/* What a walk learnt besides its verdict. */
typedef struct walk_info {
    bool text_valid; /* every text string (and chunk) is valid UTF-8 */
} walk_info;

static void check_item(const mm_cbor_item *it, mm_bytes in, unsigned flags, walk_info *wi)
{
    FUZZ_REQUIRE(it->offset < in.len);
    FUZZ_REQUIRE(it->depth <= MM_CBOR_DEFAULT_NESTING);
    FUZZ_REQUIRE((it->type == MM_CBOR_FLOAT) == (it->float_size != 0));
    FUZZ_REQUIRE(it->float_size == 0 || it->float_size == 2 || it->float_size == 4 || it->float_size == 8);
    if (it->type == MM_CBOR_SIMPLE) {
        FUZZ_REQUIRE(it->arg < 20 || (it->arg >= 32 && it->arg <= 255));
    }
    if ((it->flags & MM_CBOR_ITEM_INDEF) != 0) {
        FUZZ_REQUIRE((flags & F_INDEF) != 0);
        FUZZ_REQUIRE(it->type == MM_CBOR_BSTR || it->type == MM_CBOR_TSTR || it->type == MM_CBOR_ARRAY ||
                     it->type == MM_CBOR_MAP);
    }
    if (it->type != MM_CBOR_BSTR && it->type != MM_CBOR_TSTR) {
        return;
    }
    FUZZ_REQUIRE(fuzz_view_inside(it->str, in));
    if ((it->flags & MM_CBOR_ITEM_INDEF) == 0) {
        FUZZ_REQUIRE(it->str.len == it->arg);
        if (it->type == MM_CBOR_TSTR && !fuzz_utf8_valid(it->str.ptr, it->str.len)) {
            wi->text_valid = false;
        }
        return;
    }
    /* The chunk area must split exactly into chunks that lie inside it. */
    mm_bytes area = it->str;
    mm_bytes chunk;
    size_t used = 0;
    while (mm_cbor_chunk_next(&area, &chunk)) {
        FUZZ_REQUIRE(fuzz_view_inside(chunk, it->str));
        used = (size_t)(chunk.ptr + chunk.len - it->str.ptr);
        if (it->type == MM_CBOR_TSTR && !fuzz_utf8_valid(chunk.ptr, chunk.len)) {
            wi->text_valid = false;
        }
    }
    FUZZ_REQUIRE(used == it->str.len);
}

/* Reads every item with mm_cbor_next(), checking each, then finishes. */
static mm_err walk(mm_bytes in, unsigned flags, walk_info *wi, size_t *err_off)
{
    mm_cbor_dec dec;
    mm_cbor_item it;
    wi->text_valid = true;
    mm_err e = mm_cbor_dec_init(&dec, in, flags);
    size_t steps = 0;
    uint32_t prev_off = 0;
    while (e == MM_OK) {
        e = mm_cbor_next(&dec, &it);
        FUZZ_REQUIRE(mm_cbor_dec_offset(&dec) <= in.len);
        if (e != MM_OK) {
            break;
        }
        /* Every item takes at least one byte, so a walk cannot take more
         * steps than there are bytes. */
        FUZZ_REQUIRE(++steps <= in.len);
        FUZZ_REQUIRE(steps == 1 || it.offset > prev_off);
        prev_off = it.offset;
        check_item(&it, in, flags, wi);
    }
    if (e == MM_ERR_CBOR_NO_ITEM) {
        e = mm_cbor_dec_finish(&dec);
    }
    *err_off = 0;
    if (e != MM_OK) {
        FUZZ_REQUIRE(mm_cbor_dec_error(&dec, err_off) == e);
        FUZZ_REQUIRE(*err_off <= in.len);
    }
    return e;
}

static bool is_det_rule(mm_err e)
{
    return e == MM_ERR_CBOR_NOT_SHORTEST || e == MM_ERR_CBOR_UNSORTED || e == MM_ERR_CBOR_DUP_KEY ||
           e == MM_ERR_CBOR_FLOAT_FORM || e == MM_ERR_CBOR_BIGNUM_FORM;
}

/* Stricter flags accept a subset of what looser ones accept, and refuse
 * the rest for the reason the flag adds. (The flag sets also take the
 * decoder's fast and slow paths, so this compares the two.) */
static void check_flag_order(const mm_err *chk, const walk_info *wi)
{
    if (chk[FS_DET] == MM_OK) {
        FUZZ_REQUIRE(chk[FS_PLAIN] == MM_OK);
    } else if (chk[FS_PLAIN] == MM_OK) {
        FUZZ_REQUIRE(is_det_rule(chk[FS_DET]));
    }
    if (chk[FS_PLAIN] == MM_OK) {
        FUZZ_REQUIRE(chk[FS_INDEF] == MM_OK);
    } else if (chk[FS_INDEF] == MM_OK) {
        FUZZ_REQUIRE(chk[FS_PLAIN] == MM_ERR_CBOR_INDEF);
    }
    if (chk[FS_SEQ] == MM_OK && chk[FS_INDEF] != MM_OK) {
        /* A sequence differs from one item only in how many there are. */
        FUZZ_REQUIRE(chk[FS_INDEF] == MM_ERR_CBOR_TRAILING || chk[FS_INDEF] == MM_ERR_CBOR_NO_ITEM);
    }
    if (chk[FS_INDEF] == MM_OK) {
        FUZZ_REQUIRE(chk[FS_SEQ] == MM_OK);
        FUZZ_REQUIRE(chk[FS_UTF8] == MM_OK || chk[FS_UTF8] == MM_ERR_CBOR_BAD_UTF8);
        /* UTF-8 checking refuses exactly the inputs with invalid text. */
        FUZZ_REQUIRE((chk[FS_UTF8] == MM_OK) == wi[FS_INDEF].text_valid);
    } else {
        FUZZ_REQUIRE(chk[FS_UTF8] != MM_OK);
    }
}

/*
 * Re-encodes the top-level item with a buffer of cap bytes (NULL: dry run).
 * Returns the encoder's verdict; *len gets the length written or needed.
 */
static mm_err copy_into(mm_bytes in, unsigned flags, uint8_t *buf, size_t cap, size_t *len)
{
    mm_cbor_dec dec;
    mm_cbor_enc enc;
    FUZZ_REQUIRE(mm_cbor_dec_init(&dec, in, flags) == MM_OK);
    mm_cbor_enc_init(&enc, buf, cap);
    mm_err e = mm_cbor_copy(&dec, &enc);
    mm_err fin = mm_cbor_enc_finish(&enc, len);
    if (e != MM_OK) {
        return e;
    }
    /* The copy consumed the one item the checker accepted. */
    FUZZ_REQUIRE(mm_cbor_dec_finish(&dec) == MM_OK);
    return fin;
}

/* Deterministic encoding of in (which passed the check under flags) in a
 * fresh exact-size block; *out_len gets its length. NULL when the copy was
 * refused for a duplicate key (legal in well-formed CBOR, impossible in a
 * deterministic encoding). */
static uint8_t *copy_checked(mm_bytes in, unsigned flags, size_t *out_len)
{
    size_t need = 0;
    mm_err dry = copy_into(in, flags, NULL, 0, &need);
    /* A dry run cannot sort, so it never sees duplicate keys. */
    FUZZ_REQUIRE(dry == MM_ERR_BUFFER_TOO_SMALL);
    FUZZ_REQUIRE(need != 0);

    uint8_t *out = fuzz_alloc(need);
    size_t len = 0;
    mm_err e = copy_into(in, flags, out, need, &len);
    if (e == MM_ERR_CBOR_DUP_KEY) {
        FUZZ_REQUIRE((flags & F_DET) == 0);
        free(out);
        return NULL;
    }
    FUZZ_REQUIRE(e == MM_OK);
    FUZZ_REQUIRE(len == need);

    /* Any smaller buffer: refused with the same need, nothing written past
     * it (the block is exact, so ASan watches its end). */
    size_t cap = in.len != 0 ? in.ptr[in.len - 1] % need : 0;
    uint8_t *small = fuzz_alloc(cap);
    size_t small_len = 0;
    e = copy_into(in, flags, small, cap, &small_len);
    FUZZ_REQUIRE(e == MM_ERR_BUFFER_TOO_SMALL || e == MM_ERR_CBOR_DUP_KEY);
    if (e == MM_ERR_BUFFER_TOO_SMALL) {
        FUZZ_REQUIRE(small_len == need);
    }
    free(small);
    *out_len = len;
    return out;
}

static void check_round_trip(mm_bytes in, unsigned flags, bool deterministic)
{
    size_t len = 0;
    uint8_t *out = copy_checked(in, flags, &len);
    if (out == NULL) {
        FUZZ_REQUIRE(!deterministic);
        return;
    }
    mm_bytes o = mm_bytes_make(out, len);
    if (deterministic) {
        FUZZ_REQUIRE(mm_bytes_equal(o, in));
    } else {
        FUZZ_REQUIRE(mm_cbor_check(o, F_DET, NULL) == MM_OK);
        /* Copying canonical output changes nothing. */
        size_t len2 = 0;
        uint8_t *again = copy_checked(o, F_DET, &len2);
        FUZZ_REQUIRE(again != NULL);
        FUZZ_REQUIRE(mm_bytes_equal(mm_bytes_make(again, len2), o));
        free(again);
    }
    free(out);
}

/* mm_cbor_get_raw() hands back the items themselves: together, the input. */
static void check_raw(mm_bytes in, unsigned flags)
{
    mm_cbor_dec dec;
    FUZZ_REQUIRE(mm_cbor_dec_init(&dec, in, flags) == MM_OK);
    const uint8_t *next = in.ptr;
    size_t n = 0;
    /* An empty sequence is well-formed and has no item to read. */
    bool more = (flags & F_SEQ) == 0 || in.len != 0;
    while (more) {
        mm_bytes raw;
        FUZZ_REQUIRE(mm_cbor_get_raw(&dec, &raw) == MM_OK);
        FUZZ_REQUIRE(raw.ptr == next && raw.len != 0);
        FUZZ_REQUIRE(fuzz_view_inside(raw, in));
        next = raw.ptr + raw.len;
        FUZZ_REQUIRE(++n <= in.len);
        more = (flags & F_SEQ) != 0 && mm_cbor_more(&dec);
    }
    FUZZ_REQUIRE(next == in.ptr + in.len);
    FUZZ_REQUIRE(mm_cbor_dec_finish(&dec) == MM_OK);
}

/* EDN output is printable: valid UTF-8, no control characters but the
 * newlines of indented output. */
static void check_edn_text(const uint8_t *p, size_t n, bool indent)
{
    FUZZ_REQUIRE(fuzz_utf8_valid(p, n));
    for (size_t i = 0; i < n; i++) {
        FUZZ_REQUIRE(p[i] >= 0x20 || (indent && p[i] == '\n'));
        FUZZ_REQUIRE(p[i] != 0x7f);
    }
}

/* A writer that fails once more than limit bytes have been offered. */
typedef struct limited_writer {
    size_t seen;
    size_t limit;
} limited_writer;

static mm_err write_limited(void *user, const char *text, size_t len)
{
    limited_writer *w = user;
    (void)text;
    w->seen += len;
    return w->seen > w->limit ? MM_ERR_PLATFORM : MM_OK;
}

/* The printer accepts what the walk accepts, and its size-only pass
 * predicts the real output exactly. */
static void check_edn(mm_bytes in, unsigned dec_flags, unsigned edn_flags, mm_err walked)
{
    mm_edn_opts opts = {edn_flags, dec_flags, 0, 0};
    if (in.len != 0) {
        opts.indent = in.ptr[0] & 7u; /* 0 means the default */
    }
    mm_buf dry = {NULL, 0, 0};
    size_t off = 0;
    mm_err e = mm_cbor_edn_buf(in, &opts, &dry, &off);
    if (e == MM_ERR_BUFFER_TOO_SMALL) {
        FUZZ_REQUIRE(dry.len != 0);
        e = MM_OK;
    }
    FUZZ_REQUIRE((e == MM_OK) == (walked == MM_OK));
    if (e != MM_OK) {
        FUZZ_REQUIRE(off <= in.len);
        return;
    }
    mm_buf out = {fuzz_alloc(dry.len), dry.len, 0};
    FUZZ_REQUIRE(mm_cbor_edn_buf(in, &opts, &out, &off) == MM_OK);
    FUZZ_REQUIRE(out.len == dry.len);
    check_edn_text(out.ptr, out.len, (edn_flags & MM_EDN_INDENT) != 0);
    free(out.ptr);

    /* A writer failing part way stops the printer with an error. */
    if (dry.len > 1) {
        limited_writer w = {0, dry.len / 2};
        FUZZ_REQUIRE(mm_cbor_edn(in, &opts, write_limited, &w, &off) != MM_OK);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = fuzz_dup(data, size);
    mm_bytes in = mm_bytes_make(copy, size);
    mm_err chk[FS_COUNT];
    mm_err walked[FS_COUNT];
    walk_info wi[FS_COUNT];

    for (int i = 0; i < FS_COUNT; i++) {
        size_t chk_off = 0;
        size_t walk_off = 0;
        chk[i] = mm_cbor_check(in, flag_sets[i], &chk_off);
        walked[i] = walk(in, flag_sets[i], &wi[i], &walk_off);
        /* Same reader underneath: same verdict, same place. */
        FUZZ_REQUIRE(walked[i] == chk[i]);
        if (chk[i] != MM_OK) {
            FUZZ_REQUIRE(chk_off == walk_off);
        }
    }
    check_flag_order(chk, wi);

    for (int i = 0; i < FS_COUNT; i++) {
        unsigned flags = flag_sets[i];
        if (chk[i] == MM_OK) {
            check_raw(in, flags);
            if ((flags & F_SEQ) == 0) {
                check_round_trip(in, flags, chk[FS_DET] == MM_OK);
            }
        }
        check_edn(in, flags, 0, walked[i]);
        check_edn(in, flags, MM_EDN_INDENT | MM_EDN_NESTED, walked[i]);
    }
    free(copy);
    return 0;
}
