/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori cose show: a COSE message in diagnostic notation with its parts,
 * header labels and algorithms named in comments (/alg/ 1: -7 /ES256/), or
 * as a JSON object. Built on the library's decoders; values are printed by
 * the CBOR diagnostic printer.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mamori/cose.h"
#include "mamori/cose_hpke.h"

static const char show_help[] = "usage: mamori cose show [options] FILE|-\n"
                                "\n"
                                "Prints the COSE_Sign1, COSE_Sign, COSE_Mac0, COSE_Encrypt0 or COSE_Encrypt in\n"
                                "FILE (- for standard input) in diagnostic notation: the message type, header\n"
                                "labels and algorithms named in comments (/alg/ 1: -7 /ES256/), a payload that\n"
                                "is CBOR shown as << ... >>, signatures, tags and ciphertexts in hex. Nothing\n"
                                "is verified.\n"
                                "\n"
                                "options:\n"
                                "  --json       print a JSON object: type, tagged, protected and unprotected\n"
                                "               headers (by name where known), payload and signature in hex...\n"
                                "  -h, --help   show this help\n"
                                "\n"
                                "Exit status: 0 shown, 65 not a COSE message this command reads, 64 usage, 66\n"
                                "and 74 file errors.\n";

/* Most signers or recipients shown. */
#define SHOW_MAX_LAYERS 64

/*
 * Names.
 */

typedef struct label_name {
    int64_t label;
    const char *name;
} label_name;

static const label_name header_names[] = {
    {MM_HDR_ALG, "alg"},
    {MM_HDR_CRIT, "crit"},
    {MM_HDR_CONTENT_TYPE, "content type"},
    {MM_HDR_KID, "kid"},
    {MM_HDR_IV, "IV"},
    {MM_HDR_PARTIAL_IV, "Partial IV"},
    {10, "kid context"},
    {13, "kcwt"},
    {14, "kccs"},
    {MM_HDR_CWT_CLAIMS, "CWT Claims"},
    {16, "typ"},
    {32, "x5bag"},
    {MM_HDR_X5CHAIN, "x5chain"},
    {MM_HDR_X5T, "x5t"},
    {35, "x5u"},
    {394, "receipts"},
    {395, "vds"},
    {396, "vdp"},
    {MM_HDR_EPHEMERAL_KEY, "ephemeral key"},
    {MM_HDR_STATIC_KEY, "static key"},
    {MM_HDR_STATIC_KEY_ID, "static key id"},
    {MM_HDR_HPKE_EK, "ek"},
    {MM_HDR_HPKE_PSK_ID, "psk_id"},
    {MM_HDR_SALT, "salt"},
    {MM_HDR_PARTY_U_ID, "PartyU identity"},
    {MM_HDR_PARTY_U_NONCE, "PartyU nonce"},
    {MM_HDR_PARTY_U_OTHER, "PartyU other"},
    {MM_HDR_PARTY_V_ID, "PartyV identity"},
    {MM_HDR_PARTY_V_NONCE, "PartyV nonce"},
    {MM_HDR_PARTY_V_OTHER, "PartyV other"},
};

static const label_name key_names[] = {
    {MM_COSE_KEY_KTY, "kty"},
    {MM_COSE_KEY_KID, "kid"},
    {MM_COSE_KEY_ALG, "alg"},
    {MM_COSE_KEY_OPS, "key_ops"},
    {MM_COSE_KEY_BASE_IV, "Base IV"},
    {MM_COSE_KEY_CRV, "crv"},
    {MM_COSE_KEY_X, "x"},
    {MM_COSE_KEY_Y, "y"},
    {MM_COSE_KEY_D, "d"},
};

/* Which labels a map uses: a header bucket or a COSE_Key (whose -1 and -2
 * depend on its kty). */
typedef enum map_kind { MAP_PLAIN, MAP_HEADERS, MAP_KEY } map_kind;

typedef struct namer {
    map_kind kind;
    int64_t kty; /* MAP_KEY */
} namer;

