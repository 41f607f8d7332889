/* SPDX-License-Identifier: Apache-2.0 */
/* mamori eat: issue, show and verify Entity Attestation Tokens (RFC 9711)
 * and verify attestation results (EAR). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_eat.h"
#include "mamori/crypto_openssl.h"

static const char eat_help[] = "usage: mamori eat <command> [<args>]\n"
                               "\n"
                               "commands:\n"
                               "  issue          sign claims (JSON) as an EAT: a CWT, or a JWT with --jwt\n"
                               "  show           print a token's claims by name, nested tokens opened\n"
                               "  verify         verify an EAT (CWT, JWT or detached bundle)\n"
                               "  verify-result  verify an attestation result (EAR) and print its appraisals\n"
                               "\n"
                               "Keys are PEM, DER or COSE_Key files (see 'mamori key --help').\n"
                               "Run 'mamori eat <command> --help' for a command's options.\n";

static const char issue_help[] = "usage: mamori eat issue --key KEY --claims CLAIMS.json [options] -o TOKEN\n"
                                 "\n"
                                 "Signs the claims in CLAIMS.json (RFC 9711's JSON names, see docs/eat.md) as\n"
                                 "an EAT: a CWT (COSE_Sign1 in tags 61 and 18) by default, a JWT with --jwt.\n"
                                 "Claims of an attestation result (eat_profile \"" MM_EAR_PROFILE "\")\n"
                                 "are checked as an EAR, others as an EAT, before anything is signed.\n"
                                 "\n"
                                 "options:\n"
                                 "  --key KEY          private key (PEM, DER or COSE_Key)\n"
                                 "  --claims FILE      the claims, a JSON object (- for standard input)\n"
                                 "  --nonce HEX        the verifier's nonce (8 to 64 bytes), as eat_nonce\n"
                                 "  --alg ALG          ES256 ES384 ES512 EdDSA PS256 PS384 PS512 (default: the\n"
                                 "                     key's); with --jwt also HS256 HS384 HS512\n"
                                 "  --kid ID           key identifier (text) (default: the key file's kid)\n"
                                 "  --thumbprint-kid   the key's RFC 9679 thumbprint (SHA-256) as kid, as the\n"
                                 "                     TEEP profile identifies keys\n"
                                 "  --jwt              write a JWT (JWS compact) instead of a CWT\n"
                                 "  --no-cwt-tag       CWT: tag 18 only, without the CWT tag 61\n"
                                 "  --untagged         CWT: no tag at all (the TEEP profile's form)\n"
                                 "  -o, --out FILE     the token (- for standard output)\n"
                                 "  -h, --help         show this help\n"
                                 "\n"
                                 "Exit status: 0 written, 64 usage, 65 claims that are not valid or a key that\n"
                                 "cannot sign, 66 missing file, 73 and 74 output errors.\n";

static const char verify_help[] = "usage: mamori eat verify --key KEY [options] TOKEN\n"
                                  "\n"
                                  "Verifies an EAT: a CWT (COSE_Sign1 or COSE_Mac0), a JWT, or a detached EAT\n"
                                  "bundle (CBOR or JSON), then its claims, the nonce, the time claims, and every\n"
                                  "nested token in submods with the key given for it. Exits 0 only when all of\n"
                                  "it holds.\n"
                                  "\n"
                                  "options:\n"
                                  "  --key KEY             the token's key (public key, certificate or HMAC key)\n"
                                  "  --nonce HEX           the nonce the token must carry\n"
                                  "  --nested-key NAME=KEY the key of the nested token in submodule NAME (its\n"
                                  "                        label, or the labels from the top joined by '/');\n"
                                  "                        repeat for more\n"
                                  "  --teep                also check the TEEP EAT profile (kid: the key's RFC 9679\n"
                                  "                        thumbprint; ueid, oemid, hwmodel, hwversion, manifests\n"
                                  "                        and cnf present; no tags; preferred serialization)\n"
                                  "  --now SECONDS         check exp and nbf at this time (default: the clock)\n"
                                  "  --ignore-time         do not check exp and nbf\n"
                                  "  -q, --quiet           print nothing on success\n"
                                  "  -h, --help            show this help\n"
                                  "\n"
                                  "Exit status: 0 valid, 1 a check failed (the reason on stderr), 64 usage, 65\n"
                                  "malformed token or key, 66 missing file.\n";

static const char result_help[] = "usage: mamori eat verify-result --key KEY [options] RESULT\n"
                                  "\n"
                                  "Verifies an attestation result (EAR, draft-ietf-rats-ear), a CWT or a JWT,\n"
                                  "with the verifier's key, and prints its status and, for each appraised\n"
                                  "attester, its status and trustworthiness vector.\n"
                                  "\n"
                                  "options:\n"
                                  "  --key KEY        the verifier's public key (or HMAC key)\n"
                                  "  --nonce HEX      the nonce the result must echo (eat_nonce)\n"
                                  "  --now SECONDS    check exp at this time (default: the clock)\n"
                                  "  --ignore-time    do not check exp\n"
                                  "  --json           print the result's claims as JSON\n"
                                  "  -h, --help       show this help\n"
                                  "\n"
                                  "Exit status: 0 verified (whatever the status it reports), 1 a check failed,\n"
                                  "64 usage, 65 malformed result or key, 66 missing file.\n";

/* Most --nested-key options. */
#define MAX_NESTED 8

