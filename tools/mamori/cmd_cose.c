/* SPDX-License-Identifier: Apache-2.0 */
/* mamori cose: sign, verify, MAC, encrypt, decrypt and show COSE messages
 * (RFC 9052). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mamori/cose.h"
#include "mamori/cose_hpke.h"
#include "mamori/crypto_openssl.h"
#include "mamori/lms.h"

static const char cose_help[] = "usage: mamori cose <command> [<args>]\n"
                                "\n"
                                "commands:\n"
                                "  sign      sign a payload: COSE_Sign1 (one key) or COSE_Sign (several)\n"
                                "  verify    verify a COSE_Sign1, COSE_Sign or COSE_Mac0\n"
                                "  mac       MAC a payload with a symmetric key: COSE_Mac0\n"
                                "  encrypt   encrypt a payload: COSE_Encrypt0 (--key) or COSE_Encrypt (--recipient)\n"
                                "  decrypt   decrypt a COSE_Encrypt0 or COSE_Encrypt\n"
                                "  show      print a COSE message in diagnostic notation, headers named\n"
                                "\n"
                                "Keys are PEM, DER or COSE_Key files (see 'mamori key --help').\n"
                                "Run 'mamori cose <command> --help' for a command's options.\n";

static const char sign_help[] = "usage: mamori cose sign --key KEY [options] IN OUT\n"
                                "\n"
                                "Signs the payload in IN (- for standard input) and writes a COSE_Sign1 to OUT\n"
                                "(- for standard output). With --key given more than once (or --multi), writes\n"
                                "a COSE_Sign with one signer per key.\n"
                                "\n"
                                "options:\n"
                                "  --key KEY     private key (PEM, DER, COSE_Key, or an HSS-LMS key file of\n"
                                "                'mamori key gen', whose state each signature advances);\n"
                                "                repeat for COSE_Sign\n"
                                "  --alg ALG     signature algorithm: ES256 ESP256 ES384 ESP384 ES512 ESP512\n"
                                "                EdDSA Ed25519 PS256 PS384 PS512 HSS-LMS (default: the key's;\n"
                                "                else ES256, ES384 or ES512 by curve, EdDSA, or PS256, PS384\n"
                                "                or PS512 for 2048-, 3072- or 4096-bit RSA)\n"
                                "  --kid ID      key identifier (text) in the unprotected header (default: the\n"
                                "                key file's kid, if it is a COSE_Key with one)\n"
                                "  --detached    leave the payload out of the message (nil)\n"
                                "  --untagged    no CBOR tag (18 or 98)\n"
                                "  --aad FILE    external additional authenticated data\n"
                                "  --multi       write a COSE_Sign even for one key\n"
                                "  -h, --help    show this help\n"
                                "\n"
                                "With several keys, --alg and --kid are given once (for all keys) or once per\n"
                                "key, in the order of the keys.\n"
                                "\n"
                                "Exit status: 0 written, 64 usage, 65 a key that cannot sign, 66 missing\n"
                                "file, 73 and 74 output errors.\n";

static const char verify_help[] = "usage: mamori cose verify --key KEY [options] IN\n"
                                  "\n"
                                  "Verifies the COSE_Sign1, COSE_Sign or COSE_Mac0 in IN (- for standard input)\n"
                                  "with KEY: a public key (or certificate) for signatures, a symmetric key for\n"
                                  "MACs. For a COSE_Sign, every signer whose algorithm fits the key is tried.\n"
                                  "Untagged messages are told apart by their shape and algorithm.\n"
                                  "\n"
                                  "options:\n"
                                  "  --key KEY       key file (PEM, DER, COSE_Key or COSE_KeySet)\n"
                                  "  --payload FILE  the payload of a detached message\n"
                                  "  --aad FILE      external additional authenticated data\n"
                                  "  --out FILE      write the verified payload to FILE (- for standard output)\n"
                                  "  -q, --quiet     print nothing on success\n"
                                  "  -h, --help      show this help\n"
                                  "\n"
                                  "Exit status: 0 valid, 1 the check failed (the reason on stderr), 64 usage,\n"
                                  "65 malformed message or key, 66 missing file, 73 and 74 output errors.\n";

static const char mac_help[] = "usage: mamori cose mac --key KEY [options] IN OUT\n"
                               "\n"
                               "Computes an HMAC over the payload in IN and writes a COSE_Mac0 to OUT.\n"
                               "\n"
                               "options:\n"
                               "  --key KEY     symmetric key (COSE_Key)\n"
                               "  --alg ALG     HS256/64, HS256, HS384 or HS512 (default: the key's, else by\n"
                               "                key size)\n"
                               "  --kid ID      key identifier (text) (default: the key file's kid)\n"
                               "  --detached    leave the payload out of the message (nil)\n"
                               "  --untagged    no CBOR tag (17)\n"
                               "  --aad FILE    external additional authenticated data\n"
                               "  -h, --help    show this help\n"
                               "\n"
                               "Exit status: 0 written, 64 usage, 65 a key that cannot MAC, 66 missing\n"
                               "file, 73 and 74 output errors.\n";

static const char encrypt_help[] = "usage: mamori cose encrypt (--key KEY | --recipient KEY...) [options] IN OUT\n"
                                   "\n"
                                   "Encrypts the payload in IN. With --key (a symmetric content key), writes a\n"
                                   "COSE_Encrypt0. With --recipient, writes a COSE_Encrypt under a fresh content\n"
                                   "key, with one recipient per key; the recipient algorithm follows from each\n"
                                   "key: a key-wrap key (A128KW...) wraps the content key, a content key is used\n"
                                   "directly (direct), an EC or X25519 public key gets ECDH-ES+A128KW, a key made\n"
                                   "for a COSE-HPKE suite gets that suite. One recipient whose algorithm is an\n"
                                   "Integrated Encryption suite (HPKE-0 ... HPKE-7) gets a COSE_Encrypt0 that\n"
                                   "HPKE encrypts to its public key; Key Encryption suites (HPKE-0-KE ...) are\n"
                                   "COSE_Encrypt recipients like the others.\n"
                                   "\n"
                                   "options:\n"
                                   "  --key KEY          content key (COSE_Encrypt0)\n"
                                   "  --recipient KEY    recipient key (COSE_Encrypt); repeat for more recipients\n"
                                   "  --alg ALG          content algorithm: A128GCM (default), A192GCM, A256GCM,\n"
                                   "                     ChaCha20/Poly1305 (a content key's own by default)\n"
                                   "  --kw ALG           recipient algorithm: A128KW A192KW A256KW direct\n"
                                   "                     ECDH-ES+A128KW ECDH-ES+A192KW ECDH-ES+A256KW\n"
                                   "                     ECDH-ES+HKDF-256 ECDH-ES+HKDF-512 HPKE-0 ... HPKE-7\n"
                                   "                     HPKE-0-KE ... HPKE-7-KE (direct, HKDF and the HPKE-n\n"
                                   "                     Integrated Encryption suites: one recipient only)\n"
                                   "  --psk FILE         COSE-HPKE recipients: encrypt in mode_psk with the\n"
                                   "                     pre-shared key in FILE (at least 32 bytes)\n"
                                   "  --psk-id ID        the PSK's identifier (text), sent as psk_id (needed with\n"
                                   "                     --psk)\n"
                                   "  --kid ID           key identifier (text): of the message (--key) or of the\n"
                                   "                     recipients (default: the key file's kid)\n"
                                   "  --aad FILE         external additional authenticated data\n"
                                   "  --detached CTFILE  write the ciphertext to CTFILE, not into the message\n"
                                   "  --untagged         no CBOR tag (16 or 96)\n"
                                   "  -h, --help         show this help\n"
                                   "\n"
                                   "--kw and --kid are given once (for all recipients) or once per recipient.\n"
                                   "\n"
                                   "Exit status: 0 written, 64 usage, 65 a key that does not fit, 66 missing\n"
                                   "file, 73 and 74 output errors.\n";

static const char decrypt_help[] = "usage: mamori cose decrypt --key KEY [options] IN\n"
                                   "\n"
                                   "Decrypts the COSE_Encrypt0 or COSE_Encrypt in IN and writes the plaintext to\n"
                                   "standard output (or --out). KEY is what the message needs: the content key\n"
                                   "(COSE_Encrypt0, or a direct recipient), the key-wrap key, or the recipient's\n"
                                   "private key (ECDH, COSE-HPKE); every recipient the key fits is tried.\n"
                                   "\n"
                                   "options:\n"
                                   "  --key KEY            key file (PEM, DER, COSE_Key or COSE_KeySet)\n"
                                   "  --ciphertext CTFILE  the ciphertext of a detached message\n"
                                   "  --psk FILE           COSE-HPKE: the pre-shared key of a message with psk_id\n"
                                   "  --aad FILE           external additional authenticated data\n"
                                   "  --out FILE           write the plaintext to FILE (mode 0600)\n"
                                   "  -h, --help           show this help\n"
                                   "\n"
                                   "Exit status: 0 decrypted, 1 the integrity check failed or no recipient\n"
                                   "could be opened with the key, 64 usage, 65 malformed message or key, 66\n"
                                   "missing file, 73 and 74 output errors.\n";

/* Most keys one command takes (signers, recipients). */
#define MAX_KEYS 8

