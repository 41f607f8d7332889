/* SPDX-License-Identifier: Apache-2.0 */
/* mamori scitt: make SCITT signed statements and verify receipts offline
 * (draft-ietf-scitt-architecture, COSE Receipts, the CCF profile). What talks
 * to a Transparency Service (register, consistency) is in scitt_client.c. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "mamori/crypto_openssl.h"
#include "mamori/lms.h"
#include "mamori/scitt.h"

static const char scitt_help[] = "usage: mamori scitt <command> [<args>]\n"
                                 "\n"
                                 "commands:\n"
                                 "  statement  sign a payload as a SCITT signed statement\n"
                                 "  verify     prove a statement is in the log of a Transparency Service you\n"
                                 "             trust, from its receipts (offline)\n"
                                 "  show       print a signed statement, transparent statement or receipt\n"
                                 "  register   register a statement with a Transparency Service, get its\n"
                                 "             receipt (and the transparent statement)\n"
                                 "  consistency  check that a Transparency Service's log never forked\n"
                                 "\n"
                                 "Run 'mamori scitt <command> --help' for a command's options.\n";

static const char statement_help[] =
    "usage: mamori scitt statement --key KEY --iss ISS --sub SUB [options] PAYLOAD -o OUT\n"
    "\n"
    "Signs PAYLOAD (- for standard input) as a SCITT signed statement: a COSE_Sign1\n"
    "with the CWT claims iss, sub and iat in its protected header, and writes it to\n"
    "OUT (- for standard output).\n"
    "\n"
    "options:\n"
    "  --key KEY              the issuer's private key (PEM, DER or COSE_Key)\n"
    "  --iss ISS              issuer (a URI when --x5chain names the key, e.g. did:x509)\n"
    "  --sub SUB              subject: the artifact the statement is about\n"
    "  -o, --out OUT          where to write the statement\n"
    "  --alg ALG              signature algorithm (default: the key's, as 'mamori cose sign')\n"
    "  --kid ID               key identifier (text), protected (default: the key file's kid)\n"
    "  --x5chain FILE         certificates, leaf first (PEM, or one DER), for x5chain (33)\n"
    "  --content-type TYPE    media type of the payload\n"
    "  --hash ALG             a hash envelope: sign the SHA-256, SHA-384 or SHA-512 of\n"
    "                         PAYLOAD (payload-hash-alg, 258) instead of PAYLOAD\n"
    "  --preimage-content-type TYPE  with --hash: media type of PAYLOAD (259)\n"
    "  --location URI         with --hash: where PAYLOAD can be fetched (260)\n"
    "  --iat SECONDS          issued-at time (default: now)\n"
    "  --no-iat               no issued-at claim\n"
    "  --detached             leave the payload out of the statement (nil)\n"
    "  -h, --help             show this help\n"
    "\n"
    "A statement needs --kid (or a key file with a kid) unless --x5chain names the\n"
    "key (SCITT architecture section 6).\n"
    "\n"
    "Exit status: 0 written, 64 usage, 65 a key, certificate or option that does\n"
    "not fit, 66 missing file, 73 and 74 output errors.\n";

static const char verify_help[] =
    "usage: mamori scitt verify --ts-key KEY [--ts-key KEY...] [options] TRANSPARENT\n"
    "       mamori scitt verify --ts-key KEY [--ts-key KEY...] --receipt RECEIPT... [options] STATEMENT\n"
    "\n"
    "Checks, offline, that the statement's entry (the statement with its\n"
    "unprotected header emptied) is included in the log of a Transparency Service\n"
    "you trust: each receipt's proof must lead from the entry to the tree root the\n"
    "service signed. Receipts are those in the statement's receipts header (394),\n"
    "or given with --receipt. RFC9162_SHA256 and CCF_LEDGER_SHA256 (CCF profile)\n"
    "receipts are verified. The issuer's signature is not checked here.\n"
    "\n"
    "options:\n"
    "  --ts-key KEY      a trusted service's key: PEM public key or certificate,\n"
    "                    COSE_Key or COSE_KeySet; repeat for several services. A\n"
    "                    receipt's kid picks the COSE_Keys with that kid; keys\n"
    "                    without a kid are tried when none matches\n"
    "  --receipt FILE    a receipt for STATEMENT (repeat for several)\n"
    "  --all             every receipt must be proven (default: at least one)\n"
    "  --json            print the outcome as JSON\n"
    "  -q, --quiet       print nothing on success\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 included (as the policy asks), 1 not proven (the reasons on\n"
    "stderr), 64 usage, 65 malformed statement, receipt or key, 66 missing file.\n";

/* Most --ts-key and --receipt options. */
#define MAX_FILES 16