/* Clock skew tolerated on exp and nbf, in seconds. */
#define LEEWAY 60

/*
 * Shared pieces.
 */

eat_form eat_classify(mm_bytes data)
{
    size_t i = 0;
    while (i < data.len && (data.ptr[i] == ' ' || data.ptr[i] == '\n' || data.ptr[i] == '\r' || data.ptr[i] == '\t')) {
        i++;
    }
    if (i == data.len) {
        return EAT_FORM_UNKNOWN;
    }
    uint8_t c = data.ptr[i];
    if (c == '{') {
        return EAT_FORM_JSON;
    }
    if (c == '[') {
        return EAT_FORM_JSON_DEB;
    }
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        return EAT_FORM_JWT;
    }
    mm_cbor_dec d;
    mm_cbor_item it;
    if (mm_cbor_dec_init(&d, data, 0) != MM_OK || mm_cbor_peek(&d, &it) != MM_OK) {
        return EAT_FORM_UNKNOWN;
    }
    if (it.type == MM_CBOR_MAP) {
        return EAT_FORM_CLAIMS;
    }
    return it.type == MM_CBOR_TAG && it.arg == MM_EAT_TAG_DEB ? EAT_FORM_CBOR_DEB : EAT_FORM_CWT;
}

mm_bytes eat_trim_eol(mm_bytes text)
{
    while (text.len != 0 && (text.ptr[text.len - 1] == '\n' || text.ptr[text.len - 1] == '\r')) {
        text.len--;
    }
    return text;
}

eat_store *eat_store_new(void)
{
    eat_store *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return NULL;
    }
    mm_eat_storage st = {s->nonces,  64, s->sueids,  64,  s->dloas,   64, s->manifests, 64, s->measurements, 64,
                         s->measres, 64, s->results, 256, s->submods, 64, s->unknown,   64};
    s->st = st;
    mm_ear_storage ear = {s->appraisals, 64, s->policy_ids, 64};
    s->ear = ear;
    return s;
}

int eat_parse_nonce(const char *value, uint8_t nonce[64], size_t *len)
{
    mm_buf out = mm_buf_make(nonce, 64);
    mm_err e = mm_hex_decode(mm_bytes_from_cstr(value), 0, &out, NULL);
    if (e != MM_OK || out.len < MM_EAT_NONCE_MIN) {
        return cli_fail(CLI_USAGE, "--nonce", "expected 8 to 64 bytes in hex");
    }
    *len = out.len;
    return CLI_OK;
}

/* The time checks the options ask for (NULL: none). */
static const mm_cwt_check *time_check(mm_cwt_check *chk, const char *now, bool ignore)
{
    if (ignore) {
        return NULL;
    }
    memset(chk, 0, sizeof *chk);
    chk->now = now != NULL ? strtoll(now, NULL, 10) : (int64_t)time(NULL);
    chk->leeway = LEEWAY;
    return chk;
}

static int fail_mm(const char *what, const char *doing, mm_err e)
{
    return cli_fail(cli_exit_for(e), what, "%s: %s (%s)", doing, mm_strerror(e), mm_errname(e));
}

/*
 * issue
 */

