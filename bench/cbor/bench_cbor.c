/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_cbor: decode-and-walk throughput of the mamori CBOR decoder, measured
 * against libcbor's streaming decoder in the same run on the same bytes.
 *
 * The documents are built at start-up with our own encoder, in the shapes a
 * device and the services actually parse: a SUIT envelope, a COSE_Sign1 with a
 * 1 KiB payload, a large array of small integers and deeply nested maps. A
 * walk visits every item in document order and folds each value into a
 * checksum, so neither side can skip work; before anything is timed, both
 * walks must agree on the item count and the checksum of every document, or
 * the benchmark fails (exit 1). Speed never makes it fail.
 *
 * Byte strings that hold CBOR (SUIT's and COSE's "bstr .cbor") are opaque to a
 * generic walker. A SUIT processor or COSE verifier opens them, so for those
 * documents one pass walks the outer item and then the content of every
 * wrapped byte string, each as its own item, on both sides alike.
 *
 * Each measurement runs a fixed number of passes, calibrated to take about
 * MEASURE_SECONDS, and is repeated RUNS times; the best run counts, because on
 * a shared machine noise only ever makes a run slower.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mamori/cbor.h"
#include "bench_common.h"

/* libcbor's headers are not written for our warning set. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wcast-qual"
#include <cbor.h>
#pragma GCC diagnostic pop

#ifndef MM_BENCH_BUILD_TYPE
#define MM_BENCH_BUILD_TYPE "unknown"
#endif

#define MEASURE_SECONDS 0.3
#define RUNS            5

#define MAX_SEGS     16
#define MAX_DOCS     4
#define SCRATCH_SIZE (1u << 20)
#define TARGET_RATIO 2.0

/*
 * Documents.
 */

typedef struct doc {
    const char *name;
    mm_bytes whole; /* the document as it travels; segs[0] views it */
    /* What one pass walks: the document, then the content of each wrapped
     * byte string (each a separate heap copy, owned here). */
    mm_bytes segs[MAX_SEGS];
    size_t nsegs;
} doc;

static uint8_t *dup_bytes(mm_bytes b)
{
    uint8_t *p = malloc(b.len != 0 ? b.len : 1);
    if (p == NULL) {
        bench_die("out of memory");
    }
    if (b.len != 0) {
        memcpy(p, b.ptr, b.len);
    }
    return p;
}

static void add_seg(doc *d, mm_bytes content)
{
    if (d->nsegs >= MAX_SEGS) {
        bench_die("%s: more than %d segments", d->name, MAX_SEGS);
    }
    d->segs[d->nsegs++] = mm_bytes_make(dup_bytes(content), content.len);
}

static void free_doc(doc *d)
{
    for (size_t i = 0; i < d->nsegs; i++) {
        free((void *)(uintptr_t)d->segs[i].ptr);
    }
    d->nsegs = 0;
}

/* An encoder that remembers what each wrapped byte string holds. Segment 0 is
 * reserved for the whole document, filled in by builder_finish(). */
typedef struct builder {
    mm_cbor_enc enc;
    doc *d;
} builder;

static void builder_init(builder *b, doc *d, const char *name, uint8_t *scratch)
{
    memset(d, 0, sizeof *d);
    d->name = name;
    d->nsegs = 1;
    b->d = d;
    mm_cbor_enc_init(&b->enc, scratch, SCRATCH_SIZE);
}

/* The content is copied now: closing an enclosing container may still move
 * it inside the scratch buffer. */
static void close_wrap(builder *b)
{
    mm_bytes content;
    if (mm_cbor_close(&b->enc, &content) != MM_OK) {
        bench_die("%s: encoding failed: %s", b->d->name, mm_strerror(b->enc.err));
    }
    add_seg(b->d, content);
}

static void builder_finish(builder *b)
{
    size_t len;
    mm_err e = mm_cbor_enc_finish(&b->enc, &len);
    if (e != MM_OK) {
        bench_die("%s: encoding failed: %s", b->d->name, mm_strerror(e));
    }
    b->d->segs[0] = mm_bytes_make(dup_bytes(mm_bytes_make(b->enc.buf, len)), len);
    b->d->whole = b->d->segs[0];
}

