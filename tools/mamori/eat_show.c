/* SPDX-License-Identifier: Apache-2.0 */
/* mamori eat show: a token's layers and claims by name, nested tokens and
 * detached claims-sets opened, for people or as JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_eat.h"
#include "mamori/crypto_openssl.h"

static const char show_help[] = "usage: mamori eat show [options] TOKEN\n"
                                "\n"
                                "Prints an EAT or an attestation result (a CWT, a JWT, a detached EAT bundle\n"
                                "in CBOR or JSON, or a bare claims-set in CBOR or JSON): its layers, then its\n"
                                "claims by their RFC 9711 names, nested tokens in submods opened (their\n"
                                "signatures are not checked). Byte strings are shown in hex; --json shows\n"
                                "RFC 9711's JSON form.\n"
                                "\n"
                                "options:\n"
                                "  --key KEY    also verify the top-level signature with KEY\n"
                                "  --json       print the layers and claims as JSON\n"
                                "  -h, --help   show this help\n"
                                "\n"
                                "Exit status: 0 shown, 1 the signature did not verify (with --key), 64 usage,\n"
                                "65 malformed token, 66 missing file.\n";

/* Deepest token nesting shown (each level a nested token or bundle). */
#define MAX_SHOW_DEPTH 8

typedef struct show_ctx {
    const mm_key *key; /* verify the top level with it, or NULL */
    mm_err verify_err; /* what the top-level verification gave */
} show_ctx;

static mm_err view(show_ctx *s, mm_bytes data, unsigned depth, bool top, json_t **out);

/* Opens the nested tokens of a claims object (in place): a submodule's
 * ["CBOR", ...] or ["JWT", ...] becomes {"token": <its view>}. */
static mm_err open_nested(show_ctx *s, json_t *claims, unsigned depth)
{
    json_t *submods = json_object_get(claims, "submods");
    const char *name;
    json_t *v;
    mm_err e = MM_OK;
    json_object_foreach(submods, name, v)
    {
        const char *type = json_string_value(json_array_get(v, 0));
        const char *body = json_string_value(json_array_get(v, 1));
        if (json_is_object(v)) {
            e = open_nested(s, v, depth);
        } else if (type != NULL && body != NULL && (strcmp(type, "CBOR") == 0 || strcmp(type, "JWT") == 0)) {
            uint8_t *raw = NULL;
            size_t n = strlen(body);
            json_t *inner = NULL;
            bool cbor = strcmp(type, "CBOR") == 0;
            e = cbor ? mm_json_b64_decode(body, n, &raw, &n) : MM_OK;
            if (e == MM_OK) {
                e = view(s, cbor ? mm_bytes_make(raw, n) : mm_bytes_make(body, n), depth + 1, false, &inner);
            }
            free(raw);
            if (e == MM_OK) {
                json_object_set_new(submods, name, json_pack("{s:o}", "token", inner));
            }
        }
        if (e != MM_OK) {
            return e;
        }
    }
    return MM_OK;
}

/* {"token": {...layers...}, "claims": {...}} of a CBOR claims-set. */
static mm_err claims_view(show_ctx *s, mm_bytes cbor, unsigned depth, json_t *layers, json_t **out)
{
    json_t *claims = NULL;
    mm_err e = mm_eat_json_from_cbor(cbor, &claims, NULL);
    if (e == MM_OK) {
        e = open_nested(s, claims, depth);
    }
    if (e != MM_OK) {
        json_decref(claims);
        json_decref(layers);
        return e;
    }
    *out = layers != NULL ? json_pack("{s:o, s:o}", "token", layers, "claims", claims)
                          : json_pack("{s:o}", "claims", claims);
    return MM_OK;
}