/* Most certificates --x5chain takes. */
#define MAX_CERTS 8

/*
 * statement
 */

typedef struct statement_args {
    const char *key, *iss, *sub, *out, *alg, *kid, *x5chain, *cty, *hash, *preimage_cty, *location, *iat;
    bool no_iat, detached;
    const char *in;
} statement_args;

/* The certificates of FILE: PEM blocks, or one DER certificate. */
static int read_certs(const char *path, uint8_t **der, mm_bytes *certs, size_t *n)
{
    uint8_t *data = NULL;
    size_t len = 0;
    *n = 0;
    *der = NULL;
    int rc = cli_read_file(path, &data, &len);
    if (rc != CLI_OK) {
        return rc;
    }
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    static const char end[] = "-----END CERTIFICATE-----";
    if (len != 0 && data[0] == 0x30) {
        *der = data;
        certs[0] = mm_bytes_make(data, len);
        *n = 1;
        return CLI_OK;
    }
    *der = malloc(len + 1);
    if (*der == NULL) {
        free(data);
        return cli_fail(CLI_SOFTWARE, path, "out of memory");
    }
    size_t used = 0;
    const char *text = (const char *)data;
    size_t at = 0;
    while (rc == CLI_OK) {
        const char *b = NULL;
        for (size_t i = at; i + sizeof begin - 1 <= len && b == NULL; i++) {
            b = memcmp(text + i, begin, sizeof begin - 1) == 0 ? text + i : NULL;
        }
        if (b == NULL) {
            break;
        }
        const char *body = b + sizeof begin - 1;
        const char *e = NULL;
        for (const char *p = body; p + sizeof end - 1 <= text + len && e == NULL; p++) {
            e = memcmp(p, end, sizeof end - 1) == 0 ? p : NULL;
        }
        if (e == NULL || *n == MAX_CERTS) {
            rc = cli_fail(CLI_DATAERR, path, e == NULL ? "unterminated PEM certificate" : "more than %d certificates",
                          MAX_CERTS);
            break;
        }
        mm_buf out = mm_buf_make(*der + used, len + 1 - used);
        mm_err err = mm_base64_decode(mm_bytes_make(body, (size_t)(e - body)), MM_B64, MM_TEXT_SKIP_SPACE, &out, NULL);
        if (err != MM_OK) {
            rc = cli_fail(CLI_DATAERR, path, "PEM certificate %zu: %s", *n + 1, mm_strerror(err));
            break;
        }
        certs[(*n)++] = mm_bytes_make(*der + used, out.len);
        used += out.len;
        at = (size_t)(e - text) + sizeof end - 1;
    }
    free(data);
    if (rc == CLI_OK && *n == 0) {
        rc = cli_fail(CLI_DATAERR, path, "no certificate (expected PEM CERTIFICATE blocks or DER)");
    }
    if (rc != CLI_OK) {
        free(*der);
        *der = NULL;
    }
    return rc;
}

/* The x5chain value (RFC 9360): one bstr, or an array of them. */
static int encode_x5chain(const char *path, const mm_bytes *certs, size_t n, uint8_t **buf, mm_bytes *value)
{
    size_t cap = 16;
    for (size_t i = 0; i < n; i++) {
        cap += certs[i].len + 9;
    }
    *buf = malloc(cap);
    if (*buf == NULL) {
        return cli_fail(CLI_SOFTWARE, path, "out of memory");
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, *buf, cap);
    if (n > 1) {
        mm_cbor_put_array(&enc, n);
    }
    for (size_t i = 0; i < n; i++) {
        mm_cbor_put_bstr(&enc, certs[i]);
    }
    size_t len = 0;
    if (mm_cbor_enc_finish(&enc, &len) != MM_OK) {
        return cli_fail(CLI_SOFTWARE, path, "cannot encode the x5chain");
    }
    *value = mm_bytes_make(*buf, len);
    return CLI_OK;
}