/* Most signers or recipients read from a message. */
#define MAX_LAYERS 64

/*
 * Message types.
 */

const char *cli_cose_type_name(cli_cose_type t)
{
    static const char *const names[] = {
        "not a COSE message",
        "COSE_Sign1",
        "COSE_Sign",
        "COSE_Mac0",
        "COSE_Mac",
        "COSE_Encrypt0",
        "COSE_Encrypt",
        "COSE_Sign1 or COSE_Mac0",
        "COSE_Sign or COSE_Encrypt",
    };
    return (size_t)t < sizeof names / sizeof names[0] ? names[t] : names[0];
}

/* The kind of the algorithm a header pair names (0 when none or unknown). */
static unsigned alg_kind(const mm_cose_headers *h)
{
    if ((h->present & MM_HDRBIT_ALG) == 0 || h->alg < INT32_MIN || h->alg > INT32_MAX) {
        return 0;
    }
    const cli_alg *a = cli_alg_by_id((int32_t)h->alg);
    return a != NULL ? a->kind : 0;
}

/* Untagged [protected, unprotected, payload, array]: a COSE_Sign's
 * signatures or a COSE_Encrypt's recipients, told apart by algorithms. */
static cli_cose_type sign_or_encrypt(mm_cbor_dec *d, const mm_cose_headers *body)
{
    if (alg_kind(body) == CLI_ALG_AEAD) {
        return CLI_COSE_ENCRYPT;
    }
    mm_cose_headers inner;
    size_t n;
    if (mm_cbor_enter_array(d, &n) != MM_OK || n == 0 || mm_cbor_enter_array(d, &n) != MM_OK ||
        mm_cose_headers_decode(d, &inner) != MM_OK) {
        return CLI_COSE_SIGN_OR_ENCRYPT;
    }
    unsigned kind = alg_kind(&inner);
    return kind == CLI_ALG_SIGN              ? CLI_COSE_SIGN
           : (kind & CLI_ALG_RECIPIENT) != 0 ? CLI_COSE_ENCRYPT
                                             : CLI_COSE_SIGN_OR_ENCRYPT;
}

cli_cose_type cli_cose_classify(mm_bytes msg)
{
    mm_cbor_dec d;
    mm_cbor_item it;
    if (mm_cbor_dec_init(&d, msg, 0) != MM_OK || mm_cbor_peek(&d, &it) != MM_OK) {
        return CLI_COSE_UNKNOWN;
    }
    if (it.type == MM_CBOR_TAG) {
        switch (it.arg) {
        case MM_COSE_TAG_SIGN1:
            return CLI_COSE_SIGN1;
        case MM_COSE_TAG_SIGN:
            return CLI_COSE_SIGN;
        case MM_COSE_TAG_MAC0:
            return CLI_COSE_MAC0;
        case MM_COSE_TAG_MAC:
            return CLI_COSE_MAC;
        case MM_COSE_TAG_ENCRYPT0:
            return CLI_COSE_ENCRYPT0;
        case MM_COSE_TAG_ENCRYPT:
            return CLI_COSE_ENCRYPT;
        default:
            return CLI_COSE_UNKNOWN;
        }
    }
    size_t n = 0;
    if (it.type != MM_CBOR_ARRAY || mm_cbor_enter_array(&d, &n) != MM_OK) {
        return CLI_COSE_UNKNOWN;
    }
    if (n == 3 || n == 5) {
        return n == 3 ? CLI_COSE_ENCRYPT0 : CLI_COSE_MAC;
    }
    mm_cose_headers h;
    if (n != 4 || mm_cose_headers_decode(&d, &h) != MM_OK || mm_cbor_skip(&d) != MM_OK ||
        mm_cbor_peek(&d, &it) != MM_OK) {
        return n == 4 ? CLI_COSE_SIGN1_OR_MAC0 : CLI_COSE_UNKNOWN; /* the decoder will say what is wrong */
    }
    if (it.type == MM_CBOR_ARRAY) {
        return sign_or_encrypt(&d, &h);
    }
    unsigned kind = alg_kind(&h);
    return kind == CLI_ALG_MAC ? CLI_COSE_MAC0 : kind == CLI_ALG_SIGN ? CLI_COSE_SIGN1 : CLI_COSE_SIGN1_OR_MAC0;
}