typedef struct issue_args {
    const char *key, *claims, *nonce, *alg, *kid, *out;
    bool jwt, thumbprint_kid;
    unsigned flags;
} issue_args;

/* The claims as the struct they sign from, checked as an EAR or an EAT. */
typedef struct issue_claims {
    eat_store *store;
    bool ear;
    mm_eat_claims eat;
    mm_ear res;
} issue_claims;

static int check_claims(const char *path, mm_bytes cbor, issue_claims *ic)
{
    size_t off = 0;
    mm_err e = ic->ear ? mm_ear_decode(cbor, &ic->store->ear, &ic->res, &off)
                       : mm_eat_claims_decode(cbor, 0, &ic->store->st, &ic->eat, &off);
    if (e != MM_OK) {
        return cli_fail(CLI_DATAERR, path, "the claims are not a valid %s: %s (%s)", ic->ear ? "EAR" : "EAT",
                        mm_strerror(e), mm_errname(e));
    }
    return CLI_OK;
}

static int sign_cwt(const char *path, const issue_claims *ic, const mm_cose_create_opts *co, unsigned flags,
                    size_t guess, mm_buf *out)
{
    *out = mm_buf_make(malloc(guess), guess);
    mm_err e = out->ptr == NULL ? MM_ERR_PLATFORM
               : ic->ear        ? mm_ear_sign(&ic->res, co, flags, out)
                                : mm_eat_sign(&ic->eat, co, flags, out);
    if (e != MM_OK) {
        free(out->ptr);
        out->ptr = NULL;
        return cli_fail(e == MM_ERR_KEY_USAGE || e == MM_ERR_ALG_MISMATCH ? CLI_DATAERR : cli_exit_for(e), path,
                        "cannot sign: %s (%s)", mm_strerror(e), mm_errname(e));
    }
    return CLI_OK;
}

/* The claims of --claims as JSON, with --nonce put in as eat_nonce. */
static int read_claims(const char *path, const uint8_t *nonce, size_t nonce_len, json_t **out)
{
    uint8_t *text = NULL;
    size_t text_len = 0;
    int rc = cli_read_file(path, &text, &text_len);
    if (rc != CLI_OK) {
        return rc;
    }
    json_error_t jerr;
    *out = json_loadb((const char *)text, text_len, 0, &jerr);
    free(text);
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return cli_fail(CLI_DATAERR, path, "not a JSON object: line %d: %s", jerr.line, jerr.text);
    }
    if (nonce_len != 0) {
        char b64[96];
        mm_buf b = mm_buf_make(b64, sizeof b64);
        if (mm_base64_encode(mm_bytes_make(nonce, nonce_len), MM_B64URL, &b) != MM_OK) {
            return cli_fail(CLI_SOFTWARE, path, "cannot encode the nonce");
        }
        json_object_set_new(*out, "eat_nonce", json_stringn(b64, b.len));
    }
    return CLI_OK;
}

