/* SPDX-License-Identifier: Apache-2.0 */
/* mamori ts: run the SCITT Transparency Service (services/ts): make its key
 * and configuration, serve, check its log offline. */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "mamori/crypto_openssl.h"
#include "ts.h"

static const char ts_help[] = "usage: mamori ts <command> [<args>]\n"
                              "\n"
                              "commands:\n"
                              "  init    make a service key and configuration\n"
                              "  serve   run the Transparency Service (SCRAPI over HTTP)\n"
                              "  check   check a service's log offline against its signed tree heads\n"
                              "\n"
                              "Run 'mamori ts <command> --help' for a command's options.\n";

static const char init_help[] = "usage: mamori ts init --dir DIR [options]\n"
                                "\n"
                                "Makes a Transparency Service in DIR: its signing key (DIR/ts.key, unless\n"
                                "--key names one), its public key as a COSE_Key with its kid, the RFC 9679\n"
                                "thumbprint (DIR/ts-key.cose, for verifiers), and a configuration\n"
                                "(DIR/ts.json) that trusts the issuers given with --trust.\n"
                                "\n"
                                "options:\n"
                                "  --dir DIR            the service's folder (made if missing)\n"
                                "  --issuer ISS         iss of the receipts (default: mamori-ts)\n"
                                "  --alg ALG            algorithm of a new key: ES256 (default), ES384, ES512,\n"
                                "                       EdDSA or HSS-LMS\n"
                                "  --key FILE           use this private key instead of making one\n"
                                "  --listen ADDR        host:port to listen on (default: 127.0.0.1:8080)\n"
                                "  --trust ISS=FILE     accept statements of issuer ISS signed with the keys in\n"
                                "                       FILE (PEM, DER, COSE_Key or COSE_KeySet); repeatable\n"
                                "  --trust-roots ISS=FILE  accept statements of ISS whose x5chain validates to\n"
                                "                       the certificates in FILE; repeatable\n"
                                "  --force              replace an existing configuration and key\n"
                                "  -h, --help           show this help\n"
                                "\n"
                                "Exit status: 0 made, 64 usage, 65 a key that does not fit, 66 missing file,\n"
                                "73 and 74 output errors.\n";

static const char serve_help[] = "usage: mamori ts serve --config FILE [options]\n"
                                 "\n"
                                 "Runs the Transparency Service of FILE (see docs/ts.md) until SIGINT or\n"
                                 "SIGTERM: registration of signed statements and receipts as SCRAPI defines\n"
                                 "them, keys, tree heads and consistency proofs. Before it listens, it checks\n"
                                 "the stored log against its last signed tree head and refuses to run on a\n"
                                 "mismatch. It binds 127.0.0.1 unless told otherwise.\n"
                                 "\n"
                                 "options:\n"
                                 "  --config FILE        the configuration (JSON)\n"
                                 "  --listen ADDR        host:port, overriding the configuration (port 0: any\n"
                                 "                       free port)\n"
                                 "  --ready-file FILE    once listening, write the service's URL to FILE\n"
                                 "  --batch-size N       registrations per batch (1..65536)\n"
                                 "  --max-wait MS        how long a batch waits to fill (0..60000)\n"
                                 "  --full-check         check every entry and node at start-up\n"
                                 "  -q, --quiet          no start and stop lines\n"
                                 "  -h, --help           show this help\n"
                                 "\n"
                                 "Exit status: 0 stopped by a signal, 1 the stored log does not match its\n"
                                 "signed tree head, 64 usage, 65 a configuration or key that does not fit,\n"
                                 "66 missing file, 69 cannot listen, 74 database errors.\n";

static const char check_help[] = "usage: mamori ts check --config FILE [--quick]\n"
                                 "\n"
                                 "Checks the log of the service of FILE while it does not run: every entry\n"
                                 "is hashed again, the tree rebuilt and compared node by node, and every tree\n"
                                 "head ever signed must verify with the service key and sign the root the\n"
                                 "tree had at its size. --quick does only what start-up does: the last tree\n"
                                 "head, the tree's root, the newest entries.\n"
                                 "\n"
                                 "Exit status: 0 the log is intact, 1 it is not (the reason on stderr), 64\n"
                                 "usage, 65 a configuration or key that does not fit, 66 missing file, 74\n"
                                 "database errors.\n";

enum {
    OPT_DIR = 256,
    OPT_ISSUER,
    OPT_ALG,
    OPT_KEY,
    OPT_LISTEN,
    OPT_TRUST,
    OPT_TRUST_ROOTS,
    OPT_FORCE,
};