static const char *label_name_of(const namer *nm, int64_t label)
{
    if (nm->kind == MAP_PLAIN) {
        return NULL;
    }
    if (nm->kind == MAP_KEY) {
        if (nm->kty == MM_KTY_SYMMETRIC && label == -1) {
            return "k";
        }
        if (nm->kty == MM_KTY_RSA && (label == -1 || label == -2)) {
            return label == -1 ? "n" : "e";
        }
    }
    const label_name *t = nm->kind == MAP_KEY ? key_names : header_names;
    size_t n =
        nm->kind == MAP_KEY ? sizeof key_names / sizeof key_names[0] : sizeof header_names / sizeof header_names[0];
    for (size_t i = 0; i < n; i++) {
        if (t[i].label == label) {
            return t[i].name;
        }
    }
    return NULL;
}

/* The name of an integer value under label (alg, kty, crv), or NULL. */
static const char *value_name_of(const namer *nm, int64_t label, int64_t v)
{
    if ((nm->kind == MAP_HEADERS && label == MM_HDR_ALG) || (nm->kind == MAP_KEY && label == MM_COSE_KEY_ALG)) {
        return cli_alg_name(v);
    }
    if (nm->kind == MAP_KEY && label == MM_COSE_KEY_KTY) {
        return cli_kty_name(v);
    }
    if (nm->kind == MAP_KEY && label == MM_COSE_KEY_CRV && (nm->kty == MM_KTY_EC2 || nm->kty == MM_KTY_OKP)) {
        return cli_crv_name(v);
    }
    return NULL;
}

/* Header values that are COSE_Keys. */
static bool holds_key(const namer *nm, int64_t label)
{
    return nm->kind == MAP_HEADERS && (label == MM_HDR_EPHEMERAL_KEY || label == MM_HDR_STATIC_KEY);
}

/* The kty of an encoded COSE_Key map (0 if none). */
static int64_t kty_of(mm_bytes map)
{
    mm_cose_key k;
    return mm_cose_key_decode(map, &k) == MM_OK ? k.parts.kty : 0;
}

/* Reads an integer label (a map key), when the next item is one. */
static bool int_label(mm_cbor_dec *d, int64_t *label)
{
    mm_cbor_item it;
    if (mm_cbor_peek(d, &it) != MM_OK || (it.type != MM_CBOR_UINT && it.type != MM_CBOR_NINT) ||
        it.arg > (uint64_t)INT64_MAX) {
        return false;
    }
    return mm_cbor_get_int(d, INT64_MIN, INT64_MAX, label) == MM_OK;
}

/* True when b holds exactly one encoded container (array, map or tag), as
 * 'mamori cbor show' opens byte strings. */
static bool holds_cbor(mm_bytes b)
{
    if (b.len == 0) {
        return false;
    }
    unsigned mt = b.ptr[0] >> 5;
    return (mt == MM_CBOR_ARRAY || mt == MM_CBOR_MAP || mt == MM_CBOR_TAG) &&
           mm_cbor_check(b, MM_CBOR_ALLOW_INDEF, NULL) == MM_OK;
}

/*
 * Diagnostic notation.
 */

/* One item in diagnostic notation (indented, nested CBOR opened). */
static void edn(cli_out *o, mm_bytes item, bool indent)
{
    cli_out_edn(o, item, indent ? MM_EDN_INDENT | MM_EDN_NESTED : MM_EDN_NESTED);
}

static void comment(cli_out *o, const char *text)
{
    cli_out_put(o, "/");
    cli_out_put(o, text);
    cli_out_put(o, "/ ");
}

static void print_map(cli_out *o, mm_bytes map, const namer *nm);

/* One "label: value" pair of a map. */
static void print_pair(cli_out *o, mm_cbor_dec *d, const namer *nm)
{
    int64_t label = 0;
    bool is_int = int_label(d, &label);
    mm_bytes raw;
    if (!is_int) {
        if (mm_cbor_get_raw(d, &raw) != MM_OK) {
            o->failed = true;
            return;
        }
        edn(o, raw, false);
    } else {
        const char *name = label_name_of(nm, label);
        if (name != NULL) {
            comment(o, name);
        }
        printf("%lld", (long long)label);
    }
    cli_out_put(o, ": ");
    if (mm_cbor_get_raw(d, &raw) != MM_OK) {
        o->failed = true;
        return;
    }
    if (is_int && holds_key(nm, label) && raw.len != 0 && (raw.ptr[0] >> 5) == MM_CBOR_MAP) {
        namer key = {MAP_KEY, kty_of(raw)};
        print_map(o, raw, &key);
        return;
    }
    edn(o, raw, true);
    mm_cbor_dec vd;
    int64_t v = 0;
    const char *vname = NULL;
    if (is_int && mm_cbor_dec_init(&vd, raw, 0) == MM_OK && int_label(&vd, &v)) {
        vname = value_name_of(nm, label, v);
    }
    if (vname != NULL) {
        cli_out_put(o, " /");
        cli_out_put(o, vname);
        cli_out_put(o, "/");
    }
}