static int parse_u64(const char *opt, const char *s, int64_t *v)
{
    char *end = NULL;
    long long x = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || x < 0) {
        return cli_fail(CLI_USAGE, opt, "not a number of seconds: '%s'", s);
    }
    *v = (int64_t)x;
    return CLI_OK;
}

static int32_t hash_alg_of(const char *name)
{
    static const struct {
        const char *name;
        int32_t alg;
    } hashes[] = {{"SHA-256", MM_ALG_SHA256}, {"SHA-384", MM_ALG_SHA384}, {"SHA-512", MM_ALG_SHA512},
                  {"sha256", MM_ALG_SHA256},  {"sha384", MM_ALG_SHA384},  {"sha512", MM_ALG_SHA512}};
    for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++) {
        if (strcmp(name, hashes[i].name) == 0) {
            return hashes[i].alg;
        }
    }
    return 0;
}

static int run_statement(const statement_args *a)
{
    mm_scitt_statement_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.iss = mm_bytes_from_cstr(a->iss);
    o.sub = mm_bytes_from_cstr(a->sub);
    if (o.iss.len == 0 || o.sub.len == 0) {
        return cli_fail(CLI_USAGE, "scitt statement", "--iss and --sub must not be empty");
    }
    if (a->hash == NULL && (a->preimage_cty != NULL || a->location != NULL)) {
        return cli_fail(CLI_USAGE, "scitt statement", "--preimage-content-type and --location need --hash");
    }
    if (a->hash != NULL && a->cty != NULL) {
        return cli_fail(CLI_USAGE, "scitt statement",
                        "a hash envelope has no --content-type: give the payload's as --preimage-content-type");
    }
    if (a->hash != NULL && (o.payload_hash_alg = hash_alg_of(a->hash)) == 0) {
        return cli_fail(CLI_USAGE, "--hash", "unknown hash '%s' (SHA-256, SHA-384 or SHA-512)", a->hash);
    }
    o.flags = (a->detached ? MM_SCITT_DETACHED : 0u) | (a->no_iat ? 0u : MM_SCITT_WITH_IAT);
    o.iat = (int64_t)time(NULL);
    if (a->iat != NULL && parse_u64("--iat", a->iat, &o.iat) != CLI_OK) {
        return CLI_USAGE;
    }
    int32_t alg = 0;
    if (a->alg != NULL && cli_alg_parse("--alg", a->alg, CLI_ALG_SIGN, &alg) != CLI_OK) {
        return CLI_USAGE;
    }
    uint8_t kid[CLI_KID_MAX];
    size_t kid_len = 0;
    if (a->kid != NULL && cli_parse_kid("--kid", a->kid, kid, &kid_len) != CLI_OK) {
        return CLI_USAGE;
    }
    cli_key key;
    uint8_t *payload = NULL, *der = NULL, *x5 = NULL, *scratch = NULL;
    size_t payload_len = 0;
    mm_buf msg = mm_buf_make(NULL, 0);
    int rc = cli_load_key(a->key, alg, CLI_KEY_PRIVATE, &key);
    if (rc == CLI_OK && alg == 0 && (alg = cli_default_alg(&key.key, CLI_ALG_SIGN)) == 0) {
        char desc[64];
        cli_key_describe(&key.key, desc, sizeof desc);
        rc = cli_fail(CLI_DATAERR, a->key, "a %s cannot sign", desc);
    }
    if (rc == CLI_OK) {
        rc = cli_read_file(a->in, &payload, &payload_len);
    }
    if (rc == CLI_OK && a->x5chain != NULL) {
        mm_bytes certs[MAX_CERTS];
        size_t n = 0;
        rc = read_certs(a->x5chain, &der, certs, &n);
        if (rc == CLI_OK) {
            rc = encode_x5chain(a->x5chain, certs, n, &x5, &o.x5chain);
        }
    }
    uint8_t digest[MM_HASH_MAX];
    mm_bytes signed_payload = mm_bytes_make(payload, payload_len);
    if (rc == CLI_OK && o.payload_hash_alg != 0) {
        size_t dlen = 0;
        mm_err e = mm_hash(o.crypto, o.payload_hash_alg, signed_payload, digest, &dlen);
        rc = e == MM_OK ? CLI_OK : cli_fail(CLI_SOFTWARE, a->in, "cannot hash: %s", mm_strerror(e));
        signed_payload = mm_bytes_make(digest, dlen);
        o.preimage_content_type =
            a->preimage_cty != NULL ? mm_bytes_from_cstr(a->preimage_cty) : mm_bytes_make(NULL, 0);
        o.payload_location = a->location != NULL ? mm_bytes_from_cstr(a->location) : mm_bytes_make(NULL, 0);
    }
    if (rc == CLI_OK) {
        o.key = &key.key;
        o.alg = alg;
        o.kid = a->kid != NULL ? mm_bytes_make(kid, kid_len) : mm_bytes_make(key.kid, key.kid_len);
        o.content_type = a->cty != NULL ? mm_bytes_from_cstr(a->cty) : mm_bytes_make(NULL, 0);
        const mm_cose_sig_alg *entry = mm_cose_find_sig_alg(NULL, alg);
        if (entry != NULL && entry->prehash == 0) {
            /* EdDSA signs the whole ToBeSigned: payload, headers, a margin. */
            o.scratch_len = signed_payload.len + o.x5chain.len + 4096 + 2 * strlen(a->iss) + strlen(a->sub);
            o.scratch = scratch = malloc(o.scratch_len);
            rc = scratch == NULL ? cli_fail(CLI_SOFTWARE, a->in, "out of memory") : CLI_OK;
        }
    }
    mm_err e = MM_ERR_BUFFER_TOO_SMALL;
    for (int attempt = 0; rc == CLI_OK && attempt < 2 && e == MM_ERR_BUFFER_TOO_SMALL; attempt++) {
        size_t cap = attempt == 0 ? signed_payload.len + o.x5chain.len + 2048 : msg.len;
        free(msg.ptr);
        msg = mm_buf_make(malloc(cap), cap);
        if (msg.ptr == NULL) {
            rc = cli_fail(CLI_SOFTWARE, a->out, "out of memory");
            break;
        }
        e = mm_scitt_statement_create(&o, signed_payload, &msg);
    }
    if (rc == CLI_OK && e != MM_OK) {
        int code = cli_exit_for(e) == CLI_CHECK_FAILED || e == MM_ERR_INVALID_ARG || e == MM_ERR_KEY_USAGE
                       ? CLI_DATAERR
                       : cli_exit_for(e);
        rc = cli_fail(code, a->out, "cannot create the statement: %s (%s)", mm_strerror(e), mm_errname(e));
    }
    /* Write only what a Transparency Service would register. */
    if (rc == CLI_OK) {
        mm_scitt_statement st;
        e = mm_scitt_statement_decode(mm_bytes_make(msg.ptr, msg.len), &st, NULL);
        if (e == MM_OK) {
            e = mm_scitt_statement_check(&st, 0);
        }
        if (e == MM_ERR_MISSING_FIELD) {
            rc = cli_fail(CLI_DATAERR, a->key, "the statement must name its key: give --kid, or --x5chain");
        } else if (e == MM_ERR_CLAIM_MISMATCH) {
            rc = cli_fail(CLI_DATAERR, "--iss", "with --x5chain the issuer must be a URI (such as did:x509:...)");
        } else if (e != MM_OK) {
            rc = cli_fail(CLI_DATAERR, a->out, "not a valid statement: %s (%s)", mm_strerror(e), mm_errname(e));
        }
    }
    if (rc == CLI_OK) {
        rc = cli_write_file(a->out, msg.ptr, msg.len, 0644);
    }
    free(msg.ptr);
    free(scratch);
    free(x5);
    free(der);
    free(payload);
    cli_key_free(&key);
    return rc;
}

