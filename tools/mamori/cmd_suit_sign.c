/* SPDX-License-Identifier: Apache-2.0 */
/* mamori suit sign: one more authentication block for an existing SUIT
 * envelope, over the digest its authentication wrapper already holds. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "mamori/lms.h"
#include "suit_build.h"

static const char sign_help[] = "usage: mamori suit sign -k KEY [options] IN -o OUT\n"
                                "\n"
                                "Adds an authentication block to the SUIT envelope IN (- for standard input):\n"
                                "a COSE_Sign1, or a COSE_Mac0 for a symmetric key, over the digest in its\n"
                                "authentication wrapper, once that digest is checked against the manifest.\n"
                                "The blocks already there and every other member are kept as they are.\n"
                                "\n"
                                "options:\n"
                                "  -k, --key KEY   private or symmetric key (PEM, DER, COSE_Key, HSS-LMS key\n"
                                "                  file); repeat to add several blocks (up to 8)\n"
                                "  --alg ALG       algorithm (default: as for 'mamori suit create')\n"
                                "  --kid ID        key identifier (text) (default: the key file's kid)\n"
                                "  -o, --out OUT   the signed envelope (- for standard output)\n"
                                "  -h, --help      show this help\n"
                                "\n"
                                "Exit status: 0 written, 1 the wrapper's digest does not match the manifest,\n"
                                "64 usage, 65 a malformed envelope, a key that cannot sign or one that has\n"
                                "signed it already, 66 missing file, 73 and 74 output errors.\n";

/* Most members and authentication blocks read from an envelope. */
#define MAX_MEMBERS 64
#define MAX_BLOCKS  16

/* An envelope, as views into its bytes. */
typedef struct envelope {
    bool tagged;
    mm_bytes manifest_item; /* the manifest's byte string, head included */
    mm_bytes digest;        /* the encoded SUIT_Digest in the wrapper */
    int64_t digest_alg;
    mm_bytes digest_bytes;
    mm_bytes blocks[MAX_BLOCKS + SUIT_MAX_SIGNERS]; /* contents of the wrapper's block strings */
    size_t n_blocks;
    mm_bytes keys[MAX_MEMBERS]; /* every member but the wrapper, as encoded */
    mm_bytes values[MAX_MEMBERS];
    size_t n_others;
} envelope;