static int run_issue(const issue_args *a)
{
    int32_t alg = 0;
    if (a->alg != NULL && (alg = mm_jose_alg(a->alg)) == 0 &&
        cli_alg_parse("--alg", a->alg, CLI_ALG_SIGN, &alg) != CLI_OK) {
        return CLI_USAGE;
    }
    uint8_t nonce[64];
    size_t nonce_len = 0;
    if (a->nonce != NULL && eat_parse_nonce(a->nonce, nonce, &nonce_len) != CLI_OK) {
        return CLI_USAGE;
    }
    json_t *claims = NULL;
    int rc = read_claims(a->claims, nonce, nonce_len, &claims);
    if (rc != CLI_OK) {
        return rc;
    }
    issue_claims ic;
    memset(&ic, 0, sizeof ic);
    const char *profile = json_string_value(json_object_get(claims, "eat_profile"));
    ic.ear = profile != NULL && strcmp(profile, MM_EAR_PROFILE) == 0;
    ic.store = eat_store_new();
    uint8_t *cbor = NULL;
    size_t cbor_len = 0;
    mm_json_where where = {""};
    mm_err e = ic.store == NULL ? MM_ERR_PLATFORM : mm_eat_json_to_cbor(claims, &cbor, &cbor_len, &where);
    if (e != MM_OK) {
        rc = cli_fail(CLI_DATAERR, a->claims, "%s: %s (%s)", where.path[0] != '\0' ? where.path : "claims",
                      mm_strerror(e), mm_errname(e));
    }
    if (rc == CLI_OK) {
        rc = check_claims(a->claims, mm_bytes_make(cbor, cbor_len), &ic);
    }
    cli_key key;
    memset(&key, 0, sizeof key);
    if (rc == CLI_OK) {
        rc = cli_load_key(a->key, 0, CLI_KEY_PRIVATE, &key);
    }
    uint8_t kid_buf[CLI_KID_MAX];
    mm_bytes kid = mm_bytes_make(key.kid, key.kid_len);
    if (rc == CLI_OK && a->kid != NULL) {
        size_t kid_len = 0;
        rc = cli_parse_kid("--kid", a->kid, kid_buf, &kid_len);
        kid = mm_bytes_make(kid_buf, kid_len);
    }
    if (rc == CLI_OK && a->thumbprint_kid) {
        mm_key_parts parts;
        uint8_t part_buf[1200];
        size_t kid_len = 0;
        e = mm_key_export(&key.key, 0, &parts, part_buf, sizeof part_buf);
        if (e == MM_OK) {
            e = mm_cose_key_thumbprint(mm_crypto_openssl(), &parts, MM_ALG_SHA256, kid_buf, &kid_len);
        }
        rc = e == MM_OK ? CLI_OK : fail_mm(a->key, "no thumbprint", e);
        kid = mm_bytes_make(kid_buf, kid_len);
    }
    mm_buf token = mm_buf_make(NULL, 0);
    char *jwt = NULL;
    if (rc == CLI_OK && a->jwt) {
        /* The JSON as given, now that its CBOR form has passed the checks. */
        e = mm_jwt_sign(claims, mm_crypto_openssl(), &key.key, alg, kid, &jwt);
        rc = e == MM_OK ? CLI_OK : fail_mm(a->key, "cannot sign", e);
    } else if (rc == CLI_OK) {
        size_t scratch_len = cbor_len + 1024; /* EdDSA signs the whole ToBeSigned */
        uint8_t *scratch = malloc(scratch_len);
        mm_cose_create_opts co;
        memset(&co, 0, sizeof co);
        co.crypto = mm_crypto_openssl();
        co.key = &key.key;
        co.alg = alg != 0 ? alg : cli_default_alg(&key.key, CLI_ALG_SIGN);
        co.kid = kid;
        co.scratch = scratch;
        co.scratch_len = scratch != NULL ? scratch_len : 0;
        rc = co.alg == 0 ? cli_fail(CLI_DATAERR, a->key, "this key cannot sign")
                         : sign_cwt(a->claims, &ic, &co, a->flags, cbor_len + 512 + MM_SIG_MAX, &token);
        free(scratch);
    }
    if (rc == CLI_OK) {
        rc = jwt != NULL ? cli_write_file(a->out, (const uint8_t *)jwt, strlen(jwt), 0644)
                         : cli_write_file(a->out, token.ptr, token.len, 0644);
    }
    free(jwt);
    free(token.ptr);
    free(cbor);
    free(ic.store);
    json_decref(claims);
    cli_key_free(&key);
    return rc;
}

static int eat_issue(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("key", 0, issue_args, key),
        CLI_STR("claims", 0, issue_args, claims),
        CLI_STR("nonce", 0, issue_args, nonce),
        CLI_STR("alg", 0, issue_args, alg),
        CLI_STR("kid", 0, issue_args, kid),
        CLI_BOOL("jwt", 0, issue_args, jwt),
        CLI_BITS("no-cwt-tag", issue_args, flags, MM_EAT_NO_CWT_TAG),
        CLI_BITS("untagged", issue_args, flags, MM_EAT_UNTAGGED),
        CLI_BOOL("thumbprint-kid", 0, issue_args, thumbprint_kid),
        CLI_STR("out", 'o', issue_args, out),
    };
    static const cli_opts spec = {"eat issue", issue_help, opts, sizeof opts / sizeof opts[0]};
    issue_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.key == NULL || a.claims == NULL || a.out == NULL || argc != optind) {
        return cli_usage(spec.cmd, "expected --key, --claims and -o");
    }
    return run_issue(&a);
}

/*
 * verify
 */

typedef struct nested_key {
    const char *name;
    cli_key key;
} nested_key;