/* SUIT_Digest: [sha-256, h'32 bytes'], bstr-wrapped. */
static void put_wrapped_digest(builder *b, const uint8_t digest[32])
{
    mm_cbor_open_wrap(&b->enc);
    mm_cbor_put_array(&b->enc, 2);
    mm_cbor_put_int(&b->enc, -16);
    mm_cbor_put_bstr(&b->enc, mm_bytes_make(digest, 32));
    close_wrap(b);
}

/* Command sequence entry: a condition or directive with a reporting policy. */
static void put_command(mm_cbor_enc *e, uint64_t command, uint64_t policy)
{
    mm_cbor_put_uint(e, command);
    mm_cbor_put_uint(e, policy);
}

/* A SUIT envelope as draft-ietf-suit-manifest lays it out: an authentication
 * wrapper (digest of the manifest and a COSE_Sign1 over it, payload detached)
 * and the manifest, with every severable part bstr-wrapped. */
static void build_suit(doc *d, uint8_t *scratch, bench_rng *r)
{
    uint8_t manifest_digest[32], signature[64], vendor_id[16], class_id[16], image_digest[32];
    bench_rng_fill(r, manifest_digest, sizeof manifest_digest);
    bench_rng_fill(r, signature, sizeof signature);
    bench_rng_fill(r, vendor_id, sizeof vendor_id);
    bench_rng_fill(r, class_id, sizeof class_id);
    bench_rng_fill(r, image_digest, sizeof image_digest);
    static const uint8_t component_id[1] = {0x00};
    enum { REP_ALL = 15 }; /* record on success and failure, send both */

    builder b;
    builder_init(&b, d, "suit-envelope", scratch);
    mm_cbor_enc *e = &b.enc;
    mm_cbor_put_tag(e, 107);
    mm_cbor_open_map(e);

    mm_cbor_put_uint(e, 2); /* suit-authentication-wrapper */
    mm_cbor_open_wrap(e);
    mm_cbor_put_array(e, 2);
    put_wrapped_digest(&b, manifest_digest);
    mm_cbor_open_wrap(e);
    mm_cbor_put_tag(e, 18); /* COSE_Sign1 */
    mm_cbor_put_array(e, 4);
    mm_cbor_open_wrap(e);
    mm_cbor_put_map(e, 1);
    mm_cbor_put_uint(e, 1); /* alg: ES256 */
    mm_cbor_put_int(e, -7);
    close_wrap(&b);
    mm_cbor_put_map(e, 0);
    mm_cbor_put_null(e); /* detached: the payload is the manifest digest */
    mm_cbor_put_bstr(e, mm_bytes_make(signature, sizeof signature));
    close_wrap(&b);
    close_wrap(&b);

    mm_cbor_put_uint(e, 3); /* suit-manifest */
    mm_cbor_open_wrap(e);
    mm_cbor_open_map(e);
    mm_cbor_put_uint(e, 1); /* suit-manifest-version */
    mm_cbor_put_uint(e, 1);
    mm_cbor_put_uint(e, 2); /* suit-manifest-sequence-number */
    mm_cbor_put_uint(e, 1717171717);

    mm_cbor_put_uint(e, 3); /* suit-common */
    mm_cbor_open_wrap(e);
    mm_cbor_open_map(e);
    mm_cbor_put_uint(e, 2); /* suit-components: [[h'00']] */
    mm_cbor_put_array(e, 1);
    mm_cbor_put_array(e, 1);
    mm_cbor_put_bstr(e, mm_bytes_make(component_id, sizeof component_id));
    mm_cbor_put_uint(e, 4); /* suit-shared-sequence */
    mm_cbor_open_wrap(e);
    mm_cbor_open_array(e);
    mm_cbor_put_uint(e, 20); /* suit-directive-override-parameters */
    mm_cbor_open_map(e);
    mm_cbor_put_uint(e, 1); /* vendor-identifier */
    mm_cbor_put_bstr(e, mm_bytes_make(vendor_id, sizeof vendor_id));
    mm_cbor_put_uint(e, 2); /* class-identifier */
    mm_cbor_put_bstr(e, mm_bytes_make(class_id, sizeof class_id));
    mm_cbor_put_uint(e, 3); /* image-digest */
    put_wrapped_digest(&b, image_digest);
    mm_cbor_put_uint(e, 14); /* image-size */
    mm_cbor_put_uint(e, 34768);
    mm_cbor_close(e, NULL);
    put_command(e, 1, REP_ALL); /* suit-condition-vendor-identifier */
    put_command(e, 2, REP_ALL); /* suit-condition-class-identifier */
    mm_cbor_close(e, NULL);
    close_wrap(&b);
    mm_cbor_close(e, NULL);
    close_wrap(&b);

    mm_cbor_put_uint(e, 7); /* suit-validate */
    mm_cbor_open_wrap(e);
    mm_cbor_put_array(e, 2);
    put_command(e, 3, REP_ALL); /* suit-condition-image-match */
    close_wrap(&b);

    mm_cbor_put_uint(e, 9); /* suit-invoke */
    mm_cbor_open_wrap(e);
    mm_cbor_put_array(e, 2);
    put_command(e, 23, REP_ALL); /* suit-directive-invoke */
    close_wrap(&b);

    mm_cbor_put_uint(e, 20); /* suit-install */
    mm_cbor_open_wrap(e);
    mm_cbor_open_array(e);
    mm_cbor_put_uint(e, 20); /* suit-directive-override-parameters */
    mm_cbor_put_map(e, 1);
    mm_cbor_put_uint(e, 21); /* uri */
    mm_cbor_put_cstr(e, "https://firmware.example.com/acme/sensor-v2/2.3.1/image.bin");
    put_command(e, 21, REP_ALL); /* suit-directive-fetch */
    put_command(e, 3, REP_ALL);  /* suit-condition-image-match */
    mm_cbor_close(e, NULL);
    close_wrap(&b);

    mm_cbor_close(e, NULL); /* the manifest map */
    close_wrap(&b);
    mm_cbor_close(e, NULL); /* the envelope map */
    builder_finish(&b);
}

