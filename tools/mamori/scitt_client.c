/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori scitt register and mamori scitt consistency: the client side of a
 * Transparency Service (draft-ietf-scitt-scrapi and mamori's own tree-head
 * and consistency resources, docs/ts.md). Everything a service answers is
 * verified before it is believed: a receipt must prove the statement's own
 * entry under the service's key, a consistency proof must lead from the
 * older root to the newer one the service signed.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "mamori/crypto_openssl.h"
#include "mamori/http.h"
#include "mamori/lms.h"
#include "mamori/scitt.h"

static const char register_help[] = "usage: mamori scitt register --url URL [options] STATEMENT -o RECEIPT\n"
                                    "\n"
                                    "Registers a signed statement with the Transparency Service at URL (SCRAPI\n"
                                    "POST /entries), waits for its receipt (following 303 and polling the entry\n"
                                    "as the service asks), checks that the receipt proves the statement's entry\n"
                                    "under the service's key, and writes it to RECEIPT.\n"
                                    "\n"
                                    "options:\n"
                                    "  --url URL            the service (http:// or https://)\n"
                                    "  -o, --out RECEIPT    where to write the receipt (- for standard output)\n"
                                    "  --transparent OUT    also write the transparent statement: STATEMENT with\n"
                                    "                       the receipt in its receipts header (394)\n"
                                    "  --ts-key KEY         the service's public key (PEM, COSE_Key, COSE_KeySet);\n"
                                    "                       repeatable. Default: the keys the service publishes at\n"
                                    "                       /.well-known/scitt-keys (which proves the receipt is\n"
                                    "                       whole and for this statement, not whom to trust)\n"
                                    "  --timeout SECONDS    give up waiting after this long (default 60)\n"
                                    "  --ca-file PEM        trust anchors for https (default: the system's)\n"
                                    "  -q, --quiet          print nothing on success\n"
                                    "  -h, --help           show this help\n"
                                    "\n"
                                    "Exit status: 0 registered, 1 refused by the service (its reason on stderr)\n"
                                    "or a receipt that does not verify, 64 usage, 65 malformed statement or key,\n"
                                    "66 missing file, 69 service unreachable or failing, 73 and 74 output\n"
                                    "errors, 76 an answer SCRAPI does not define.\n";

static const char consistency_help[] =
    "usage: mamori scitt consistency --url URL --from N [--to M] [options]\n"
    "\n"
    "Checks that the log of the Transparency Service at URL never forked: the\n"
    "tree of N entries is a prefix of the tree of M entries (default: the newest\n"
    "signed tree). The tree heads at N and M must carry the service's signature,\n"
    "and the consistency proof must lead from the root at N to the root at M.\n"
    "Give --root with the root you saw at N before (from a receipt: mamori scitt\n"
    "verify prints it) to check it against the service's history.\n"
    "\n"
    "options:\n"
    "  --url URL            the service\n"
    "  --from N             the older tree size (a size a tree head was signed at)\n"
    "  --to M               the newer tree size (default: the newest)\n"
    "  --root HEX           the root you hold for the tree of N entries\n"
    "  --ts-key KEY         the service's public key; repeatable (default: those it\n"
    "                       publishes at /.well-known/scitt-keys)\n"
    "  --ca-file PEM        trust anchors for https\n"
    "  --json               print the outcome as JSON\n"
    "  -q, --quiet          print nothing on success\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 consistent, 1 not consistent (a fork, or a signature that\n"
    "fails), 64 usage, 65 malformed key, 66 missing file, 69 service unreachable\n"
    "or failing, 76 an answer the API does not define.\n";

/* Most --ts-key options. */
#define MAX_KEY_FILES 16

/* Largest answer read from a service. */
#define REPLY_MAX ((size_t)4 << 20)

/* Longest URL built. */
#define URL_MAX 2048

/* Most polls of an entry, whatever the timeout. */
#define MAX_POLLS 10000