typedef struct verify_ctx {
    nested_key keys[MAX_NESTED];
    size_t n_keys;
    char missing[256]; /* the nested token no key was given for */
} verify_ctx;

/* The key given for the submodule at n's path: by the full path joined
 * with '/', or by the submodule's own label. */
static const nested_key *find_nested(const verify_ctx *v, const mm_eat_nested *n, char *path, size_t cap)
{
    size_t at = 0;
    path[0] = '\0';
    for (unsigned i = 0; i < n->depth; i++) {
        int w = snprintf(path + at, cap - at, "%s%.*s", i == 0 ? "" : "/", (int)n->path[i].len,
                         (const char *)n->path[i].ptr);
        at = w > 0 && (size_t)w < cap - at ? at + (size_t)w : at;
    }
    const mm_bytes *last = &n->path[n->depth - 1];
    for (size_t i = 0; i < v->n_keys; i++) {
        const char *name = v->keys[i].name;
        if (strcmp(name, path) == 0 || (strlen(name) == last->len && memcmp(name, last->ptr, last->len) == 0)) {
            return &v->keys[i];
        }
    }
    return NULL;
}

static mm_err nested_key_for(void *user, const mm_eat_nested *n, const mm_key **key)
{
    verify_ctx *v = user;
    const nested_key *k = find_nested(v, n, v->missing, sizeof v->missing);
    if (k == NULL) {
        return MM_ERR_MISSING_FIELD;
    }
    v->missing[0] = '\0';
    if (n->kind == MM_EAT_SUBMOD_TOKEN) {
        *key = &k->key.key;
        return MM_OK;
    }
    /* A JSON-Selector: ["JWT", token] verified here. */
    json_error_t jerr;
    json_t *sel = json_loadb((const char *)n->token.ptr, n->token.len, 0, &jerr);
    const char *type = json_string_value(json_array_get(sel, 0));
    const char *jwt = json_string_value(json_array_get(sel, 1));
    mm_err e = MM_ERR_UNSUPPORTED;
    if (type != NULL && jwt != NULL && strcmp(type, "JWT") == 0) {
        json_t *claims = NULL;
        e = mm_jwt_verify(mm_bytes_from_cstr(jwt), mm_crypto_openssl(), &k->key.key, &claims, NULL);
        json_decref(claims);
    }
    json_decref(sel);
    return e;
}

typedef struct verify_args {
    const char *key, *nonce, *now;
    bool teep, ignore_time, quiet;
    cli_list nested; /* --nested-key NAME=KEYFILE */
} verify_args;

static int add_nested(void *args, const char *value)
{
    cli_list *l = &((verify_args *)args)->nested;
    if (l->n == MAX_NESTED || strchr(value, '=') == NULL) {
        return cli_fail(CLI_USAGE, "--nested-key", "expected NAME=KEYFILE, at most %d times", MAX_NESTED);
    }
    l->v[l->n++] = value;
    return CLI_OK;
}

