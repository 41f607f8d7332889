/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori suit show: a SUIT envelope (or a SUIT report, signed or not) in
 * diagnostic notation with every key, command and parameter named in a
 * comment (/ condition-image-match / 3), UUIDs spelled out, digests in hex
 * and every byte string that holds CBOR opened (<< >>); or, with --json, the
 * same tree as JSON. Names come from the one SUIT name table
 * (mamori/suit_names.h); the shape of each value from its kind there, so a
 * member or parameter added to the table is shown without code here.
 * Nothing is verified: 'mamori suit verify' does that.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "suit_cli.h"

static const char show_help[] = "usage: mamori suit show [--json] FILE|-\n"
                                "\n"
                                "Prints the SUIT envelope in FILE (- for standard input) in diagnostic notation:\n"
                                "every key, command and parameter named, UUIDs spelled out, digests in hex,\n"
                                "byte strings that hold CBOR opened as << >>, integrated payloads of more than\n"
                                "64 bytes as their size and SHA-256. A SUIT report (as 'mamori suit process\n"
                                "--report' writes it, signed or not) is shown the same way. Nothing is\n"
                                "verified.\n"
                                "\n"
                                "options:\n"
                                "  --json       print the same tree as a JSON object\n"
                                "  -h, --help   show this help\n"
                                "\n"
                                "Exit status: 0 shown, 65 not an envelope or report, 64 usage, 66 and 74 file\n"
                                "errors.\n";

/* Nested byte strings opened before showing the rest as plain CBOR. */
#define MAX_DEPTH 24
/* Integrated payloads shown whole up to this size. */
#define PAYLOAD_SHOWN 64

/* What a value is, beyond the name table's kinds: the structures around
 * the manifest (a report, its records, a COSE block). */
enum {
    K_ENVELOPE = 100,
    K_REPORT,
    K_RECORD,
    K_RESULT,
    K_REFERENCE,
    K_COSE,
    K_SEVERABLE, /* a manifest member: a digest (severed) or the member itself */
};

typedef struct printer {
    cli_out out;
    unsigned depth;
} printer;

static void put(printer *o, const char *s) { cli_out_put(&o->out, s); }

static void newline(printer *o) { cli_out_newline(&o->out); }

static void comment(printer *o, const char *s)
{
    put(o, "/ ");
    put(o, s);
    put(o, " / ");
}

/* One item, compact. */
static void edn(printer *o, mm_bytes item) { cli_out_edn(&o->out, item, 0); }

static void hex(printer *o, mm_bytes b) { cli_out_hex(&o->out, b); }

/* Enters the map (map) or array at d and opens it, "{" or "[", for items on
 * lines of their own; false, the printer failed, when it is not one. */
static bool open_block(printer *o, mm_cbor_dec *d, bool map, size_t *n)
{
    if ((map ? mm_cbor_enter_map(d, n) : mm_cbor_enter_array(d, n)) != MM_OK) {
        o->out.failed = true;
        return false;
    }
    put(o, map ? "{" : "[");
    o->out.indent += 2;
    return true;
}

/* Closes what open_block() opened with close, on a line of its own when
 * line. */
static void close_block(printer *o, mm_cbor_dec *d, bool line, const char *close)
{
    o->out.indent -= 2;
    if (line) {
        newline(o);
    }
    put(o, close);
    if (mm_cbor_exit(d) != MM_OK) {
        o->out.failed = true;
    }
}

/* The UUID of 16 bytes, as text. */
static void uuid_text(mm_bytes b, char out[37])
{
    static const char digits[] = "0123456789abcdef";
    size_t k = 0;
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out[k++] = '-';
        }
        out[k++] = digits[b.ptr[i] >> 4];
        out[k++] = digits[b.ptr[i] & 15];
    }
    out[k] = '\0';
}

static const char *hash_name(int64_t alg)
{
    return alg == MM_ALG_SHA256   ? "SHA-256"
           : alg == MM_ALG_SHA384 ? "SHA-384"
           : alg == MM_ALG_SHA512 ? "SHA-512"
                                  : NULL;
}

/* SUIT_Report's labels (draft-ietf-suit-report-18). */
static const char *report_key_name(int64_t key)
{
    switch (key) {
    case MM_SUIT_REPORT_NONCE:
        return "report-nonce";
    case MM_SUIT_REPORT_RECORDS:
        return "report-records";
    case MM_SUIT_REPORT_RESULT:
        return "report-result";
    case MM_SUIT_REPORT_RESULT_CODE:
        return "result-code";
    case MM_SUIT_REPORT_RESULT_RECORD:
        return "result-record";
    case MM_SUIT_REPORT_RESULT_REASON:
        return "result-reason";
    case MM_SUIT_REPORT_REFERENCE:
        return "reference";
    default:
        return NULL;
    }
}

/* The registry whose names a map of kind uses, or -1. */
static int map_registry(int kind)
{
    switch (kind) {
    case K_ENVELOPE:
        return MM_SUIT_REG_ENVELOPE;
    case MM_SUIT_K_MANIFEST:
        return MM_SUIT_REG_MANIFEST;
    case MM_SUIT_K_COMMON:
        return MM_SUIT_REG_COMMON;
    case MM_SUIT_K_PARAMS:
        return MM_SUIT_REG_PARAMETER;
    case MM_SUIT_K_WAIT_INFO:
        return MM_SUIT_REG_WAIT_EVENT;
    case MM_SUIT_K_METADATA:
        return MM_SUIT_REG_METADATA;
    default:
        return -1;
    }
}

