/* SPDX-License-Identifier: Apache-2.0 */
/* mamori suit create: a signed SUIT envelope from a JSON description
 * (docs/suit-json.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "suit_build.h"

static const char create_help[] = "usage: mamori suit create -k KEY [options] DESC -o OUT\n"
                                  "\n"
                                  "Builds a SUIT envelope from the JSON description DESC (- for standard input;\n"
                                  "the schema is in docs/suit-json.md): encodes the manifest, computes the digests\n"
                                  "and sizes of the image files it names, severs the members it lists, adds its\n"
                                  "integrated payloads, and signs the manifest's digest with each key.\n"
                                  "\n"
                                  "options:\n"
                                  "  -k, --key KEY   private key (PEM, DER, COSE_Key, HSS-LMS key file): one\n"
                                  "                  COSE_Sign1 per key, a COSE_Mac0 for a symmetric key; repeat\n"
                                  "                  for more (up to 8)\n"
                                  "  --alg ALG       algorithm: ESP256 ES256 ESP384 ES384 ESP512 ES512 Ed25519 EdDSA\n"
                                  "                  HSS-LMS PS256 PS384 PS512 HS256 HS384 HS512 (default: the key's,\n"
                                  "                  else ESP256/ESP384/ESP512 by curve, Ed25519, HSS-LMS, HS256...\n"
                                  "                  as the SUIT MTI profiles name them)\n"
                                  "  --kid ID        key identifier (text) in the unprotected header (default: the\n"
                                  "                  key file's kid, if it is a COSE_Key with one)\n"
                                  "  --unsigned      no authentication block, only the digest (sign it later with\n"
                                  "                  'mamori suit sign'); instead of --key\n"
                                  "  --untagged      no CBOR tag 107\n"
                                  "  --files DIR     folder the file names in DESC are relative to (default: DESC's)\n"
                                  "  -o, --out OUT   the envelope (- for standard output)\n"
                                  "  -h, --help      show this help\n"
                                  "\n"
                                  "--alg and --kid are given once (for every key) or once per key, in order.\n"
                                  "\n"
                                  "Exit status: 0 written, 64 usage, 65 a description or key that is not right,\n"
                                  "66 missing file, 73 and 74 output errors.\n";

typedef struct create_args {
    suit_signer_opts signers;
    bool unsigned_;
    bool untagged;
    const char *files;
    const char *desc;
    const char *out;
} create_args;

static int parse_args(int argc, char **argv, create_args *a)
{
    static const cli_opt opts[] = {
        SUIT_SIGNER_OPTS(create_args),
        CLI_BOOL("unsigned", 0, create_args, unsigned_),
        CLI_BOOL("untagged", 0, create_args, untagged),
        CLI_STR("files", 0, create_args, files),
        CLI_STR("out", 'o', create_args, out),
    };
    static const cli_opts spec = {"suit create", create_help, opts, sizeof opts / sizeof opts[0]};
    memset(a, 0, sizeof *a);
    int rc = cli_parse_opts(&spec, a, argc, argv);
    if (rc != CLI_OK) {
        return rc;
    }
    const char *why = argc - optind != 1 || a->out == NULL       ? "expected a description and -o OUT"
                      : a->unsigned_ == (a->signers.keys.n != 0) ? "give --key (or --unsigned, to sign later)"
                      : a->unsigned_ && (a->signers.algs.n != 0 || a->signers.kids.n != 0)
                          ? "--alg and --kid need a --key"
                          : NULL;
    if (why != NULL) {
        return cli_usage(spec.cmd, "%s", why);
    }
    a->desc = argv[optind];
    return CLI_OK;
}

/* The description as JSON: duplicate keys refused (the later one would win
 * without a word otherwise). */
static int load_description(const char *path, json_t **desc)
{
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = cli_read_file(path, &data, &len);
    if (rc != CLI_OK) {
        return rc;
    }
    json_error_t err;
    *desc = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &err);
    free(data);
    if (*desc == NULL) {
        return cli_fail(CLI_DATAERR, path, "line %d column %d: %s", err.line, err.column, err.text);
    }
    return CLI_OK;
}

