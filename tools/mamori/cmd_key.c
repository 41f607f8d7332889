/* SPDX-License-Identifier: Apache-2.0 */
/* mamori key: generate keys, show them, convert between PEM, DER and
 * COSE_Key. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "mamori/hpke.h"

static const char key_help[] = "usage: mamori key <command> [<args>]\n"
                               "\n"
                               "commands:\n"
                               "  gen      generate a key for a COSE algorithm\n"
                               "  show     print what a key file holds (PEM, DER, COSE_Key, COSE_KeySet)\n"
                               "  export   convert a key to PEM, DER or COSE_Key, or take its public part\n"
                               "\n"
                               "A key argument of any mamori command takes PEM, DER and COSE_Key files alike.\n"
                               "Run 'mamori key <command> --help' for a command's options.\n";

static const char gen_help[] = "usage: mamori key gen --alg ALG --out NAME [options]\n"
                               "\n"
                               "Generates a key for the COSE algorithm ALG and writes:\n"
                               "  NAME.key   the private key: PKCS#8 PEM for asymmetric keys, a COSE_Key\n"
                               "             (kty, alg, k, kid) for symmetric ones; mode 0600\n"
                               "  NAME.pub   asymmetric keys: the public key as SubjectPublicKeyInfo PEM\n"
                               "  NAME.cose  asymmetric keys: the public key as a COSE_Key with alg and kid\n"
                               "Files are written atomically; existing files are kept unless --force.\n"
                               "HSS-LMS keys are stateful: NAME.key is the signer's state (its format is in\n"
                               "docs/lms.md; never copy or restore it) with NAME.key.cache beside it, and\n"
                               "there is no NAME.pub. Tall trees take a while: every one-time key of the\n"
                               "top tree is computed, on all CPUs.\n"
                               "\n"
                               "algorithms:\n"
                               "  signature   ES256 ESP256 ES384 ESP384 ES512 ESP512 EdDSA Ed25519 PS256 PS384 PS512\n"
                               "              HSS-LMS (stateful hash-based, RFC 8554 / RFC 8778)\n"
                               "  MAC         HS256/64 HS256 HS384 HS512\n"
                               "  content     A128GCM A192GCM A256GCM ChaCha20/Poly1305 A128CTR A192CTR A256CTR\n"
                               "  key wrap    A128KW A192KW A256KW\n"
                               "  agreement   ECDH-ES (a key for any ECDH recipient algorithm), or one of\n"
                               "              ECDH-ES+HKDF-256 ECDH-ES+A128KW ... to restrict the key to it\n"
                               "  HPKE        HPKE-0 ... HPKE-7 (COSE-HPKE Integrated Encryption), HPKE-0-KE\n"
                               "              ... HPKE-7-KE (Key Encryption): a key of the suite's curve\n"
                               "              (HPKE-0, 7: P-256; 1: P-384; 2: P-521; 3, 4: X25519; 5, 6: X448)\n"
                               "\n"
                               "options:\n"
                               "  --alg ALG    the algorithm the key is for (required)\n"
                               "  --crv CRV    agreement keys: P-256 (default), P-384, P-521, X25519, X448;\n"
                               "               EdDSA: Ed25519 (default), Ed448\n"
                               "  --bits N     RSA modulus: 2048, 3072 or 4096 (default: 2048 for PS256, 3072\n"
                               "               for PS384, 4096 for PS512)\n"
                               "  --out NAME   the files' name without extension (required)\n"
                               "  --kid KID    key identifier (text) for the COSE_Key\n"
                               "  --lms-type T HSS-LMS: the LMS tree of each level, one for all or a comma\n"
                               "               list, top first (default LMS_SHA256_M32_H10; H5 to H25, M32\n"
                               "               or M24, SHA256 or SHAKE)\n"
                               "  --ots-type T HSS-LMS: the one-time keys of each level, likewise (default\n"
                               "               LMOTS_SHA256_N32_W4; W1, W2, W4 or W8)\n"
                               "  --levels N   HSS-LMS: levels of trees, 1 to 8 (default 1); the key signs\n"
                               "               2^(sum of the heights) times\n"
                               "  --force      overwrite existing files\n"
                               "  -h, --help   show this help\n"
                               "\n"
                               "Exit status: 0 written, 64 usage, 73 a file exists or cannot be created,\n"
                               "74 write error.\n";

static const char show_help[] = "usage: mamori key show [options] FILE|-\n"
                                "\n"
                                "Prints what a key file holds: PEM or DER (private key, public key or\n"
                                "certificate), a COSE_Key, or each key of a COSE_KeySet. For each key: its\n"
                                "type, curve or size, algorithm, kid, RFC 9679 thumbprint (SHA-256) and\n"
                                "public parts in hex. Private material only with --private.\n"
                                "\n"
                                "options:\n"
                                "  --private    also print private parts (d, k)\n"
                                "  --json       print a JSON object\n"
                                "  -h, --help   show this help\n"
                                "\n"
                                "Exit status: 0 shown, 65 not a key, 64 usage, 66 and 74 file errors.\n";

static const char export_help[] = "usage: mamori key export [options] IN OUT\n"
                                  "\n"
                                  "Writes the key in IN (PEM, DER or COSE_Key) to OUT in another form. A\n"
                                  "private key stays private unless --public; private files get mode 0600.\n"
                                  "Existing files are kept unless --force.\n"
                                  "\n"
                                  "options:\n"
                                  "  --format F   pem (default: PKCS#8 or SubjectPublicKeyInfo), der (the same\n"
                                  "               in DER), or cose (COSE_Key)\n"
                                  "  --public     write only the public key\n"
                                  "  --kid KID    kid of a COSE_Key (default: the input's)\n"
                                  "  --force      overwrite OUT\n"
                                  "  -h, --help   show this help\n"
                                  "\n"
                                  "Symmetric keys have only the cose form; RSA private keys only pem and der.\n"
                                  "\n"
                                  "Exit status: 0 written, 65 not a key or no such form, 64 usage, 66 file\n"
                                  "missing, 73 OUT exists or cannot be created, 74 I/O error.\n";

/* What to generate for an algorithm. */
typedef struct gen_plan {
    int32_t kty;
    int32_t crv_or_bits;
    int32_t alg; /* restriction; 0 for any ECDH algorithm */
} gen_plan;