/*
 * Shared pieces.
 */

static int per_key_check(const cli_list *p, const char *cmd, const char *opt, size_t keys)
{
    if (p->n > 1 && p->n != keys) {
        return cli_fail(CLI_USAGE, cmd, "%s given %zu times for %zu keys: give it once, or once per key", opt, p->n,
                        keys);
    }
    return CLI_OK;
}

/* A kid from the command line, else the key file's. */
static int kid_for(const char *opt_value, const cli_key *k, uint8_t *buf, mm_bytes *kid)
{
    if (opt_value == NULL) {
        *kid = mm_bytes_make(k->kid, k->kid_len);
        return CLI_OK;
    }
    size_t len = 0;
    int rc = cli_parse_kid("--kid", opt_value, buf, &len);
    *kid = mm_bytes_make(buf, len);
    return rc;
}

/* Exit status of a failure to create a message: a key or algorithm that
 * does not fit is the input's fault, not a failed check. */
static int create_exit(mm_err e)
{
    int rc = cli_exit_for(e);
    return rc == CLI_CHECK_FAILED || e == MM_ERR_KEY_USAGE || e == MM_ERR_INVALID_ARG ? CLI_DATAERR : rc;
}

/* Makes a message into a new buffer: a first guess at its size, and once
 * more with the size the library asks for. */
typedef mm_err (*make_fn)(const void *ctx, mm_bytes in, mm_buf *out);

static int make_message(const char *path, const char *what, make_fn fn, const void *ctx, mm_bytes in, size_t guess,
                        mm_buf *out)
{
    mm_err e = MM_ERR_BUFFER_TOO_SMALL;
    memset(out, 0, sizeof *out);
    for (int attempt = 0; attempt < 2 && e == MM_ERR_BUFFER_TOO_SMALL; attempt++) {
        free(out->ptr);
        *out = mm_buf_make(malloc(guess), guess);
        if (out->ptr == NULL) {
            return cli_fail(CLI_SOFTWARE, path, "out of memory");
        }
        e = fn(ctx, in, out);
        guess = out->len > guess ? out->len : guess + 1;
    }
    if (e != MM_OK) {
        free(out->ptr);
        memset(out, 0, sizeof *out);
        return cli_fail(create_exit(e), path, "cannot create the %s: %s (%s)", what, mm_strerror(e), mm_errname(e));
    }
    return CLI_OK;
}

/* Scratch room for signing or verifying EdDSA, which signs the whole
 * ToBeSigned structure: payload, AAD, protected buckets and 1 KiB more. */
static uint8_t *eddsa_scratch(size_t need, size_t *len)
{
    *len = need + 1024;
    return malloc(*len);
}

static bool signs_whole(int32_t alg)
{
    const mm_cose_sig_alg *entry = mm_cose_find_sig_alg(mm_lms_cose_algs(), alg);
    return entry != NULL && entry->prehash == 0;
}

/* The inputs every creating command reads. */
typedef struct inputs {
    uint8_t *payload;
    size_t payload_len;
    uint8_t *aad;
    size_t aad_len;
} inputs;

static int read_inputs(const char *in, const char *aad, inputs *x)
{
    memset(x, 0, sizeof *x);
    int rc = cli_read_optional(in, &x->payload, &x->payload_len);
    if (rc == CLI_OK) {
        rc = cli_read_optional(aad, &x->aad, &x->aad_len);
    }
    return rc;
}

static void free_inputs(inputs *x)
{
    free(x->payload);
    free(x->aad);
}

/* The inputs of a command that reads a message whose content, what
 * ("payload" or "ciphertext"), is given in the file of the option of that
 * name when, and only when, the message leaves it detached; *content gets
 * it then (a non-NULL view even when empty: "given", not "absent"). x is
 * for free_inputs() whatever the result. */
static int read_detached(const char *path, const char *what, bool detached, const char *file, const char *aad,
                         inputs *x, mm_bytes *content)
{
    memset(x, 0, sizeof *x);
    *content = mm_bytes_make(NULL, 0);
    if (detached && file == NULL) {
        return cli_fail(CLI_USAGE, path, "the %s is detached: give it with --%s", what, what);
    }
    if (!detached && file != NULL) {
        return cli_fail(CLI_USAGE, path, "the message carries its %s: --%s is for detached ones", what, what);
    }
    int rc = read_inputs(file, aad, x);
    if (detached) {
        *content = mm_bytes_make(x->payload != NULL ? x->payload : (const uint8_t *)"", x->payload_len);
    }
    return rc;
}

/*
 * sign and mac
 */

typedef struct sign_job {
    mm_cose_create_opts body;
    mm_cose_create_opts signers[MAX_KEYS];
    size_t n;
    bool multi;
} sign_job;

static mm_err make_signed(const void *ctx, mm_bytes in, mm_buf *out)
{
    const sign_job *j = ctx;
    if (j->multi) {
        return mm_cose_sign_create(&j->body, j->signers, j->n, in, out);
    }
    return mm_cose_sign1_create(&j->signers[0], in, out);
}

static mm_err make_mac0(const void *ctx, mm_bytes in, mm_buf *out)
{
    return mm_cose_mac0_create(&((const sign_job *)ctx)->signers[0], in, out);
}

/* What sign and mac share: their options and the whole run. */
typedef struct sign_args {
    cli_list keys, algs, kids;
    const char *aad;
    unsigned flags;
    bool multi;
    const char *in, *out;
} sign_args;

