/* SPDX-License-Identifier: Apache-2.0 */
/* mamori verifier: run the RATS Verifier (services/verifier), administer
 * its store, and talk to it as a client. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_serve.h"
#include "mamori/crypto_openssl.h"
#include "verifier.h"
#include "verifier_cli.h"

static const char verifier_help[] = "usage: mamori verifier <command> [<args>]\n"
                                    "\n"
                                    "The RATS Verifier: appraises evidence (EAT, RFC 9711) against endorsements\n"
                                    "and reference values and signs attestation results (EAR, AR4SI vectors).\n"
                                    "\n"
                                    "commands:\n"
                                    "  serve       run the Verifier (HTTP: /challenge, /appraise)\n"
                                    "  endorse     add, list and remove attestation keys of devices and models\n"
                                    "  reference   add, list and remove reference values\n"
                                    "  import      import endorsements and reference values from a CoRIM\n"
                                    "  challenge   ask a Verifier for a nonce\n"
                                    "  appraise    send evidence to a Verifier and show its verdict\n"
                                    "\n"
                                    "Run 'mamori verifier <command> --help' for a command's options.\n";

static const char serve_help[] = "usage: mamori verifier serve --key KEY [options]\n"
                                 "\n"
                                 "Runs the Verifier until SIGINT or SIGTERM (see docs/verifier.md). POST\n"
                                 "/challenge gives a nonce; POST /appraise takes evidence (application/eat+cwt)\n"
                                 "and answers with an attestation result signed with KEY (an EAR CWT, or a JWT\n"
                                 "when asked with Accept: application/eat+jwt), or a refusal as RFC 9290\n"
                                 "problem details naming the check that failed. The store (endorsements,\n"
                                 "reference values, used nonces) is made when missing. It binds 127.0.0.1\n"
                                 "unless told otherwise.\n"
                                 "\n"
                                 "options:\n"
                                 "  --key KEY             the results' signing key (private: PEM, DER or COSE_Key)\n"
                                 "  --alg ALG             its algorithm (default: the key's usual one)\n"
                                 "  --db FILE             the store, SQLite (default: verifier.db)\n"
                                 "  --listen ADDR         host:port (default: 127.0.0.1:8081; port 0: any free\n"
                                 "                        port, printed)\n"
                                 "  --nonce-ttl S         seconds a challenge's nonce is valid (default: 120)\n"
                                 "  --iat-window S        also accept evidence without a nonce whose iat is at\n"
                                 "                        most S seconds old (timestamp freshness, the passport\n"
                                 "                        model; default: 0, a nonce is required)\n"
                                 "  --leeway S            clock skew tolerated on iat, exp, nbf (default: 60)\n"
                                 "  --result-ttl S        seconds a result is valid (exp; default: 300)\n"
                                 "  --accept-profile URI  appraise evidence of this eat_profile as plain EAT\n"
                                 "                        (repeatable; the TEEP profile is always known)\n"
                                 "  --teep-profile URI    the URI of the TEEP EAT profile\n"
                                 "                        (default: " VF_TEEP_PROFILE ")\n"
                                 "  --raw-evidence        put the evidence into results (ear_raw_evidence)\n"
                                 "  --developer TEXT      ear_verifier_id developer (default: https://mamori.dev)\n"
                                 "  --threads N           HTTP worker threads (default: 4 per CPU)\n"
                                 "  --used-nonces N       most used nonces held until they expire, 48 bytes\n"
                                 "                        each; at least the peak appraisal rate times the\n"
                                 "                        nonce TTL (default: 1048576; at most 67108864)\n"
                                 "  --tls-cert FILE       HTTPS: certificate chain (PEM), with --tls-key FILE\n"
                                 "  --ready-file FILE     once listening, write the Verifier's URL to FILE\n"
                                 "  -q, --quiet           no start and stop lines\n"
                                 "  -h, --help            show this help\n"
                                 "\n"
                                 "Exit status: 0 stopped by a signal, 64 usage, 65 a key that cannot sign, 66\n"
                                 "missing file, 69 cannot listen, 74 database errors.\n";

/* The exit code of a service error. */
static int exit_for(mm_err e)
{
    switch (e) {
    case MM_ERR_PLATFORM:
        return CLI_IOERR;
    case MM_ERR_INVALID_ARG:
        return CLI_DATAERR;
    default:
        return cli_exit_for(e) == CLI_CHECK_FAILED ? CLI_DATAERR : cli_exit_for(e);
    }
}