/* The kind of the value under key in registry reg (or in a report). */
static int value_kind(int reg, int kind, int64_t key)
{
    if (kind == K_REPORT) {
        return key == MM_SUIT_REPORT_RECORDS     ? MM_SUIT_K_CBOR + 1000
               : key == MM_SUIT_REPORT_RESULT    ? K_RESULT
               : key == MM_SUIT_REPORT_REFERENCE ? K_REFERENCE
                                                 : MM_SUIT_K_CBOR;
    }
    if (kind == K_RESULT) {
        return key == MM_SUIT_REPORT_RESULT_RECORD ? K_RECORD : MM_SUIT_K_CBOR;
    }
    const mm_suit_name *n = reg >= 0 ? mm_suit_name_find((mm_suit_reg)reg, key) : NULL;
    if (n == NULL) {
        return MM_SUIT_K_CBOR;
    }
    if (reg == MM_SUIT_REG_MANIFEST && (n->flags & MM_SUIT_F_SEVERABLE) != 0) {
        return K_SEVERABLE * 1000 + n->kind; /* the member's own kind, when not severed */
    }
    return n->kind;
}

static void show(printer *o, mm_cbor_dec *d, int kind);

/* A byte string that holds one item of kind, opened; hex otherwise. */
static void show_wrapped(printer *o, mm_cbor_dec *d, int kind)
{
    mm_bytes b;
    if (mm_cbor_get_bstr(d, &b) != MM_OK) {
        o->out.failed = true;
        return;
    }
    mm_cbor_dec inner;
    if (o->depth >= MAX_DEPTH || b.len == 0 || mm_cbor_check(b, MM_CBOR_ALLOW_INDEF, NULL) != MM_OK ||
        mm_cbor_dec_init(&inner, b, MM_CBOR_ALLOW_INDEF) != MM_OK) {
        hex(o, b);
        return;
    }
    o->depth++;
    put(o, "<< ");
    show(o, &inner, kind);
    put(o, " >>");
    o->depth--;
}

/* Any item, compact (what the table gives no shape for). */
static void show_raw(printer *o, mm_cbor_dec *d)
{
    mm_bytes raw;
    if (mm_cbor_get_raw(d, &raw) != MM_OK) {
        o->out.failed = true;
        return;
    }
    edn(o, raw);
}

/* An integer with the name the registry gives it. */
/* Reads the next item when it is an integer (nothing read otherwise). */
static bool read_int(mm_cbor_dec *d, int64_t *v)
{
    mm_cbor_item it;
    return mm_cbor_peek(d, &it) == MM_OK && (it.type == MM_CBOR_UINT || it.type == MM_CBOR_NINT) &&
           mm_cbor_get_int(d, INT64_MIN, INT64_MAX, v) == MM_OK;
}

/* v, then its name as a comment when it has one. */
static void put_int_named(printer *o, int64_t v, const char *name)
{
    o->out.failed = o->out.failed || printf("%lld", (long long)v) < 0;
    if (name != NULL) {
        o->out.failed = o->out.failed || printf(" / %s /", name) < 0;
    }
}

static void show_named_int(printer *o, mm_cbor_dec *d, mm_suit_reg reg)
{
    int64_t v;
    if (!read_int(d, &v)) {
        show_raw(o, d);
        return;
    }
    const mm_suit_name *n = mm_suit_name_find(reg, v);
    if (n != NULL) {
        comment(o, n->name);
    }
    put_int_named(o, v, NULL);
}

/* [algorithm, bytes] */
static void show_digest(printer *o, mm_cbor_dec *d)
{
    size_t n;
    int64_t alg;
    mm_bytes bytes;
    if (mm_cbor_enter_array(d, &n) != MM_OK || n < 2 || mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &alg) != MM_OK ||
        mm_cbor_get_bstr(d, &bytes) != MM_OK) {
        o->out.failed = true;
        return;
    }
    put(o, "[");
    comment(o, "algorithm-id");
    put_int_named(o, alg, hash_name(alg));
    put(o, ", ");
    comment(o, "digest-bytes");
    hex(o, bytes);
    for (size_t i = 2; i < n; i++) {
        put(o, ", ");
        show_raw(o, d);
    }
    put(o, "]");
    if (mm_cbor_exit(d) != MM_OK) {
        o->out.failed = true;
    }
}

static void show_uuid(printer *o, mm_cbor_dec *d)
{
    mm_cbor_item it;
    if (mm_cbor_peek(d, &it) == MM_OK && it.type == MM_CBOR_BSTR && it.str.len == 16) {
        char u[37];
        uuid_text(it.str, u);
        show_raw(o, d);
        printf(" / %s /", u);
        return;
    }
    show_raw(o, d);
}

/* A map whose keys the registry reg names (-1: none). */
static void show_map(printer *o, mm_cbor_dec *d, int reg, int kind)
{
    size_t n;
    if (!open_block(o, d, true, &n)) {
        return;
    }
    for (size_t i = 0; i < n && !o->out.failed; i++) {
        newline(o);
        mm_cbor_item key;
        int64_t label = 0;
        bool is_int = mm_cbor_peek(d, &key) == MM_OK && (key.type == MM_CBOR_UINT || key.type == MM_CBOR_NINT) &&
                      mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &label) == MM_OK;
        int vk = MM_SUIT_K_CBOR;
        if (is_int) {
            const mm_suit_name *nm = reg >= 0 ? mm_suit_name_find((mm_suit_reg)reg, label) : NULL;
            const char *rn = kind == K_REPORT || kind == K_RESULT ? report_key_name(label) : NULL;
            if (nm != NULL || rn != NULL) {
                comment(o, nm != NULL ? nm->name : rn);
            }
            printf("%lld: ", (long long)label);
            vk = value_kind(reg, kind, label);
            int64_t v;
            if (kind == K_RESULT && (label == MM_SUIT_REPORT_RESULT_CODE || label == MM_SUIT_REPORT_RESULT_REASON) &&
                mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &v) == MM_OK) {
                printf("%lld / %s /", (long long)v,
                       label == MM_SUIT_REPORT_RESULT_CODE ? mm_errname((mm_err)v) : mm_suit_reason_name((int)v));
                put(o, i + 1 < n ? "," : "");
                continue;
            }
        } else {
            /* Text keys: an envelope's integrated payloads; component
             * identifiers in text. */
            if (kind == K_ENVELOPE) {
                comment(o, "integrated-payload");
            }
            show_raw(o, d);
            put(o, ": ");
            vk = kind == K_ENVELOPE ? MM_SUIT_K_BSTR + 2000 : reg == MM_SUIT_REG_TEXT ? MM_SUIT_K_TEXT + 3000 : vk;
        }
        show(o, d, vk);
        put(o, i + 1 < n ? "," : "");
    }
    close_block(o, d, n != 0, "}");
}