static int run_sign(const char *cmd, unsigned kind, const sign_args *a)
{
    const char *what = kind == CLI_ALG_MAC ? "COSE_Mac0" : a->multi ? "COSE_Sign" : "COSE_Sign1";
    if (per_key_check(&a->algs, cmd, "--alg", a->keys.n) != CLI_OK ||
        per_key_check(&a->kids, cmd, "--kid", a->keys.n) != CLI_OK) {
        return CLI_USAGE;
    }
    cli_key keys[MAX_KEYS];
    uint8_t kid_bufs[MAX_KEYS][CLI_KID_MAX];
    sign_job job;
    memset(&job, 0, sizeof job);
    memset(keys, 0, sizeof keys);
    inputs x;
    int rc = read_inputs(a->in, a->aad, &x);
    mm_bytes aad = mm_bytes_make(x.aad, x.aad_len);
    bool whole = false;
    for (size_t i = 0; i < a->keys.n && rc == CLI_OK; i++) {
        int32_t alg = 0;
        const char *alg_name = cli_list_get(&a->algs, i);
        if (alg_name != NULL && cli_alg_parse("--alg", alg_name, kind, &alg) != CLI_OK) {
            rc = CLI_USAGE;
            break;
        }
        const char *path = a->keys.v[i];
        if ((rc = cli_load_key(path, alg, CLI_KEY_PRIVATE, &keys[i])) != CLI_OK) {
            break;
        }
        if (alg == 0 && (alg = cli_default_alg(&keys[i].key, kind)) == 0) {
            char desc[64];
            cli_key_describe(&keys[i].key, desc, sizeof desc);
            rc = cli_fail(CLI_DATAERR, path, "a %s cannot %s%s", desc, kind == CLI_ALG_MAC ? "MAC" : "sign",
                          keys[i].key.kty == MM_KTY_SYMMETRIC ? " (use 'mamori cose mac')"
                          : kind == CLI_ALG_MAC               ? " (use 'mamori cose sign')"
                                                              : "");
            break;
        }
        mm_cose_create_opts *s = &job.signers[i];
        s->crypto = mm_crypto_openssl();
        s->key = &keys[i].key;
        s->alg = alg;
        s->external_aad = aad;
        s->flags = a->flags;
        s->algs = mm_lms_cose_algs(); /* the default table with HSS-LMS in front */
        rc = kid_for(cli_list_get(&a->kids, i), &keys[i], kid_bufs[i], &s->kid);
        whole = whole || signs_whole(alg);
    }
    job.n = a->keys.n;
    job.multi = a->multi;
    job.body.flags = a->flags;
    job.body.external_aad = aad;
    uint8_t *scratch = NULL;
    size_t scratch_len = 0;
    if (rc == CLI_OK && whole) {
        scratch = eddsa_scratch(x.payload_len + x.aad_len, &scratch_len);
        rc = scratch == NULL ? cli_fail(CLI_SOFTWARE, a->in, "out of memory") : CLI_OK;
        for (size_t i = 0; i < job.n; i++) {
            job.signers[i].scratch = scratch;
            job.signers[i].scratch_len = scratch_len;
        }
    }
    mm_buf msg = mm_buf_make(NULL, 0);
    if (rc == CLI_OK) {
        size_t guess = x.payload_len + 1024 + job.n * (MM_SIG_MAX + CLI_KID_MAX + 64);
        rc = make_message(a->out, what, kind == CLI_ALG_MAC ? make_mac0 : make_signed, &job,
                          mm_bytes_make(x.payload, x.payload_len), guess, &msg);
    }
    if (rc == CLI_OK) {
        rc = cli_write_file(a->out, msg.ptr, msg.len, 0644);
    }
    free(msg.ptr);
    free(scratch);
    for (size_t i = 0; i < a->keys.n; i++) {
        cli_key_free(&keys[i]);
    }
    free_inputs(&x);
    return rc;
}

/* Options given once for all keys or once per key, as many as MAX_KEYS. */
#define PER_KEY(name, T, field) CLI_LIST(name, 0, T, field, MAX_KEYS)

static int sign_or_mac(int argc, char **argv, unsigned kind)
{
    static const cli_opt sign_opts[] = {
        PER_KEY("key", sign_args, keys),
        PER_KEY("alg", sign_args, algs),
        PER_KEY("kid", sign_args, kids),
        CLI_BITS("detached", sign_args, flags, MM_COSE_DETACHED),
        CLI_BITS("untagged", sign_args, flags, MM_COSE_UNTAGGED),
        CLI_STR("aad", 0, sign_args, aad),
        CLI_BOOL("multi", 0, sign_args, multi), /* sign only: the last entry */
    };
    static const cli_opts sign_spec = {"cose sign", sign_help, sign_opts, sizeof sign_opts / sizeof sign_opts[0]};
    static const cli_opts mac_spec = {"cose mac", mac_help, sign_opts, sizeof sign_opts / sizeof sign_opts[0] - 1};
    const cli_opts *spec = kind == CLI_ALG_MAC ? &mac_spec : &sign_spec;
    const char *cmd = spec->cmd;
    sign_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.keys.n == 0 || argc - optind != 2) {
        return cli_usage(cmd, "expected --key, an input and an output file");
    }
    if (kind == CLI_ALG_MAC && a.keys.n > 1) {
        return cli_fail(CLI_USAGE, cmd, "one --key only (COSE_Mac0 has one tag)");
    }
    a.multi = a.multi || a.keys.n > 1;
    a.in = argv[optind];
    a.out = argv[optind + 1];
    return run_sign(cmd, kind, &a);
}

static int cose_sign(int argc, char **argv) { return sign_or_mac(argc, argv, CLI_ALG_SIGN); }

static int cose_mac(int argc, char **argv) { return sign_or_mac(argc, argv, CLI_ALG_MAC); }

/*
 * verify
 */

/* A decoded message of any type verify and decrypt handle. */
typedef struct message {
    cli_cose_type type;
    mm_cose_sign1 sign1;
    mm_cose_mac0 mac0;
    mm_cose_sign sign;
    mm_cose_encrypt enc;
    mm_cose_signature signers[MAX_LAYERS];
    mm_cose_recipient recipients[MAX_LAYERS];
} message;

/* Decodes msg as type; prints the decode error. */
static int decode_as(const char *path, mm_bytes data, cli_cose_type type, message *m)
{
    size_t off = 0;
    mm_err e;
    m->type = type;
    switch (type) {
    case CLI_COSE_SIGN1:
        e = mm_cose_sign1_decode(data, &m->sign1, &off);
        break;
    case CLI_COSE_MAC0:
        e = mm_cose_mac0_decode(data, &m->mac0, &off);
        break;
    case CLI_COSE_SIGN:
        e = mm_cose_sign_decode(data, &m->sign, m->signers, MAX_LAYERS, &off);
        break;
    case CLI_COSE_ENCRYPT0:
        e = mm_cose_encrypt0_decode(data, &m->enc, &off);
        break;
    case CLI_COSE_ENCRYPT:
        e = mm_cose_encrypt_decode(data, &m->enc, m->recipients, MAX_LAYERS, &off);
        break;
    default:
        return cli_fail(CLI_DATAERR, path, "%s", cli_cose_type_name(CLI_COSE_UNKNOWN));
    }
    return e == MM_OK ? CLI_OK : cli_fail_decode(path, e, off);
}