/* Most --trust and --trust-roots options. */
#define MAX_TRUST 64

/* The exit code of a service error. */
static int exit_for(mm_err e)
{
    switch (e) {
    case MM_ERR_VERIFY:
        return CLI_CHECK_FAILED;
    case MM_ERR_PLATFORM:
        return CLI_IOERR;
    case MM_ERR_INVALID_ARG:
        return CLI_USAGE;
    default:
        return cli_exit_for(e) == CLI_CHECK_FAILED ? CLI_DATAERR : cli_exit_for(e);
    }
}

/* Loads a configuration: a missing file is 66, the rest 65. */
static int load_config(const char *path, ts_config *cfg)
{
    ts_error err;
    if (ts_config_init(cfg) != MM_OK) {
        return cli_fail(CLI_SOFTWARE, path, "out of memory");
    }
    mm_err e = ts_config_load(path, cfg, &err);
    if (e != MM_OK) {
        ts_config_free(cfg);
        fprintf(stderr, "mamori: %s\n", err.msg);
        return e == MM_ERR_PLATFORM ? CLI_NOINPUT : CLI_DATAERR;
    }
    return CLI_OK;
}

static int parse_uint(const char *opt, const char *s, unsigned long max, unsigned long *v)
{
    char *end = NULL;
    errno = 0;
    unsigned long x = strtoul(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || x > max) {
        return cli_fail(CLI_USAGE, opt, "expected a number up to %lu: '%s'", max, s);
    }
    *v = x;
    return CLI_OK;
}

/*
 * serve
 */

static void log_line(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "mamori: ts: %s\n", line);
}

/* The URL clients use: the listen address with the port it got. */
static void service_url(const ts_config *cfg, uint16_t port, char *url, size_t cap)
{
    const char *colon = strrchr(cfg->listen, ':');
    int host_len = colon != NULL ? (int)(colon - cfg->listen) : (int)strlen(cfg->listen);
    snprintf(url, cap, "%s://%.*s:%u", cfg->tls_cert != NULL ? "https" : "http", host_len, cfg->listen, port);
}

static int run_serve(ts_config *cfg, const char *ready, bool quiet)
{
    /* Signals are taken by sigwait() below: blocked before any thread
     * starts, so every thread inherits the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    cfg->log = log_line;
    ts_error err;
    ts_service *svc = NULL;
    mm_err e = ts_service_open(cfg, NULL, &svc, &err);
    if (e != MM_OK) {
        fprintf(stderr, "mamori: %s\n", err.msg);
        return exit_for(e);
    }
    e = ts_service_start(svc, &err);
    if (e != MM_OK) {
        ts_service_close(svc);
        fprintf(stderr, "mamori: %s\n", err.msg);
        return e == MM_ERR_PLATFORM ? CLI_UNAVAILABLE : exit_for(e);
    }
    char url[300];
    service_url(cfg, ts_service_port(svc), url, sizeof url);
    if (!quiet) {
        printf("mamori ts: listening on %s (tree size %llu)\n", url, (unsigned long long)ts_service_size(svc));
        fflush(stdout);
    }
    int rc = CLI_OK;
    if (ready != NULL) {
        char line[320];
        int n = snprintf(line, sizeof line, "%s\n", url);
        rc = cli_write_file(ready, (const uint8_t *)line, (size_t)n, 0644);
    }
    int sig = 0;
    while (rc == CLI_OK && sigwait(&set, &sig) != 0) {
        /* interrupted: wait again */
    }
    uint64_t size = ts_service_size(svc);
    ts_service_close(svc);
    if (!quiet && rc == CLI_OK) {
        printf("mamori ts: stopped (tree size %llu)\n", (unsigned long long)size);
    }
    return rc;
}

typedef struct serve_args {
    const char *config, *listen, *ready, *batch, *wait;
    bool full, quiet;
} serve_args;