static int plan_for(const char *alg_name, const char *crv_name, long bits, gen_plan *p)
{
    int32_t crv = 0;
    if (crv_name != NULL && (crv = cli_crv_find(crv_name)) == 0) {
        return cli_fail(CLI_USAGE, "--crv", "unknown curve '%s'", crv_name);
    }
    bool any_ecdh = strcmp(alg_name, "ECDH-ES") == 0 || strcmp(alg_name, "ECDH") == 0;
    const cli_alg *a = any_ecdh ? NULL : cli_alg_find(alg_name);
    if (!any_ecdh && (a == NULL || a->kind == 0 || (a->kind & (CLI_ALG_HASH | CLI_ALG_DIRECT)) != 0)) {
        return cli_fail(CLI_USAGE, "--alg", "%s algorithm '%s' (see 'mamori key gen --help')",
                        a == NULL ? "unknown" : "no key to generate for", alg_name);
    }
    p->alg = any_ecdh ? 0 : a->id;
    if (any_ecdh || a->kind == CLI_ALG_ECDH) {
        crv = crv != 0 ? crv : MM_CRV_P256;
        bool ec2 = crv == MM_CRV_P256 || crv == MM_CRV_P384 || crv == MM_CRV_P521;
        if (!ec2 && crv != MM_CRV_X25519 && crv != MM_CRV_X448) {
            return cli_fail(CLI_USAGE, "--crv", "%s is not a key agreement curve", crv_name);
        }
        p->kty = ec2 ? MM_KTY_EC2 : MM_KTY_OKP;
        p->crv_or_bits = crv;
    } else if ((a->kind & (CLI_ALG_HPKE | CLI_ALG_HPKE_KE)) != 0) {
        /* A COSE-HPKE suite: a key of its KEM's curve. */
        const mm_hpke_cose_suite *s = mm_hpke_cose_suite_find(a->id);
        if (s == NULL || mm_hpke_kem_key_type(s->suite.kem, &p->kty, &p->crv_or_bits) != MM_OK) {
            return cli_fail(CLI_SOFTWARE, "--alg", "no key type for %s", a->name);
        }
    } else if (a->kind != CLI_ALG_SIGN) {
        p->kty = MM_KTY_SYMMETRIC;
        p->crv_or_bits = a->bits;
    } else if (a->id == MM_ALG_PS256 || a->id == MM_ALG_PS384 || a->id == MM_ALG_PS512) {
        /* By default the modulus that matches the hash, so the usual
         * algorithm of the key (see cli_default_alg) is the one asked for. */
        p->kty = MM_KTY_RSA;
        p->crv_or_bits = bits != 0 ? (int32_t)bits : a->id == MM_ALG_PS256 ? 2048 : a->id == MM_ALG_PS384 ? 3072 : 4096;
    } else if (a->id == MM_ALG_EDDSA || a->id == MM_ALG_ED25519) {
        p->kty = MM_KTY_OKP;
        p->crv_or_bits = crv != 0 ? crv : MM_CRV_ED25519;
        if (p->crv_or_bits != MM_CRV_ED25519 && (a->id == MM_ALG_ED25519 || p->crv_or_bits != MM_CRV_ED448)) {
            return cli_fail(CLI_USAGE, "--crv", "%s keys are on Ed25519%s", a->name,
                            a->id == MM_ALG_EDDSA ? " or Ed448" : "");
        }
    } else {
        p->kty = MM_KTY_EC2;
        p->crv_or_bits = a->id == MM_ALG_ES256 || a->id == MM_ALG_ESP256   ? MM_CRV_P256
                         : a->id == MM_ALG_ES384 || a->id == MM_ALG_ESP384 ? MM_CRV_P384
                                                                           : MM_CRV_P521;
    }
    if (crv_name != NULL && p->kty != MM_KTY_EC2 && p->kty != MM_KTY_OKP) {
        return cli_fail(CLI_USAGE, "--crv", "%s keys have no curve", alg_name);
    }
    if (crv_name != NULL && p->crv_or_bits != crv) {
        return cli_fail(CLI_USAGE, "--crv", "%s keys are on %s", alg_name, cli_crv_name(p->crv_or_bits));
    }
    return CLI_OK;
}