static int scitt_statement(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("key", 0, statement_args, key),
        CLI_STR("iss", 0, statement_args, iss),
        CLI_STR("sub", 0, statement_args, sub),
        CLI_STR("out", 'o', statement_args, out),
        CLI_STR("alg", 0, statement_args, alg),
        CLI_STR("kid", 0, statement_args, kid),
        CLI_STR("x5chain", 0, statement_args, x5chain),
        CLI_STR("content-type", 0, statement_args, cty),
        CLI_STR("hash", 0, statement_args, hash),
        CLI_STR("preimage-content-type", 0, statement_args, preimage_cty),
        CLI_STR("location", 0, statement_args, location),
        CLI_STR("iat", 0, statement_args, iat),
        CLI_BOOL("no-iat", 0, statement_args, no_iat),
        CLI_BOOL("detached", 0, statement_args, detached),
    };
    static const cli_opts spec = {"scitt statement", statement_help, opts, sizeof opts / sizeof opts[0]};
    statement_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.key == NULL || a.iss == NULL || a.sub == NULL || a.out == NULL || argc - optind != 1) {
        return cli_usage(spec.cmd, "expected --key, --iss, --sub, -o and one payload file");
    }
    if (a.iat != NULL && a.no_iat) {
        return cli_fail(CLI_USAGE, "scitt statement", "--iat and --no-iat contradict each other");
    }
    a.in = argv[optind];
    return run_statement(&a);
}