/* COSE_Sign1 (tag 18) over an opaque 1 KiB payload. */
static void build_cose(doc *d, uint8_t *scratch, bench_rng *r)
{
    uint8_t payload[1024], signature[64], kid[8];
    bench_rng_fill(r, payload, sizeof payload);
    bench_rng_fill(r, signature, sizeof signature);
    bench_rng_fill(r, kid, sizeof kid);

    builder b;
    builder_init(&b, d, "cose-sign1-1k", scratch);
    mm_cbor_enc *e = &b.enc;
    mm_cbor_put_tag(e, 18);
    mm_cbor_put_array(e, 4);
    mm_cbor_open_wrap(e);
    mm_cbor_put_map(e, 2);
    mm_cbor_put_uint(e, 1); /* alg: ES256 */
    mm_cbor_put_int(e, -7);
    mm_cbor_put_uint(e, 3); /* content type */
    mm_cbor_put_cstr(e, "application/octet-stream");
    close_wrap(&b);
    mm_cbor_put_map(e, 1);
    mm_cbor_put_uint(e, 4); /* kid */
    mm_cbor_put_bstr(e, mm_bytes_make(kid, sizeof kid));
    mm_cbor_put_bstr(e, mm_bytes_make(payload, sizeof payload));
    mm_cbor_put_bstr(e, mm_bytes_make(signature, sizeof signature));
    builder_finish(&b);
}

/* 100,000 small ints: most fit the initial byte, some need one or two more
 * bytes (up to 1000), as in sensor logs and index lists. */
static void build_ints(doc *d, uint8_t *scratch, bench_rng *r)
{
    enum { COUNT = 100000 };
    builder b;
    builder_init(&b, d, "int-array-100k", scratch);
    mm_cbor_enc *e = &b.enc;
    mm_cbor_put_array(e, COUNT);
    for (unsigned i = 0; i < COUNT; i++) {
        uint64_t x = bench_rng_next(r);
        mm_cbor_put_uint(e, (x & 7) != 0 ? (x >> 8) % 24 : (x >> 8) % 1001);
    }
    builder_finish(&b);
}

/* One map per level, several text keys each, values of every scalar kind, and
 * "child" holding the next level (null at the bottom). Recursion is bounded
 * by `levels`. */