/* What verify and decrypt share: the message in path is read, the keys of
 * key_path loaded (flags as cli_load_keys()), then run() checks or opens it. */
typedef int (*message_fn)(const char *path, mm_bytes data, const cli_key *keys, size_t n, const void *args, message *m);

static int with_message(const char *path, const char *key_path, unsigned flags, message_fn run, const void *args)
{
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = cli_read_file(path, &data, &len);
    if (rc != CLI_OK) {
        return rc;
    }
    cli_key *keys = NULL;
    size_t n = 0;
    message *m = calloc(1, sizeof *m);
    if (m == NULL) {
        free(data);
        return cli_fail(CLI_SOFTWARE, path, "out of memory");
    }
    rc = cli_load_keys(key_path, flags, &keys, &n);
    if (rc == CLI_OK) {
        rc = run(path, mm_bytes_make(data, len), keys, n, args, m);
    }
    cli_free_keys(keys, n);
    free(m);
    free(data);
    return rc;
}

typedef struct verify_args {
    const char *key, *payload, *aad, *out;
    bool quiet;
} verify_args;

/* The headers of layer i: the message's, or signer i's (COSE_Sign). */
static const mm_cose_headers *layer_headers(const message *m, size_t i)
{
    return m->type == CLI_COSE_SIGN1 ? &m->sign1.hdr : m->type == CLI_COSE_MAC0 ? &m->mac0.hdr : &m->signers[i].hdr;
}

static mm_err verify_layer(const message *m, size_t i, const mm_cose_verify_opts *o)
{
    return m->type == CLI_COSE_SIGN1  ? mm_cose_sign1_verify(&m->sign1, o)
           : m->type == CLI_COSE_MAC0 ? mm_cose_mac0_verify(&m->mac0, o)
                                      : mm_cose_sign_verify(&m->sign, i, o);
}

/* True when key may check what h names (and when h names nothing: then the
 * library says what is missing). */
static bool key_fits(const mm_key *key, const mm_cose_headers *h)
{
    if ((h->present & MM_HDRBIT_ALG) == 0 || h->alg < INT32_MIN || h->alg > INT32_MAX) {
        return true;
    }
    return mm_key_allows(key, (int32_t)h->alg, key->kty == MM_KTY_SYMMETRIC);
}

/* Verifies every layer (the signers of a COSE_Sign) with every key that
 * fits it, until one verifies; *which gets that layer. MM_ERR_NO_RECIPIENT
 * when no key fits any signer of a COSE_Sign. */
static mm_err verify_with(const message *m, const cli_key *keys, size_t n, mm_cose_verify_opts *o, size_t *which)
{
    mm_err last = MM_ERR_NO_RECIPIENT;
    size_t layers = m->type == CLI_COSE_SIGN ? m->sign.n_signers : 1;
    for (size_t i = 0; i < layers; i++) {
        for (size_t j = 0; j < n; j++) {
            if (!key_fits(&keys[j].key, layer_headers(m, i))) {
                continue;
            }
            o->key = &keys[j].key;
            mm_err e = verify_layer(m, i, o);
            if (e == MM_OK) {
                *which = i;
                return MM_OK;
            }
            last = e;
        }
    }
    if (last == MM_ERR_NO_RECIPIENT && m->type != CLI_COSE_SIGN) {
        o->key = &keys[0].key; /* no key fits: the library says why */
        last = verify_layer(m, 0, o);
    }
    return last;
}

static int run_verify(const char *path, mm_bytes data, const cli_key *keys, size_t n, const void *args, message *m)
{
    const verify_args *a = args;
    cli_cose_type type = cli_cose_classify(data);
    if (type == CLI_COSE_SIGN1_OR_MAC0) {
        type = keys[0].key.kty == MM_KTY_SYMMETRIC ? CLI_COSE_MAC0 : CLI_COSE_SIGN1;
    } else if (type == CLI_COSE_SIGN_OR_ENCRYPT) {
        type = CLI_COSE_SIGN;
    }
    if (type == CLI_COSE_ENCRYPT0 || type == CLI_COSE_ENCRYPT || type == CLI_COSE_MAC) {
        return cli_fail(CLI_DATAERR, path, "a %s is not verified%s", cli_cose_type_name(type),
                        type == CLI_COSE_MAC ? " (COSE_Mac is not supported)" : ": use 'mamori cose decrypt'");
    }
    int rc = decode_as(path, data, type, m);
    if (rc != CLI_OK) {
        return rc;
    }
    bool detached = type == CLI_COSE_SIGN1  ? m->sign1.detached
                    : type == CLI_COSE_MAC0 ? m->mac0.detached
                                            : m->sign.detached;
    mm_bytes attached = type == CLI_COSE_SIGN1  ? m->sign1.payload
                        : type == CLI_COSE_MAC0 ? m->mac0.payload
                                                : m->sign.payload;
    mm_cose_verify_opts o;
    memset(&o, 0, sizeof o);
    inputs x;
    rc = read_detached(path, "payload", detached, a->payload, a->aad, &x, &o.payload);
    o.crypto = mm_crypto_openssl();
    o.external_aad = mm_bytes_make(x.aad, x.aad_len);
    o.algs = mm_lms_cose_algs();
    mm_bytes payload = detached ? o.payload : attached;
    bool whole = false;
    for (size_t i = 0; type != CLI_COSE_MAC0 && i < (type == CLI_COSE_SIGN ? m->sign.n_signers : 1); i++) {
        whole = whole || signs_whole((int32_t)layer_headers(m, i)->alg);
    }
    if (rc == CLI_OK && whole) {
        o.scratch = eddsa_scratch(data.len + x.payload_len + x.aad_len, &o.scratch_len);
        rc = o.scratch == NULL ? cli_fail(CLI_SOFTWARE, path, "out of memory") : CLI_OK;
    }
    mm_err e = MM_OK;
    size_t which = 0;
    if (rc == CLI_OK) {
        e = verify_with(m, keys, n, &o, &which);
        if (e == MM_ERR_NO_RECIPIENT) {
            rc = cli_fail(CLI_CHECK_FAILED, path,
                          "COSE_Sign not verified: no signer uses an algorithm the key fits (%s)",
                          mm_errname(MM_ERR_ALG_MISMATCH));
        } else if (e != MM_OK) {
            rc = cli_fail(cli_exit_for(e), path, "%s not verified: %s (%s)", cli_cose_type_name(type), mm_strerror(e),
                          mm_errname(e));
        }
    }
    if (rc == CLI_OK && a->out != NULL) {
        rc = cli_write_file(a->out, payload.ptr, payload.len, 0644);
    }
    if (rc == CLI_OK && !a->quiet && (a->out == NULL || strcmp(a->out, "-") != 0)) {
        const mm_cose_headers *h = layer_headers(m, which);
        if (type == CLI_COSE_SIGN) {
            printf("%s: valid COSE_Sign (signer %zu of %zu", path, which + 1, m->sign.n_signers);
        } else {
            printf("%s: valid %s (", path, cli_cose_type_name(type));
        }
        const char *alg = cli_alg_name(h->alg);
        printf("%s%s)\n", type == CLI_COSE_SIGN ? ", " : "", alg != NULL ? alg : "?");
    }
    free(o.scratch);
    free_inputs(&x);
    return rc;
}