typedef struct serve_args {
    const char *key, *alg, *db, *listen, *nonce_ttl, *iat_window, *leeway, *result_ttl, *teep_profile, *developer,
        *threads, *used_nonces, *tls_cert, *tls_key, *ready;
    cli_list profiles;
    bool raw_evidence, quiet;
} serve_args;

static int parse_number(const char *opt, const char *s, unsigned long min, unsigned long max, unsigned *out)
{
    if (s == NULL) {
        return CLI_OK;
    }
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v < min || v > max) {
        return cli_fail(CLI_USAGE, opt, "expected a number from %lu to %lu: '%s'", min, max, s);
    }
    *out = (unsigned)v;
    return CLI_OK;
}

static void log_line(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "mamori: verifier: %s\n", line);
}

static int run_serve(vf_config *cfg, const char *ready, bool quiet)
{
    sigset_t set;
    cli_serve_signals(&set);
    cfg->log = log_line;
    vf_error err;
    vf_service *svc = NULL;
    mm_err e = vf_service_open(cfg, &svc, &err);
    if (e != MM_OK) {
        fprintf(stderr, "mamori: %s\n", err.msg);
        return exit_for(e);
    }
    e = vf_service_start(svc, &err);
    if (e != MM_OK) {
        vf_service_close(svc);
        fprintf(stderr, "mamori: %s\n", err.msg);
        return e == MM_ERR_PLATFORM ? CLI_UNAVAILABLE : CLI_USAGE;
    }
    char url[300];
    cli_serve_url(cfg->listen, cfg->tls_cert != NULL, vf_service_port(svc), url, sizeof url);
    if (!quiet) {
        printf("mamori verifier: listening on %s (results signed by kid ", url);
        mm_bytes pub = vf_service_public_key(svc);
        mm_cose_key ck;
        if (mm_cose_key_decode(pub, &ck) == MM_OK) {
            cli_print_hex(stdout, ck.kid);
        }
        printf(", store %s)\n", cfg->database);
        fflush(stdout);
    }
    int rc = ready != NULL ? cli_serve_ready(ready, url) : CLI_OK;
    if (rc == CLI_OK) {
        (void)cli_serve_wait(&set);
    }
    vf_service_close(svc);
    if (!quiet && rc == CLI_OK) {
        printf("mamori verifier: stopped\n");
    }
    return rc;
}