/* The folder of a path ("." for a bare name or standard input). */
static char *dir_of(const char *path)
{
    const char *slash = strcmp(path, "-") == 0 ? NULL : strrchr(path, '/');
    if (slash == NULL) {
        return strdup(".");
    }
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (dir != NULL) {
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    return dir;
}

/* The manifest, severed members and integrated payloads. */
typedef struct members_job {
    const suit_built *b;
    mm_bytes manifest_item;
} members_job;

static int emit_members(void *ctx, mm_cbor_enc *enc)
{
    const members_job *j = ctx;
    mm_cbor_put_uint(enc, MM_SUIT_ENVELOPE_MANIFEST);
    mm_cbor_put_raw(enc, j->manifest_item);
    for (size_t i = 0; i < j->b->n_pieces; i++) {
        const suit_piece *p = &j->b->pieces[i];
        if (p->text_key == NULL) {
            mm_cbor_put_int(enc, p->key);
            mm_cbor_put_raw(enc, mm_bytes_make(p->data, p->len)); /* already a byte string */
        } else {
            mm_cbor_put_cstr(enc, p->text_key);
            mm_cbor_put_bstr(enc, mm_bytes_make(p->data, p->len));
        }
    }
    return CLI_OK;
}

static int assemble(const create_args *a, const suit_built *b, const suit_signer *signers, mm_buf *envelope)
{
    mm_buf item = mm_buf_make(NULL, 0);
    mm_buf digest = mm_buf_make(NULL, 0);
    mm_buf blocks[SUIT_MAX_SIGNERS];
    mm_bytes views[SUIT_MAX_SIGNERS];
    memset(blocks, 0, sizeof blocks);
    int rc = suit_bstr_item(mm_bytes_make(b->manifest, b->manifest_len), &item);
    if (rc == CLI_OK) {
        /* The digest covers the manifest's byte string, head included. */
        rc = suit_digest(b->digest_alg, mm_bytes_make(item.ptr, item.len), &digest);
    }
    for (size_t i = 0; rc == CLI_OK && i < a->signers.keys.n; i++) {
        rc = suit_auth_block(&signers[i], mm_bytes_make(digest.ptr, digest.len), &blocks[i]);
        views[i] = mm_bytes_make(blocks[i].ptr, blocks[i].len);
    }
    size_t hint = item.len;
    for (size_t i = 0; i < b->n_pieces; i++) {
        hint += b->pieces[i].len + 16 + (b->pieces[i].text_key != NULL ? strlen(b->pieces[i].text_key) : 0);
    }
    members_job j = {b, mm_bytes_make(item.ptr, item.len)};
    if (rc == CLI_OK) {
        rc = suit_envelope_write(!a->untagged, mm_bytes_make(digest.ptr, digest.len), views, a->signers.keys.n,
                                 emit_members, &j, hint, envelope);
    }
    for (size_t i = 0; i < SUIT_MAX_SIGNERS; i++) {
        free(blocks[i].ptr);
    }
    free(digest.ptr);
    free(item.ptr);
    return rc;
}

int suit_cmd_create(int argc, char **argv)
{
    create_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    json_t *desc = NULL;
    suit_signer signers[SUIT_MAX_SIGNERS];
    memset(signers, 0, sizeof signers);
    suit_built built;
    memset(&built, 0, sizeof built);
    mm_buf envelope = mm_buf_make(NULL, 0);
    char *dir = a.files != NULL ? strdup(a.files) : dir_of(a.desc);
    rc = dir == NULL ? cli_fail(CLI_SOFTWARE, NULL, "out of memory") : load_description(a.desc, &desc);
    /* Keys first: a key that does not fit fails before any image is read. */
    if (rc == CLI_OK) {
        rc = suit_signers_load("suit create", &a.signers, signers);
    }
    if (rc == CLI_OK) {
        rc = suit_json_build(desc, a.desc, dir, &built);
    }
    if (rc == CLI_OK) {
        rc = assemble(&a, &built, signers, &envelope);
    }
    if (rc == CLI_OK) {
        rc = cli_write_file(a.out, envelope.ptr, envelope.len, 0644);
    }
    free(envelope.ptr);
    suit_built_free(&built);
    suit_signers_free(signers, a.signers.keys.n);
    json_decref(desc);
    free(dir);
    return rc;
}