/* A map, one pair per line. */
static void print_map(cli_out *o, mm_bytes map, const namer *nm)
{
    mm_cbor_dec d;
    size_t n = 0;
    if (mm_cbor_dec_init(&d, map, 0) != MM_OK || mm_cbor_enter_map(&d, &n) != MM_OK) {
        o->failed = true;
        return;
    }
    if (n == 0) {
        cli_out_put(o, "{}");
        return;
    }
    cli_out_put(o, "{");
    o->indent += 2;
    for (size_t i = 0; i < n && !o->failed; i++) {
        cli_out_newline(o);
        print_pair(o, &d, nm);
        if (i + 1 < n) {
            cli_out_put(o, ",");
        }
    }
    o->indent -= 2;
    cli_out_newline(o);
    cli_out_put(o, "}");
}

/* The two header buckets, each on its lines. */
static void print_headers(cli_out *o, const mm_cose_headers *h)
{
    namer nm = {MAP_HEADERS, 0};
    cli_out_newline(o);
    comment(o, "protected");
    if (h->protected_bytes.len == 0) {
        cli_out_put(o, "h''");
    } else {
        cli_out_put(o, "<< ");
        print_map(o, h->protected_bytes, &nm);
        cli_out_put(o, " >>");
    }
    cli_out_put(o, ",");
    cli_out_newline(o);
    comment(o, "unprotected");
    print_map(o, h->unprotected, &nm);
    cli_out_put(o, ",");
}

/* A payload or ciphertext field: nil when detached, nested CBOR opened. */
static void print_content(cli_out *o, const char *name, mm_bytes b, bool detached, bool nested, bool last)
{
    cli_out_newline(o);
    comment(o, name);
    if (detached) {
        cli_out_put(o, "null /detached/");
    } else if (nested && holds_cbor(b)) {
        cli_out_put(o, "<< ");
        edn(o, b, true);
        cli_out_put(o, " >>");
    } else {
        cli_out_hex(o, b);
    }
    cli_out_put(o, last ? "" : ",");
}

static void print_bytes_field(cli_out *o, const char *name, mm_bytes b, bool last)
{
    cli_out_newline(o);
    comment(o, name);
    cli_out_hex(o, b);
    cli_out_put(o, last ? "" : ",");
}

static void open_message(cli_out *o, cli_cose_type t, bool tagged, uint64_t tag)
{
    comment(o, cli_cose_type_name(t));
    if (tagged) {
        printf("%llu(", (unsigned long long)tag);
    }
    cli_out_put(o, "[");
    o->indent += 2;
}

static void close_message(cli_out *o, bool tagged)
{
    o->indent -= 2;
    cli_out_newline(o);
    cli_out_put(o, tagged ? "])" : "]");
}

/* A COSE_Sign's signatures or a COSE_Encrypt's recipients. */
static void print_layers(cli_out *o, const char *list, const char *field, const mm_cose_headers *const *hdrs,
                         const mm_bytes *values, size_t n)
{
    cli_out_newline(o);
    comment(o, list);
    cli_out_put(o, "[");
    o->indent += 2;
    for (size_t i = 0; i < n; i++) {
        cli_out_newline(o);
        cli_out_put(o, "[");
        o->indent += 2;
        print_headers(o, hdrs[i]);
        print_bytes_field(o, field, values[i], true);
        o->indent -= 2;
        cli_out_newline(o);
        cli_out_put(o, i + 1 < n ? "]," : "]");
    }
    o->indent -= 2;
    cli_out_newline(o);
    cli_out_put(o, "]");
}

/*
 * JSON.
 */

static json_t *cbor_json(mm_cbor_dec *d, const namer *nm);