typedef struct client {
    const char *base; /* as given, without a final '/' */
    size_t base_len;
    const char *ca_file;
    mm_http_client *http;
    /* The service keys. */
    cli_key *files[MAX_KEY_FILES];
    size_t counts[MAX_KEY_FILES];
    size_t n_files;
    cli_key *fetched;
    size_t n_fetched;
    mm_scitt_ts_key keys[MAX_KEY_FILES * CLI_KEYSET_MAX];
    size_t n_keys;
} client;

static void client_free(client *c)
{
    for (size_t i = 0; i < c->n_files; i++) {
        cli_free_keys(c->files[i], c->counts[i]);
    }
    if (c->fetched != NULL) {
        for (size_t i = 0; i < c->n_fetched; i++) {
            cli_key_free(&c->fetched[i]);
        }
        free(c->fetched);
    }
    mm_http_client_free(c->http);
}

static int client_init(client *c, const char *url, const char *ca_file)
{
    memset(c, 0, sizeof *c);
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        return cli_fail(CLI_USAGE, "--url", "expected http:// or https://: '%s'", url);
    }
    c->base = url;
    c->base_len = strlen(url);
    while (c->base_len > 8 && url[c->base_len - 1] == '/') {
        c->base_len--;
    }
    if (c->base_len > URL_MAX / 2) {
        return cli_fail(CLI_USAGE, "--url", "longer than %d characters", URL_MAX / 2);
    }
    c->ca_file = ca_file;
    return mm_http_client_new(&c->http) == MM_OK ? CLI_OK : cli_fail(CLI_SOFTWARE, url, "cannot start libcurl");
}

/* The URL of a Location the service sent: absolute as it is, a path from
 * the service's origin (RFC 9110 section 10.2.2 allows either). */
static void url_of(const client *c, const char *location, char *out, size_t cap)
{
    if (strncmp(location, "http://", 7) == 0 || strncmp(location, "https://", 8) == 0) {
        snprintf(out, cap, "%s", location);
        return;
    }
    const char *host = strstr(c->base, "://") + 3;
    const char *slash = memchr(host, '/', c->base_len - (size_t)(host - c->base));
    size_t origin = slash != NULL ? (size_t)(slash - c->base) : c->base_len;
    if (location[0] == '/') {
        snprintf(out, cap, "%.*s%s", (int)origin, c->base, location);
    } else {
        snprintf(out, cap, "%.*s/%s", (int)c->base_len, c->base, location);
    }
}

/* The service's path p, under the base URL. */
static void api_url(const client *c, const char *p, char *out, size_t cap)
{
    snprintf(out, cap, "%.*s%s", (int)c->base_len, c->base, p);
}

static int call(client *c, const char *method, const char *url, mm_bytes body, const char *content_type,
                const char *accept, mm_http_reply *r)
{
    mm_http_call_opts o = {content_type, accept, 30000, REPLY_MAX, c->ca_file};
    mm_err e = mm_http_client_call(c->http, method, url, body, &o, r);
    if (e == MM_ERR_TOO_LARGE) {
        return cli_fail(CLI_PROTOCOL, url, "the answer is larger than %zu bytes", REPLY_MAX);
    }
    if (e != MM_OK) {
        return cli_fail(CLI_UNAVAILABLE, url, "cannot reach the service (%s)", mm_strerror(e));
    }
    return CLI_OK;
}

/* Reports an error answer: its problem details when it has them. */
static int answer_error(const char *what, const mm_http_reply *r)
{
    mm_http_problem_doc p;
    bool doc = strncmp(r->content_type, MM_HTTP_PROBLEM_TYPE, strlen(MM_HTTP_PROBLEM_TYPE)) == 0 &&
               mm_http_problem_decode(mm_bytes_make(r->body, r->len), &p) == MM_OK;
    int code = r->status >= 500 ? CLI_UNAVAILABLE : r->status >= 400 ? CLI_CHECK_FAILED : CLI_PROTOCOL;
    const char *how = r->status >= 500 ? "the service failed" : r->status >= 400 ? "refused" : "unexpected answer";
    if (doc) {
        return cli_fail(code, what, "%s (%ld %.*s): %.*s", how, r->status, (int)p.title.len, (const char *)p.title.ptr,
                        (int)p.detail.len, (const char *)p.detail.ptr);
    }
    return cli_fail(code, what, "%s (HTTP %ld)", how, r->status);
}