static int verify_cbor(const char *path, mm_bytes data, eat_form form, const cli_key *key, const verify_args *a,
                       verify_ctx *v, const mm_bytes *nonce)
{
    eat_store *s = eat_store_new();
    mm_eat_token *t = calloc(1, sizeof *t);
    size_t scratch_len = data.len + 1024;
    uint8_t *scratch = malloc(scratch_len);
    if (s == NULL || t == NULL || scratch == NULL) {
        free(s);
        free(t);
        free(scratch);
        return cli_fail(CLI_SOFTWARE, path, "out of memory");
    }
    mm_cwt_check chk;
    mm_eat_verify_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.key = &key->key;
    o.nonce = *nonce;
    o.time = time_check(&chk, a->now, a->ignore_time);
    o.nested = nested_key_for;
    o.user = v;
    o.flags = a->teep ? MM_EAT_PREFERRED : 0;
    o.storage = &s->st;
    o.scratch = scratch;
    o.scratch_len = scratch_len;
    mm_err e = form == EAT_FORM_CBOR_DEB ? mm_eat_deb_verify(data, &o, t) : mm_eat_verify(data, &o, t);
    int rc = CLI_OK;
    if (e == MM_ERR_MISSING_FIELD && v->missing[0] != '\0') {
        rc =
            cli_fail(CLI_CHECK_FAILED, path, "no key for the nested token in submodule '%s' (give --nested-key %s=KEY)",
                     v->missing, v->missing);
    } else if (e != MM_OK) {
        rc = fail_mm(path, "not valid", e);
    }
    const char *why = NULL;
    if (rc == CLI_OK && a->teep) {
        mm_eat_teep_check tc = {mm_crypto_openssl(), &key->key, 0, mm_bytes_make(NULL, 0)};
        e = mm_eat_teep_profile_check(data, t, &tc, &why);
        if (e != MM_OK) {
            rc = cli_fail(cli_exit_for(e) == CLI_DATAERR ? CLI_CHECK_FAILED : cli_exit_for(e), path,
                          "not a TEEP profile token: %s (%s)", why != NULL ? why : mm_strerror(e), mm_errname(e));
        }
    }
    if (rc == CLI_OK && !a->quiet) {
        const char *alg = cli_alg_name(t->hdr.alg);
        printf("%s: valid %s%s (%s%s%s), %zu submodule%s%s%s\n", path,
               form == EAT_FORM_CBOR_DEB ? "detached EAT bundle, main token " : "", t->mac ? "COSE_Mac0" : "COSE_Sign1",
               t->cwt_tagged ? "CWT tag 61, " : "", alg != NULL ? alg : "alg ?", t->cose_tagged ? "" : ", untagged",
               t->claims.n_submods, t->claims.n_submods == 1 ? "" : "s", nonce->len != 0 ? ", nonce matches" : "",
               a->teep ? ", TEEP profile" : "");
    }
    free(s);
    free(t);
    free(scratch);
    return rc;
}

/* A JWT: the signature, then its claims as an EAT (nonce and time too). */
static int verify_jwt(const char *path, mm_bytes data, const cli_key *key, const verify_args *a, const mm_bytes *nonce)
{
    json_t *claims = NULL;
    json_t *hdr = NULL;
    data = eat_trim_eol(data);
    mm_err e = mm_jwt_verify(data, mm_crypto_openssl(), &key->key, &claims, &hdr);
    if (e != MM_OK) {
        return fail_mm(path, "not valid", e);
    }
    uint8_t *cbor = NULL;
    size_t len = 0;
    mm_json_where where;
    eat_store *s = eat_store_new();
    mm_eat_claims c;
    mm_cwt_check chk;
    const mm_cwt_check *tc = time_check(&chk, a->now, a->ignore_time);
    e = s == NULL ? MM_ERR_PLATFORM : mm_eat_json_to_cbor(claims, &cbor, &len, &where);
    if (e == MM_OK) {
        e = mm_eat_claims_decode(mm_bytes_make(cbor, len), 0, &s->st, &c, NULL);
    }
    if (e == MM_OK && nonce->len != 0) {
        e = (c.present & MM_EAT_HAS_NONCE) == 0 ? MM_ERR_MISSING_FIELD
            : mm_eat_has_nonce(&c, *nonce)      ? MM_OK
                                                : MM_ERR_CLAIM_MISMATCH;
    }
    if (e == MM_OK && tc != NULL) {
        e = mm_cwt_validate(&c.cwt, tc);
    }
    int rc = e == MM_OK ? CLI_OK : fail_mm(path, "not valid", e);
    if (rc == CLI_OK && !a->quiet) {
        printf("%s: valid JWT (%s)%s\n", path, json_string_value(json_object_get(hdr, "alg")),
               nonce->len != 0 ? ", nonce matches" : "");
    }
    free(cbor);
    free(s);
    json_decref(claims);
    json_decref(hdr);
    return rc;
}

static int verify_json_deb(const char *path, mm_bytes data, const cli_key *key, const verify_args *a)
{
    json_error_t jerr;
    json_t *bundle = json_loadb((const char *)data.ptr, data.len, 0, &jerr);
    if (bundle == NULL) {
        return cli_fail(CLI_DATAERR, path, "not JSON: line %d: %s", jerr.line, jerr.text);
    }
    mm_err e = mm_eat_json_deb_verify(bundle, mm_crypto_openssl(), &key->key, NULL);
    json_decref(bundle);
    if (e != MM_OK) {
        return fail_mm(path, "not valid", e);
    }
    if (!a->quiet) {
        printf("%s: valid detached EAT bundle (JSON)\n", path);
    }
    return CLI_OK;
}