/* Writes what an exporter produces into a new heap buffer (*out, *len);
 * private material is wiped by the caller with free_secret(). */
typedef mm_err (*pem_export_fn)(const mm_key *key, mm_openssl_form form, mm_buf *out);

static mm_err export_alloc(pem_export_fn fn, const mm_key *key, mm_openssl_form form, uint8_t **out, size_t *len)
{
    mm_buf b = mm_buf_make(NULL, 0);
    mm_err e = fn(key, form, &b);
    if (e != MM_ERR_BUFFER_TOO_SMALL) {
        return e == MM_OK ? MM_ERR_PLATFORM : e;
    }
    b.ptr = malloc(b.len);
    if (b.ptr == NULL) {
        return MM_ERR_PLATFORM;
    }
    b.cap = b.len;
    e = fn(key, form, &b);
    if (e != MM_OK) {
        mm_wipe(b.ptr, b.cap);
        free(b.ptr);
        return e;
    }
    *out = b.ptr;
    *len = b.len;
    return MM_OK;
}

static void free_secret(uint8_t *p, size_t len)
{
    if (p != NULL) {
        mm_wipe(p, len);
        free(p);
    }
}

/* Room for any key's COSE_Key parts (RSA-4096 n and e) and its encoding. */
#define PARTS_MAX 1200

/* Encodes key as a COSE_Key (private parts with MM_EXPORT_PRIVATE) into
 * out[0..PARTS_MAX). */
static mm_err cose_key_bytes(const mm_key *key, mm_bytes kid, unsigned flags, uint8_t *out, size_t *len)
{
    uint8_t parts_buf[PARTS_MAX];
    mm_key_parts parts;
    mm_err e = mm_key_export(key, flags, &parts, parts_buf, sizeof parts_buf);
    if (e == MM_OK) {
        mm_buf b = mm_buf_make(out, PARTS_MAX);
        e = mm_cose_key_encode(&parts, kid, flags, &b);
        *len = b.len;
    }
    mm_wipe(parts_buf, sizeof parts_buf);
    return e;
}