static int ts_serve(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("config", 0, serve_args, config),    CLI_STR("listen", 0, serve_args, listen),
        CLI_STR("ready-file", 0, serve_args, ready), CLI_STR("batch-size", 0, serve_args, batch),
        CLI_STR("max-wait", 0, serve_args, wait),    CLI_BOOL("full-check", 0, serve_args, full),
        CLI_BOOL("quiet", 'q', serve_args, quiet),
    };
    static const cli_opts spec = {"ts serve", serve_help, opts, sizeof opts / sizeof opts[0]};
    serve_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.config == NULL || optind != argc) {
        return cli_usage(spec.cmd, "expected --config FILE");
    }
    unsigned long n_batch = 0, n_wait = 0;
    if ((a.batch != NULL && parse_uint("--batch-size", a.batch, TS_BATCH_MAX, &n_batch) != CLI_OK) ||
        (a.wait != NULL && parse_uint("--max-wait", a.wait, TS_WAIT_MAX_MS, &n_wait) != CLI_OK)) {
        return CLI_USAGE;
    }
    if (a.batch != NULL && n_batch == 0) {
        return cli_fail(CLI_USAGE, "--batch-size", "at least 1");
    }
    ts_config cfg;
    rc = load_config(a.config, &cfg);
    if (rc != CLI_OK) {
        return rc;
    }
    if (a.listen != NULL) {
        free(cfg.listen);
        cfg.listen = strdup(a.listen);
    }
    cfg.batch_size = a.batch != NULL ? (size_t)n_batch : cfg.batch_size;
    cfg.max_wait_ms = a.wait != NULL ? (unsigned)n_wait : cfg.max_wait_ms;
    cfg.check = a.full ? TS_CHECK_FULL : cfg.check;
    rc = cfg.listen != NULL ? run_serve(&cfg, a.ready, a.quiet) : cli_fail(CLI_SOFTWARE, spec.cmd, "out of memory");
    ts_config_free(&cfg);
    return rc;
}

/*
 * check
 */

typedef struct check_args {
    const char *config;
    bool quick;
} check_args;

static int ts_check(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("config", 0, check_args, config),
        CLI_BOOL("quick", 0, check_args, quick),
    };
    static const cli_opts spec = {"ts check", check_help, opts, sizeof opts / sizeof opts[0]};
    check_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.config == NULL || optind != argc) {
        return cli_usage(spec.cmd, "expected --config FILE");
    }
    ts_config cfg;
    rc = load_config(a.config, &cfg);
    if (rc != CLI_OK) {
        return rc;
    }
    cfg.check = a.quick ? TS_CHECK_ROOT : TS_CHECK_FULL;
    cfg.threads = 1;
    ts_error err;
    ts_service *svc = NULL;
    mm_err e = ts_service_open(&cfg, NULL, &svc, &err);
    if (e != MM_OK) {
        fprintf(stderr, "mamori: %s\n", err.msg);
        rc = exit_for(e);
    } else {
        printf("%s: intact: %llu entries, %s check against the service key\n", cfg.database,
               (unsigned long long)ts_service_size(svc), a.quick ? "quick" : "full");
        ts_service_close(svc);
    }
    ts_config_free(&cfg);
    return rc;
}

/*
 * init
 */

typedef struct trust_arg {
    char *iss;
    char *file;
    bool roots;
} trust_arg;

typedef struct init_args {
    const char *dir, *issuer, *alg, *key, *listen;
    trust_arg trust[MAX_TRUST];
    size_t n_trust;
    bool force;
} init_args;

/* ISS=FILE, split at the last '=' (an issuer URI may hold one); FILE made
 * absolute, since the configuration's paths are read from its folder. */
static int parse_trust(const char *opt, const char *value, bool roots, init_args *a)
{
    const char *eq = strrchr(value, '=');
    if (eq == NULL || eq == value || eq[1] == '\0') {
        return cli_fail(CLI_USAGE, opt, "expected ISS=FILE: '%s'", value);
    }
    if (a->n_trust == MAX_TRUST) {
        return cli_fail(CLI_USAGE, opt, "given more than %d times", MAX_TRUST);
    }
    char resolved[PATH_MAX];
    if (realpath(eq + 1, resolved) == NULL) {
        return cli_fail(CLI_NOINPUT, eq + 1, "%s", strerror(errno));
    }
    char *iss = strndup(value, (size_t)(eq - value));
    char *file = strdup(resolved);
    if (iss == NULL || file == NULL) {
        free(iss);
        free(file);
        return cli_fail(CLI_SOFTWARE, opt, "out of memory");
    }
    trust_arg *t = &a->trust[a->n_trust++];
    t->iss = iss;
    t->file = file;
    t->roots = roots;
    return CLI_OK;
}

/* The configuration's trust array: one entry per issuer, in the order
 * first given. */
static json_t *trust_json(const init_args *a)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < a->n_trust; i++) {
        json_t *entry = NULL;
        for (size_t j = 0; j < json_array_size(arr) && entry == NULL; j++) {
            json_t *e = json_array_get(arr, j);
            const char *iss = json_string_value(json_object_get(e, "iss"));
            entry = iss != NULL && strcmp(iss, a->trust[i].iss) == 0 ? e : NULL;
        }
        if (entry == NULL) {
            entry = json_object();
            json_object_set_new(entry, "iss", json_string(a->trust[i].iss));
            json_array_append_new(arr, entry);
        }
        const char *member = a->trust[i].roots ? "x509_roots" : "keys";
        json_t *list = json_object_get(entry, member);
        if (list == NULL) {
            list = json_array();
            json_object_set_new(entry, member, list);
        }
        json_array_append_new(list, json_string(a->trust[i].file));
    }
    return arr;
}