static mm_err cwt_view(show_ctx *s, mm_bytes data, unsigned depth, bool top, json_t **out)
{
    mm_cbor_dec d;
    mm_cbor_item it;
    bool cwt_tag = false;
    mm_err e = mm_cbor_dec_init(&d, data, 0);
    if (e == MM_OK && (e = mm_cbor_opt_tag(&d, MM_CWT_TAG, &cwt_tag)) == MM_OK) {
        e = mm_cbor_peek(&d, &it);
    }
    if (e != MM_OK) {
        return e;
    }
    mm_bytes msg = mm_bytes_make(data.ptr + it.offset, data.len - it.offset);
    cli_cose_type type = cli_cose_classify(msg);
    bool mac =
        type == CLI_COSE_MAC0 || (type == CLI_COSE_SIGN1_OR_MAC0 && s->key != NULL && s->key->kty == MM_KTY_SYMMETRIC);
    mm_cose_headers hdr;
    mm_bytes payload;
    bool cose_tag;
    if (mac) {
        mm_cose_mac0 m;
        e = mm_cose_mac0_decode(msg, &m, NULL);
        hdr = m.hdr;
        payload = m.payload;
        cose_tag = m.tagged;
    } else if (type == CLI_COSE_SIGN1 || type == CLI_COSE_SIGN1_OR_MAC0) {
        mm_cose_sign1 m;
        e = mm_cose_sign1_decode(msg, &m, NULL);
        hdr = m.hdr;
        payload = m.payload;
        cose_tag = m.tagged;
    } else {
        return MM_ERR_UNSUPPORTED; /* COSE_Sign, encrypted: not an EAT form this tool opens */
    }
    if (e != MM_OK) {
        return e;
    }
    const char *alg = cli_alg_name(hdr.alg);
    json_t *layers = json_pack("{s:s, s:b, s:s, s:b}", "format", "CWT", "cwt_tag", cwt_tag, "cose",
                               mac ? "COSE_Mac0" : "COSE_Sign1", "cose_tag", cose_tag);
    json_object_set_new(layers, "alg", alg != NULL ? json_string(alg) : json_integer(hdr.alg));
    if ((hdr.present & MM_HDRBIT_KID) != 0) {
        json_object_set_new(layers, "kid", cli_json_hex(hdr.kid));
    }
    const char *verdict = "not verified";
    if (top && s->key != NULL) {
        /* The signature only: a result's claims are not an EAT's. */
        mm_cose_verify_opts v;
        memset(&v, 0, sizeof v);
        v.crypto = mm_crypto_openssl();
        v.key = s->key;
        v.scratch_len = data.len + 1024;
        v.scratch = malloc(v.scratch_len);
        mm_cose_sign1 sm;
        mm_cose_mac0 mm;
        if (v.scratch == NULL) {
            s->verify_err = MM_ERR_PLATFORM;
        } else if (mac) {
            s->verify_err = mm_cose_mac0_decode(msg, &mm, NULL) == MM_OK ? mm_cose_mac0_verify(&mm, &v) : MM_OK;
        } else {
            s->verify_err = mm_cose_sign1_decode(msg, &sm, NULL) == MM_OK ? mm_cose_sign1_verify(&sm, &v) : MM_OK;
        }
        free(v.scratch);
        verdict = s->verify_err == MM_OK ? "verified" : "invalid";
    }
    json_object_set_new(layers, "signature", json_string(verdict));
    return claims_view(s, payload, depth, layers, out);
}

/* A JWT's layers and claims (payload decoded without a key, or verified
 * at the top with one). */
static mm_err jwt_view(show_ctx *s, mm_bytes data, unsigned depth, bool top, json_t **out)
{
    data = eat_trim_eol(data);
    const uint8_t *dot1 = memchr(data.ptr, '.', data.len);
    const uint8_t *dot2 = dot1 != NULL ? memchr(dot1 + 1, '.', data.len - (size_t)(dot1 + 1 - data.ptr)) : NULL;
    if (dot2 == NULL) {
        return MM_ERR_SYNTAX;
    }
    json_t *parts[2] = {NULL, NULL};
    mm_bytes spans[2] = {mm_bytes_make(data.ptr, (size_t)(dot1 - data.ptr)),
                         mm_bytes_make(dot1 + 1, (size_t)(dot2 - dot1 - 1))};
    mm_err e = MM_OK;
    for (int i = 0; i < 2 && e == MM_OK; i++) {
        uint8_t *raw = NULL;
        size_t n = 0;
        json_error_t jerr;
        e = mm_json_b64_decode((const char *)spans[i].ptr, spans[i].len, &raw, &n);
        if (e == MM_OK) {
            parts[i] = json_loadb((const char *)raw, n, 0, &jerr);
            e = json_is_object(parts[i]) ? MM_OK : MM_ERR_SYNTAX;
        }
        free(raw);
    }
    if (e == MM_OK) {
        e = open_nested(s, parts[1], depth);
    }
    if (e != MM_OK) {
        json_decref(parts[0]);
        json_decref(parts[1]);
        return e;
    }
    const char *verdict = "not verified";
    if (top && s->key != NULL) {
        json_t *claims = NULL;
        s->verify_err = mm_jwt_verify(data, mm_crypto_openssl(), s->key, &claims, NULL);
        json_decref(claims);
        verdict = s->verify_err == MM_OK ? "verified" : "invalid";
    }
    json_t *layers = json_pack("{s:s, s:o, s:s}", "format", "JWT", "header", parts[0], "signature", verdict);
    *out = json_pack("{s:o, s:o}", "token", layers, "claims", parts[1]);
    return MM_OK;
}