/* One file a command is about to write. */
typedef struct out_file {
    char *path;
    uint8_t *data;
    size_t len;
    unsigned mode;
} out_file;

/* Writes files[0..n): none when one of them exists (without force). */
static int write_files(out_file *files, size_t n, bool force)
{
    for (size_t i = 0; i < n && !force; i++) {
        if (access(files[i].path, F_OK) == 0) {
            return cli_fail(CLI_CANTCREAT, files[i].path, "file exists (use --force to overwrite)");
        }
    }
    for (size_t i = 0; i < n; i++) {
        int rc = cli_write_file_ex(files[i].path, files[i].data, files[i].len, files[i].mode,
                                   force ? 0 : CLI_WRITE_NO_CLOBBER);
        if (rc != CLI_OK) {
            return rc;
        }
    }
    return CLI_OK;
}

static int gen_write(const mm_key *key, const char *name, mm_bytes kid, bool force)
{
    out_file files[3];
    memset(files, 0, sizeof files);
    size_t n = 0;
    uint8_t cose[PARTS_MAX];
    mm_err e = MM_OK;
    if (key->kty == MM_KTY_SYMMETRIC) {
        files[n].path = cli_concat(name, ".key", "");
        files[n].mode = 0600;
        e = cose_key_bytes(key, kid, MM_EXPORT_PRIVATE, cose, &files[n].len);
        files[n++].data = cose;
    } else {
        files[0].path = cli_concat(name, ".key", "");
        files[0].mode = 0600;
        e = export_alloc(mm_openssl_export_private_key, key, MM_OPENSSL_PEM, &files[0].data, &files[0].len);
        files[1].path = cli_concat(name, ".pub", "");
        files[1].mode = 0644;
        if (e == MM_OK) {
            e = export_alloc(mm_openssl_export_public_key, key, MM_OPENSSL_PEM, &files[1].data, &files[1].len);
        }
        files[2].path = cli_concat(name, ".cose", "");
        files[2].mode = 0644;
        if (e == MM_OK) {
            e = cose_key_bytes(key, kid, 0, cose, &files[2].len);
            files[2].data = cose;
        }
        n = 3;
    }
    int rc = CLI_OK;
    for (size_t i = 0; i < n; i++) {
        if (files[i].path == NULL) {
            rc = cli_fail(CLI_SOFTWARE, name, "out of memory");
        }
    }
    if (rc == CLI_OK && e != MM_OK) {
        rc = cli_fail(cli_exit_for(e), name, "cannot write the key: %s (%s)", mm_strerror(e), mm_errname(e));
    }
    if (rc == CLI_OK) {
        rc = write_files(files, n, force);
    }
    for (size_t i = 0; i < n; i++) {
        if (files[i].data != cose) {
            free_secret(files[i].data, files[i].len);
        }
        free(files[i].path);
    }
    mm_wipe(cose, sizeof cose);
    return rc;
}

/* HSS-LMS: the signer writes the private state itself (durably, and it is
 * updated by every signature); the public key goes into NAME.cose. */
static int gen_hss(const char *const lms[3], const char *name, mm_bytes kid, bool force)
{
    out_file cose = {cli_concat(name, ".cose", ""), NULL, 0, 0644};
    char *key_path = cli_concat(name, ".key", "");
    if (cose.path == NULL || key_path == NULL) {
        free(cose.path);
        free(key_path);
        return cli_fail(CLI_SOFTWARE, name, "out of memory");
    }
    int rc = CLI_OK;
    if (!force && access(cose.path, F_OK) == 0) {
        rc = cli_fail(CLI_CANTCREAT, cose.path, "file exists (use --force to overwrite)");
    }
    mm_key pub;
    memset(&pub, 0, sizeof pub);
    if (rc == CLI_OK) {
        rc = cli_lms_keygen(lms[0], lms[1], lms[2], key_path, force, &pub);
    }
    uint8_t buf[PARTS_MAX];
    if (rc == CLI_OK) {
        mm_err e = cose_key_bytes(&pub, kid, 0, buf, &cose.len);
        cose.data = buf;
        rc = e == MM_OK ? write_files(&cose, 1, true)
                        : cli_fail(CLI_SOFTWARE, cose.path, "%s (%s)", mm_strerror(e), mm_errname(e));
    }
    mm_key_free(&pub);
    free(cose.path);
    free(key_path);
    return rc;
}