/* A command sequence: one command and its argument per line. */
static void show_sequence(printer *o, mm_cbor_dec *d)
{
    size_t n;
    if (!open_block(o, d, false, &n)) {
        return;
    }
    for (size_t i = 0; i + 1 < n && !o->out.failed; i += 2) {
        newline(o);
        int64_t id = 0;
        const mm_suit_name *nm = NULL;
        if (read_int(d, &id)) {
            nm = mm_suit_name_find(MM_SUIT_REG_COMMAND, id);
            if (nm != NULL) {
                comment(o, nm->name);
            }
            put_int_named(o, id, NULL);
        } else {
            show_raw(o, d);
        }
        put(o, ", ");
        show(o, d, nm != NULL ? nm->kind : MM_SUIT_K_CBOR);
        put(o, i + 2 < n ? "," : "");
    }
    if (n % 2 != 0) {
        newline(o);
        show_raw(o, d);
    }
    close_block(o, d, true, "]");
}

/* An array of items of one kind, one per line. */
static void show_list(printer *o, mm_cbor_dec *d, int kind, bool lines)
{
    size_t n;
    if (!open_block(o, d, false, &n)) {
        return;
    }
    for (size_t i = 0; i < n && !o->out.failed; i++) {
        if (lines) {
            newline(o);
        }
        show(o, d, kind);
        put(o, i + 1 < n ? (lines ? "," : ", ") : "");
    }
    close_block(o, d, lines, "]");
}

/* {index: map of kind} (override-multiple, dependencies) or {index: [labels]}
 * (copy-params). */
static void show_indexed(printer *o, mm_cbor_dec *d, int kind)
{
    size_t n;
    if (!open_block(o, d, true, &n)) {
        return;
    }
    for (size_t i = 0; i < n && !o->out.failed; i++) {
        newline(o);
        comment(o, "component-index");
        show_raw(o, d);
        put(o, ": ");
        if (kind == MM_SUIT_K_COPY_PARAMS) {
            size_t m;
            if (mm_cbor_enter_array(d, &m) != MM_OK) {
                o->out.failed = true;
                break;
            }
            put(o, "[");
            for (size_t k = 0; k < m; k++) {
                show_named_int(o, d, MM_SUIT_REG_PARAMETER);
                put(o, k + 1 < m ? ", " : "");
            }
            put(o, "]");
            (void)!mm_cbor_exit(d);
        } else if (kind == MM_SUIT_K_DEPENDENCIES) {
            show_map(o, d, MM_SUIT_REG_DEPENDENCY, 0);
        } else {
            show_map(o, d, MM_SUIT_REG_PARAMETER, MM_SUIT_K_PARAMS);
        }
        put(o, i + 1 < n ? "," : "");
    }
    close_block(o, d, true, "}");
}

/* COSE_Sign1 / Mac0 / Sign and the like: the structure, alg named. */
static void show_cose(printer *o, mm_cbor_dec *d)
{
    mm_cbor_item it;
    if (mm_cbor_peek(d, &it) == MM_OK && it.type == MM_CBOR_TAG) {
        uint64_t tag;
        (void)!mm_cbor_get_tag(d, &tag);
        const char *t = tag == MM_COSE_TAG_SIGN1  ? "COSE_Sign1"
                        : tag == MM_COSE_TAG_MAC0 ? "COSE_Mac0"
                        : tag == MM_COSE_TAG_SIGN ? "COSE_Sign"
                        : tag == MM_COSE_TAG_MAC  ? "COSE_Mac"
                                                  : NULL;
        if (t != NULL) {
            comment(o, t);
        }
        printf("%llu(", (unsigned long long)tag);
        show_cose(o, d);
        put(o, ")");
        return;
    }
    static const char *const fields[] = {"protected", "unprotected", "payload", "signature"};
    size_t n;
    if (!open_block(o, d, false, &n)) {
        return;
    }
    for (size_t i = 0; i < n && !o->out.failed; i++) {
        newline(o);
        comment(o, i < 4 ? fields[i] : "field");
        if (i == 0 && mm_cbor_peek(d, &it) == MM_OK && it.type == MM_CBOR_BSTR && it.str.len > 0) {
            show_wrapped(o, d, MM_SUIT_K_CBOR + 4000);
        } else if (i == 1) {
            show(o, d, MM_SUIT_K_CBOR + 4000);
        } else if (i == 3 && mm_cbor_peek(d, &it) == MM_OK && it.type == MM_CBOR_ARRAY) {
            show_list(o, d, K_COSE, true); /* COSE_Sign's signatures */
        } else if (mm_cbor_peek(d, &it) == MM_OK && it.type == MM_CBOR_BSTR && i == 2) {
            show_wrapped(o, d, K_REPORT); /* a signed report's payload */
        } else {
            show_raw(o, d);
        }
        put(o, i + 1 < n ? "," : "");
    }
    close_block(o, d, true, "]");
}