static int cose_verify(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("key", 0, verify_args, key),        CLI_STR("payload", 0, verify_args, payload),
        CLI_STR("aad", 0, verify_args, aad),        CLI_STR("out", 0, verify_args, out),
        CLI_BOOL("quiet", 'q', verify_args, quiet),
    };
    static const cli_opts spec = {"cose verify", verify_help, opts, sizeof opts / sizeof opts[0]};
    verify_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.key == NULL || argc - optind != 1) {
        return cli_usage(spec.cmd, "expected --key and one input file");
    }
    return with_message(argv[optind], a.key, 0, run_verify, &a);
}

/*
 * encrypt
 */

typedef struct encrypt_job {
    mm_cose_encrypt_opts opts;
    mm_cose_recipient_opts recipients[MAX_KEYS];
    /* COSE-HPKE: the kid (protected for Key Encryption, as the draft
     * recommends) and psk_id parameters, and the PSK. */
    mm_cose_param params[MAX_KEYS][2];
    uint8_t kid_cbor[MAX_KEYS][CLI_KID_MAX + 3];
    uint8_t psk_id_cbor[CLI_KID_MAX + 3];
    mm_hpke_cose_opts hpke;
} encrypt_job;

static mm_err make_encrypted(const void *ctx, mm_bytes in, mm_buf *out)
{
    const encrypt_job *j = ctx;
    if (j->opts.n_recipients == 0) {
        return mm_cose_encrypt0_create(&j->opts, in, out);
    }
    return mm_cose_encrypt_create(&j->opts, in, out);
}

typedef struct encrypt_args {
    const char *key;
    cli_list recipients, kws, kids;
    const char *alg, *aad, *detached, *psk, *psk_id;
    unsigned flags;
    const char *in, *out;
} encrypt_args;

/* Loads recipient i and chooses its algorithm. */
static int load_recipient(const encrypt_args *a, size_t i, cli_key *k, int32_t *ralg)
{
    const char *path = a->recipients.v[i];
    const char *kw = cli_list_get(&a->kws, i);
    *ralg = 0;
    if (kw != NULL && cli_alg_parse("--kw", kw, CLI_ALG_RECIPIENT, ralg) != CLI_OK) {
        return CLI_USAGE;
    }
    if (*ralg == MM_ALG_ECDH_SS_HKDF256 || *ralg == MM_ALG_ECDH_SS_HKDF512 || *ralg == MM_ALG_ECDH_SS_A128KW ||
        *ralg == MM_ALG_ECDH_SS_A192KW || *ralg == MM_ALG_ECDH_SS_A256KW) {
        return cli_fail(CLI_USAGE, "--kw", "%s needs the sender's static key, which this command does not take", kw);
    }
    /* A direct recipient's key is the content key: checked against --alg. */
    int rc = cli_load_key(path, *ralg == MM_ALG_DIRECT ? 0 : *ralg, 0, k);
    if (rc == CLI_OK && *ralg == 0 && (*ralg = cli_default_alg(&k->key, CLI_ALG_RECIPIENT)) == 0) {
        char desc[64];
        cli_key_describe(&k->key, desc, sizeof desc);
        rc = cli_fail(CLI_DATAERR, path, "a %s cannot be a recipient", desc);
    }
    return rc;
}

/* b encoded as a bstr into out[0..cap): a header parameter's value. */
static mm_bytes bstr_value(mm_bytes b, uint8_t *out, size_t cap)
{
    mm_cbor_enc e;
    mm_cbor_enc_init(&e, out, cap);
    mm_cbor_put_bstr(&e, b);
    size_t len = 0;
    return mm_cbor_enc_finish(&e, &len) == MM_OK ? mm_bytes_make(out, len) : mm_bytes_make(NULL, 0);
}

/* The kind of a recipient algorithm (0 when unknown). */
static unsigned kind_of(int32_t alg)
{
    const cli_alg *a = cli_alg_by_id(alg);
    return a != NULL ? a->kind : 0;
}

/* COSE-HPKE recipients: their options (the PSK), kid protected for Key
 * Encryption, psk_id; one Integrated Encryption recipient turns the
 * message into its COSE_Encrypt0. */
static int hpke_recipients(const encrypt_args *a, encrypt_job *j, mm_bytes psk)
{
    mm_cose_encrypt_opts *o = &j->opts;
    size_t n = o->n_recipients;
    if ((a->psk != NULL) != (a->psk_id != NULL)) {
        return cli_fail(CLI_USAGE, "cose encrypt", "--psk and --psk-id go together");
    }
    if (a->psk != NULL && psk.len < 32) {
        return cli_fail(CLI_DATAERR, a->psk, "a pre-shared key has at least 32 bytes (this one %zu)", psk.len);
    }
    mm_bytes psk_id = mm_bytes_make(NULL, 0);
    if (a->psk_id != NULL) {
        uint8_t id[CLI_KID_MAX];
        size_t len = 0;
        if (cli_parse_kid("--psk-id", a->psk_id, id, &len) != CLI_OK) {
            return CLI_USAGE;
        }
        psk_id = bstr_value(mm_bytes_make(id, len), j->psk_id_cbor, sizeof j->psk_id_cbor);
    }
    j->hpke.psk = psk;
    for (size_t i = 0; i < n; i++) {
        mm_cose_recipient_opts *r = &j->recipients[i];
        unsigned kind = kind_of(r->alg);
        if ((kind & (CLI_ALG_HPKE | CLI_ALG_HPKE_KE)) == 0) {
            if (a->psk != NULL) {
                return cli_fail(CLI_USAGE, "--psk", "is for COSE-HPKE recipients only, not %s", cli_alg_name(r->alg));
            }
            continue;
        }
        size_t np = 0;
        if (kind == CLI_ALG_HPKE_KE && r->kid.len != 0) {
            mm_bytes kid = bstr_value(r->kid, j->kid_cbor[i], sizeof j->kid_cbor[i]);
            j->params[i][np++] = (mm_cose_param){MM_HDR_KID, kid, MM_COSE_PROTECTED};
            r->kid = mm_bytes_make(NULL, 0);
        }
        if (psk_id.len != 0) {
            j->params[i][np++] = (mm_cose_param){MM_HDR_HPKE_PSK_ID, psk_id, MM_COSE_PROTECTED};
        }
        r->params = j->params[i];
        r->n_params = np;
        r->alg_opts = &j->hpke;
    }
    if (n == 1 && kind_of(j->recipients[0].alg) == CLI_ALG_HPKE) {
        const mm_cose_recipient_opts *r = &j->recipients[0];
        if (a->alg != NULL) {
            return cli_fail(CLI_USAGE, "--alg", "%s encrypts the content itself: no content algorithm",
                            cli_alg_name(r->alg));
        }
        o->alg = r->alg;
        o->key = r->key;
        o->kid = r->kid;
        o->params = r->params;
        o->n_params = r->n_params;
        o->alg_opts = &j->hpke;
        o->recipients = NULL;
        o->n_recipients = 0;
    }
    return CLI_OK;
}