/* --kid of gen and export: the first member of their arguments. */
typedef struct kid_arg {
    uint8_t kid[CLI_KID_MAX];
    size_t len;
    bool given;
} kid_arg;

static int set_kid(void *args, const char *value)
{
    kid_arg *k = args;
    k->given = true;
    return cli_parse_kid("--kid", value, k->kid, &k->len);
}

typedef struct gen_args {
    kid_arg kid;
    const char *alg, *crv, *out;
    const char *lms[3]; /* --lms-type, --ots-type, --levels */
    long bits;
    bool force;
} gen_args;

static int gen_bits(void *args, const char *value)
{
    char *end = NULL;
    long bits = strtol(value, &end, 10);
    if (end == value || *end != '\0' || (bits != 2048 && bits != 3072 && bits != 4096)) {
        return cli_fail(CLI_USAGE, "--bits", "expected 2048, 3072 or 4096, got '%s'", value);
    }
    ((gen_args *)args)->bits = bits;
    return CLI_OK;
}

static int key_gen(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("alg", 0, gen_args, alg),
        CLI_STR("crv", 0, gen_args, crv),
        CLI_FN("bits", gen_bits),
        CLI_STR("out", 0, gen_args, out),
        CLI_FN("kid", set_kid),
        CLI_BOOL("force", 0, gen_args, force),
        CLI_STR("lms-type", 0, gen_args, lms[0]),
        CLI_STR("ots-type", 0, gen_args, lms[1]),
        CLI_STR("levels", 0, gen_args, lms[2]),
    };
    static const cli_opts spec = {"key gen", gen_help, opts, sizeof opts / sizeof opts[0]};
    gen_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (optind != argc) {
        return cli_usage(spec.cmd, "unexpected argument '%s'", argv[optind]);
    }
    if (a.alg == NULL || a.out == NULL) {
        return cli_usage(spec.cmd, "--alg and --out are required");
    }
    mm_bytes kid = mm_bytes_make(a.kid.kid, a.kid.len);
    bool hss = strcasecmp(a.alg, "HSS-LMS") == 0;
    if (!hss && (a.lms[0] != NULL || a.lms[1] != NULL || a.lms[2] != NULL)) {
        return cli_fail(CLI_USAGE, "key gen", "--lms-type, --ots-type and --levels are for --alg HSS-LMS");
    }
    if (hss) {
        if (a.crv != NULL || a.bits != 0) {
            return cli_fail(CLI_USAGE, "key gen", "HSS-LMS keys have no curve or size (--lms-type, --ots-type)");
        }
        return gen_hss(a.lms, a.out, kid, a.force);
    }
    gen_plan plan = {0, 0, 0};
    rc = plan_for(a.alg, a.crv, a.bits, &plan);
    if (rc != CLI_OK) {
        return rc;
    }
    mm_key key;
    memset(&key, 0, sizeof key);
    mm_err e = mm_key_generate(mm_crypto_openssl(), plan.kty, plan.crv_or_bits, plan.alg, MM_KEY_EXTRACTABLE, &key);
    if (e != MM_OK) {
        return cli_fail(cli_exit_for(e), "key gen", "cannot generate a %s key: %s (%s)", a.alg, mm_strerror(e),
                        mm_errname(e));
    }
    rc = gen_write(&key, a.out, kid, a.force);
    mm_key_free(&key);
    return rc;
}

/*
 * show
 */

/* One named part of a key, in hex. */
typedef struct part {
    const char *name;
    mm_bytes value;
    bool secret;
} part;

/* What show prints of one key. */
typedef struct key_facts {
    mm_key_parts parts;
    uint8_t parts_buf[PARTS_MAX];
    uint8_t thumb[MM_HASH_MAX];
    size_t thumb_len;
    bool private_shown; /* the private parts could be exported */
} key_facts;