static void put_nested_map(mm_cbor_enc *e, unsigned copy, unsigned level, unsigned levels)
{
    uint8_t raw[8];
    for (size_t i = 0; i < sizeof raw; i++) {
        raw[i] = (uint8_t)(copy * 31u + level * 7u + i);
    }
    char name[32];
    snprintf(name, sizeof name, "sensor-%u-%u", copy, level);
    /* Each float width appears: halves, singles and doubles. */
    static const double scales[3] = {0.5, 1048576.25, 3.141592653589793};

    mm_cbor_open_map(e);
    mm_cbor_put_cstr(e, "id");
    mm_cbor_put_uint(e, copy * 1000u + level);
    mm_cbor_put_cstr(e, "name");
    mm_cbor_put_cstr(e, name);
    mm_cbor_put_cstr(e, "enabled");
    mm_cbor_put_bool(e, (copy + level) % 2 == 0);
    mm_cbor_put_cstr(e, "offset");
    mm_cbor_put_int(e, -(int64_t)(level * 100u + copy));
    mm_cbor_put_cstr(e, "scale");
    mm_cbor_put_float(e, scales[(copy + level) % 3] * (double)(level + 1));
    mm_cbor_put_cstr(e, "raw");
    mm_cbor_put_bstr(e, mm_bytes_make(raw, sizeof raw));
    mm_cbor_put_cstr(e, "child");
    if (level + 1 < levels) {
        put_nested_map(e, copy, level + 1, levels);
    } else {
        mm_cbor_put_null(e);
    }
    mm_cbor_close(e, NULL);
}

static void build_nested(doc *d, uint8_t *scratch)
{
    enum { COPIES = 8, LEVELS = 8 };
    builder b;
    builder_init(&b, d, "nested-maps-d8", scratch);
    mm_cbor_put_array(&b.enc, COPIES);
    for (unsigned c = 0; c < COPIES; c++) {
        put_nested_map(&b.enc, c, 0, LEVELS);
    }
    builder_finish(&b);
}

/*
 * The two walks. Both fold the same function of each item into a tally; the
 * per-kind constants make a type confusion show up in the checksum.
 */

typedef struct tally {
    uint64_t items;
    uint64_t sum;
    unsigned odd; /* items the documents should never contain */
} tally;

#define K_UINT  UINT64_C(0x9E3779B97F4A7C15)
#define K_NINT  UINT64_C(0xC2B2AE3D27D4EB4F)
#define K_BSTR  UINT64_C(0x165667B19E3779F9)
#define K_TSTR  UINT64_C(0x27D4EB2F165667C5)
#define K_ARRAY UINT64_C(0x85EBCA77C2B2AE63)
#define K_MAP   UINT64_C(0xD6E8FEB86659FD93)
#define K_TAG   UINT64_C(0xFF51AFD7ED558CCD)
#define K_FALSE UINT64_C(0xC4CEB9FE1A85EC53)
#define K_TRUE  UINT64_C(0x94D049BB133111EB)
#define K_NULL  UINT64_C(0xBF58476D1CE4E5B9)
#define K_UNDEF UINT64_C(0x2545F4914F6CDD1D)
#define K_FLOAT UINT64_C(0x9FB21C651E98DF25)

/* Strings: their length and first byte, so the content is really reached. */
static inline uint64_t touch(const uint8_t *p, size_t len) { return (uint64_t)len + (len != 0 ? p[0] : 0u); }

static inline uint64_t float_bits(double f)
{
    uint64_t bits;
    memcpy(&bits, &f, sizeof bits);
    return bits;
}

static bool walk_mamori(mm_bytes in, tally *t)
{
    mm_cbor_dec dec;
    mm_cbor_item it;
    if (mm_cbor_dec_init(&dec, in, 0) != MM_OK) {
        return false;
    }
    uint64_t items = 0;
    uint64_t sum = 0;
    mm_err e;
    while ((e = mm_cbor_next(&dec, &it)) == MM_OK) {
        items++;
        switch (it.type) {
        case MM_CBOR_UINT:
            sum += K_UINT + it.arg;
            break;
        case MM_CBOR_NINT:
            sum += K_NINT + it.arg;
            break;
        case MM_CBOR_BSTR:
            sum += K_BSTR + touch(it.str.ptr, it.str.len);
            break;
        case MM_CBOR_TSTR:
            sum += K_TSTR + touch(it.str.ptr, it.str.len);
            break;
        case MM_CBOR_ARRAY:
            sum += K_ARRAY + it.arg;
            break;
        case MM_CBOR_MAP:
            sum += K_MAP + it.arg;
            break;
        case MM_CBOR_TAG:
            sum += K_TAG + it.arg;
            break;
        case MM_CBOR_FALSE:
            sum += K_FALSE;
            break;
        case MM_CBOR_TRUE:
            sum += K_TRUE;
            break;
        case MM_CBOR_NULL:
            sum += K_NULL;
            break;
        case MM_CBOR_UNDEFINED:
            sum += K_UNDEF;
            break;
        case MM_CBOR_FLOAT:
            sum += K_FLOAT + float_bits(it.f);
            break;
        case MM_CBOR_SIMPLE:
        default:
            t->odd++;
            break;
        }
    }
    t->items += items;
    t->sum += sum;
    return e == MM_ERR_CBOR_NO_ITEM && mm_cbor_dec_finish(&dec) == MM_OK;
}