/* A COSE header map: alg and kid named. */
static void show_headers(printer *o, mm_cbor_dec *d)
{
    size_t n;
    if (mm_cbor_enter_map(d, &n) != MM_OK) {
        o->out.failed = true;
        return;
    }
    put(o, "{");
    for (size_t i = 0; i < n && !o->out.failed; i++) {
        int64_t label = 0;
        bool is_int = read_int(d, &label);
        if (!is_int) {
            show_raw(o, d);
        } else {
            if (label == MM_HDR_ALG || label == MM_HDR_KID) {
                comment(o, label == MM_HDR_ALG ? "alg" : "kid");
            }
            put_int_named(o, label, NULL);
        }
        put(o, ": ");
        int64_t v = 0;
        if (is_int && label == MM_HDR_ALG && read_int(d, &v)) {
            put_int_named(o, v, cli_alg_name(v));
        } else {
            show_raw(o, d);
        }
        put(o, i + 1 < n ? ", " : "");
    }
    put(o, "}");
    (void)!mm_cbor_exit(d);
}

/* A SUIT_Record: [manifest id, section, offset, component, properties]. */
static void show_record(printer *o, mm_cbor_dec *d)
{
    size_t n;
    if (mm_cbor_enter_array(d, &n) != MM_OK) {
        show_raw(o, d); /* system-property-claims are maps */
        return;
    }
    static const char *const fields[] = {"manifest-id", "section", "offset", "component-index", "properties"};
    put(o, "[");
    for (size_t i = 0; i < n && !o->out.failed; i++) {
        comment(o, i < 5 ? fields[i] : "extension");
        int64_t s;
        if (i == 1 && read_int(d, &s)) {
            const mm_suit_name *nm = mm_suit_name_find(MM_SUIT_REG_MANIFEST, s);
            put_int_named(o, s, nm == NULL ? NULL : s == MM_SUIT_SECTION_COMMON ? "shared-sequence" : nm->name);
        } else if (i == 4) {
            show_map(o, d, MM_SUIT_REG_PARAMETER, MM_SUIT_K_PARAMS);
        } else {
            show_raw(o, d);
        }
        put(o, i + 1 < n ? ", " : "");
    }
    put(o, "]");
    (void)!mm_cbor_exit(d);
}

/* An integrated payload: whole when short, else its size and SHA-256. */
static void show_payload(printer *o, mm_cbor_dec *d)
{
    mm_bytes b;
    if (mm_cbor_get_bstr(d, &b) != MM_OK) {
        o->out.failed = true;
        return;
    }
    if (b.len <= PAYLOAD_SHOWN) {
        hex(o, b);
        return;
    }
    uint8_t h[MM_HASH_MAX];
    size_t len = 0;
    mm_err e = mm_hash(mm_crypto_openssl(), MM_ALG_SHA256, b, h, &len);
    printf("/ %zu bytes, SHA-256 ", b.len);
    if (e == MM_OK) {
        cli_print_hex(stdout, mm_bytes_make(h, len));
    }
    put(o, " / h''");
}