/* GETs the service's path, as accept, into *r; url (of URL_MAX) gets its
 * URL. CLI_OK: an answer of 200, for the caller to free; else the error
 * reported and nothing to free. */
static int get(client *c, const char *path, const char *accept, char *url, mm_http_reply *r)
{
    api_url(c, path, url, URL_MAX);
    int rc = call(c, "GET", url, mm_bytes_make(NULL, 0), NULL, accept, r);
    if (rc != CLI_OK || r->status == 200) {
        return rc;
    }
    rc = answer_error(url, r);
    mm_http_reply_free(r);
    return rc;
}

/* keys[0..n) join the keys the client checks with. */
static void add_keys(client *c, cli_key *keys, size_t n)
{
    for (size_t i = 0; keys != NULL && i < n; i++) {
        c->keys[c->n_keys++] = (mm_scitt_ts_key){&keys[i].key, mm_bytes_make(keys[i].kid, keys[i].kid_len)};
    }
}

static int load_keys(client *c, const char *const *files, size_t n)
{
    for (size_t f = 0; f < n; f++) {
        int rc = cli_load_keys(files[f], 0, &c->files[f], &c->counts[f]);
        if (rc != CLI_OK) {
            return rc;
        }
        c->n_files = f + 1;
        add_keys(c, c->files[f], c->counts[f]);
    }
    if (n != 0) {
        return CLI_OK;
    }
    /* The keys the service publishes (SCRAPI 2.1). */
    char url[URL_MAX];
    mm_http_reply r;
    int rc = get(c, "/.well-known/scitt-keys", "application/cbor", url, &r);
    if (rc != CLI_OK) {
        return rc;
    }
    c->fetched = calloc(CLI_KEYSET_MAX, sizeof *c->fetched);
    rc = c->fetched == NULL
             ? cli_fail(CLI_SOFTWARE, url, "out of memory")
             : cli_parse_keys(url, mm_bytes_make(r.body, r.len), c->fetched, CLI_KEYSET_MAX, &c->n_fetched);
    rc = rc == CLI_DATAERR ? CLI_PROTOCOL : rc;
    if (rc == CLI_OK) {
        add_keys(c, c->fetched, c->n_fetched);
    }
    mm_http_reply_free(&r);
    return rc;
}

/* The keys a message with this kid is checked with: those with the kid,
 * else those without one (as mm_scitt_transparent_verify() picks them). */
static size_t keys_for(const client *c, mm_bytes kid, const mm_key **out)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_keys; i++) {
        if (kid.len != 0 && mm_bytes_equal(c->keys[i].kid, kid)) {
            out[n++] = c->keys[i].key;
        }
    }
    for (size_t i = 0; n == 0 && i < c->n_keys; i++) {
        if (c->keys[i].kid.len == 0) {
            out[n++] = c->keys[i].key;
        }
    }
    return n;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * register
 */

typedef struct register_args {
    const char *url, *out, *transparent, *ca_file, *in;
    cli_list ts_keys;
    long timeout_s;
    bool quiet;
} register_args;

/* POSTs the statement, follows 303 and polls until the receipt comes (the
 * reply then holds it), the service refuses, or the time is up. */