/* A map's pairs as members, keys named where known. */
static json_t *map_json(mm_cbor_dec *d, const namer *nm)
{
    size_t n = 0;
    if (mm_cbor_enter_map(d, &n) != MM_OK) {
        return NULL;
    }
    json_t *obj = json_object();
    for (size_t i = 0; i < n && obj != NULL; i++) {
        int64_t label = 0;
        char key[48];
        mm_bytes text;
        mm_cbor_item it;
        bool is_int = int_label(d, &label);
        const char *name = is_int ? label_name_of(nm, label) : NULL;
        if (name != NULL) {
            snprintf(key, sizeof key, "%s", name);
        } else if (is_int) {
            snprintf(key, sizeof key, "%lld", (long long)label);
        } else if (mm_cbor_peek(d, &it) == MM_OK && it.type == MM_CBOR_TSTR && mm_cbor_get_tstr(d, &text) == MM_OK) {
            snprintf(key, sizeof key, "%.*s", (int)(text.len < 47 ? text.len : 47), (const char *)text.ptr);
        } else if (mm_cbor_skip(d) == MM_OK) {
            snprintf(key, sizeof key, "key %zu", i); /* a label of another type */
        } else {
            break;
        }
        mm_cbor_item vi;
        json_t *v = NULL;
        mm_bytes raw;
        int64_t x = 0;
        const char *vname = NULL;
        if (is_int && mm_cbor_peek(d, &vi) == MM_OK && vi.type == MM_CBOR_MAP && holds_key(nm, label) &&
            mm_cbor_get_raw(d, &raw) == MM_OK) {
            namer key_namer = {MAP_KEY, kty_of(raw)};
            mm_cbor_dec kd;
            v = mm_cbor_dec_init(&kd, raw, 0) == MM_OK ? map_json(&kd, &key_namer) : NULL;
        } else if (is_int && int_label(d, &x)) {
            vname = value_name_of(nm, label, x);
            v = vname != NULL ? json_string(vname) : json_integer(x);
        } else {
            namer plain = {MAP_PLAIN, 0}; /* labels of nested maps are not named */
            v = cbor_json(d, &plain);
        }
        if (v == NULL || json_object_set_new(obj, key, v) != 0) {
            json_decref(obj);
            obj = NULL;
        }
    }
    return obj != NULL && mm_cbor_exit(d) == MM_OK ? obj : (json_decref(obj), NULL);
}

/* Any item: ints as numbers, byte strings as hex, text as strings, tags as
 * {"tag": n, "value": ...}. */
static json_t *cbor_json(mm_cbor_dec *d, const namer *nm)
{
    mm_cbor_item it;
    if (mm_cbor_peek(d, &it) != MM_OK) {
        return NULL;
    }
    mm_bytes b;
    switch (it.type) {
    case MM_CBOR_UINT:
    case MM_CBOR_NINT:
        if (it.arg <= (uint64_t)INT64_MAX) {
            int64_t v = 0;
            return mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &v) == MM_OK ? json_integer(v) : NULL;
        }
        break;
    case MM_CBOR_BSTR:
        return mm_cbor_get_bstr(d, &b) == MM_OK ? cli_json_hex(b) : NULL;
    case MM_CBOR_TSTR:
        return mm_cbor_get_tstr(d, &b) == MM_OK ? json_stringn((const char *)b.ptr, b.len) : NULL;
    case MM_CBOR_MAP:
        return map_json(d, nm);
    case MM_CBOR_ARRAY: {
        size_t n = 0;
        if (mm_cbor_enter_array(d, &n) != MM_OK) {
            return NULL;
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n && arr != NULL; i++) {
            if (json_array_append_new(arr, cbor_json(d, nm)) != 0) {
                json_decref(arr);
                arr = NULL;
            }
        }
        return arr != NULL && mm_cbor_exit(d) == MM_OK ? arr : (json_decref(arr), NULL);
    }
    case MM_CBOR_TAG: {
        uint64_t tag = 0;
        if (mm_cbor_get_tag(d, &tag) != MM_OK) {
            return NULL;
        }
        json_t *o = json_object();
        json_object_set_new(o, "tag", json_integer((json_int_t)tag));
        json_object_set_new(o, "value", cbor_json(d, nm));
        return o;
    }
    case MM_CBOR_FALSE:
    case MM_CBOR_TRUE:
        return mm_cbor_skip(d) == MM_OK ? json_boolean(it.type == MM_CBOR_TRUE) : NULL;
    case MM_CBOR_NULL:
        return mm_cbor_skip(d) == MM_OK ? json_null() : NULL;
    default:
        break;
    }
    /* Big integers, floats and simple values: their diagnostic notation. */
    mm_bytes raw;
    if (mm_cbor_get_raw(d, &raw) != MM_OK) {
        return NULL;
    }
    char text[64];
    mm_buf buf = mm_buf_make(text, sizeof text);
    mm_edn_opts eo = {0, 0, 0, 0};
    return mm_cbor_edn_buf(raw, &eo, &buf, NULL) == MM_OK ? json_stringn(text, buf.len) : json_string("?");
}