static mm_err key_facts_of(const mm_key *key, bool want_private, key_facts *f)
{
    memset(f, 0, sizeof *f);
    /* Symmetric keys are all secret (and thumbprinted over k): exported
     * privately, shown only when asked. RSA private parts have no COSE form. */
    bool priv = (key->flags & MM_KEY_PRIVATE) != 0 && (key->flags & MM_KEY_EXTRACTABLE) != 0 &&
                key->kty != MM_KTY_RSA && (want_private || key->kty == MM_KTY_SYMMETRIC);
    mm_err e = mm_key_export(key, priv ? MM_EXPORT_PRIVATE : 0, &f->parts, f->parts_buf, sizeof f->parts_buf);
    if (e == MM_OK) {
        e = mm_cose_key_thumbprint(mm_crypto_openssl(), &f->parts, MM_ALG_SHA256, f->thumb, &f->thumb_len);
    }
    f->private_shown = priv && want_private;
    return e;
}

static size_t parts_of(const key_facts *f, part *out)
{
    const mm_key_parts *p = &f->parts;
    const part all[] = {
        {"x", p->x, false}, {"y", p->y, false}, {"n", p->n, false},
        {"e", p->e, false}, {"d", p->d, true},  {"k", p->k, true},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (all[i].value.len != 0 && (!all[i].secret || f->private_shown)) {
            out[n++] = all[i];
        }
    }
    return n;
}

static bool printable(mm_bytes b)
{
    for (size_t i = 0; i < b.len; i++) {
        if (b.ptr[i] < 0x20 || b.ptr[i] > 0x7e || b.ptr[i] == '"') {
            return false;
        }
    }
    return b.len != 0;
}

static void print_key_text(const cli_key *k, const key_facts *f)
{
    const mm_key *key = &k->key;
    const char *kty = cli_kty_name(key->kty);
    if (strcmp(k->form, "COSE_Key") == 0) {
        printf("form: COSE_Key\n");
    } else {
        printf("form: %s %s\n", k->form, k->kind);
    }
    printf("kty: %s (%d)\n", kty != NULL ? kty : "?", (int)key->kty);
    if (key->kty == MM_KTY_EC2 || key->kty == MM_KTY_OKP) {
        const char *crv = cli_crv_name(key->crv);
        printf("crv: %s (%d)\n", crv != NULL ? crv : "?", (int)key->crv);
    } else if (key->kty != MM_KTY_HSS_LMS) {
        printf("bits: %u\n", (unsigned)key->bits);
    }
    const char *alg = cli_alg_name(key->alg);
    if (key->alg == 0) {
        printf("alg: none\n");
    } else {
        printf("alg: %s (%d)\n", alg != NULL ? alg : "?", (int)key->alg);
    }
    if (k->kid_len != 0) {
        mm_bytes kid = mm_bytes_make(k->kid, k->kid_len);
        printf("kid: ");
        cli_print_hex(stdout, kid);
        if (printable(kid)) {
            printf(" \"%.*s\"", (int)kid.len, (const char *)kid.ptr);
        }
        printf("\n");
    }
    printf("private: %s\n", key->kty == MM_KTY_SYMMETRIC         ? "secret key"
                            : (key->flags & MM_KEY_PRIVATE) != 0 ? "yes"
                                                                 : "no");
    printf("thumbprint: ");
    cli_print_hex(stdout, mm_bytes_make(f->thumb, f->thumb_len));
    printf(" (SHA-256, RFC 9679)\n");
    part parts[6];
    size_t n = parts_of(f, parts);
    for (size_t i = 0; i < n; i++) {
        printf("%s: ", parts[i].name);
        cli_print_hex(stdout, parts[i].value);
        printf("\n");
    }
    if (key->kty == MM_KTY_HSS_LMS) {
        cli_lms_show_text(key);
        if ((key->flags & MM_KEY_PRIVATE) != 0) {
            printf("seed: (never shown or exported: a copy of a stateful key would reuse one-time keys)\n");
        }
    } else if ((key->flags & MM_KEY_PRIVATE) != 0 && !f->private_shown) {
        printf("%s: %s\n", key->kty == MM_KTY_SYMMETRIC ? "k" : "d",
               key->kty == MM_KTY_RSA ? "(RSA private parts are not shown)" : "(not shown; --private shows it)");
    }
}