static int eat_verify(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("key", 0, verify_args, key),        CLI_STR("nonce", 0, verify_args, nonce),
        CLI_FN("nested-key", add_nested),           CLI_BOOL("teep", 0, verify_args, teep),
        CLI_STR("now", 0, verify_args, now),        CLI_BOOL("ignore-time", 0, verify_args, ignore_time),
        CLI_BOOL("quiet", 'q', verify_args, quiet),
    };
    static const cli_opts spec = {"eat verify", verify_help, opts, sizeof opts / sizeof opts[0]};
    verify_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.key == NULL || argc - optind != 1) {
        return cli_usage(spec.cmd, "expected --key and one token");
    }
    verify_ctx *v = calloc(1, sizeof *v);
    if (v == NULL) {
        return cli_fail(CLI_SOFTWARE, spec.cmd, "out of memory");
    }
    uint8_t nonce_buf[64];
    size_t nonce_len = 0;
    if (rc == CLI_OK && a.nonce != NULL) {
        rc = eat_parse_nonce(a.nonce, nonce_buf, &nonce_len);
    }
    for (size_t i = 0; rc == CLI_OK && i < a.nested.n; i++) {
        char *eq = strchr(a.nested.v[i], '='); /* in argv: NAME ends there */
        *eq = '\0';
        v->keys[i].name = a.nested.v[i];
        rc = cli_load_key(eq + 1, 0, 0, &v->keys[i].key);
        v->n_keys = rc == CLI_OK ? i + 1 : i;
    }
    cli_key key;
    memset(&key, 0, sizeof key);
    uint8_t *data = NULL;
    size_t len = 0;
    if (rc == CLI_OK) {
        rc = cli_load_key(a.key, 0, 0, &key);
    }
    const char *path = rc == CLI_OK ? argv[optind] : NULL;
    if (rc == CLI_OK) {
        rc = cli_read_file(path, &data, &len);
    }
    if (rc == CLI_OK) {
        mm_bytes in = mm_bytes_make(data, len);
        mm_bytes nonce = mm_bytes_make(nonce_buf, nonce_len);
        eat_form form = eat_classify(in);
        switch (form) {
        case EAT_FORM_CWT:
        case EAT_FORM_CBOR_DEB:
            rc = verify_cbor(path, in, form, &key, &a, v, &nonce);
            break;
        case EAT_FORM_JWT:
            rc = verify_jwt(path, in, &key, &a, &nonce);
            break;
        case EAT_FORM_JSON_DEB:
            rc = verify_json_deb(path, in, &key, &a);
            break;
        default:
            rc = cli_fail(CLI_DATAERR, path, "not a token (a CWT, JWT or detached EAT bundle)");
        }
    }
    for (size_t i = 0; i < v->n_keys; i++) {
        cli_key_free(&v->keys[i].key);
    }
    free(v);
    free(data);
    cli_key_free(&key);
    return rc;
}

/*
 * verify-result
 */

static void print_appraisal(const mm_ear_appraisal *ap)
{
    const char *tier = mm_ar4si_tier_name(ap->status);
    printf("%.*s: %s\n", (int)ap->name.len, (const char *)ap->name.ptr, tier != NULL ? tier : "?");
    for (unsigned i = 0; i < MM_AR4SI_CATEGORIES; i++) {
        if ((ap->vector.present & (1u << i)) != 0) {
            int v = (int)ap->vector.claim[i];
            printf("  %-18s %4d  %s\n", mm_ar4si_category_name(i), v, mm_ar4si_tier_name((int)mm_ar4si_tier_of(v)));
        }
    }
    for (size_t i = 0; i < ap->n_policy_ids; i++) {
        printf("  policy             %.*s\n", (int)ap->policy_ids[i].len, (const char *)ap->policy_ids[i].ptr);
    }
    if ((ap->present & MM_EAR_AP_NONCE) != 0) {
        printf("  evidence nonce     ");
        cli_print_hex(stdout, ap->nonce);
        putchar('\n');
    }
    if ((ap->present & MM_EAR_AP_TEEP) != 0) {
        printf("  TEEP claims        %zu bytes (ueid, oemid, hwmodel, hwversion, manifests as evidence had them)\n",
               ap->teep.len);
    }
}