static int run_encrypt(const encrypt_args *a)
{
    size_t n = a->recipients.n;
    if (per_key_check(&a->kws, "cose encrypt", "--kw", n) != CLI_OK ||
        per_key_check(&a->kids, "cose encrypt", "--kid", n == 0 ? 1 : n) != CLI_OK) {
        return CLI_USAGE;
    }
    int32_t alg = 0;
    if (a->alg != NULL && cli_alg_parse("--alg", a->alg, CLI_ALG_AEAD, &alg) != CLI_OK) {
        return CLI_USAGE;
    }
    cli_key keys[MAX_KEYS];
    uint8_t kid_bufs[MAX_KEYS][CLI_KID_MAX];
    memset(keys, 0, sizeof keys);
    encrypt_job job;
    memset(&job, 0, sizeof job);
    mm_cose_encrypt_opts *o = &job.opts;
    o->crypto = mm_crypto_openssl();
    o->flags = a->flags | (a->detached != NULL ? MM_COSE_DETACHED : 0);
    inputs x;
    int rc = read_inputs(a->in, a->aad, &x);
    o->external_aad = mm_bytes_make(x.aad, x.aad_len);
    int32_t content_default = MM_ALG_A128GCM;
    if (rc == CLI_OK && a->key != NULL) {
        rc = cli_load_key(a->key, alg, CLI_KEY_PRIVATE, &keys[0]);
        if (rc == CLI_OK && (content_default = cli_default_alg(&keys[0].key, CLI_ALG_AEAD)) == 0) {
            char desc[64];
            cli_key_describe(&keys[0].key, desc, sizeof desc);
            rc = cli_fail(CLI_DATAERR, a->key, "a %s is not a content key%s", desc,
                          keys[0].key.kty != MM_KTY_SYMMETRIC ? " (use --recipient for public keys)" : "");
        }
        o->key = &keys[0].key;
        if (rc == CLI_OK) {
            rc = kid_for(cli_list_get(&a->kids, 0), &keys[0], kid_bufs[0], &o->kid);
        }
    }
    for (size_t i = 0; i < n && rc == CLI_OK; i++) {
        mm_cose_recipient_opts *r = &job.recipients[i];
        rc = load_recipient(a, i, &keys[i], &r->alg);
        const cli_alg *ra = cli_alg_by_id(r->alg);
        if (rc == CLI_OK && ra != NULL && ra->derives && n > 1) {
            rc = cli_fail(CLI_USAGE, "cose encrypt", "%s serves one recipient only", ra->name);
        }
        if (rc == CLI_OK && r->alg == MM_ALG_DIRECT && alg == 0 &&
            (content_default = cli_default_alg(&keys[i].key, CLI_ALG_AEAD)) == 0) {
            rc = cli_fail(CLI_DATAERR, a->recipients.v[i], "not a content key: cannot be a direct recipient");
        }
        r->key = &keys[i].key;
        if (rc == CLI_OK) {
            rc = kid_for(cli_list_get(&a->kids, i), &keys[i], kid_bufs[i], &r->kid);
        }
    }
    o->alg = alg != 0 ? alg : content_default;
    o->recipients = n != 0 ? job.recipients : NULL;
    o->n_recipients = n;
    o->algs = mm_hpke_cose_algs();
    uint8_t *psk = NULL;
    size_t psk_len = 0;
    if (rc == CLI_OK && a->psk != NULL) {
        rc = a->key != NULL ? cli_fail(CLI_USAGE, "--psk", "is for COSE-HPKE recipients")
                            : cli_read_file(a->psk, &psk, &psk_len);
    }
    if (rc == CLI_OK) {
        rc = hpke_recipients(a, &job, mm_bytes_make(psk, psk_len));
    }
    mm_buf ct = mm_buf_make(NULL, 0);
    if (rc == CLI_OK && a->detached != NULL) {
        ct = mm_buf_make(malloc(x.payload_len + MM_AEAD_TAG_MAX), x.payload_len + MM_AEAD_TAG_MAX);
        rc = ct.ptr == NULL ? cli_fail(CLI_SOFTWARE, a->in, "out of memory") : CLI_OK;
        o->detached = &ct;
    }
    mm_buf msg = mm_buf_make(NULL, 0);
    if (rc == CLI_OK) {
        size_t guess = x.payload_len + MM_AEAD_TAG_MAX + 1024 + n * (600 + CLI_KID_MAX);
        rc = make_message(a->out, o->n_recipients == 0 ? "COSE_Encrypt0" : "COSE_Encrypt", make_encrypted, &job,
                          mm_bytes_make(x.payload, x.payload_len), guess, &msg);
    }
    if (rc == CLI_OK && a->detached != NULL) {
        rc = cli_write_file(a->detached, ct.ptr, ct.len, 0644);
    }
    if (rc == CLI_OK) {
        rc = cli_write_file(a->out, msg.ptr, msg.len, 0644);
    }
    free(msg.ptr);
    free(ct.ptr);
    if (psk != NULL) {
        mm_wipe(psk, psk_len);
        free(psk);
    }
    for (size_t i = 0; i < MAX_KEYS; i++) {
        cli_key_free(&keys[i]);
    }
    free_inputs(&x);
    return rc;
}