/* libcbor callbacks: the context is the tally. */
static inline void lc_add(void *ctx, uint64_t v)
{
    tally *t = ctx;
    t->items++;
    t->sum += v;
}

static void lc_uint8(void *ctx, uint8_t v) { lc_add(ctx, K_UINT + v); }
static void lc_uint16(void *ctx, uint16_t v) { lc_add(ctx, K_UINT + v); }
static void lc_uint32(void *ctx, uint32_t v) { lc_add(ctx, K_UINT + v); }
static void lc_uint64(void *ctx, uint64_t v) { lc_add(ctx, K_UINT + v); }
static void lc_negint8(void *ctx, uint8_t v) { lc_add(ctx, K_NINT + v); }
static void lc_negint16(void *ctx, uint16_t v) { lc_add(ctx, K_NINT + v); }
static void lc_negint32(void *ctx, uint32_t v) { lc_add(ctx, K_NINT + v); }
static void lc_negint64(void *ctx, uint64_t v) { lc_add(ctx, K_NINT + v); }
static void lc_bstr(void *ctx, cbor_data p, size_t len) { lc_add(ctx, K_BSTR + touch(p, len)); }
static void lc_tstr(void *ctx, cbor_data p, size_t len) { lc_add(ctx, K_TSTR + touch(p, len)); }
static void lc_array(void *ctx, size_t n) { lc_add(ctx, K_ARRAY + n); }
static void lc_map(void *ctx, size_t n) { lc_add(ctx, K_MAP + n); }
static void lc_tag(void *ctx, uint64_t v) { lc_add(ctx, K_TAG + v); }
static void lc_half_or_single(void *ctx, float f) { lc_add(ctx, K_FLOAT + float_bits((double)f)); }
static void lc_double(void *ctx, double f) { lc_add(ctx, K_FLOAT + float_bits(f)); }
static void lc_bool(void *ctx, bool v) { lc_add(ctx, v ? K_TRUE : K_FALSE); }
static void lc_null(void *ctx) { lc_add(ctx, K_NULL); }
static void lc_undefined(void *ctx) { lc_add(ctx, K_UNDEF); }

/* Indefinite-length starts and breaks: libcbor reports chunks apart, so the
 * documents avoid them and meeting one is an error. */
static void lc_odd(void *ctx)
{
    tally *t = ctx;
    t->odd++;
}

/* libcbor's own comments on these members are shifted by one: byte_string and
 * string receive definite strings, *_start the indefinite ones. */
static const struct cbor_callbacks lc_callbacks = {
    .uint8 = lc_uint8,
    .uint16 = lc_uint16,
    .uint32 = lc_uint32,
    .uint64 = lc_uint64,
    .negint64 = lc_negint64,
    .negint32 = lc_negint32,
    .negint16 = lc_negint16,
    .negint8 = lc_negint8,
    .byte_string_start = lc_odd,
    .byte_string = lc_bstr,
    .string = lc_tstr,
    .string_start = lc_odd,
    .indef_array_start = lc_odd,
    .array_start = lc_array,
    .indef_map_start = lc_odd,
    .map_start = lc_map,
    .tag = lc_tag,
    .float2 = lc_half_or_single,
    .float4 = lc_half_or_single,
    .float8 = lc_double,
    .undefined = lc_undefined,
    .null = lc_null,
    .boolean = lc_bool,
    .indef_break = lc_odd,
};

/* libcbor up to 0.10 rejects the one-byte heads of tags 6..20 (0xc6..0xd4)
 * as "unassigned" (PJK/libcbor#307), and among them are COSE_Encrypt0, Mac0
 * and Sign1 (16..18). The walk reports those heads itself, as libcbor would
 * have: one predictable branch per item. */