/*
 * verify
 */

typedef struct verify_args {
    cli_list ts_keys, receipts;
    bool all, json, quiet;
    const char *in;
} verify_args;

/* Every key of every --ts-key file, with where it came from. */
typedef struct trusted {
    cli_key *files[MAX_FILES];
    size_t counts[MAX_FILES];
    mm_scitt_ts_key keys[MAX_FILES * CLI_KEYSET_MAX];
    const char *from[MAX_FILES * CLI_KEYSET_MAX];
    size_t n;
} trusted;

static int load_trusted(const verify_args *a, trusted *t)
{
    for (size_t f = 0; f < a->ts_keys.n; f++) {
        int rc = cli_load_keys(a->ts_keys.v[f], 0, &t->files[f], &t->counts[f]);
        if (rc != CLI_OK) {
            return rc;
        }
        for (size_t i = 0; i < t->counts[f]; i++) {
            cli_key *k = &t->files[f][i];
            t->keys[t->n] = (mm_scitt_ts_key){&k->key, mm_bytes_make(k->kid, k->kid_len)};
            t->from[t->n++] = a->ts_keys.v[f];
        }
    }
    return CLI_OK;
}

static void free_trusted(trusted *t)
{
    for (size_t f = 0; f < MAX_FILES; f++) {
        cli_free_keys(t->files[f], t->counts[f]);
    }
}

static const char *vds_name(int64_t vds)
{
    return vds == MM_SCITT_VDS_RFC9162_SHA256      ? "RFC9162_SHA256"
           : vds == MM_SCITT_VDS_CCF_LEDGER_SHA256 ? "CCF_LEDGER_SHA256"
                                                   : NULL;
}

/* The receipt's kid as text when it is printable, else in hex. */
static void print_kid(FILE *f, mm_bytes kid)
{
    bool text = kid.len != 0;
    for (size_t i = 0; i < kid.len && text; i++) {
        text = kid.ptr[i] >= 0x20 && kid.ptr[i] < 0x7f;
    }
    if (text) {
        fprintf(f, "\"%.*s\"", (int)kid.len, (const char *)kid.ptr);
    } else {
        fputs("h'", f);
        cli_print_hex(f, kid);
        fputc('\'', f);
    }
}