static json_t *bucket_json(mm_bytes map)
{
    namer nm = {MAP_HEADERS, 0};
    mm_cbor_dec d;
    if (map.len == 0) {
        return json_object();
    }
    return mm_cbor_dec_init(&d, map, 0) == MM_OK ? map_json(&d, &nm) : NULL;
}

static void headers_json(json_t *o, const mm_cose_headers *h)
{
    json_object_set_new(o, "protected", bucket_json(h->protected_bytes));
    json_object_set_new(o, "unprotected", bucket_json(h->unprotected));
}

static void content_json(json_t *o, const char *name, mm_bytes b, bool detached)
{
    json_object_set_new(o, "detached", json_boolean(detached));
    json_object_set_new(o, name, detached ? json_null() : cli_json_hex(b));
}

static json_t *layers_json(const char *field, const mm_cose_headers *const *hdrs, const mm_bytes *values, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_object();
        headers_json(l, hdrs[i]);
        json_object_set_new(l, field, cli_json_hex(values[i]));
        json_array_append_new(arr, l);
    }
    return arr;
}

/*
 * The command.
 */

/* The decoded message. */
typedef struct shown {
    cli_cose_type type;
    bool tagged;
    uint64_t tag;
    const mm_cose_headers *hdr;
    mm_bytes content; /* payload or ciphertext */
    bool detached;
    mm_bytes last; /* signature or tag (Sign1, Mac0) */
    const mm_cose_headers *layer_hdrs[SHOW_MAX_LAYERS];
    mm_bytes layer_values[SHOW_MAX_LAYERS];
    size_t n_layers;
    /* storage */
    mm_cose_sign1 sign1;
    mm_cose_mac0 mac0;
    mm_cose_sign sign;
    mm_cose_encrypt enc;
    mm_cose_signature signers[SHOW_MAX_LAYERS];
    mm_cose_recipient recipients[SHOW_MAX_LAYERS];
} shown;

static mm_err decode(mm_bytes data, cli_cose_type type, shown *s, size_t *off)
{
    mm_err e;
    s->type = type;
    switch (type) {
    case CLI_COSE_SIGN1:
        e = mm_cose_sign1_decode(data, &s->sign1, off);
        s->hdr = &s->sign1.hdr;
        s->tagged = s->sign1.tagged;
        s->tag = MM_COSE_TAG_SIGN1;
        s->content = s->sign1.payload;
        s->detached = s->sign1.detached;
        s->last = s->sign1.signature;
        return e;
    case CLI_COSE_MAC0:
        e = mm_cose_mac0_decode(data, &s->mac0, off);
        s->hdr = &s->mac0.hdr;
        s->tagged = s->mac0.tagged;
        s->tag = MM_COSE_TAG_MAC0;
        s->content = s->mac0.payload;
        s->detached = s->mac0.detached;
        s->last = s->mac0.tag;
        return e;
    case CLI_COSE_SIGN:
        e = mm_cose_sign_decode(data, &s->sign, s->signers, SHOW_MAX_LAYERS, off);
        s->hdr = &s->sign.hdr;
        s->tagged = s->sign.tagged;
        s->tag = MM_COSE_TAG_SIGN;
        s->content = s->sign.payload;
        s->detached = s->sign.detached;
        s->n_layers = s->sign.n_signers;
        for (size_t i = 0; i < s->n_layers; i++) {
            s->layer_hdrs[i] = &s->signers[i].hdr;
            s->layer_values[i] = s->signers[i].signature;
        }
        return e;
    case CLI_COSE_ENCRYPT0:
    case CLI_COSE_ENCRYPT:
        e = type == CLI_COSE_ENCRYPT0 ? mm_cose_encrypt0_decode(data, &s->enc, off)
                                      : mm_cose_encrypt_decode(data, &s->enc, s->recipients, SHOW_MAX_LAYERS, off);
        s->hdr = &s->enc.hdr;
        s->tagged = s->enc.tagged;
        s->tag = type == CLI_COSE_ENCRYPT0 ? MM_COSE_TAG_ENCRYPT0 : MM_COSE_TAG_ENCRYPT;
        s->content = s->enc.ciphertext;
        s->detached = s->enc.detached;
        s->n_layers = s->enc.n_recipients;
        for (size_t i = 0; i < s->n_layers; i++) {
            s->layer_hdrs[i] = &s->recipients[i].hdr;
            s->layer_values[i] = s->recipients[i].ciphertext;
        }
        return e;
    default:
        return MM_ERR_UNSUPPORTED;
    }
}