static void show(printer *o, mm_cbor_dec *d, int kind)
{
    mm_cbor_item it;
    if (mm_cbor_peek(d, &it) != MM_OK) {
        o->out.failed = true;
        return;
    }
    /* A severable member: a digest when severed. */
    if (kind / 1000 == K_SEVERABLE) {
        if (it.type == MM_CBOR_ARRAY) {
            show_digest(o, d);
            put(o, " / severed /");
            return;
        }
        kind %= 1000;
    }
    if (kind == MM_SUIT_K_BSTR + 2000) {
        show_payload(o, d);
        return;
    }
    if (kind == MM_SUIT_K_CBOR + 4000) {
        if (it.type == MM_CBOR_MAP) {
            show_headers(o, d);
        } else {
            show_raw(o, d);
        }
        return;
    }
    if (kind == MM_SUIT_K_CBOR + 1000) {
        show_list(o, d, K_RECORD, true);
        return;
    }
    switch (kind) {
    case K_ENVELOPE:
    case K_REPORT:
    case K_RESULT:
        if (it.type == MM_CBOR_TAG) {
            uint64_t tag;
            (void)!mm_cbor_get_tag(d, &tag);
            printf("%llu(", (unsigned long long)tag);
            show(o, d, kind);
            put(o, ")");
            return;
        }
        if (it.type != MM_CBOR_MAP) {
            show_raw(o, d); /* the result true */
            return;
        }
        show_map(o, d, map_registry(kind), kind);
        return;
    case K_RECORD:
        show_record(o, d);
        return;
    case K_REFERENCE: {
        size_t n;
        if (mm_cbor_enter_array(d, &n) != MM_OK || n != 2) {
            o->out.failed = true;
            return;
        }
        put(o, "[");
        comment(o, "manifest-uri");
        show_raw(o, d);
        put(o, ", ");
        comment(o, "manifest-digest");
        show_digest(o, d);
        put(o, "]");
        (void)!mm_cbor_exit(d);
        return;
    }
    case K_COSE:
        show_cose(o, d);
        return;
    case MM_SUIT_K_AUTH: {
        if (it.type == MM_CBOR_BSTR) {
            show_wrapped(o, d, kind);
            return;
        }
        size_t n;
        if (!open_block(o, d, false, &n)) {
            return;
        }
        for (size_t i = 0; i < n && !o->out.failed; i++) {
            newline(o);
            comment(o, i == 0 ? "digest" : "authentication-block");
            show_wrapped(o, d, i == 0 ? MM_SUIT_K_DIGEST + 5000 : K_COSE);
            put(o, i + 1 < n ? "," : "");
        }
        close_block(o, d, true, "]");
        return;
    }
    case MM_SUIT_K_DIGEST + 5000:
        show_digest(o, d);
        return;
    case MM_SUIT_K_MANIFEST:
    case MM_SUIT_K_COMMON:
    case MM_SUIT_K_WAIT_INFO:
    case MM_SUIT_K_METADATA:
    case MM_SUIT_K_DIGEST:
    case MM_SUIT_K_VERSION_MATCH:
    case MM_SUIT_K_VERSION:
    case MM_SUIT_K_TEXT:
    case MM_SUIT_K_ENCRYPTION:
        if (it.type == MM_CBOR_BSTR) {
            show_wrapped(o, d, kind);
            return;
        }
        if (kind == MM_SUIT_K_DIGEST) {
            show_digest(o, d);
        } else if (kind == MM_SUIT_K_VERSION_MATCH && it.type == MM_CBOR_ARRAY) {
            size_t n;
            if (mm_cbor_enter_array(d, &n) == MM_OK && n == 2) {
                put(o, "[");
                show_named_int(o, d, MM_SUIT_REG_COMPARISON);
                put(o, ", ");
                show_raw(o, d);
                put(o, "]");
            }
            (void)!mm_cbor_exit(d);
        } else if (kind == MM_SUIT_K_TEXT && it.type == MM_CBOR_MAP) {
            /* language tag => { text key => text, component => {...} } */
            size_t n;
            if (!open_block(o, d, true, &n)) {
                return;
            }
            for (size_t i = 0; i < n && !o->out.failed; i++) {
                newline(o);
                show_raw(o, d);
                put(o, ": ");
                show_map(o, d, MM_SUIT_REG_TEXT, 0);
                put(o, i + 1 < n ? "," : "");
            }
            close_block(o, d, true, "}");
        } else if (kind == MM_SUIT_K_ENCRYPTION) {
            show_cose(o, d);
        } else if (it.type == MM_CBOR_MAP && map_registry(kind) >= 0) {
            show_map(o, d, map_registry(kind), kind);
        } else {
            show_raw(o, d);
        }
        return;
    case MM_SUIT_K_TEXT + 3000: /* a component's texts */
        show_map(o, d, MM_SUIT_REG_COMPONENT_TEXT, 0);
        return;
    case MM_SUIT_K_SEQUENCE:
        if (it.type == MM_CBOR_BSTR) {
            show_wrapped(o, d, kind);
        } else {
            show_sequence(o, d);
        }
        return;
    case MM_SUIT_K_PARAMS:
        show_map(o, d, MM_SUIT_REG_PARAMETER, kind);
        return;
    case MM_SUIT_K_TRY_EACH:
        show_list(o, d, MM_SUIT_K_SEQUENCE, true);
        return;
    case MM_SUIT_K_MULTIPLE:
    case MM_SUIT_K_COPY_PARAMS:
    case MM_SUIT_K_DEPENDENCIES:
        show_indexed(o, d, kind);
        return;
    case MM_SUIT_K_COMPONENTS:
        show_list(o, d, MM_SUIT_K_COMPONENT_ID, true);
        return;
    case MM_SUIT_K_UUID:
    case MM_SUIT_K_VENDOR_ID:
        show_uuid(o, d);
        return;
    case MM_SUIT_K_FILE_TYPE:
        show_named_int(o, d, MM_SUIT_REG_FILE_TYPE);
        return;
    case MM_SUIT_K_CBOR:
        if (it.type == MM_CBOR_BSTR) {
            show_wrapped(o, d, MM_SUIT_K_CBOR + 6000);
            return;
        }
        show_raw(o, d);
        return;
    default:
        show_raw(o, d);
        return;
    }
}

/*
 * JSON.
 */
static json_t *to_json(mm_cbor_dec *d, int kind, unsigned depth);
static json_t *cose_json(mm_cbor_dec *d, unsigned depth);

static json_t *hex_json(mm_bytes b) { return cli_json_hex(b); }

/* Any item as JSON: bytes in hex, maps with their keys as text. */
static json_t *plain_json(mm_cbor_dec *d, unsigned depth)
{
    mm_cbor_item it;
    if (depth > MAX_DEPTH || mm_cbor_peek(d, &it) != MM_OK) {
        return NULL;
    }
    json_t *j = NULL;
    size_t n;
    switch (it.type) {
    case MM_CBOR_UINT:
    case MM_CBOR_NINT: {
        int64_t v;
        if (mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &v) == MM_OK) {
            return json_integer((json_int_t)v);
        }
        return NULL;
    }
    case MM_CBOR_BSTR: {
        mm_bytes b;
        return mm_cbor_get_bstr(d, &b) == MM_OK ? hex_json(b) : NULL;
    }
    case MM_CBOR_TSTR: {
        mm_bytes t;
        return mm_cbor_get_tstr(d, &t) == MM_OK ? json_stringn((const char *)t.ptr, t.len) : NULL;
    }
    case MM_CBOR_ARRAY:
        if (mm_cbor_enter_array(d, &n) != MM_OK) {
            return NULL;
        }
        j = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(j, plain_json(d, depth + 1));
        }
        (void)!mm_cbor_exit(d);
        return j;
    case MM_CBOR_MAP:
        if (mm_cbor_enter_map(d, &n) != MM_OK) {
            return NULL;
        }
        j = json_object();
        for (size_t i = 0; i < n; i++) {
            mm_bytes raw;
            char key[256];
            if (mm_cbor_get_raw(d, &raw) != MM_OK) {
                break;
            }
            mm_buf kb = mm_buf_make(key, sizeof key - 1);
            mm_edn_opts eo = {0, MM_CBOR_ALLOW_INDEF, 0, 0};
            if (mm_cbor_edn_buf(raw, &eo, &kb, NULL) != MM_OK) {
                kb.len = 0;
            }
            key[kb.len] = '\0';
            json_object_set_new(j, key, plain_json(d, depth + 1));
        }
        (void)!mm_cbor_exit(d);
        return j;
    case MM_CBOR_TAG: {
        uint64_t tag;
        (void)!mm_cbor_get_tag(d, &tag);
        j = json_object();
        json_object_set_new(j, "tag", json_integer((json_int_t)tag));
        json_object_set_new(j, "value", plain_json(d, depth + 1));
        return j;
    }
    case MM_CBOR_TRUE:
    case MM_CBOR_FALSE: {
        bool b;
        return mm_cbor_get_bool(d, &b) == MM_OK ? json_boolean(b) : NULL;
    }
    case MM_CBOR_NULL:
        (void)!mm_cbor_skip(d);
        return json_null();
    default: {
        mm_bytes raw;
        return mm_cbor_get_raw(d, &raw) == MM_OK ? hex_json(raw) : NULL;
    }
    }
}