static int cose_encrypt(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("key", 0, encrypt_args, key),
        PER_KEY("recipient", encrypt_args, recipients),
        CLI_STR("alg", 0, encrypt_args, alg),
        PER_KEY("kw", encrypt_args, kws),
        PER_KEY("kid", encrypt_args, kids),
        CLI_STR("aad", 0, encrypt_args, aad),
        CLI_STR("detached", 0, encrypt_args, detached),
        CLI_BITS("untagged", encrypt_args, flags, MM_COSE_UNTAGGED),
        CLI_STR("psk", 0, encrypt_args, psk),
        CLI_STR("psk-id", 0, encrypt_args, psk_id),
    };
    static const cli_opts spec = {"cose encrypt", encrypt_help, opts, sizeof opts / sizeof opts[0]};
    encrypt_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if ((a.key == NULL) == (a.recipients.n == 0) || argc - optind != 2) {
        return cli_usage(spec.cmd, "expected --key or --recipient, an input and an output file");
    }
    if (a.key != NULL && a.kws.n != 0) {
        return cli_fail(CLI_USAGE, "cose encrypt", "--kw is for --recipient keys");
    }
    a.in = argv[optind];
    a.out = argv[optind + 1];
    return run_encrypt(&a);
}

/*
 * decrypt
 */

typedef struct decrypt_args {
    const char *key, *ciphertext, *aad, *out, *psk;
} decrypt_args;

/* Decrypts with every key of the file until one opens the message. */
static mm_err decrypt_with(const message *m, const cli_key *keys, size_t n, mm_cose_decrypt_opts *o, mm_buf *pt)
{
    mm_err best = MM_ERR_NO_RECIPIENT;
    for (size_t j = 0; j < n; j++) {
        o->key = &keys[j].key;
        mm_err e = m->type == CLI_COSE_ENCRYPT0 ? mm_cose_encrypt0_decrypt(&m->enc, o, pt)
                                                : mm_cose_encrypt_decrypt(&m->enc, o, pt);
        if (e == MM_OK) {
            return MM_OK;
        }
        /* Keep the most telling failure: a key that fits and fails over
         * one that does not fit at all. */
        if (j == 0 || (e != MM_ERR_NO_RECIPIENT && e != MM_ERR_ALG_MISMATCH)) {
            best = e;
        }
    }
    return best;
}

static int run_decrypt(const char *path, mm_bytes data, const cli_key *keys, size_t n, const void *args, message *m)
{
    const decrypt_args *a = args;
    cli_cose_type type = cli_cose_classify(data);
    if (type == CLI_COSE_SIGN_OR_ENCRYPT) {
        type = CLI_COSE_ENCRYPT;
    }
    if (type == CLI_COSE_UNKNOWN) {
        return cli_fail(CLI_DATAERR, path, "not a COSE message");
    }
    if (type != CLI_COSE_ENCRYPT0 && type != CLI_COSE_ENCRYPT) {
        return cli_fail(CLI_DATAERR, path, "a %s is not decrypted%s", cli_cose_type_name(type),
                        type == CLI_COSE_MAC ? "" : ": use 'mamori cose verify'");
    }
    int rc = decode_as(path, data, type, m);
    if (rc != CLI_OK) {
        return rc;
    }
    mm_cose_decrypt_opts o;
    memset(&o, 0, sizeof o);
    inputs x;
    rc = read_detached(path, "ciphertext", m->enc.detached, a->ciphertext, a->aad, &x, &o.ciphertext);
    o.crypto = mm_crypto_openssl();
    o.external_aad = mm_bytes_make(x.aad, x.aad_len);
    o.algs = mm_hpke_cose_algs();
    mm_hpke_cose_opts hpke;
    memset(&hpke, 0, sizeof hpke);
    uint8_t *psk = NULL;
    size_t psk_len = 0;
    if (rc == CLI_OK && a->psk != NULL) {
        rc = cli_read_file(a->psk, &psk, &psk_len);
        hpke.psk = mm_bytes_make(psk, psk_len);
        if (rc == CLI_OK && psk_len < 32) {
            rc = cli_fail(CLI_DATAERR, a->psk, "a pre-shared key has at least 32 bytes (this one %zu)", psk_len);
        }
    }
    o.alg_opts = &hpke;
    mm_bytes ct = m->enc.detached ? o.ciphertext : m->enc.ciphertext;
    mm_buf pt = mm_buf_make(NULL, 0);
    if (rc == CLI_OK) {
        pt = mm_buf_make(malloc(ct.len + 1), ct.len + 1);
        rc = pt.ptr == NULL ? cli_fail(CLI_SOFTWARE, path, "out of memory") : CLI_OK;
    }
    if (rc == CLI_OK) {
        mm_err e = decrypt_with(m, keys, n, &o, &pt);
        if (e == MM_ERR_INVALID_ARG && a->psk == NULL) {
            rc = cli_fail(CLI_USAGE, path,
                          "%s not decrypted: it was encrypted with a pre-shared key (give it with --psk)",
                          cli_cose_type_name(type));
        } else if (e != MM_OK) {
            rc = cli_fail(cli_exit_for(e), path, "%s not decrypted: %s (%s)", cli_cose_type_name(type), mm_strerror(e),
                          mm_errname(e));
        }
    }
    if (rc == CLI_OK) {
        rc = cli_write_file(a->out != NULL ? a->out : "-", pt.ptr, pt.len, 0600);
    }
    if (pt.ptr != NULL) {
        mm_wipe(pt.ptr, pt.cap);
    }
    free(pt.ptr);
    if (psk != NULL) {
        mm_wipe(psk, psk_len);
        free(psk);
    }
    free_inputs(&x);
    return rc;
}

static int cose_decrypt(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("key", 0, decrypt_args, key), CLI_STR("ciphertext", 0, decrypt_args, ciphertext),
        CLI_STR("aad", 0, decrypt_args, aad), CLI_STR("out", 0, decrypt_args, out),
        CLI_STR("psk", 0, decrypt_args, psk),
    };
    static const cli_opts spec = {"cose decrypt", decrypt_help, opts, sizeof opts / sizeof opts[0]};
    decrypt_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.key == NULL || argc - optind != 1) {
        return cli_usage(spec.cmd, "expected --key and one input file");
    }
    return with_message(argv[optind], a.key, CLI_KEY_PRIVATE, run_decrypt, &a);
}

int cmd_cose(int argc, char **argv)
{
    static const cli_cmd cmds[] = {
        {"sign", cose_sign, "sign"},          {"verify", cose_verify, "verify"},    {"mac", cose_mac, "MAC"},
        {"encrypt", cose_encrypt, "encrypt"}, {"decrypt", cose_decrypt, "decrypt"}, {"show", cose_show, "show"},
    };
    return cli_dispatch("mamori cose", cmds, sizeof cmds / sizeof cmds[0], argc, argv, cose_help);
}