/* A bundle's view from the views of its main token and detached
 * claims-sets (both released when e says the bundle failed). */
static mm_err bundle_view(mm_err e, const char *format, json_t *main_view, json_t *detached, json_t **out)
{
    if (e != MM_OK) {
        json_decref(main_view);
        json_decref(detached);
        return e;
    }
    *out = json_pack("{s:{s:s}, s:o, s:o}", "token", "format", format, "main", main_view, "detached", detached);
    return MM_OK;
}

/* A CBOR bundle: [main token, {name: bstr .cbor claims-set}]. */
static mm_err cbor_deb_view(show_ctx *s, mm_bytes data, unsigned depth, bool top, json_t **out)
{
    mm_cbor_dec d;
    bool tagged;
    size_t n = 0;
    mm_bytes main = {NULL, 0};
    mm_err e = mm_cbor_dec_init(&d, data, 0);
    if (e == MM_OK && (e = mm_cbor_opt_tag(&d, MM_EAT_TAG_DEB, &tagged)) == MM_OK &&
        (e = mm_cbor_enter_array(&d, &n)) == MM_OK && n == 2) {
        e = mm_cbor_get_bstr(&d, &main);
    }
    if (e == MM_OK && n != 2) {
        e = MM_ERR_CBOR_TYPE;
    }
    json_t *main_view = NULL;
    if (e == MM_OK) {
        e = view(s, main, depth + 1, top, &main_view);
    }
    json_t *detached = json_object();
    if (e == MM_OK) {
        e = mm_cbor_enter_map(&d, &n);
    }
    for (size_t i = 0; i < n && e == MM_OK; i++) {
        mm_bytes name;
        mm_bytes claims;
        json_t *cv = NULL;
        if ((e = mm_cbor_get_tstr(&d, &name)) == MM_OK && (e = mm_cbor_get_bstr(&d, &claims)) == MM_OK &&
            (e = claims_view(s, claims, depth + 1, NULL, &cv)) == MM_OK) {
            json_object_setn_new(detached, (const char *)name.ptr, name.len, cv);
        }
    }
    return bundle_view(e, "detached EAT bundle (CBOR)", main_view, detached, out);
}

static mm_err json_deb_view(show_ctx *s, mm_bytes data, unsigned depth, bool top, json_t **out)
{
    json_error_t jerr;
    json_t *bundle = json_loadb((const char *)data.ptr, data.len, 0, &jerr);
    const char *jwt = json_string_value(json_array_get(json_array_get(bundle, 0), 1));
    json_t *detached_in = json_array_get(bundle, 1);
    if (jwt == NULL || !json_is_object(detached_in)) {
        json_decref(bundle);
        return MM_ERR_SYNTAX;
    }
    json_t *main_view = NULL;
    mm_err e = view(s, mm_bytes_from_cstr(jwt), depth + 1, top, &main_view);
    json_t *detached = json_object();
    const char *name;
    json_t *v;
    json_object_foreach(detached_in, name, v)
    {
        uint8_t *raw = NULL;
        size_t n = 0;
        if (e == MM_OK && (e = mm_json_b64_decode(json_string_value(v), json_string_length(v), &raw, &n)) == MM_OK) {
            json_t *claims = json_loadb((const char *)raw, n, 0, &jerr);
            e = claims != NULL ? MM_OK : MM_ERR_SYNTAX;
            json_object_set_new(detached, name, json_pack("{s:o}", "claims", claims));
        }
        free(raw);
    }
    json_decref(bundle);
    return bundle_view(e, "detached EAT bundle (JSON)", main_view, detached, out);
}