/* SUIT_Authentication: [bstr .cbor SUIT_Digest, * bstr .cbor block]. */
static mm_err read_auth(mm_bytes wrapper, envelope *env)
{
    mm_cbor_dec d;
    size_t n = 0;
    mm_err e = mm_cbor_dec_init(&d, wrapper, 0);
    if (e == MM_OK && (e = mm_cbor_enter_array(&d, &n)) == MM_OK && n == 0) {
        e = MM_ERR_MISSING_FIELD;
    }
    if (e == MM_OK && n - 1 > MAX_BLOCKS) {
        e = MM_ERR_TOO_LARGE;
    }
    size_t fields = 0;
    if (e == MM_OK && (e = mm_cbor_enter_wrapped(&d, &env->digest)) == MM_OK &&
        (e = mm_cbor_enter_array(&d, &fields)) == MM_OK) {
        e = fields < 2 ? MM_ERR_MISSING_FIELD : mm_cbor_get_int(&d, INT32_MIN, INT32_MAX, &env->digest_alg);
        if (e == MM_OK) {
            e = mm_cbor_get_bstr(&d, &env->digest_bytes);
        }
        if (e == MM_OK && (e = mm_cbor_exit(&d)) == MM_OK) {
            e = mm_cbor_exit(&d);
        }
    }
    for (size_t i = 1; e == MM_OK && i < n; i++) {
        e = mm_cbor_get_bstr(&d, &env->blocks[env->n_blocks++]);
    }
    if (e == MM_OK && (e = mm_cbor_exit(&d)) == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    return e;
}

static mm_err read_envelope(mm_bytes in, envelope *env)
{
    mm_cbor_dec d;
    size_t n = 0;
    mm_bytes wrapper = {NULL, 0};
    mm_err e = mm_cbor_dec_init(&d, in, 0);
    if (e == MM_OK) {
        e = mm_cbor_opt_tag(&d, MM_SUIT_TAG_ENVELOPE, &env->tagged);
    }
    if (e == MM_OK && (e = mm_cbor_enter_map(&d, &n)) == MM_OK && n > MAX_MEMBERS) {
        e = MM_ERR_TOO_LARGE;
    }
    for (size_t i = 0; e == MM_OK && i < n; i++) {
        mm_cbor_item key;
        mm_bytes key_raw;
        mm_bytes value;
        if ((e = mm_cbor_peek(&d, &key)) != MM_OK || (e = mm_cbor_get_raw(&d, &key_raw)) != MM_OK ||
            (e = mm_cbor_get_raw(&d, &value)) != MM_OK) {
            break;
        }
        bool is_uint = key.type == MM_CBOR_UINT;
        if (is_uint && key.arg == MM_SUIT_ENVELOPE_AUTH) {
            e = wrapper.ptr != NULL ? MM_ERR_CBOR_DUP_KEY : MM_OK;
            wrapper = value;
            continue;
        }
        if (is_uint && key.arg == MM_SUIT_ENVELOPE_MANIFEST) {
            e = env->manifest_item.ptr != NULL ? MM_ERR_CBOR_DUP_KEY : MM_OK;
            env->manifest_item = value;
        }
        env->keys[env->n_others] = key_raw;
        env->values[env->n_others++] = value;
    }
    if (e == MM_OK && (e = mm_cbor_exit(&d)) == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    if (e == MM_OK && (wrapper.ptr == NULL || env->manifest_item.ptr == NULL)) {
        e = MM_ERR_MISSING_FIELD;
    }
    /* Both are byte strings around one item each. */
    mm_cbor_dec w;
    mm_bytes content;
    if (e == MM_OK && (e = mm_cbor_dec_init(&w, env->manifest_item, 0)) == MM_OK &&
        (e = mm_cbor_get_bstr(&w, &content)) == MM_OK) {
        e = mm_cbor_check(content, 0, NULL);
    }
    if (e == MM_OK && (e = mm_cbor_dec_init(&w, wrapper, 0)) == MM_OK &&
        (e = mm_cbor_get_bstr(&w, &content)) == MM_OK) {
        e = read_auth(content, env);
    }
    return e;
}

/* The wrapper's digest must be the manifest's: a signer checks what it signs
 * (the manifest's section "Authenticated Manifests"). */
static int check_digest(const char *path, const envelope *env)
{
    uint8_t hash[MM_HASH_MAX];
    size_t len = 0;
    mm_err e = mm_hash(mm_crypto_openssl(), (int32_t)env->digest_alg, env->manifest_item, hash, &len);
    if (e != MM_OK) {
        const char *name = cli_alg_name(env->digest_alg);
        return cli_fail(CLI_DATAERR, path, "cannot check a digest of algorithm %s: %s (%s)",
                        name != NULL ? name : "unknown", mm_strerror(e), mm_errname(e));
    }
    if (len != env->digest_bytes.len || memcmp(hash, env->digest_bytes.ptr, len) != 0) {
        return cli_fail(CLI_CHECK_FAILED, path, "the authentication wrapper's digest does not match the manifest");
    }
    return CLI_OK;
}

/* True when block is a COSE_Sign1 or COSE_Mac0 of the signer's algorithm
 * that its key verifies: each block must differ in algorithm or authority
 * (the manifest's section "Authenticated Manifests"). */
static bool signed_by(const suit_signer *s, mm_bytes block, mm_bytes digest)
{
    mm_cose_verify_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.crypto = mm_crypto_openssl();
    opts.key = &s->key.key;
    opts.payload = digest;
    opts.algs = mm_lms_cose_algs();
    uint8_t scratch[1024];
    opts.scratch = scratch;
    opts.scratch_len = sizeof scratch;
    mm_cose_sign1 sign1;
    mm_cose_mac0 mac0;
    if (s->mac) {
        return mm_cose_mac0_decode(block, &mac0, NULL) == MM_OK && mac0.hdr.alg == s->alg &&
               mm_cose_mac0_verify(&mac0, &opts) == MM_OK;
    }
    return mm_cose_sign1_decode(block, &sign1, NULL) == MM_OK && sign1.hdr.alg == s->alg &&
           mm_cose_sign1_verify(&sign1, &opts) == MM_OK;
}

typedef struct sign_args {
    suit_signer_opts signers;
    const char *in, *out;
} sign_args;

static int parse_args(int argc, char **argv, sign_args *a)
{
    static const cli_opt opts[] = {
        SUIT_SIGNER_OPTS(sign_args),
        CLI_STR("out", 'o', sign_args, out),
    };
    static const cli_opts spec = {"suit sign", sign_help, opts, sizeof opts / sizeof opts[0]};
    memset(a, 0, sizeof *a);
    int rc = cli_parse_opts(&spec, a, argc, argv);
    if (rc != CLI_OK) {
        return rc;
    }
    if (a->signers.keys.n == 0 || argc - optind != 1 || a->out == NULL) {
        return cli_usage(spec.cmd, "expected --key, an envelope and -o OUT");
    }
    a->in = argv[optind];
    return CLI_OK;
}

/* The members of the envelope as they were. */
static int emit_others(void *ctx, mm_cbor_enc *enc)
{
    const envelope *env = ctx;
    for (size_t i = 0; i < env->n_others; i++) {
        mm_cbor_put_raw(enc, env->keys[i]);
        mm_cbor_put_raw(enc, env->values[i]);
    }
    return CLI_OK;
}

static int sign_envelope(const char *path, envelope *env, const suit_signer *signers, size_t n, mm_buf *out)
{
    int rc = check_digest(path, env);
    for (size_t i = 0; rc == CLI_OK && i < n; i++) {
        for (size_t j = 0; rc == CLI_OK && j < env->n_blocks; j++) {
            if (signed_by(&signers[i], env->blocks[j], env->digest)) {
                rc = cli_fail(CLI_DATAERR, signers[i].path, "this key signed %s with %s already (block %zu)", path,
                              cli_alg_name(signers[i].alg), j + 1);
            }
        }
    }
    mm_buf blocks[SUIT_MAX_SIGNERS];
    memset(blocks, 0, sizeof blocks);
    for (size_t i = 0; rc == CLI_OK && i < n; i++) {
        rc = suit_auth_block(&signers[i], env->digest, &blocks[i]);
        env->blocks[env->n_blocks++] = mm_bytes_make(blocks[i].ptr, blocks[i].len);
    }
    size_t hint = 0;
    for (size_t i = 0; i < env->n_others; i++) {
        hint += env->keys[i].len + env->values[i].len;
    }
    if (rc == CLI_OK) {
        rc = suit_envelope_write(env->tagged, env->digest, env->blocks, env->n_blocks, emit_others, env, hint, out);
    }
    for (size_t i = 0; i < n; i++) {
        free(blocks[i].ptr);
    }
    return rc;
}

int suit_cmd_sign(int argc, char **argv)
{
    sign_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    const char *in = a.in;
    uint8_t *data = NULL;
    size_t len = 0;
    suit_signer signers[SUIT_MAX_SIGNERS];
    memset(signers, 0, sizeof signers);
    envelope *env = calloc(1, sizeof *env);
    if (env == NULL) {
        return cli_fail(CLI_SOFTWARE, NULL, "out of memory");
    }
    mm_buf signed_env = mm_buf_make(NULL, 0);
    rc = cli_read_file(in, &data, &len);
    if (rc == CLI_OK) {
        mm_err e = read_envelope(mm_bytes_make(data, len), env);
        if (e != MM_OK) {
            (void)cli_fail(CLI_DATAERR, in, "not a SUIT envelope: %s (%s)", mm_strerror(e), mm_errname(e));
            rc = CLI_DATAERR;
        }
    }
    if (rc == CLI_OK) {
        rc = suit_signers_load("suit sign", &a.signers, signers);
    }
    if (rc == CLI_OK) {
        rc = sign_envelope(in, env, signers, a.signers.keys.n, &signed_env);
    }
    if (rc == CLI_OK) {
        rc = cli_write_file(a.out, signed_env.ptr, signed_env.len, 0644);
    }
    free(signed_env.ptr);
    suit_signers_free(signers, a.signers.keys.n);
    free(env);
    free(data);
    return rc;
}