static int obtain_receipt(client *c, const register_args *a, mm_bytes stmt, mm_http_reply *got)
{
    char url[URL_MAX];
    api_url(c, "/entries", url, sizeof url);
    double deadline = now_s() + (double)a->timeout_s;
    bool posted = false;
    char location[URL_MAX] = "";
    long wait_ms = 0;
    for (int round = 0; round < MAX_POLLS; round++) {
        if (wait_ms > 0) {
            if (now_s() + (double)wait_ms / 1000.0 > deadline) {
                return cli_fail(CLI_UNAVAILABLE, a->in, "no receipt within %ld s (the entry is %s)", a->timeout_s,
                                location[0] != '\0' ? location : "not registered");
            }
            sleep_ms(wait_ms);
        }
        mm_http_reply r;
        int rc = posted ? call(c, "GET", location, mm_bytes_make(NULL, 0), NULL, "application/cose", &r)
                        : call(c, "POST", url, stmt, "application/cose", "application/cose", &r);
        if (rc != CLI_OK) {
            return rc;
        }
        /* Retry-After is honoured (SCRAPI section 5.1); without it, a short
         * wait that doubles. */
        long after = r.retry_after >= 0 ? (r.retry_after > 30 ? 30000 : r.retry_after * 1000) : -1;
        wait_ms = after >= 0 ? (after == 0 ? 100 : after)
                             : (wait_ms == 0         ? 200
                                : wait_ms * 2 > 4000 ? 4000
                                                     : wait_ms * 2);
        if ((r.status == 201 && !posted) || (r.status == 200 && posted)) {
            *got = r;
            return CLI_OK;
        }
        if ((r.status == 303 && !posted) || (r.status == 302 && posted)) {
            if (r.location[0] == '\0') {
                mm_http_reply_free(&r);
                return cli_fail(CLI_PROTOCOL, url, "a %ld answer without a Location", r.status);
            }
            url_of(c, r.location, location, sizeof location);
            posted = true;
            mm_http_reply_free(&r);
            continue;
        }
        if (r.status == 503 || r.status == 429) {
            mm_http_reply_free(&r); /* busy: try again after the wait */
            continue;
        }
        rc = answer_error(a->in, &r);
        mm_http_reply_free(&r);
        return rc;
    }
    return cli_fail(CLI_UNAVAILABLE, a->in, "no receipt after %d attempts", MAX_POLLS);
}

static int run_register(const register_args *a, client *c, mm_bytes stmt)
{
    mm_scitt_leaf leaf;
    mm_err e = mm_scitt_leaf_of_statement(mm_crypto_openssl(), stmt, &leaf);
    if (e != MM_OK) {
        return cli_fail(CLI_DATAERR, a->in, "not a signed statement (COSE_Sign1): %s (%s)", mm_strerror(e),
                        mm_errname(e));
    }
    int rc = load_keys(c, a->ts_keys.v, a->ts_keys.n);
    mm_http_reply r;
    memset(&r, 0, sizeof r);
    if (rc == CLI_OK) {
        rc = obtain_receipt(c, a, stmt, &r);
    }
    mm_bytes receipt = mm_bytes_make(r.body, r.len);
    mm_scitt_outcome outcome;
    memset(&outcome, 0, sizeof outcome);
    if (rc == CLI_OK) {
        mm_scitt_trust trust;
        memset(&trust, 0, sizeof trust);
        trust.crypto = mm_crypto_openssl();
        trust.keys = c->keys;
        trust.n_keys = c->n_keys;
        trust.algs = mm_lms_cose_algs();
        trust.scratch_len = receipt.len + 1024;
        trust.scratch = malloc(trust.scratch_len);
        e = trust.scratch != NULL ? mm_scitt_receipt_verify_trusted(receipt, &leaf, &trust, &outcome) : MM_ERR_PLATFORM;
        free(trust.scratch);
        if (e != MM_OK) {
            rc = cli_fail(CLI_CHECK_FAILED, a->in, "the service's receipt does not prove the statement: %s (%s)",
                          mm_strerror(e), mm_errname(e));
        }
    }
    if (rc == CLI_OK) {
        rc = cli_write_file(a->out, receipt.ptr, receipt.len, 0644);
    }
    if (rc == CLI_OK && a->transparent != NULL) {
        size_t cap = stmt.len + receipt.len + 64;
        uint8_t *buf = malloc(cap);
        mm_buf out = mm_buf_make(buf, cap);
        e = buf != NULL ? mm_scitt_transparent_create(stmt, &receipt, 1, &out) : MM_ERR_PLATFORM;
        rc = e == MM_OK ? cli_write_file(a->transparent, buf, out.len, 0644)
                        : cli_fail(cli_exit_for(e), a->transparent, "cannot make the transparent statement: %s",
                                   mm_strerror(e));
        free(buf);
    }
    if (rc == CLI_OK && !a->quiet && strcmp(a->out, "-") != 0) {
        fprintf(stdout, "%s: registered: leaf %llu of a tree of %llu, entry ", a->in,
                (unsigned long long)outcome.proven.leaf_index, (unsigned long long)outcome.proven.tree_size);
        cli_print_hex(stdout, mm_bytes_make(leaf.leaf_hash, sizeof leaf.leaf_hash));
        fprintf(stdout, "; receipt in %s%s%s\n", a->out, a->transparent != NULL ? ", transparent statement in " : "",
                a->transparent != NULL ? a->transparent : "");
    }
    mm_http_reply_free(&r);
    return rc;
}