static bool walk_libcbor(mm_bytes in, tally *t)
{
    size_t off = 0;
    while (off < in.len) {
        if (in.ptr[off] >= 0xc6 && in.ptr[off] <= 0xd4) {
            lc_tag(t, (uint64_t)(in.ptr[off] - 0xc0));
            off++;
            continue;
        }
        struct cbor_decoder_result r = cbor_stream_decode(in.ptr + off, in.len - off, &lc_callbacks, t);
        if (r.status != CBOR_DECODER_FINISHED || r.read == 0) {
            return false;
        }
        off += r.read;
    }
    return true;
}

typedef bool (*walk_fn)(mm_bytes in, tally *t);

/*
 * Workloads and timing.
 */

/* What one pass walks: each document `weight` times. */
typedef struct workload {
    const char *name;
    const doc *docs[MAX_DOCS];
    uint64_t weight[MAX_DOCS];
    size_t n;
    uint64_t bytes; /* per pass */
    uint64_t items; /* per pass, as both walks counted them */
} workload;

static bool run_pass(const workload *w, walk_fn walk, tally *t)
{
    for (size_t i = 0; i < w->n; i++) {
        const doc *d = w->docs[i];
        for (uint64_t k = 0; k < w->weight[i]; k++) {
            for (size_t s = 0; s < d->nsegs; s++) {
                if (!walk(d->segs[s], t)) {
                    return false;
                }
            }
        }
    }
    return true;
}

/* Keeps the tallies of timed runs observable. */
static volatile uint64_t sink;

/* Seconds for `passes` passes. The tally is checked afterwards, outside the
 * timed region, so a walk that stopped early cannot pass for a fast one. */
static double time_passes(const workload *w, walk_fn walk, const char *who, uint64_t passes)
{
    tally t = {0, 0, 0};
    double t0 = bench_wall_s();
    for (uint64_t i = 0; i < passes; i++) {
        if (!run_pass(w, walk, &t)) {
            bench_die("%s: %s walk failed", w->name, who);
        }
    }
    double dt = bench_wall_s() - t0;
    if (t.items != passes * w->items || t.odd != 0) {
        bench_die("%s: %s walk counted %" PRIu64 " items in %" PRIu64 " passes, expected %" PRIu64, w->name, who,
                  t.items, passes, passes * w->items);
    }
    sink += t.sum;
    return dt;
}

typedef struct timed {
    const workload *w;
    walk_fn walk;
    const char *who;
} timed;

static double time_timed(void *ctx, uint64_t n)
{
    const timed *t = ctx;
    return time_passes(t->w, t->walk, t->who, n);
}

/* Passes that take about MEASURE_SECONDS. */
static uint64_t calibrate(const workload *w, walk_fn walk, const char *who)
{
    timed t = {w, walk, who};
    return bench_calibrate(time_timed, &t, MEASURE_SECONDS);
}

typedef struct result {
    double ours; /* seconds per pass, best run */
    double theirs;
} result;

static result measure(const workload *w)
{
    uint64_t n_ours = calibrate(w, walk_mamori, "mamori");
    uint64_t n_theirs = calibrate(w, walk_libcbor, "libcbor");
    result r = {1e300, 1e300};
    /* Alternating the two sides spreads slow phases of the machine over both. */
    for (int run = 0; run < RUNS; run++) {
        double a = time_passes(w, walk_mamori, "mamori", n_ours) / (double)n_ours;
        double b = time_passes(w, walk_libcbor, "libcbor", n_theirs) / (double)n_theirs;
        r.ours = a < r.ours ? a : r.ours;
        r.theirs = b < r.theirs ? b : r.theirs;
    }
    return r;
}

/* Walks every segment of d once with each decoder and refuses to go on unless
 * they agree; returns the item count of one pass. */
static uint64_t cross_check(const doc *d)
{
    tally a = {0, 0, 0};
    tally b = {0, 0, 0};
    for (size_t s = 0; s < d->nsegs; s++) {
        if (!walk_mamori(d->segs[s], &a)) {
            bench_die("%s: segment %zu: mamori cannot walk it", d->name, s);
        }
        if (!walk_libcbor(d->segs[s], &b)) {
            bench_die("%s: segment %zu: libcbor cannot walk it", d->name, s);
        }
    }
    if (a.odd != 0 || b.odd != 0) {
        bench_die("%s: unexpected simple or indefinite-length items (mamori %u, libcbor %u)", d->name, a.odd, b.odd);
    }
    if (a.items != b.items || a.sum != b.sum) {
        bench_die("%s: the walks disagree: mamori %" PRIu64 " items, checksum %016" PRIx64 "; libcbor %" PRIu64
                  " items, checksum %016" PRIx64,
                  d->name, a.items, a.sum, b.items, b.sum);
    }
    return a.items;
}