static void describe_outcome(FILE *f, const char *path, size_t i, mm_bytes receipt, const mm_scitt_outcome *o,
                             const trusted *t)
{
    mm_scitt_receipt r;
    bool untrusted =
        o->err == MM_ERR_MISSING_FIELD && o->tried == 0 && mm_scitt_receipt_decode(receipt, &r, NULL) == MM_OK;
    fprintf(f, "%s: receipt %zu: ", path, i + 1);
    if (o->err == MM_OK) {
        const char *name = vds_name(o->proven.vds);
        fprintf(f, "proven by %s (%s", t->from[o->key], name != NULL ? name : "?");
        if (o->proven.vds == MM_SCITT_VDS_RFC9162_SHA256) {
            fprintf(f, ", tree size %llu, leaf %llu", (unsigned long long)o->proven.tree_size,
                    (unsigned long long)o->proven.leaf_index);
        }
        fputs(", root ", f);
        cli_print_hex(f, mm_bytes_make(o->proven.root, MM_MERKLE_HASH_LEN));
        fputs(")\n", f);
    } else if (untrusted) {
        fputs("not from a trusted service (", f);
        if (r.sign1.hdr.kid.len != 0) {
            fputs("kid ", f);
            print_kid(f, r.sign1.hdr.kid);
        } else {
            fputs("no kid", f);
        }
        fputs(")\n", f);
    } else if (o->err == MM_ERR_UNSUPPORTED) {
        fputs("skipped: a verifiable data structure or proof type not verified here\n", f);
    } else {
        fprintf(f, "not proven: %s (%s)\n", mm_strerror(o->err), mm_errname(o->err));
    }
}

static json_t *outcome_json(size_t i, const mm_scitt_outcome *o, const trusted *t)
{
    json_t *j = json_object();
    json_object_set_new(j, "receipt", json_integer((json_int_t)i + 1));
    json_object_set_new(j, "proven", json_boolean(o->err == MM_OK));
    if (o->err == MM_OK) {
        const char *name = vds_name(o->proven.vds);
        json_object_set_new(j, "key", json_string(t->from[o->key]));
        json_object_set_new(j, "vds", name != NULL ? json_string(name) : json_integer((json_int_t)o->proven.vds));
        if (o->proven.vds == MM_SCITT_VDS_RFC9162_SHA256) {
            json_object_set_new(j, "tree_size", json_integer((json_int_t)o->proven.tree_size));
            json_object_set_new(j, "leaf_index", json_integer((json_int_t)o->proven.leaf_index));
        }
        json_object_set_new(j, "root", cli_json_hex(mm_bytes_make(o->proven.root, MM_MERKLE_HASH_LEN)));
    } else {
        json_object_set_new(j, "error", json_string(mm_errname(o->err)));
    }
    return j;
}