/* Adds the members describing one key to o; returns o. */
static json_t *key_json(json_t *o, const cli_key *k, const key_facts *f)
{
    const mm_key *key = &k->key;
    const char *kty = cli_kty_name(key->kty);
    json_object_set_new(o, "form", json_string(k->form));
    json_object_set_new(o, "kind", json_string(k->kind));
    json_object_set_new(o, "kty", kty != NULL ? json_string(kty) : json_integer(key->kty));
    if (key->kty == MM_KTY_EC2 || key->kty == MM_KTY_OKP) {
        const char *crv = cli_crv_name(key->crv);
        json_object_set_new(o, "crv", crv != NULL ? json_string(crv) : json_integer(key->crv));
    } else if (key->kty != MM_KTY_HSS_LMS) {
        json_object_set_new(o, "bits", json_integer(key->bits));
    }
    const char *alg = cli_alg_name(key->alg);
    json_object_set_new(o, "alg",
                        key->alg == 0 ? json_null()
                        : alg != NULL ? json_string(alg)
                                      : json_integer(key->alg));
    if (k->kid_len != 0) {
        json_object_set_new(o, "kid", cli_json_hex(mm_bytes_make(k->kid, k->kid_len)));
    }
    json_object_set_new(o, "private", json_boolean((key->flags & MM_KEY_PRIVATE) != 0));
    if (key->kty == MM_KTY_HSS_LMS) {
        cli_lms_show_json(key, o);
    }
    json_object_set_new(o, "thumbprint", cli_json_hex(mm_bytes_make(f->thumb, f->thumb_len)));
    part parts[6];
    size_t n = parts_of(f, parts);
    for (size_t i = 0; i < n; i++) {
        json_object_set_new(o, parts[i].name, cli_json_hex(parts[i].value));
    }
    return o;
}

typedef struct show_args {
    bool want_private, json;
} show_args;

static int key_show(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_BOOL("private", 0, show_args, want_private),
        CLI_BOOL("json", 0, show_args, json),
    };
    static const cli_opts spec = {"key show", show_help, opts, sizeof opts / sizeof opts[0]};
    show_args a = {false, false};
    cli_input in;
    int rc = cli_parse_input(&spec, &a, argc, argv, "expected one key file", NULL, &in);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    const char *path = in.path;
    cli_key *keys = calloc(CLI_KEYSET_MAX, sizeof *keys);
    key_facts *facts = calloc(CLI_KEYSET_MAX, sizeof *facts);
    if (keys == NULL || facts == NULL) {
        free(keys);
        free(facts);
        free(in.data);
        return cli_fail(CLI_SOFTWARE, path, "out of memory");
    }
    size_t n = 0;
    rc = cli_parse_keys(path, mm_bytes_make(in.data, in.len), keys, CLI_KEYSET_MAX, &n);
    bool set = rc == CLI_OK && (in.data[0] >> 5) == MM_CBOR_ARRAY;
    mm_wipe(in.data, in.len);
    free(in.data);
    for (size_t i = 0; i < n && rc == CLI_OK; i++) {
        mm_err e = key_facts_of(&keys[i].key, a.want_private, &facts[i]);
        if (e != MM_OK) {
            rc = cli_fail(cli_exit_for(e), path, "key %zu: %s (%s)", i, mm_strerror(e), mm_errname(e));
        }
    }
    if (rc == CLI_OK && a.json) {
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(path));
        if (set) {
            json_t *arr = json_array();
            json_object_set_new(o, "form", json_string("COSE_KeySet"));
            for (size_t i = 0; i < n; i++) {
                json_array_append_new(arr, key_json(json_object(), &keys[i], &facts[i]));
            }
            json_object_set_new(o, "keys", arr);
        } else {
            key_json(o, &keys[0], &facts[0]);
        }
        rc = cli_json_print(o);
    } else if (rc == CLI_OK) {
        printf("file: %s\n", path);
        for (size_t i = 0; i < n; i++) {
            if (set) {
                printf("%skey %zu of %zu:\n", i == 0 ? "" : "\n", i + 1, n);
            }
            print_key_text(&keys[i], &facts[i]);
        }
        if (fflush(stdout) != 0) {
            rc = cli_fail(CLI_IOERR, "standard output", "write failed");
        }
    }
    for (size_t i = 0; i < n; i++) {
        cli_key_free(&keys[i]);
    }
    mm_wipe(facts, CLI_KEYSET_MAX * sizeof *facts);
    free(facts);
    free(keys);
    return rc;
}