/* A claims-set written in diagnostic notation. */
static mm_err edn_view(show_ctx *s, mm_bytes text, unsigned depth, json_t **out)
{
    mm_buf size = mm_buf_make(NULL, 0);
    mm_err e = mm_cbor_from_edn(text, 0, &size, NULL);
    if (e != MM_ERR_BUFFER_TOO_SMALL) {
        return e == MM_OK ? MM_ERR_SYNTAX : e;
    }
    uint8_t *cbor = malloc(size.len);
    mm_buf b = mm_buf_make(cbor, size.len);
    e = cbor == NULL ? MM_ERR_PLATFORM : mm_cbor_from_edn(text, 0, &b, NULL);
    if (e == MM_OK) {
        e = claims_view(s, mm_bytes_make(cbor, b.len), depth, json_pack("{s:s}", "format", "claims-set (EDN)"), out);
    }
    free(cbor);
    return e;
}

static mm_err view(show_ctx *s, mm_bytes data, unsigned depth, bool top, json_t **out)
{
    if (depth > MAX_SHOW_DEPTH) {
        return MM_ERR_NESTING;
    }
    switch (eat_classify(data)) {
    case EAT_FORM_CWT:
        return cwt_view(s, data, depth, top, out);
    case EAT_FORM_CBOR_DEB:
        return cbor_deb_view(s, data, depth, top, out);
    case EAT_FORM_CLAIMS:
        return claims_view(s, data, depth, NULL, out);
    case EAT_FORM_JWT:
        return jwt_view(s, data, depth, top, out);
    case EAT_FORM_JSON_DEB:
        return json_deb_view(s, data, depth, top, out);
    case EAT_FORM_JSON: {
        json_error_t jerr;
        json_t *claims = json_loadb((const char *)data.ptr, data.len, 0, &jerr);
        if (claims == NULL) {
            return edn_view(s, data, depth, out); /* claims in diagnostic notation, as RFC 9711 shows them */
        }
        mm_err e = open_nested(s, claims, depth);
        *out = json_pack("{s:o}", "claims", claims);
        return e;
    }
    default:
        return MM_ERR_CBOR_TYPE;
    }
}

/*
 * For people.
 */

static void indent(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        putchar(' ');
    }
}

/* A scalar as text: byte-valued claims (base64url in JSON) in hex. */
static void print_scalar(const char *name, const json_t *v)
{
    const mm_eat_claim_info *info = mm_eat_claim_info_by_name(mm_bytes_from_cstr(name));
    unsigned kind = info != NULL ? info->kind : 0;
    bool bytes = kind == MM_EAT_V_BYTES || kind == MM_EAT_V_NONCE || kind == MM_EAT_V_CTI || kind == MM_EAT_V_OEMID;
    uint8_t *raw = NULL;
    size_t n = 0;
    if (json_is_string(v) && bytes &&
        mm_json_b64_decode(json_string_value(v), json_string_length(v), &raw, &n) == MM_OK) {
        cli_print_hex(stdout, mm_bytes_make(raw, n));
        free(raw);
    } else if (json_is_string(v)) {
        fputs(json_string_value(v), stdout);
    } else if (json_is_real(v)) {
        char num[32];
        size_t n_num = mm_cbor_format_double(json_real_value(v), num); /* the shortest that reads back */
        fwrite(num, 1, n_num, stdout);
    } else {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        fputs(text != NULL ? text : "?", stdout);
        free(text);
    }
}

static void print_object(const json_t *obj, unsigned at);

/* jansson iterates objects through non-const pointers; printing only
 * reads. */
static json_t *mut_json(const json_t *j)
{
    union {
        const json_t *c;
        json_t *m;
    } u = {j};
    return u.m;
}

