/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori verifier challenge and appraise: the client side of the Verifier
 * (docs/verifier.md, "HTTP API"), as a relying party or a device's agent
 * uses it. A result is shown whatever it says; it is believed only when
 * verified with the Verifier's key (--verifier-key, or later `mamori eat
 * verify-result`).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mamori/crypto_openssl.h"
#include "mamori/eat_json.h"
#include "mamori/http.h"
#include "verifier_cli.h"

static const char challenge_help[] = "usage: mamori verifier challenge --url URL [options]\n"
                                     "\n"
                                     "Asks the Verifier at URL for a nonce (POST /challenge) and prints it in hex,\n"
                                     "for the attester's evidence (mamori eat issue --nonce). A nonce is accepted\n"
                                     "once, and only before it expires.\n"
                                     "\n"
                                     "options:\n"
                                     "  --url URL          the Verifier (http:// or https://)\n"
                                     "  -o, --out FILE     write the nonce (hex) to FILE instead\n"
                                     "  --json             print the nonce and its expiry as JSON\n"
                                     "  --ca-file PEM      trust anchors for https (default: the system's)\n"
                                     "  -h, --help         show this help\n"
                                     "\n"
                                     "Exit status: 0 done, 64 usage, 69 the Verifier unreachable or failing, 73 and\n"
                                     "74 output errors, 76 an answer the API does not define.\n";

static const char appraise_help[] = "usage: mamori verifier appraise --url URL [options] EVIDENCE\n"
                                    "\n"
                                    "Sends EVIDENCE (an EAT CWT) to the Verifier at URL (POST /appraise), writes\n"
                                    "the attestation result it signs (an EAR) and prints its verdict: the status,\n"
                                    "the trustworthiness vector and the checks that failed. A refusal prints its\n"
                                    "reason: the check that failed and why.\n"
                                    "\n"
                                    "options:\n"
                                    "  --url URL            the Verifier\n"
                                    "  -o, --out RESULT     write the result to RESULT\n"
                                    "  --jwt                ask for the result as a JWT (default: a CWT)\n"
                                    "  --profile URI        send the evidence's eat_profile in its media type\n"
                                    "  --verifier-key KEY   verify the result with the Verifier's public key before\n"
                                    "                       showing it (else it is shown as unverified)\n"
                                    "  --ca-file PEM        trust anchors for https\n"
                                    "  -q, --quiet          print nothing but errors\n"
                                    "  -h, --help           show this help\n"
                                    "\n"
                                    "Exit status: 0 the result is affirming, 1 it is not (warning,\n"
                                    "contraindicated), or the Verifier refused the evidence (its reason on\n"
                                    "stderr), or the result does not verify, 64 usage, 65 evidence the Verifier\n"
                                    "finds malformed, 66 missing file, 69 the Verifier unreachable or failing, 73\n"
                                    "and 74 output errors, 76 an answer the API does not define.\n";

/* Largest answer read. */
#define REPLY_MAX ((size_t)1 << 20)

/* url + path, without a doubled '/'. */
static int endpoint(const char *url, const char *path, char *out, size_t cap)
{
    size_t n = strlen(url);
    while (n != 0 && url[n - 1] == '/') {
        n--;
    }
    int w = snprintf(out, cap, "%.*s%s", (int)n, url, path);
    return w > 0 && (size_t)w < cap ? CLI_OK : cli_fail(CLI_USAGE, "--url", "too long");
}

/* A refusal or failure answer: its problem details, on stderr. */
static int refused(const char *what, const char *url, const mm_http_reply *r)
{
    mm_http_problem_doc p;
    bool doc = strncmp(r->content_type, MM_HTTP_PROBLEM_TYPE, strlen(MM_HTTP_PROBLEM_TYPE)) == 0 &&
               mm_http_problem_decode(mm_bytes_make(r->body, r->len), &p) == MM_OK;
    int code = r->status >= 500                                           ? CLI_UNAVAILABLE
               : r->status == 403 || r->status == 422                     ? CLI_CHECK_FAILED
               : r->status == 400 || r->status == 413 || r->status == 415 ? CLI_DATAERR
                                                                          : CLI_PROTOCOL;
    if (!doc) {
        return cli_fail(code, url, "answered %ld without problem details", r->status);
    }
    return cli_fail(code, what, "refused (%ld %.*s): %.*s", r->status, (int)p.title.len, (const char *)p.title.ptr,
                    (int)p.detail.len, (const char *)p.detail.ptr);
}

/*
 * challenge
 */
typedef struct challenge_args {
    const char *url, *out, *ca_file;
    bool json;
} challenge_args;

int verifier_challenge(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("url", 0, challenge_args, url),
        CLI_STR("out", 'o', challenge_args, out),
        CLI_STR("ca-file", 0, challenge_args, ca_file),
        CLI_BOOL("json", 0, challenge_args, json),
    };
    static const cli_opts spec = {"verifier challenge", challenge_help, opts, sizeof opts / sizeof opts[0]};
    challenge_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.url == NULL || optind != argc) {
        return cli_usage(spec.cmd, "expected --url URL and no operands");
    }
    char url[1100];
    if (endpoint(a.url, "/challenge", url, sizeof url) != CLI_OK) {
        return CLI_USAGE;
    }
    mm_http_call_opts o = {NULL, "application/cbor", 30000, REPLY_MAX, a.ca_file};
    mm_http_reply r;
    mm_err e = mm_http_call("POST", url, mm_bytes_make(NULL, 0), &o, &r);
    if (e != MM_OK) {
        return cli_fail(CLI_UNAVAILABLE, url, "cannot reach the Verifier (%s)", mm_strerror(e));
    }
    if (r.status != 200) {
        rc = refused("challenge", url, &r);
        mm_http_reply_free(&r);
        return rc;
    }
    /* {"nonce": bstr, "expires": int} */
    static const mm_cbor_field fields[] = {
        {0, "nonce", MM_CBOR_F_BSTR, MM_CBOR_F_REQUIRED, 0, NULL},
        {0, "expires", MM_CBOR_F_INT, MM_CBOR_F_REQUIRED, sizeof(mm_bytes), NULL},
    };
    struct {
        mm_bytes nonce;
        int64_t expires;
    } ch;
    memset(&ch, 0, sizeof ch);
    mm_cbor_dec d;
    e = mm_cbor_dec_init(&d, mm_bytes_make(r.body, r.len), 0);
    if (e == MM_OK) {
        e = mm_cbor_decode_map(&d, fields, 2, &ch, NULL, NULL);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    if (e != MM_OK || ch.nonce.len < MM_EAT_NONCE_MIN || ch.nonce.len > MM_EAT_NONCE_MAX) {
        mm_http_reply_free(&r);
        return cli_fail(CLI_PROTOCOL, url, "not a challenge ({\"nonce\": 8 to 64 bytes, \"expires\": time})");
    }
    char hex[2 * MM_EAT_NONCE_MAX + 2];
    mm_buf hb = mm_buf_make(hex, sizeof hex - 2);
    if (mm_hex_encode(ch.nonce, &hb) != MM_OK) {
        hb.len = 0;
    }
    hex[hb.len++] = '\n';
    if (a.json) {
        json_t *j = json_object();
        json_object_set_new(j, "nonce", json_stringn(hex, hb.len - 1));
        json_object_set_new(j, "expires", json_integer(ch.expires));
        rc = cli_json_print(j);
    } else if (a.out != NULL) {
        rc = cli_write_file(a.out, (const uint8_t *)hex, hb.len, 0644);
    } else {
        rc = fwrite(hex, 1, hb.len, stdout) == hb.len ? CLI_OK : cli_fail(CLI_IOERR, "standard output", "write failed");
    }
    mm_http_reply_free(&r);
    return rc;
}

/*
 * appraise
 */
typedef struct appraise_args {
    const char *url, *out, *profile, *verifier_key, *ca_file;
    bool jwt, quiet;
} appraise_args;

/* Storage for decoding a result. */
typedef struct result_store {
    mm_ear_appraisal appraisals[16];
    mm_bytes policy_ids[32];
    mm_ear_storage st;
} result_store;

/* Decodes (and, with key, verifies) a result into r; *cbor (freed by the
 * caller) holds a JWT's claims-set. */
static mm_err open_result(mm_bytes in, bool jwt, const mm_key *key, result_store *s, uint8_t **cbor, mm_ear *r)
{
    mm_ear_storage st = {s->appraisals, 16, s->policy_ids, 32};
    s->st = st;
    *cbor = NULL;
    if (jwt && key != NULL) {
        return mm_ear_jwt_verify(in, mm_crypto_openssl(), key, NULL, mm_bytes_make(NULL, 0), &s->st, cbor, r);
    }
    if (jwt) {
        /* Unverified: the payload, its JSON claims to CBOR, then decoded. */
        const uint8_t *dot1 = memchr(in.ptr, '.', in.len);
        const uint8_t *dot2 = dot1 != NULL ? memchr(dot1 + 1, '.', in.len - (size_t)(dot1 + 1 - in.ptr)) : NULL;
        if (dot2 == NULL) {
            return MM_ERR_SYNTAX;
        }
        uint8_t *json = NULL;
        size_t json_len = 0;
        mm_err e = mm_json_b64_decode((const char *)dot1 + 1, (size_t)(dot2 - dot1 - 1), &json, &json_len);
        json_error_t jerr;
        json_t *claims = e == MM_OK ? json_loadb((const char *)json, json_len, 0, &jerr) : NULL;
        free(json);
        size_t len = 0;
        e = claims == NULL ? MM_ERR_SYNTAX : mm_eat_json_to_cbor(claims, cbor, &len, NULL);
        json_decref(claims);
        return e == MM_OK ? mm_ear_decode(mm_bytes_make(*cbor, len), &s->st, r, NULL) : e;
    }
    if (key != NULL) {
        mm_cose_verify_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = mm_crypto_openssl();
        o.key = key;
        uint8_t *scratch = malloc(in.len + 1024);
        o.scratch = scratch;
        o.scratch_len = scratch != NULL ? in.len + 1024 : 0;
        mm_err e = mm_ear_verify(in, &o, NULL, mm_bytes_make(NULL, 0), &s->st, r);
        free(scratch);
        return e;
    }
    mm_cbor_dec d;
    mm_bytes msg = mm_bytes_make(NULL, 0);
    bool tagged;
    mm_cose_sign1 s1;
    mm_err e = mm_cbor_dec_init(&d, in, 0);
    if (e == MM_OK && (e = mm_cbor_opt_tag(&d, MM_CWT_TAG, &tagged)) == MM_OK) {
        e = mm_cbor_get_raw(&d, &msg);
    }
    if (e == MM_OK) {
        e = mm_cose_sign1_decode(msg, &s1, NULL);
    }
    return e == MM_OK ? mm_ear_decode(s1.payload, &s->st, r, NULL) : e;
}

static void print_checks(mm_bytes checks)
{
    mm_cbor_dec d;
    size_t n = 0;
    if (mm_cbor_dec_init(&d, checks, 0) != MM_OK || mm_cbor_enter_map(&d, &n) != MM_OK) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        mm_bytes k, v;
        if (mm_cbor_get_tstr(&d, &k) != MM_OK || mm_cbor_get_tstr(&d, &v) != MM_OK) {
            return;
        }
        printf("  failed %.*s: %.*s\n", (int)k.len, (const char *)k.ptr, (int)v.len, (const char *)v.ptr);
    }
}

static void print_verdict(const char *path, const mm_ear *r, bool verified, bool jwt)
{
    const char *status = mm_ar4si_tier_name(r->status);
    printf("%s: %s (EAR %s by %.*s, %s)\n", path, status != NULL ? status : "?", jwt ? "JWT" : "CWT", (int)r->build.len,
           (const char *)r->build.ptr, verified ? "verified with the Verifier's key" : "not verified here");
    for (size_t i = 0; i < r->n_submods; i++) {
        const mm_ear_appraisal *ap = &r->submods[i];
        const char *tier = mm_ar4si_tier_name(ap->status);
        printf("%.*s: %s\n", (int)ap->name.len, (const char *)ap->name.ptr, tier != NULL ? tier : "?");
        for (unsigned c = 0; c < MM_AR4SI_CATEGORIES; c++) {
            if ((ap->vector.present & (1u << c)) != 0) {
                int v =
                    ap->vector.claim[c]; // NOLINT(bugprone-signed-char-misuse,cert-str34-c): AR4SI claims are signed
                printf("  %-18s %4d  %s\n", mm_ar4si_category_name(c), v, mm_ar4si_tier_name((int)mm_ar4si_tier_of(v)));
            }
        }
        if ((ap->present & MM_EAR_AP_CHECKS) != 0) {
            print_checks(ap->checks);
        }
    }
}

static int run_appraise(const appraise_args *a, const char *path, mm_bytes evidence, const cli_key *key)
{
    char url[1100];
    if (endpoint(a->url, "/appraise", url, sizeof url) != CLI_OK) {
        return CLI_USAGE;
    }
    char type[600];
    if (a->profile != NULL) {
        snprintf(type, sizeof type, "application/eat+cwt; eat_profile=\"%s\"", a->profile);
    } else {
        snprintf(type, sizeof type, "application/eat+cwt");
    }
    mm_http_call_opts o = {type, a->jwt ? "application/eat+jwt" : "application/eat+cwt", 30000, REPLY_MAX, a->ca_file};
    mm_http_reply r;
    mm_err e = mm_http_call("POST", url, evidence, &o, &r);
    if (e != MM_OK) {
        return cli_fail(CLI_UNAVAILABLE, url, "cannot reach the Verifier (%s)", mm_strerror(e));
    }
    if (r.status != 200) {
        int rc = refused(path, url, &r);
        mm_http_reply_free(&r);
        return rc;
    }
    result_store *s = calloc(1, sizeof *s);
    uint8_t *cbor = NULL;
    mm_ear ear;
    memset(&ear, 0, sizeof ear);
    bool jwt = strncmp(r.content_type, "application/eat+jwt", 19) == 0;
    mm_bytes body = mm_bytes_make(r.body, r.len);
    e = s == NULL ? MM_ERR_PLATFORM : open_result(body, jwt, key != NULL ? &key->key : NULL, s, &cbor, &ear);
    int rc = CLI_OK;
    if (e != MM_OK) {
        rc = key != NULL && mm_err_class(e) == 3
                 ? cli_fail(CLI_CHECK_FAILED, url, "the result does not verify with the Verifier's key: %s (%s)",
                            mm_strerror(e), mm_errname(e))
                 : cli_fail(CLI_PROTOCOL, url, "not an attestation result: %s (%s)", mm_strerror(e), mm_errname(e));
    }
    if (rc == CLI_OK && a->out != NULL) {
        rc = cli_write_file(a->out, r.body, r.len, 0644);
    }
    if (rc == CLI_OK && !a->quiet) {
        print_verdict(path, &ear, key != NULL, jwt);
    }
    if (rc == CLI_OK && ear.status != MM_AR4SI_AFFIRMING) {
        rc = CLI_CHECK_FAILED;
    }
    free(cbor);
    free(s);
    mm_http_reply_free(&r);
    return rc;
}

int verifier_appraise(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("url", 0, appraise_args, url),         CLI_STR("out", 'o', appraise_args, out),
        CLI_STR("profile", 0, appraise_args, profile), CLI_STR("verifier-key", 0, appraise_args, verifier_key),
        CLI_STR("ca-file", 0, appraise_args, ca_file), CLI_BOOL("jwt", 0, appraise_args, jwt),
        CLI_BOOL("quiet", 'q', appraise_args, quiet),
    };
    static const cli_opts spec = {"verifier appraise", appraise_help, opts, sizeof opts / sizeof opts[0]};
    appraise_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.url == NULL || argc - optind != 1) {
        return cli_usage(spec.cmd, "expected --url URL and one evidence file");
    }
    if (a.profile != NULL && strchr(a.profile, '"') != NULL) {
        return cli_fail(CLI_USAGE, "--profile", "a URI has no '\"'");
    }
    const char *path = argv[optind];
    cli_key key;
    memset(&key, 0, sizeof key);
    if (a.verifier_key != NULL && (rc = cli_load_key(a.verifier_key, 0, 0, &key)) != CLI_OK) {
        return rc;
    }
    uint8_t *data = NULL;
    size_t len = 0;
    rc = cli_read_file(path, &data, &len);
    if (rc == CLI_OK) {
        rc = run_appraise(&a, path, mm_bytes_make(data, len), a.verifier_key != NULL ? &key : NULL);
    }
    free(data);
    cli_key_free(&key);
    return rc;
}