/* The content of a byte string that holds one item of kind. */
static json_t *wrapped_json(mm_cbor_dec *d, int kind, unsigned depth)
{
    mm_bytes b;
    mm_cbor_dec inner;
    if (mm_cbor_get_bstr(d, &b) != MM_OK) {
        return NULL;
    }
    if (depth > MAX_DEPTH || b.len == 0 || mm_cbor_check(b, MM_CBOR_ALLOW_INDEF, NULL) != MM_OK ||
        mm_cbor_dec_init(&inner, b, MM_CBOR_ALLOW_INDEF) != MM_OK) {
        return hex_json(b);
    }
    return to_json(&inner, kind, depth + 1);
}

static json_t *digest_json(mm_cbor_dec *d)
{
    size_t n;
    int64_t alg;
    mm_bytes bytes;
    if (mm_cbor_enter_array(d, &n) != MM_OK || n < 2 || mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &alg) != MM_OK ||
        mm_cbor_get_bstr(d, &bytes) != MM_OK) {
        return NULL;
    }
    (void)!mm_cbor_exit(d);
    json_t *j = json_object();
    json_object_set_new(j, "algorithm", hash_name(alg) != NULL ? json_string(hash_name(alg)) : json_integer(alg));
    json_object_set_new(j, "bytes", hex_json(bytes));
    return j;
}

/* A map with keys named from reg. */
static json_t *map_json(mm_cbor_dec *d, int reg, int kind, unsigned depth)
{
    size_t n;
    if (mm_cbor_enter_map(d, &n) != MM_OK) {
        return NULL;
    }
    json_t *j = json_object();
    for (size_t i = 0; i < n; i++) {
        mm_cbor_item key;
        int64_t label;
        char name[256];
        int vk = MM_SUIT_K_CBOR;
        if (mm_cbor_peek(d, &key) == MM_OK && (key.type == MM_CBOR_UINT || key.type == MM_CBOR_NINT) &&
            mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &label) == MM_OK) {
            const mm_suit_name *nm = reg >= 0 ? mm_suit_name_find((mm_suit_reg)reg, label) : NULL;
            const char *rn = kind == K_REPORT || kind == K_RESULT ? report_key_name(label) : NULL;
            snprintf(name, sizeof name, "%s", nm != NULL ? nm->name : rn != NULL ? rn : "");
            if (nm == NULL && rn == NULL) {
                snprintf(name, sizeof name, "%lld", (long long)label);
            }
            vk = value_kind(reg, kind, label);
        } else {
            mm_bytes raw;
            mm_cbor_item k2;
            if (mm_cbor_peek(d, &k2) == MM_OK && k2.type == MM_CBOR_TSTR && mm_cbor_get_tstr(d, &raw) == MM_OK) {
                snprintf(name, sizeof name, "%.*s", (int)(raw.len < 255 ? raw.len : 255), (const char *)raw.ptr);
            } else if (mm_cbor_get_raw(d, &raw) == MM_OK) {
                mm_buf kb = mm_buf_make(name, sizeof name - 1);
                mm_edn_opts eo = {0, MM_CBOR_ALLOW_INDEF, 0, 0};
                kb.len = mm_cbor_edn_buf(raw, &eo, &kb, NULL) == MM_OK ? kb.len : 0;
                name[kb.len] = '\0';
            }
            vk = kind == K_ENVELOPE        ? MM_SUIT_K_BSTR + 2000
                 : reg == MM_SUIT_REG_TEXT ? MM_SUIT_K_TEXT + 3000
                                           : MM_SUIT_K_CBOR;
        }
        json_object_set_new(j, name, to_json(d, vk, depth + 1));
    }
    (void)!mm_cbor_exit(d);
    return j;
}

static json_t *sequence_json(mm_cbor_dec *d, unsigned depth)
{
    size_t n;
    if (mm_cbor_enter_array(d, &n) != MM_OK) {
        return NULL;
    }
    json_t *j = json_array();
    for (size_t i = 0; i + 1 < n; i += 2) {
        int64_t id = 0;
        char name[32];
        const mm_suit_name *nm = NULL;
        if (mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &id) == MM_OK) {
            nm = mm_suit_name_find(MM_SUIT_REG_COMMAND, id);
        }
        snprintf(name, sizeof name, "%lld", (long long)id);
        json_t *cmd = json_object();
        json_object_set_new(cmd, nm != NULL ? nm->name : name,
                            to_json(d, nm != NULL ? nm->kind : MM_SUIT_K_CBOR, depth + 1));
        json_array_append_new(j, cmd);
    }
    (void)!mm_cbor_exit(d);
    return j;
}