static void print_ear(const char *path, const char *form, const mm_ear *r)
{
    time_t t = (time_t)r->iat;
    struct tm tm;
    char when[32] = "?";
    if (gmtime_r(&t, &tm) != NULL) {
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    printf("%s: verified EAR (%s), issued %s by %.*s (%.*s)\n", path, form, when, (int)r->developer.len,
           (const char *)r->developer.ptr, (int)r->build.len, (const char *)r->build.ptr);
    if ((r->present & MM_EAR_HAS_STATUS) != 0) {
        printf("status: %s\n", mm_ar4si_tier_name(r->status));
    }
    for (size_t i = 0; i < r->n_submods; i++) {
        print_appraisal(&r->submods[i]);
    }
}

typedef struct result_args {
    const char *key, *nonce, *now;
    bool ignore_time, json;
} result_args;

static int run_verify_result(const char *path, mm_bytes in, const cli_key *key, const result_args *a, mm_bytes nonce)
{
    eat_store *s = eat_store_new();
    if (s == NULL) {
        return cli_fail(CLI_SOFTWARE, path, "out of memory");
    }
    mm_cwt_check chk;
    const mm_cwt_check *tc = time_check(&chk, a->now, a->ignore_time);
    mm_ear r;
    uint8_t *cbor = NULL;
    mm_bytes claims;
    mm_err e;
    eat_form form = eat_classify(in);
    if (form == EAT_FORM_JWT) {
        e = mm_ear_jwt_verify(eat_trim_eol(in), mm_crypto_openssl(), &key->key, tc, nonce, &s->ear, &cbor, &r);
    } else if (form == EAT_FORM_CWT) {
        mm_cose_verify_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = mm_crypto_openssl();
        o.key = &key->key;
        size_t scratch_len = in.len + 1024;
        o.scratch = malloc(scratch_len);
        o.scratch_len = o.scratch != NULL ? scratch_len : 0;
        e = mm_ear_verify(in, &o, tc, nonce, &s->ear, &r);
        free(o.scratch);
    } else {
        free(s);
        return cli_fail(CLI_DATAERR, path, "not an attestation result token (a CWT or a JWT)");
    }
    int rc = e == MM_OK ? CLI_OK : fail_mm(path, "not valid", e);
    claims = r.map;
    if (rc == CLI_OK && a->json) {
        json_t *j = NULL;
        e = mm_eat_json_from_cbor(claims, &j, NULL);
        rc = e == MM_OK ? cli_json_print(j) : fail_mm(path, "cannot show", e);
    } else if (rc == CLI_OK) {
        print_ear(path, form == EAT_FORM_JWT ? "JWT" : "CWT", &r);
    }
    free(cbor);
    free(s);
    return rc;
}

static int eat_verify_result(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("key", 0, result_args, key),    CLI_STR("nonce", 0, result_args, nonce),
        CLI_STR("now", 0, result_args, now),    CLI_BOOL("ignore-time", 0, result_args, ignore_time),
        CLI_BOOL("json", 0, result_args, json),
    };
    static const cli_opts spec = {"eat verify-result", result_help, opts, sizeof opts / sizeof opts[0]};
    result_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.key == NULL || argc - optind != 1) {
        return cli_usage(spec.cmd, "expected --key and one result");
    }
    uint8_t nonce[64];
    size_t nonce_len = 0;
    if (a.nonce != NULL && eat_parse_nonce(a.nonce, nonce, &nonce_len) != CLI_OK) {
        return CLI_USAGE;
    }
    const char *path = argv[optind];
    cli_key key;
    memset(&key, 0, sizeof key);
    uint8_t *data = NULL;
    size_t len = 0;
    rc = cli_load_key(a.key, 0, 0, &key);
    if (rc == CLI_OK) {
        rc = cli_read_file(path, &data, &len);
    }
    if (rc == CLI_OK) {
        rc = run_verify_result(path, mm_bytes_make(data, len), &key, &a, mm_bytes_make(nonce, nonce_len));
    }
    free(data);
    cli_key_free(&key);
    return rc;
}

int cmd_eat(int argc, char **argv)
{
    static const cli_cmd cmds[] = {
        {"issue", eat_issue, "issue"},
        {"show", eat_show, "show"},
        {"verify", eat_verify, "verify"},
        {"verify-result", eat_verify_result, "verify a result"},
    };
    return cli_dispatch("mamori eat", cmds, sizeof cmds / sizeof cmds[0], argc, argv, eat_help);
}