static int set_timeout(void *args, const char *value)
{
    register_args *a = args;
    char *end = NULL;
    a->timeout_s = strtol(value, &end, 10);
    if (*value == '\0' || *end != '\0' || a->timeout_s < 1 || a->timeout_s > 86400) {
        return cli_fail(CLI_USAGE, "--timeout", "expected 1 to 86400 seconds: '%s'", value);
    }
    return CLI_OK;
}

int scitt_register(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("url", 0, register_args, url),
        CLI_STR("out", 'o', register_args, out),
        CLI_STR("transparent", 0, register_args, transparent),
        CLI_LIST("ts-key", 0, register_args, ts_keys, MAX_KEY_FILES),
        CLI_FN("timeout", set_timeout),
        CLI_STR("ca-file", 0, register_args, ca_file),
        CLI_BOOL("quiet", 'q', register_args, quiet),
    };
    static const cli_opts spec = {"scitt register", register_help, opts, sizeof opts / sizeof opts[0]};
    register_args a;
    memset(&a, 0, sizeof a);
    a.timeout_s = 60;
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.url == NULL || a.out == NULL || argc - optind != 1) {
        return cli_usage(spec.cmd, "expected --url, -o and one statement file");
    }
    a.in = argv[optind];
    client cl;
    rc = client_init(&cl, a.url, a.ca_file);
    uint8_t *data = NULL;
    size_t len = 0;
    if (rc == CLI_OK) {
        rc = cli_read_file(a.in, &data, &len);
    }
    if (rc == CLI_OK) {
        rc = run_register(&a, &cl, mm_bytes_make(data, len));
    }
    free(data);
    client_free(&cl);
    return rc;
}

/*
 * consistency
 */

typedef struct head {
    uint64_t size;
    uint8_t root[MM_MERKLE_HASH_LEN];
} head;

/* GET /tree-heads/{size} (or latest): the signed root, its signature
 * checked with the service's keys. */