static void print_row(const workload *w, result r)
{
    double ours_items = (double)w->items / r.ours;
    double theirs_items = (double)w->items / r.theirs;
    printf("%-16s %9" PRIu64 " %8" PRIu64 " | %10.2f %9.1f | %10.2f %9.1f | %6.2fx\n", w->name, w->bytes, w->items,
           ours_items / 1e6, (double)w->bytes / r.ours / 1e6, theirs_items / 1e6, (double)w->bytes / r.theirs / 1e6,
           r.theirs / r.ours);
}

int main(void)
{
    bench_init("bench_cbor", NULL);
    uint8_t *scratch = malloc(SCRATCH_SIZE);
    if (scratch == NULL) {
        bench_die("out of memory");
    }
    bench_rng r = {UINT64_C(0x6D616D6F72690001)};
    doc docs[MAX_DOCS];
    build_suit(&docs[0], scratch, &r);
    build_cose(&docs[1], scratch, &r);
    build_ints(&docs[2], scratch, &r);
    build_nested(&docs[3], scratch);
    free(scratch);

    workload single[MAX_DOCS];
    workload mix = {"mix", {NULL}, {0}, 0, 0, 0};
    size_t largest = 0;
    for (size_t i = 0; i < MAX_DOCS; i++) {
        largest = docs[i].whole.len > largest ? docs[i].whole.len : largest;
    }
    for (size_t i = 0; i < MAX_DOCS; i++) {
        uint64_t items = cross_check(&docs[i]);
        workload *w = &single[i];
        *w = (workload){docs[i].name, {&docs[i]}, {1}, 1, docs[i].whole.len, items};
        /* In the mix each document contributes about the same number of
         * bytes, so the small ones are not drowned by the int array. */
        uint64_t weight = (largest + docs[i].whole.len / 2) / docs[i].whole.len;
        mix.docs[i] = &docs[i];
        mix.weight[i] = weight != 0 ? weight : 1;
        mix.bytes += mix.weight[i] * docs[i].whole.len;
        mix.items += mix.weight[i] * items;
        mix.n++;
    }

    printf("bench_cbor: decode + walk every item, mamori mm_cbor_next() vs libcbor %d.%d.%d cbor_stream_decode()\n",
           CBOR_MAJOR_VERSION, CBOR_MINOR_VERSION, CBOR_PATCH_VERSION);
    printf("build type %s; best of %d runs of ~%.1f s each; M = 10^6; ratio = mamori / libcbor\n\n",
           MM_BENCH_BUILD_TYPE, RUNS, MEASURE_SECONDS);
    static const char rule[] =
        "------------------------------------+----------------------+----------------------+--------";
    printf("%-36s|%-22s|%-22s|\n", "", " mamori", " libcbor");
    printf("%-16s %9s %8s | %10s %9s | %10s %9s | %7s\n", "document", "bytes", "items", "Mitems/s", "MB/s", "Mitems/s",
           "MB/s", "ratio");
    puts(rule);
    for (size_t i = 0; i < MAX_DOCS; i++) {
        print_row(&single[i], measure(&single[i]));
    }
    puts(rule);
    result rm = measure(&mix);
    print_row(&mix, rm);
    printf("\nmix: each document repeated to about the same share of bytes:");
    for (size_t i = 0; i < mix.n; i++) {
        printf(" %s x%" PRIu64, mix.docs[i]->name, mix.weight[i]);
    }
    printf("\nsuit-envelope and cose-sign1-1k passes also walk every bstr-wrapped item inside (%zu and %zu walks)\n",
           docs[0].nsegs, docs[1].nsegs);
    double ratio = rm.theirs / rm.ours;
    printf("\ncbor: decode+walk mix ratio vs libcbor: %.2fx (target >= %.2fx)\n", ratio, TARGET_RATIO);

    for (size_t i = 0; i < MAX_DOCS; i++) {
        free_doc(&docs[i]);
    }
    return 0;
}