static json_t *to_json(mm_cbor_dec *d, int kind, unsigned depth)
{
    mm_cbor_item it;
    if (depth > MAX_DEPTH || mm_cbor_peek(d, &it) != MM_OK) {
        return NULL;
    }
    if (kind / 1000 == K_SEVERABLE) {
        if (it.type == MM_CBOR_ARRAY) {
            json_t *j = json_object();
            json_object_set_new(j, "severed", digest_json(d));
            return j;
        }
        kind %= 1000;
    }
    if (it.type == MM_CBOR_TAG && (kind == K_ENVELOPE || kind == K_REPORT)) {
        uint64_t tag;
        (void)!mm_cbor_get_tag(d, &tag);
        return to_json(d, kind, depth);
    }
    switch (kind) {
    case K_ENVELOPE:
    case K_REPORT:
    case K_RESULT:
        return it.type == MM_CBOR_MAP ? map_json(d, map_registry(kind), kind, depth) : plain_json(d, depth);
    case MM_SUIT_K_AUTH: {
        if (it.type == MM_CBOR_BSTR) {
            return wrapped_json(d, kind, depth);
        }
        size_t n;
        if (mm_cbor_enter_array(d, &n) != MM_OK) {
            return NULL;
        }
        json_t *j = json_object();
        json_t *blocks = json_array();
        for (size_t i = 0; i < n; i++) {
            if (i == 0) {
                json_object_set_new(j, "digest", wrapped_json(d, MM_SUIT_K_DIGEST + 5000, depth));
            } else {
                json_array_append_new(blocks, wrapped_json(d, K_COSE, depth));
            }
        }
        json_object_set_new(j, "authentication-blocks", blocks);
        (void)!mm_cbor_exit(d);
        return j;
    }
    case MM_SUIT_K_DIGEST + 5000:
        return digest_json(d);
    case K_COSE:
        return cose_json(d, depth);
    case MM_SUIT_K_BSTR + 2000: {
        mm_bytes b;
        return mm_cbor_get_bstr(d, &b) == MM_OK ? hex_json(b) : NULL;
    }
    case MM_SUIT_K_TEXT + 3000:
        return map_json(d, MM_SUIT_REG_COMPONENT_TEXT, 0, depth);
    case MM_SUIT_K_MANIFEST:
    case MM_SUIT_K_COMMON:
    case MM_SUIT_K_WAIT_INFO:
    case MM_SUIT_K_METADATA:
    case MM_SUIT_K_DIGEST:
    case MM_SUIT_K_VERSION_MATCH:
    case MM_SUIT_K_VERSION:
    case MM_SUIT_K_TEXT:
    case MM_SUIT_K_SEQUENCE:
        if (it.type == MM_CBOR_BSTR) {
            return wrapped_json(d, kind, depth);
        }
        if (kind == MM_SUIT_K_DIGEST) {
            return digest_json(d);
        }
        if (kind == MM_SUIT_K_SEQUENCE) {
            return sequence_json(d, depth);
        }
        if (kind == MM_SUIT_K_TEXT && it.type == MM_CBOR_MAP) {
            size_t n;
            if (mm_cbor_enter_map(d, &n) != MM_OK) {
                return NULL;
            }
            json_t *j = json_object();
            for (size_t i = 0; i < n; i++) {
                mm_bytes lang;
                char name[64];
                if (mm_cbor_get_tstr(d, &lang) != MM_OK) {
                    break;
                }
                snprintf(name, sizeof name, "%.*s", (int)(lang.len < 63 ? lang.len : 63), (const char *)lang.ptr);
                json_object_set_new(j, name, map_json(d, MM_SUIT_REG_TEXT, 0, depth + 1));
            }
            (void)!mm_cbor_exit(d);
            return j;
        }
        return it.type == MM_CBOR_MAP && map_registry(kind) >= 0 ? map_json(d, map_registry(kind), kind, depth)
                                                                 : plain_json(d, depth);
    case MM_SUIT_K_PARAMS:
        return map_json(d, MM_SUIT_REG_PARAMETER, kind, depth);
    case MM_SUIT_K_TRY_EACH: {
        size_t n;
        if (mm_cbor_enter_array(d, &n) != MM_OK) {
            return NULL;
        }
        json_t *j = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(j, to_json(d, MM_SUIT_K_SEQUENCE, depth + 1));
        }
        (void)!mm_cbor_exit(d);
        return j;
    }
    case MM_SUIT_K_MULTIPLE: {
        size_t n;
        if (mm_cbor_enter_map(d, &n) != MM_OK) {
            return NULL;
        }
        json_t *j = json_object();
        for (size_t i = 0; i < n; i++) {
            uint64_t idx;
            char name[24];
            if (mm_cbor_get_uint(d, &idx) != MM_OK) {
                break;
            }
            snprintf(name, sizeof name, "%llu", (unsigned long long)idx);
            json_object_set_new(j, name, map_json(d, MM_SUIT_REG_PARAMETER, MM_SUIT_K_PARAMS, depth + 1));
        }
        (void)!mm_cbor_exit(d);
        return j;
    }
    case MM_SUIT_K_UUID:
    case MM_SUIT_K_VENDOR_ID:
        if (it.type == MM_CBOR_BSTR && it.str.len == 16) {
            char u[37];
            uuid_text(it.str, u);
            (void)!mm_cbor_skip(d);
            return json_string(u);
        }
        return plain_json(d, depth);
    case MM_SUIT_K_CBOR:
        if (it.type == MM_CBOR_BSTR) {
            return wrapped_json(d, MM_SUIT_K_CBOR + 6000, depth);
        }
        return plain_json(d, depth);
    default:
        return plain_json(d, depth);
    }
}

/* COSE header map: alg by name, the rest as plain JSON. */
static json_t *headers_json(mm_cbor_dec *d, unsigned depth)
{
    size_t n;
    if (mm_cbor_enter_map(d, &n) != MM_OK) {
        return NULL;
    }
    json_t *j = json_object();
    for (size_t i = 0; i < n; i++) {
        int64_t label;
        char name[24];
        if (mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &label) != MM_OK) {
            break;
        }
        snprintf(name, sizeof name, "%lld", (long long)label);
        int64_t v;
        mm_cbor_item it;
        if (label == MM_HDR_ALG && mm_cbor_peek(d, &it) == MM_OK &&
            mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &v) == MM_OK) {
            json_object_set_new(j, "alg", cli_alg_name(v) != NULL ? json_string(cli_alg_name(v)) : json_integer(v));
            continue;
        }
        json_object_set_new(j, label == MM_HDR_KID ? "kid" : name, plain_json(d, depth + 1));
    }
    (void)!mm_cbor_exit(d);
    return j;
}