static int fetch_head(client *c, const char *which, head *h)
{
    char path[64];
    char url[URL_MAX];
    snprintf(path, sizeof path, "/tree-heads/%s", which);
    mm_http_reply r;
    int rc = get(c, path, "application/cose", url, &r);
    if (rc != CLI_OK) {
        return rc == CLI_CHECK_FAILED ? CLI_USAGE : rc; /* no such tree size */
    }
    /* The size served is in the Location (/tree-heads/{size}). */
    const char *at = strrchr(r.location, '/');
    char *end = NULL;
    unsigned long long size = at != NULL ? strtoull(at + 1, &end, 10) : 0;
    mm_cose_sign1 s1;
    mm_err e = mm_cose_sign1_decode(mm_bytes_make(r.body, r.len), &s1, NULL);
    if (at == NULL || end == at + 1 || *end != '\0' || e != MM_OK || s1.detached ||
        s1.payload.len != MM_MERKLE_HASH_LEN) {
        mm_http_reply_free(&r);
        return cli_fail(CLI_PROTOCOL, url, "not a tree head (a COSE_Sign1 with the root and its size)");
    }
    const mm_key *keys[MAX_KEY_FILES * CLI_KEYSET_MAX];
    size_t n = keys_for(c, s1.hdr.kid, keys);
    e = MM_ERR_MISSING_FIELD;
    size_t scratch_len = r.len + 1024;
    uint8_t *scratch = malloc(scratch_len);
    for (size_t i = 0; scratch != NULL && i < n && e != MM_OK; i++) {
        static const int64_t understood[] = {MM_SCITT_HDR_VDS};
        mm_cose_verify_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = keys[i]->crypto;
        o.key = keys[i];
        o.algs = mm_lms_cose_algs();
        o.crit = understood;
        o.n_crit = 1;
        o.scratch = scratch;
        o.scratch_len = scratch_len;
        e = mm_cose_sign1_verify(&s1, &o);
    }
    free(scratch);
    if (e == MM_OK) {
        h->size = size;
        memcpy(h->root, s1.payload.ptr, MM_MERKLE_HASH_LEN);
        rc = CLI_OK;
    } else {
        rc = cli_fail(CLI_CHECK_FAILED, url, "the tree head's signature does not verify with the service's key%s",
                      n == 0 ? " (no key has its kid)" : "");
    }
    mm_http_reply_free(&r);
    return rc;
}

/* GET /consistency/{from}/{to}: the proof must lead from older's root to
 * newer's. */
static int check_consistency(client *c, const head *older, const head *newer)
{
    char path[96];
    char url[URL_MAX];
    snprintf(path, sizeof path, "/consistency/%llu/%llu", (unsigned long long)older->size,
             (unsigned long long)newer->size);
    mm_http_reply r;
    int rc = get(c, path, "application/cose", url, &r);
    if (rc != CLI_OK) {
        return rc;
    }
    mm_scitt_receipt rec;
    mm_err e = mm_scitt_receipt_decode(mm_bytes_make(r.body, r.len), &rec, NULL);
    if (e != MM_OK) {
        mm_http_reply_free(&r);
        return cli_fail(CLI_PROTOCOL, url, "not a consistency receipt: %s (%s)", mm_strerror(e), mm_errname(e));
    }
    const mm_key *keys[MAX_KEY_FILES * CLI_KEYSET_MAX];
    size_t n = keys_for(c, rec.sign1.hdr.kid, keys);
    size_t scratch_len = r.len + 1024;
    uint8_t *scratch = malloc(scratch_len);
    mm_scitt_proven proven;
    e = MM_ERR_MISSING_FIELD;
    for (size_t i = 0; scratch != NULL && i < n && e != MM_OK; i++) {
        mm_scitt_verify_opts o = {keys[i]->crypto, keys[i], mm_lms_cose_algs(), NULL, 0, scratch, scratch_len};
        e = mm_scitt_receipt_verify_consistency(&rec, older->size, older->root, &o, &proven);
    }
    free(scratch);
    mm_http_reply_free(&r);
    if (e != MM_OK) {
        return cli_fail(CLI_CHECK_FAILED, url, "the consistency proof does not hold: %s (%s)", mm_strerror(e),
                        mm_errname(e));
    }
    if (memcmp(proven.root, newer->root, MM_MERKLE_HASH_LEN) != 0) {
        return cli_fail(CLI_CHECK_FAILED, url, "the proof leads to another root than the signed tree head of %llu",
                        (unsigned long long)newer->size);
    }
    return CLI_OK;
}

typedef struct consistency_args {
    const char *url, *from, *to, *root, *ca_file;
    cli_list ts_keys;
    bool json, quiet;
} consistency_args;