/* A new private key in PEM (PKCS#8), or an HSS-LMS key file. */
static int make_key(const char *alg_name, const char *path, bool force)
{
    if (alg_name != NULL && strcasecmp(alg_name, "HSS-LMS") == 0) {
        mm_key pub;
        memset(&pub, 0, sizeof pub);
        int rc = cli_lms_keygen(NULL, NULL, NULL, path, force, &pub);
        mm_key_free(&pub);
        return rc;
    }
    int32_t alg = MM_ALG_ES256;
    if (alg_name != NULL && cli_alg_parse("--alg", alg_name, CLI_ALG_SIGN, &alg) != CLI_OK) {
        return CLI_USAGE;
    }
    int32_t kty = MM_KTY_EC2;
    int32_t crv = MM_CRV_P256;
    if (alg == MM_ALG_ES384 || alg == MM_ALG_ESP384) {
        crv = MM_CRV_P384;
    } else if (alg == MM_ALG_ES512 || alg == MM_ALG_ESP512) {
        crv = MM_CRV_P521;
    } else if (alg == MM_ALG_EDDSA || alg == MM_ALG_ED25519) {
        kty = MM_KTY_OKP;
        crv = MM_CRV_ED25519;
    } else if (alg != MM_ALG_ES256 && alg != MM_ALG_ESP256) {
        return cli_fail(CLI_USAGE, "--alg", "a service key is ES256, ES384, ES512, EdDSA or HSS-LMS");
    }
    mm_key k;
    mm_err e = mm_key_generate(mm_crypto_openssl(), kty, crv, alg, MM_KEY_EXTRACTABLE, &k);
    uint8_t pem[4096];
    mm_buf out = mm_buf_make(pem, sizeof pem);
    if (e == MM_OK) {
        e = mm_openssl_export_private_key(&k, MM_OPENSSL_PEM, &out);
    }
    mm_key_free(&k);
    int rc = e == MM_OK ? cli_write_file_ex(path, pem, out.len, 0600, force ? 0u : CLI_WRITE_NO_CLOBBER)
                        : cli_fail(CLI_SOFTWARE, path, "cannot make the key: %s", mm_strerror(e));
    mm_wipe(pem, sizeof pem);
    return rc;
}

static int run_init(const init_args *a)
{
    if (a->dir == NULL) {
        return CLI_USAGE;
    }
    if (mkdir(a->dir, 0700) != 0 && errno != EEXIST) {
        return cli_fail(CLI_CANTCREAT, a->dir, "%s", strerror(errno));
    }
    char *cfg_path = cli_concat(a->dir, "/", "ts.json");
    char *key_path = a->key != NULL ? realpath(a->key, NULL) : cli_concat(a->dir, "/", "ts.key");
    char *pub_path = cli_concat(a->dir, "/", "ts-key.cose");
    int rc = CLI_OK;
    if (cfg_path == NULL || key_path == NULL || pub_path == NULL) {
        rc = a->key != NULL && key_path == NULL ? cli_fail(CLI_NOINPUT, a->key, "%s", strerror(errno))
                                                : cli_fail(CLI_SOFTWARE, a->dir, "out of memory");
    } else if (!a->force && access(cfg_path, F_OK) == 0) {
        rc = cli_fail(CLI_CANTCREAT, cfg_path, "exists (give --force to replace it)");
    }
    if (rc == CLI_OK && a->key == NULL) {
        rc = make_key(a->alg, key_path, a->force);
    }
    ts_error err;
    const char *issuer = a->issuer != NULL ? a->issuer : "mamori-ts";
    uint8_t *cose_key = NULL;
    size_t cose_key_len = 0;
    uint8_t kid[32];
    /* Messages name the key file as it was given. */
    if (rc == CLI_OK &&
        ts_key_public(a->key != NULL ? a->key : key_path, &cose_key, &cose_key_len, kid, &err) != MM_OK) {
        fprintf(stderr, "mamori: %s\n", err.msg);
        rc = CLI_DATAERR;
    }
    if (rc == CLI_OK) {
        rc = cli_write_file(pub_path, cose_key, cose_key_len, 0644);
    }
    if (rc == CLI_OK) {
        json_t *j = json_object();
        json_object_set_new(j, "listen", json_string(a->listen != NULL ? a->listen : "127.0.0.1:8080"));
        json_object_set_new(j, "database", json_string("ts.db"));
        json_object_set_new(j, "key", json_string(a->key != NULL ? key_path : "ts.key"));
        json_object_set_new(j, "issuer", json_string(issuer));
        json_t *batch = json_object();
        json_object_set_new(batch, "size", json_integer(1024));
        json_object_set_new(batch, "max_wait_ms", json_integer(0));
        json_object_set_new(j, "batch", batch);
        json_object_set_new(j, "receipt_wait_ms", json_integer(TS_RECEIPT_WAIT_DEFAULT_MS));
        json_object_set_new(j, "max_body", json_integer(1 << 20));
        json_object_set_new(j, "trust", trust_json(a));
        char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(j);
        size_t n = text != NULL ? strlen(text) : 0;
        char *with_nl = text != NULL ? malloc(n + 2) : NULL;
        if (with_nl != NULL) {
            snprintf(with_nl, n + 2, "%s\n", text);
            rc = cli_write_file(cfg_path, (const uint8_t *)with_nl, n + 1, 0644);
        } else {
            rc = cli_fail(CLI_SOFTWARE, cfg_path, "out of memory");
        }
        free(with_nl);
        free(text);
    }
    if (rc == CLI_OK) {
        printf("%s: a Transparency Service of issuer '%s', %zu trust entr%s\n", cfg_path, issuer, a->n_trust,
               a->n_trust == 1 ? "y" : "ies");
        printf("%s: its public key, kid ", pub_path);
        cli_print_hex(stdout, mm_bytes_make(kid, sizeof kid));
        printf("\n");
    }
    free(cose_key);
    free(cfg_path);
    free(key_path);
    free(pub_path);
    return rc;
}