/* A COSE_Sign1, COSE_Mac0 or COSE_Sign, its headers decoded. */
static json_t *cose_json(mm_cbor_dec *d, unsigned depth)
{
    mm_cbor_item it;
    uint64_t tag = 0;
    if (mm_cbor_peek(d, &it) == MM_OK && it.type == MM_CBOR_TAG && mm_cbor_get_tag(d, &tag) != MM_OK) {
        return NULL;
    }
    size_t n;
    if (mm_cbor_enter_array(d, &n) != MM_OK) {
        return NULL;
    }
    json_t *j = json_object();
    json_object_set_new(j, "type",
                        json_string(tag == MM_COSE_TAG_SIGN1  ? "COSE_Sign1"
                                    : tag == MM_COSE_TAG_MAC0 ? "COSE_Mac0"
                                    : tag == MM_COSE_TAG_SIGN ? "COSE_Sign"
                                    : tag == MM_COSE_TAG_MAC  ? "COSE_Mac"
                                                              : "untagged"));
    static const char *const fields[] = {"protected", "unprotected", "payload", "signature"};
    for (size_t i = 0; i < n; i++) {
        json_t *v;
        if (i == 0 && mm_cbor_peek(d, &it) == MM_OK && it.type == MM_CBOR_BSTR && it.str.len != 0) {
            mm_bytes b;
            mm_cbor_dec inner;
            (void)!mm_cbor_get_bstr(d, &b);
            v = mm_cbor_dec_init(&inner, b, 0) == MM_OK ? headers_json(&inner, depth + 1) : hex_json(b);
        } else if (i == 1) {
            v = headers_json(d, depth + 1);
        } else if (i == 2 && mm_cbor_peek(d, &it) == MM_OK && it.type == MM_CBOR_BSTR && tag == MM_COSE_TAG_SIGN1) {
            v = wrapped_json(d, K_REPORT, depth); /* a signed report's payload */
        } else {
            v = plain_json(d, depth + 1);
        }
        json_object_set_new(j, i < 4 ? fields[i] : "extra", v);
    }
    (void)!mm_cbor_exit(d);
    return j;
}

/* What the file is: an envelope, a report, or a signed report. */
static int file_kind(mm_bytes in)
{
    mm_cbor_dec d;
    mm_cbor_item it;
    if (mm_cbor_dec_init(&d, in, MM_CBOR_ALLOW_INDEF) != MM_OK || mm_cbor_peek(&d, &it) != MM_OK) {
        return 0;
    }
    if (it.type == MM_CBOR_TAG && it.arg == MM_SUIT_TAG_ENVELOPE) {
        return K_ENVELOPE;
    }
    if (it.type == MM_CBOR_TAG || it.type == MM_CBOR_ARRAY) {
        /* A signed report: a COSE_Sign1 whose payload is a report. */
        mm_cose_sign1 s;
        return mm_cose_sign1_decode(in, &s, NULL) == MM_OK && !s.detached && file_kind(s.payload) == K_REPORT ? K_COSE
                                                                                                              : 0;
    }
    size_t n;
    if (it.type != MM_CBOR_MAP || mm_cbor_enter_map(&d, &n) != MM_OK) {
        return 0;
    }
    bool manifest = false;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = 0;
        mm_cbor_item key;
        if (mm_cbor_peek(&d, &key) == MM_OK && key.type == MM_CBOR_UINT && mm_cbor_get_uint(&d, &k) != MM_OK) {
            break;
        }
        if (key.type != MM_CBOR_UINT && mm_cbor_skip(&d) != MM_OK) {
            break;
        }
        if (mm_cbor_skip(&d) != MM_OK) {
            break;
        }
        if (key.type == MM_CBOR_UINT && k == MM_SUIT_REPORT_REFERENCE) {
            return K_REPORT; /* a report's records are key 3 too */
        }
        manifest = manifest || (key.type == MM_CBOR_UINT && k == MM_SUIT_ENVELOPE_MANIFEST);
    }
    return manifest ? K_ENVELOPE : 0;
}

int suit_cmd_show(int argc, char **argv)
{
    static const cli_opts spec = {"suit show", show_help, cli_json_opt, 1};
    bool json = false;
    cli_input file;
    int rc = cli_parse_input(&spec, &json, argc, argv, "one FILE is needed", NULL, &file);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    const char *path = file.path;
    mm_bytes in = mm_bytes_make(file.data, file.len);
    size_t off = 0;
    mm_err e = mm_cbor_check(in, MM_CBOR_ALLOW_INDEF, &off);
    int kind = e == MM_OK ? file_kind(in) : 0;
    if (e != MM_OK) {
        rc = cli_fail_decode(path, e, off);
    } else if (kind == 0) {
        rc = cli_fail(CLI_DATAERR, path, "neither a SUIT envelope nor a SUIT report");
    } else {
        mm_cbor_dec d;
        (void)!mm_cbor_dec_init(&d, in, MM_CBOR_ALLOW_INDEF);
        if (json) {
            json_t *j = to_json(&d, kind, 0);
            rc = j != NULL ? cli_json_print(j) : cli_fail(CLI_DATAERR, path, "cannot show this envelope");
        } else {
            printer o = {{0, false}, 0};
            if (kind == K_ENVELOPE) {
                comment(&o, "SUIT_Envelope");
            } else if (kind == K_REPORT) {
                comment(&o, "SUIT_Report");
            } else {
                comment(&o, "signed SUIT_Report");
            }
            show(&o, &d, kind);
            put(&o, "\n");
            rc = o.out.failed ? cli_fail(CLI_IOERR, path, "cannot show it all") : CLI_OK;
        }
    }
    free(file.data);
    return rc;
}