static int run_consistency(const consistency_args *a, client *c)
{
    uint8_t pinned[MM_MERKLE_HASH_LEN] = {0};
    if (a->root != NULL) {
        mm_buf b = mm_buf_make(pinned, sizeof pinned);
        if (mm_hex_decode(mm_bytes_from_cstr(a->root), 0, &b, NULL) != MM_OK || b.len != sizeof pinned) {
            return cli_fail(CLI_USAGE, "--root", "expected 64 hexadecimal digits");
        }
    }
    head older;
    head newer;
    memset(&older, 0, sizeof older);
    memset(&newer, 0, sizeof newer);
    int rc = load_keys(c, a->ts_keys.v, a->ts_keys.n);
    if (rc == CLI_OK) {
        rc = fetch_head(c, a->from, &older);
    }
    if (rc == CLI_OK && a->root != NULL && memcmp(pinned, older.root, sizeof pinned) != 0) {
        rc = cli_fail(CLI_CHECK_FAILED, a->url,
                      "the service's root of the tree of %s entries is not the one you hold: its log forked", a->from);
    }
    if (rc == CLI_OK) {
        rc = fetch_head(c, a->to != NULL ? a->to : "latest", &newer);
    }
    if (rc == CLI_OK && newer.size < older.size) {
        rc = cli_fail(CLI_USAGE, "--to", "the newer tree (%llu) is smaller than the older (%llu)",
                      (unsigned long long)newer.size, (unsigned long long)older.size);
    }
    if (rc == CLI_OK && newer.size == older.size && memcmp(newer.root, older.root, MM_MERKLE_HASH_LEN) != 0) {
        rc = cli_fail(CLI_CHECK_FAILED, a->url, "two signed roots for the tree of %llu entries: the log forked",
                      (unsigned long long)newer.size);
    }
    if (rc == CLI_OK && newer.size != older.size) {
        rc = check_consistency(c, &older, &newer);
    }
    if (rc == CLI_OK && a->json) {
        json_t *j = json_object();
        json_object_set_new(j, "consistent", json_true());
        json_t *f = json_object();
        json_object_set_new(f, "size", json_integer((json_int_t)older.size));
        json_object_set_new(f, "root", cli_json_hex(mm_bytes_make(older.root, MM_MERKLE_HASH_LEN)));
        json_object_set_new(j, "from", f);
        json_t *t = json_object();
        json_object_set_new(t, "size", json_integer((json_int_t)newer.size));
        json_object_set_new(t, "root", cli_json_hex(mm_bytes_make(newer.root, MM_MERKLE_HASH_LEN)));
        json_object_set_new(j, "to", t);
        rc = cli_json_print(j);
    } else if (rc == CLI_OK && !a->quiet) {
        printf("%s: consistent: the tree of %llu entries (root ", a->url, (unsigned long long)older.size);
        cli_print_hex(stdout, mm_bytes_make(older.root, MM_MERKLE_HASH_LEN));
        printf(") is a prefix of the tree of %llu (root ", (unsigned long long)newer.size);
        cli_print_hex(stdout, mm_bytes_make(newer.root, MM_MERKLE_HASH_LEN));
        printf(")\n");
    }
    return rc;
}

static bool is_size(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 19) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return strtoull(s, NULL, 10) != 0;
}

int scitt_consistency(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("url", 0, consistency_args, url),
        CLI_STR("from", 0, consistency_args, from),
        CLI_STR("to", 0, consistency_args, to),
        CLI_STR("root", 0, consistency_args, root),
        CLI_LIST("ts-key", 0, consistency_args, ts_keys, MAX_KEY_FILES),
        CLI_STR("ca-file", 0, consistency_args, ca_file),
        CLI_BOOL("json", 0, consistency_args, json),
        CLI_BOOL("quiet", 'q', consistency_args, quiet),
    };
    static const cli_opts spec = {"scitt consistency", consistency_help, opts, sizeof opts / sizeof opts[0]};
    consistency_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.url == NULL || a.from == NULL || optind != argc) {
        return cli_usage(spec.cmd, "expected --url and --from");
    }
    if (!is_size(a.from) || (a.to != NULL && !is_size(a.to))) {
        return cli_fail(CLI_USAGE, "scitt consistency", "--from and --to are tree sizes: positive numbers");
    }
    client cl;
    rc = client_init(&cl, a.url, a.ca_file);
    if (rc == CLI_OK) {
        rc = run_consistency(&a, &cl);
    }
    client_free(&cl);
    return rc;
}