static void print_layers(const json_t *t, unsigned at)
{
    const char *format = json_string_value(json_object_get(t, "format"));
    indent(at);
    fputs(format != NULL ? format : "token", stdout);
    if (json_is_true(json_object_get(t, "cwt_tag"))) {
        fputs(" (tag 61)", stdout);
    }
    const char *cose = json_string_value(json_object_get(t, "cose"));
    if (cose != NULL) {
        printf(", %s%s", cose, json_is_true(json_object_get(t, "cose_tag")) ? "" : " (untagged)");
    }
    json_t *alg = json_object_get(t, "alg");
    if (alg == NULL) {
        alg = json_object_get(json_object_get(t, "header"), "alg");
    }
    if (alg != NULL) {
        fputs(", alg ", stdout);
        print_scalar("", alg);
    }
    const char *kid = json_string_value(json_object_get(t, "kid"));
    if (kid != NULL) {
        printf(", kid %s", kid);
    }
    const char *sig = json_string_value(json_object_get(t, "signature"));
    if (sig != NULL) {
        printf(", signature %s", sig);
    }
    putchar('\n');
}

static void print_view(const json_t *v, unsigned at)
{
    const json_t *t = json_object_get(v, "token");
    if (t != NULL) {
        print_layers(t, at);
    }
    const json_t *main = json_object_get(v, "main");
    if (main != NULL) {
        indent(at + 2);
        puts("main token:");
        print_view(main, at + 4);
        const char *name;
        json_t *d;
        json_object_foreach(json_object_get(v, "detached"), name, d)
        {
            indent(at + 2);
            printf("detached claims-set %s:\n", name);
            print_view(d, at + 4);
        }
    }
    const json_t *claims = json_object_get(v, "claims");
    if (claims != NULL) {
        print_object(claims, t != NULL ? at + 2 : at);
    }
}

static void print_object(const json_t *obj, unsigned at)
{
    const char *name;
    json_t *v;
    json_object_foreach(mut_json(obj), name, v)
    {
        indent(at);
        if (json_is_object(v) && json_object_get(v, "token") != NULL && json_object_size(v) == 1) {
            printf("%s: nested token\n", name);
            print_view(json_object_get(v, "token"), at + 2);
        } else if (json_is_object(v) && json_object_size(v) != 0) {
            printf("%s:\n", name);
            print_object(v, at + 2);
        } else {
            printf("%s: ", name);
            print_scalar(name, v);
            putchar('\n');
        }
    }
}

static int eat_show_run(const char *path, mm_bytes data, const mm_key *key, bool as_json)
{
    show_ctx s = {key, MM_OK};
    json_t *v = NULL;
    mm_err e = view(&s, data, 0, true, &v);
    if (e != MM_OK) {
        json_decref(v);
        return cli_fail(cli_exit_for(e) == CLI_CHECK_FAILED ? CLI_DATAERR : cli_exit_for(e), path,
                        "cannot show: %s (%s)", mm_strerror(e), mm_errname(e));
    }
    int rc;
    if (as_json) {
        rc = cli_json_print(v);
    } else {
        print_view(v, 0);
        json_decref(v);
        rc = fflush(stdout) == 0 ? CLI_OK : CLI_IOERR;
    }
    if (rc == CLI_OK && s.verify_err != MM_OK) {
        rc = cli_fail(CLI_CHECK_FAILED, path, "the signature does not verify: %s (%s)", mm_strerror(s.verify_err),
                      mm_errname(s.verify_err));
    }
    return rc;
}

typedef struct show_args {
    const char *key;
    bool json;
} show_args;

int eat_show(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("key", 0, show_args, key),
        CLI_BOOL("json", 0, show_args, json),
    };
    static const cli_opts spec = {"eat show", show_help, opts, sizeof opts / sizeof opts[0]};
    show_args a = {NULL, false};
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (argc - optind != 1) {
        return cli_usage(spec.cmd, "expected one token");
    }
    const char *key_path = a.key;
    bool as_json = a.json;
    const char *path = argv[optind];
    cli_key key;
    memset(&key, 0, sizeof key);
    uint8_t *data = NULL;
    size_t len = 0;
    rc = key_path != NULL ? cli_load_key(key_path, 0, 0, &key) : CLI_OK;
    if (rc == CLI_OK) {
        rc = cli_read_file(path, &data, &len);
    }
    if (rc == CLI_OK) {
        rc = eat_show_run(path, mm_bytes_make(data, len), key_path != NULL ? &key.key : NULL, as_json);
    }
    free(data);
    cli_key_free(&key);
    return rc;
}