static int ts_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, OPT_DIR},
        {"issuer", required_argument, NULL, OPT_ISSUER},
        {"alg", required_argument, NULL, OPT_ALG},
        {"key", required_argument, NULL, OPT_KEY},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"trust", required_argument, NULL, OPT_TRUST},
        {"trust-roots", required_argument, NULL, OPT_TRUST_ROOTS},
        {"force", no_argument, NULL, OPT_FORCE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    init_args a;
    memset(&a, 0, sizeof a);
    bool help = false;
    int c;
    int rc = CLI_OK;
    optind = 1;
    opterr = 0;
    while (rc == CLI_OK && (c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DIR:
            a.dir = optarg;
            break;
        case OPT_ISSUER:
            a.issuer = optarg;
            break;
        case OPT_ALG:
            a.alg = optarg;
            break;
        case OPT_KEY:
            a.key = optarg;
            break;
        case OPT_LISTEN:
            a.listen = optarg;
            break;
        case OPT_TRUST:
        case OPT_TRUST_ROOTS:
            rc = parse_trust(c == OPT_TRUST ? "--trust" : "--trust-roots", optarg, c == OPT_TRUST_ROOTS, &a);
            break;
        case OPT_FORCE:
            a.force = true;
            break;
        case 'h':
            help = true;
            break;
        default:
            rc = cli_bad_option("ts init", c, argv);
            break;
        }
    }
    if (rc == CLI_OK && help) {
        fputs(init_help, stdout);
    } else if (rc == CLI_OK && (a.dir == NULL || optind != argc)) {
        rc = cli_fail(CLI_USAGE, "ts init", "expected --dir DIR (see 'mamori ts init --help')");
    }
    if (rc == CLI_OK && !help && a.key != NULL && a.alg != NULL) {
        rc = cli_fail(CLI_USAGE, "ts init", "--alg is for a new key: not with --key");
    }
    if (rc == CLI_OK && !help && a.issuer != NULL && a.issuer[0] == '\0') {
        rc = cli_fail(CLI_USAGE, "--issuer", "must not be empty");
    }
    if (rc == CLI_OK && !help) {
        rc = run_init(&a);
    }
    for (size_t i = 0; i < a.n_trust; i++) {
        free(a.trust[i].iss);
        free(a.trust[i].file);
    }
    return rc;
}

int cmd_ts(int argc, char **argv)
{
    static const cli_cmd cmds[] = {
        {"init", ts_init, "make a service key and configuration"},
        {"serve", ts_serve, "run the service"},
        {"check", ts_check, "check a log offline"},
    };
    return cli_dispatch("mamori ts", cmds, sizeof cmds / sizeof cmds[0], argc, argv, ts_help);
}