/*
 * export
 */

typedef struct export_args {
    kid_arg kid;
    const char *format;
    bool pub, force;
} export_args;

static int set_format(void *args, const char *value)
{
    if (strcmp(value, "pem") != 0 && strcmp(value, "der") != 0 && strcmp(value, "cose") != 0) {
        return cli_fail(CLI_USAGE, "--format", "expected pem, der or cose, got '%s'", value);
    }
    ((export_args *)args)->format = value;
    return CLI_OK;
}

static int key_export(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_FN("format", set_format),
        CLI_BOOL("public", 0, export_args, pub),
        CLI_FN("kid", set_kid),
        CLI_BOOL("force", 0, export_args, force),
    };
    static const cli_opts spec = {"key export", export_help, opts, sizeof opts / sizeof opts[0]};
    export_args a;
    memset(&a, 0, sizeof a);
    a.format = "pem";
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (argc - optind != 2) {
        return cli_usage(spec.cmd, "expected an input and an output file");
    }
    const char *in = argv[optind];
    char *out = argv[optind + 1];
    const char *format = a.format;
    bool pub = a.pub;
    cli_key k;
    rc = cli_load_key(in, 0, 0, &k);
    if (rc != CLI_OK) {
        return rc;
    }
    bool priv = !pub && (k.key.flags & MM_KEY_PRIVATE) != 0;
    mm_bytes use_kid = a.kid.given ? mm_bytes_make(a.kid.kid, a.kid.len) : mm_bytes_make(k.kid, k.kid_len);
    out_file f = {out, NULL, 0, priv ? 0600u : 0644u};
    uint8_t cose[PARTS_MAX];
    mm_err e;
    if (k.key.kty == MM_KTY_HSS_LMS && priv) {
        e = MM_ERR_KEY_USAGE;
        rc = cli_fail(CLI_DATAERR, in,
                      "an HSS-LMS private key is never copied (a copy would reuse one-time keys); --public writes "
                      "its public key");
    } else if (k.key.kty == MM_KTY_HSS_LMS && strcmp(format, "cose") != 0) {
        e = MM_ERR_KEY_USAGE;
        rc = cli_fail(CLI_DATAERR, in, "an HSS-LMS key has only the cose form");
    } else if (k.key.kty == MM_KTY_SYMMETRIC && pub) {
        e = MM_ERR_KEY_USAGE;
        rc = cli_fail(CLI_DATAERR, in, "a symmetric key has no public part");
    } else if (strcmp(format, "cose") == 0) {
        e = cose_key_bytes(&k.key, use_kid, priv ? MM_EXPORT_PRIVATE : 0, cose, &f.len);
        f.data = cose;
    } else if (k.key.kty == MM_KTY_SYMMETRIC) {
        e = MM_ERR_KEY_USAGE;
        rc = cli_fail(CLI_DATAERR, in, "a symmetric key has only the cose form");
    } else {
        mm_openssl_form form = strcmp(format, "der") == 0 ? MM_OPENSSL_DER : MM_OPENSSL_PEM;
        e = export_alloc(priv ? mm_openssl_export_private_key : mm_openssl_export_public_key, &k.key, form, &f.data,
                         &f.len);
    }
    if (rc == CLI_OK && e != MM_OK) {
        rc = cli_fail(CLI_DATAERR, in, "no %s %s form: %s (%s)", format, priv ? "private" : "public", mm_strerror(e),
                      mm_errname(e));
    }
    if (rc == CLI_OK) {
        rc = write_files(&f, 1, a.force);
    }
    if (f.data != cose) {
        free_secret(f.data, f.len);
    }
    mm_wipe(cose, sizeof cose);
    cli_key_free(&k);
    return rc;
}

int cmd_key(int argc, char **argv)
{
    static const cli_cmd cmds[] = {
        {"gen", key_gen, "generate a key"},
        {"show", key_show, "print a key"},
        {"export", key_export, "convert a key"},
    };
    return cli_dispatch("mamori key", cmds, sizeof cmds / sizeof cmds[0], argc, argv, key_help);
}