static int verifier_serve(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("key", 0, serve_args, key),
        CLI_STR("alg", 0, serve_args, alg),
        CLI_STR("db", 0, serve_args, db),
        CLI_STR("listen", 0, serve_args, listen),
        CLI_STR("nonce-ttl", 0, serve_args, nonce_ttl),
        CLI_STR("iat-window", 0, serve_args, iat_window),
        CLI_STR("leeway", 0, serve_args, leeway),
        CLI_STR("result-ttl", 0, serve_args, result_ttl),
        CLI_LIST("accept-profile", 0, serve_args, profiles, VF_PROFILES_MAX),
        CLI_STR("teep-profile", 0, serve_args, teep_profile),
        CLI_BOOL("raw-evidence", 0, serve_args, raw_evidence),
        CLI_STR("developer", 0, serve_args, developer),
        CLI_STR("threads", 0, serve_args, threads),
        CLI_STR("used-nonces", 0, serve_args, used_nonces),
        CLI_STR("tls-cert", 0, serve_args, tls_cert),
        CLI_STR("tls-key", 0, serve_args, tls_key),
        CLI_STR("ready-file", 0, serve_args, ready),
        CLI_BOOL("quiet", 'q', serve_args, quiet),
    };
    static const cli_opts spec = {"verifier serve", serve_help, opts, sizeof opts / sizeof opts[0]};
    serve_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (a.key == NULL || optind != argc) {
        return cli_usage(spec.cmd, "expected --key KEY and no operands");
    }
    vf_config cfg;
    vf_config_init(&cfg);
    unsigned threads = cfg.threads;
    unsigned used = (unsigned)cfg.used_nonces;
    if (parse_number("--nonce-ttl", a.nonce_ttl, 1, VF_TTL_MAX, &cfg.nonce_ttl) != CLI_OK ||
        parse_number("--iat-window", a.iat_window, 0, VF_TTL_MAX, &cfg.iat_window) != CLI_OK ||
        parse_number("--leeway", a.leeway, 0, VF_TTL_MAX, &cfg.leeway) != CLI_OK ||
        parse_number("--result-ttl", a.result_ttl, 1, VF_TTL_MAX, &cfg.result_ttl) != CLI_OK ||
        parse_number("--threads", a.threads, 1, VF_THREADS_MAX, &threads) != CLI_OK ||
        parse_number("--used-nonces", a.used_nonces, 1, VF_USED_MAX, &used) != CLI_OK) {
        return CLI_USAGE;
    }
    if ((a.tls_cert == NULL) != (a.tls_key == NULL)) {
        return cli_usage(spec.cmd, "--tls-cert and --tls-key go together");
    }
    cfg.threads = threads;
    cfg.used_nonces = used;
    cfg.listen = a.listen != NULL ? a.listen : cfg.listen;
    cfg.database = a.db != NULL ? a.db : cfg.database;
    cfg.teep_profile = a.teep_profile != NULL ? a.teep_profile : cfg.teep_profile;
    cfg.developer = a.developer != NULL ? a.developer : cfg.developer;
    cfg.build = "mamori verifier " MAMORI_VERSION;
    cfg.raw_evidence = a.raw_evidence;
    cfg.tls_cert = a.tls_cert;
    cfg.tls_key = a.tls_key;
    for (size_t i = 0; i < a.profiles.n; i++) {
        cfg.profiles[cfg.n_profiles++] = a.profiles.v[i];
    }
    cli_key key;
    memset(&key, 0, sizeof key);
    rc = cli_load_key(a.key, 0, CLI_KEY_PRIVATE, &key);
    if (rc != CLI_OK) {
        return rc;
    }
    int32_t alg = 0;
    if (a.alg != NULL) {
        rc = cli_alg_parse("--alg", a.alg, CLI_ALG_SIGN, &alg);
    } else if ((alg = cli_default_alg(&key.key, CLI_ALG_SIGN)) == 0) {
        rc = cli_fail(CLI_DATAERR, a.key, "this key cannot sign");
    }
    if (rc == CLI_OK) {
        cfg.key = &key.key;
        cfg.alg = alg;
        rc = run_serve(&cfg, a.ready, a.quiet);
    }
    cli_key_free(&key);
    return rc;
}

int cmd_verifier(int argc, char **argv)
{
    static const cli_cmd cmds[] = {
        {"serve", verifier_serve, "run the Verifier"},         {"endorse", verifier_endorse, "attestation keys"},
        {"reference", verifier_reference, "reference values"}, {"import", verifier_import, "import a CoRIM"},
        {"challenge", verifier_challenge, "ask for a nonce"},  {"appraise", verifier_appraise, "send evidence"},
    };
    return cli_dispatch("mamori verifier", cmds, sizeof cmds / sizeof cmds[0], argc, argv, verifier_help);
}