static int print_edn(const shown *s)
{
    cli_out o = {0, false};
    bool enc = s->type == CLI_COSE_ENCRYPT0 || s->type == CLI_COSE_ENCRYPT;
    open_message(&o, s->type, s->tagged, s->tag);
    print_headers(&o, s->hdr);
    bool more = s->type != CLI_COSE_ENCRYPT0;
    print_content(&o, enc ? "ciphertext" : "payload", s->content, s->detached, !enc, !more);
    if (s->type == CLI_COSE_SIGN1 || s->type == CLI_COSE_MAC0) {
        print_bytes_field(&o, s->type == CLI_COSE_SIGN1 ? "signature" : "tag", s->last, true);
    } else if (more) {
        print_layers(&o, enc ? "recipients" : "signatures", enc ? "ciphertext" : "signature", s->layer_hdrs,
                     s->layer_values, s->n_layers);
    }
    close_message(&o, s->tagged);
    cli_out_put(&o, "\n");
    if (o.failed || fflush(stdout) != 0) {
        return cli_fail(CLI_IOERR, "standard output", "write failed");
    }
    return CLI_OK;
}

static int print_json(const shown *s)
{
    bool enc = s->type == CLI_COSE_ENCRYPT0 || s->type == CLI_COSE_ENCRYPT;
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(cli_cose_type_name(s->type)));
    json_object_set_new(o, "tagged", json_boolean(s->tagged));
    headers_json(o, s->hdr);
    content_json(o, enc ? "ciphertext" : "payload", s->content, s->detached);
    if (s->type == CLI_COSE_SIGN1 || s->type == CLI_COSE_MAC0) {
        json_object_set_new(o, s->type == CLI_COSE_SIGN1 ? "signature" : "tag", cli_json_hex(s->last));
    } else if (s->type != CLI_COSE_ENCRYPT0) {
        json_object_set_new(o, enc ? "recipients" : "signatures",
                            layers_json(enc ? "ciphertext" : "signature", s->layer_hdrs, s->layer_values, s->n_layers));
    }
    return cli_json_print(o);
}

int cose_show(int argc, char **argv)
{
    static const cli_opts spec = {"cose show", show_help, cli_json_opt, 1};
    bool json = false;
    cli_input in;
    int rc = cli_parse_input(&spec, &json, argc, argv, "expected one input file", NULL, &in);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    const char *path = in.path;
    mm_bytes msg = mm_bytes_make(in.data, in.len);
    cli_cose_type type = cli_cose_classify(msg);
    /* Untagged messages of one shape: their algorithms did not tell. */
    type = type == CLI_COSE_SIGN1_OR_MAC0 ? CLI_COSE_SIGN1 : type == CLI_COSE_SIGN_OR_ENCRYPT ? CLI_COSE_SIGN : type;
    shown *s = calloc(1, sizeof *s);
    size_t off = 0;
    if (s == NULL) {
        rc = cli_fail(CLI_SOFTWARE, path, "out of memory");
    } else if (type == CLI_COSE_UNKNOWN || type == CLI_COSE_MAC) {
        rc = cli_fail(CLI_DATAERR, path, "%s",
                      type == CLI_COSE_MAC ? "COSE_Mac is not supported" : "not a COSE message");
    } else {
        mm_err e = decode(msg, type, s, &off);
        rc = e != MM_OK ? cli_fail_decode(path, e, off) : json ? print_json(s) : print_edn(s);
    }
    free(s);
    free(in.data);
    return rc;
}