static int run_verify(const verify_args *a, mm_bytes data, trusted *t)
{
    mm_scitt_statement st;
    size_t off = 0;
    mm_err e = mm_scitt_statement_decode(data, &st, &off);
    if (e != MM_OK) {
        return cli_fail_decode(a->in, e, off);
    }
    /* The receipts: from the files, else from the statement. */
    uint8_t *files[MAX_FILES] = {NULL};
    mm_bytes receipts[MM_SCITT_MAX_RECEIPTS];
    size_t n = 0;
    int rc = CLI_OK;
    for (size_t i = 0; i < a->receipts.n && rc == CLI_OK; i++) {
        size_t len = 0;
        rc = cli_read_file(a->receipts.v[i], &files[i], &len);
        receipts[n++] = mm_bytes_make(files[i], len);
    }
    if (rc == CLI_OK && a->receipts.n == 0) {
        if (st.n_receipts == 0) {
            rc = cli_fail(CLI_CHECK_FAILED, a->in, "no receipts: not a transparent statement (give --receipt)");
        } else if (st.n_receipts > MM_SCITT_MAX_RECEIPTS) {
            rc = cli_fail(CLI_DATAERR, a->in, "%zu receipts (at most %d are verified)", st.n_receipts,
                          MM_SCITT_MAX_RECEIPTS);
        }
        for (size_t i = 0; rc == CLI_OK && i < st.n_receipts; i++) {
            e = mm_scitt_statement_receipt(&st, i, &receipts[n++]);
            rc = e == MM_OK ? CLI_OK : cli_fail_decode(a->in, e, 0);
        }
    }
    mm_scitt_leaf leaf;
    if (rc == CLI_OK && (e = mm_scitt_leaf_of_statement(mm_crypto_openssl(), data, &leaf)) != MM_OK) {
        rc = cli_fail(cli_exit_for(e), a->in, "cannot compute the entry: %s (%s)", mm_strerror(e), mm_errname(e));
    }
    /* EdDSA receipts sign their ToBeSigned whole: room for the largest. */
    size_t largest = 0;
    for (size_t i = 0; i < n; i++) {
        largest = receipts[i].len > largest ? receipts[i].len : largest;
    }
    mm_scitt_trust trust;
    memset(&trust, 0, sizeof trust);
    trust.crypto = mm_crypto_openssl();
    trust.keys = t->keys;
    trust.n_keys = t->n;
    trust.algs = mm_lms_cose_algs(); /* HSS-LMS receipts (a service with an HSS-LMS key) too */
    trust.scratch_len = largest + 1024;
    trust.scratch = rc == CLI_OK ? malloc(trust.scratch_len) : NULL;
    if (rc == CLI_OK && trust.scratch == NULL) {
        rc = cli_fail(CLI_SOFTWARE, a->in, "out of memory");
    }
    mm_scitt_outcome outcomes[MM_SCITT_MAX_RECEIPTS];
    size_t proven = 0, failed = 0;
    for (size_t i = 0; rc == CLI_OK && i < n; i++) {
        e = mm_scitt_receipt_verify_trusted(receipts[i], &leaf, &trust, &outcomes[i]);
        proven += e == MM_OK ? 1u : 0u;
        failed += e != MM_OK && outcomes[i].tried != 0 ? 1u : 0u;
    }
    bool ok = a->all ? proven == n : proven != 0;
    if (rc == CLI_OK && a->json) {
        json_t *j = json_object();
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_array_append_new(arr, outcome_json(i, &outcomes[i], t));
        }
        json_object_set_new(j, "included", json_boolean(ok));
        json_object_set_new(j, "leaf_hash", cli_json_hex(mm_bytes_make(leaf.leaf_hash, MM_MERKLE_HASH_LEN)));
        json_object_set_new(j, "receipts", arr);
        rc = cli_json_print(j);
    } else if (rc == CLI_OK) {
        /* Reasons go to stderr when the answer is no, else to stdout. */
        FILE *f = ok ? stdout : stderr;
        for (size_t i = 0; (!a->quiet || !ok) && i < n; i++) {
            describe_outcome(f, a->in, i, receipts[i], &outcomes[i], t);
        }
        if (ok && !a->quiet) {
            printf("%s: included: %zu of %zu receipts proven by trusted services\n", a->in, proven, n);
        }
    }
    if (rc == CLI_OK && !ok) {
        rc = cli_fail(CLI_CHECK_FAILED, a->in, "not proven included: %zu of %zu receipts proven%s", proven, n,
                      failed != 0 ? ", some failed" : "");
    }
    free(trust.scratch);
    for (size_t i = 0; i < MAX_FILES; i++) {
        free(files[i]);
    }
    return rc;
}

static int scitt_verify(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_LIST("ts-key", 0, verify_args, ts_keys, MAX_FILES),
        CLI_LIST("receipt", 0, verify_args, receipts, MAX_FILES),
        CLI_BOOL("all", 0, verify_args, all),
        CLI_BOOL("json", 0, verify_args, json),
        CLI_BOOL("quiet", 'q', verify_args, quiet),
    };
    static const cli_opts spec = {"scitt verify", verify_help, opts, sizeof opts / sizeof opts[0]};
    verify_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.ts_keys.n == 0 || argc - optind != 1) {
        return cli_usage(spec.cmd, "expected --ts-key and one statement file");
    }
    a.in = argv[optind];
    uint8_t *data = NULL;
    size_t len = 0;
    trusted *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return cli_fail(CLI_SOFTWARE, a.in, "out of memory");
    }
    rc = load_trusted(&a, t);
    if (rc == CLI_OK) {
        rc = cli_read_file(a.in, &data, &len);
    }
    if (rc == CLI_OK) {
        rc = run_verify(&a, mm_bytes_make(data, len), t);
    }
    free(data);
    free_trusted(t);
    free(t);
    return rc;
}

int cmd_scitt(int argc, char **argv)
{
    static const cli_cmd cmds[] = {
        {"statement", scitt_statement, "sign a statement"},
        {"verify", scitt_verify, "verify receipts"},
        {"show", scitt_show, "show"},
        {"register", scitt_register, "register with a Transparency Service"},
        {"consistency", scitt_consistency, "check a Transparency Service's log never forked"},
    };
    return cli_dispatch("mamori scitt", cmds, sizeof cmds / sizeof cmds[0], argc, argv, scitt_help);
}
