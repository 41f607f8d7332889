/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori suit: the vendor's and the device's SUIT tools. This file has the
 * command table and the commands that run the processor (verify, process);
 * create and sign are in cmd_suit_create.c and cmd_suit_sign.c, show in
 * suit_show.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mamori/crypto_openssl.h"
#include "mamori/lms.h"
#include "mamori/suit.h"
#include "mamori/suit_posixdev.h"
#include "suit_cli.h"

static const char suit_help[] = "usage: mamori suit <command> [<args>]\n"
                                "\n"
                                "commands:\n"
                                "  create    make a signed SUIT envelope from a JSON description\n"
                                "  sign      add an authentication block to an envelope\n"
                                "  show      print an envelope (or a SUIT report) in annotated diagnostic notation\n"
                                "  verify    check an envelope's digest, signatures and structure\n"
                                "  process   run an envelope on a simulated device (a folder)\n"
                                "\n"
                                "Run 'mamori suit <command> --help' for a command's options.\n";

static const char verify_help[] = "usage: mamori suit verify -k KEY [-k KEY...] FILE\n"
                                  "\n"
                                  "Checks the SUIT envelope in FILE (- for standard input) as a device would before\n"
                                  "running it: the manifest's digest, the authentication blocks against the trust\n"
                                  "anchors KEY (public keys for COSE_Sign1, secret keys for COSE_Mac0; a\n"
                                  "COSE_KeySet gives several, with their kids), then the whole structure: every\n"
                                  "command sequence, parameter and severable member. Nothing runs.\n"
                                  "\n"
                                  "options:\n"
                                  "  -k, --key KEY   a trust anchor (PEM, DER, COSE_Key or COSE_KeySet); repeatable\n"
                                  "  --all           every authentication block must verify (default: one)\n"
                                  "  -q, --quiet     print nothing on success\n"
                                  "  -h, --help      show this help\n"
                                  "\n"
                                  "Exit status: 0 valid, 1 refused (a digest or signature does not match, no\n"
                                  "trust anchor for the signer), 65 malformed or unsupported (the reason on\n"
                                  "stderr), 64 usage, 66 missing file.\n";

static const char process_help[] = "usage: mamori suit process -k KEY --device DIR [options] FILE\n"
                                   "\n"
                                   "Runs the SUIT envelope in FILE on a simulated device: the folder DIR, whose\n"
                                   "components are files and whose identity, policy and stored sequence numbers\n"
                                   "are in DIR/device.json (docs/suit.md). The envelope is verified with the trust\n"
                                   "anchors KEY first; then the update procedure (payload fetch, install,\n"
                                   "validate) and the invocation procedure (validate, load, invoke) run, and\n"
                                   "what they installed is committed only if everything succeeded. URIs may be\n"
                                   "file://, http:// or https://; an invoked component runs the program\n"
                                   "device.json names for it (execve, no shell).\n"
                                   "\n"
                                   "options:\n"
                                   "  -k, --key KEY          a trust anchor; repeatable\n"
                                   "  --device DIR           the simulated device's folder\n"
                                   "  --update               run the update procedure only\n"
                                   "  --invoke               run the invocation procedure only\n"
                                   "  --report OUT           write the SUIT report (CBOR) to OUT, also on refusal\n"
                                   "  --report-key KEY       sign the report (COSE_Sign1) with the device key KEY\n"
                                   "  --nonce HEX            the report's nonce\n"
                                   "  --all                  every authentication block must verify\n"
                                   "  --report-all           record every command in the report, not only those\n"
                                   "                         the reporting policy asks for\n"
                                   "  -v, --verbose          print every command as it runs\n"
                                   "  -h, --help             show this help\n"
                                   "\n"
                                   "Exit status: 0 done, 1 refused (signature, condition, rollback: the reason on\n"
                                   "stderr), 65 malformed or unsupported, 74 the device failed, 64 usage, 66\n"
                                   "missing file.\n";

/*
 * Trust anchors from key files.
 */
void suit_anchors_free(suit_anchors *a)
{
    for (size_t i = 0; i < a->n_files; i++) {
        cli_free_keys(a->keys[i], a->n_keys[i]);
    }
    free(a->anchors);
    memset(a, 0, sizeof *a);
}

int suit_anchors_load(suit_anchors *a, const char *const *paths, size_t n)
{
    memset(a, 0, sizeof *a);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = cli_load_keys(paths[i], 0, &a->keys[i], &a->n_keys[i]);
        a->n_files = i + 1;
        if (rc != CLI_OK) {
            suit_anchors_free(a);
            return rc;
        }
        total += a->n_keys[i];
    }
    a->anchors = calloc(total + 1, sizeof *a->anchors);
    if (a->anchors == NULL) {
        suit_anchors_free(a);
        return cli_fail(CLI_SOFTWARE, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < a->n_keys[i]; k++) {
            cli_key *ck = &a->keys[i][k];
            a->anchors[a->n].key = &ck->key;
            a->anchors[a->n].kid = mm_bytes_make(ck->kid, ck->kid_len);
            a->file_of[a->n < SUIT_CLI_MAX_ANCHORS ? a->n : 0] = paths[i];
            a->n++;
        }
    }
    return CLI_OK;
}

/* Where the processor refused, in words: "condition-image-match failed for
 * component 0 in install at byte 33". */
void suit_describe_failure(const mm_suit_failure *f, char *out, size_t cap)
{
    if (f->err == MM_ERR_ROLLBACK) {
        snprintf(out, cap, "%s: the device has sequence number %lld", mm_suit_reason_name(f->reason),
                 (long long)f->detail);
        return;
    }
    const mm_suit_name *cmd = f->command != 0 ? mm_suit_name_find(MM_SUIT_REG_COMMAND, f->command) : NULL;
    const mm_suit_name *sec =
        f->section == MM_SUIT_SECTION_COMMON ? NULL : mm_suit_name_find(MM_SUIT_REG_MANIFEST, f->section);
    const char *section = f->section == MM_SUIT_SECTION_COMMON ? "shared-sequence" : sec != NULL ? sec->name : NULL;
    size_t len = 0;
    int w = snprintf(out, cap, "%s", mm_suit_reason_name(f->reason));
    len = w > 0 ? (size_t)w : 0;
    if (f->command != 0 && len < cap) {
        char number[24];
        snprintf(number, sizeof number, "command %d", f->command);
        w = snprintf(out + len, cap - len, ": %s for component %u", cmd != NULL ? cmd->name : number, f->component);
        len += w > 0 ? (size_t)w : 0;
    }
    if (section != NULL && len < cap) {
        w = snprintf(out + len, cap - len, " in %s at byte %u", section, f->offset);
        len += w > 0 ? (size_t)w : 0;
    } else if (f->command == 0 && f->detail != 0 && len < cap) {
        const mm_suit_name *m = mm_suit_name_find(MM_SUIT_REG_ENVELOPE, f->detail);
        if (f->reason == MM_SUIT_REASON_PARAMETER_UNSUPPORTED) {
            m = mm_suit_name_find(MM_SUIT_REG_PARAMETER, f->detail);
        }
        if (m != NULL) {
            snprintf(out + len, cap - len, " (%s)", m->name);
        }
    }
    if (f->command != 0 && f->detail != 0 && len < cap &&
        (f->err == MM_ERR_MISSING_FIELD || f->reason == MM_SUIT_REASON_PARAMETER_UNSUPPORTED)) {
        const mm_suit_name *pn = mm_suit_name_find(MM_SUIT_REG_PARAMETER, f->detail);
        len = strlen(out);
        if (pn != NULL) {
            snprintf(out + len, cap - len, f->err == MM_ERR_MISSING_FIELD ? " (%s not set)" : " (%s)", pn->name);
        }
    }
}

/* Loads the trust anchors of keys and reads the envelope at path; on
 * failure nothing is left to free. */
static int load_envelope(const cli_list *keys, const char *path, suit_anchors *a, uint8_t **env, size_t *len)
{
    int rc = suit_anchors_load(a, keys->v, keys->n);
    if (rc != CLI_OK) {
        return rc;
    }
    rc = cli_read_file(path, env, len);
    if (rc != CLI_OK) {
        suit_anchors_free(a);
    }
    return rc;
}

/* The processor's configuration with the anchors of a, the OpenSSL backend
 * and HSS-LMS in front of the default algorithm table. */
static void config_for(mm_suit_config *cfg, const suit_anchors *a, uint8_t *scratch, size_t scratch_len, unsigned flags)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->crypto = mm_crypto_openssl();
    cfg->anchors = a->anchors;
    cfg->algs = mm_lms_cose_algs();
    cfg->n_anchors = a->n;
    cfg->scratch = scratch;
    cfg->scratch_len = scratch_len;
    cfg->flags = flags;
}

static const char *alg_text(int32_t alg)
{
    const char *n = cli_alg_name(alg);
    return n != NULL ? n : "?";
}

/*
 * verify
 */
typedef struct verify_args {
    cli_list keys;
    unsigned flags;
    bool quiet;
} verify_args;

static int cmd_verify(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_LIST("key", 'k', verify_args, keys, SUIT_CLI_MAX_FILES),
        CLI_BITS("all", verify_args, flags, MM_SUIT_AUTH_ALL),
        CLI_BOOL("quiet", 'q', verify_args, quiet),
    };
    static const cli_opts spec = {"suit verify", verify_help, opts, sizeof opts / sizeof opts[0]};
    verify_args o;
    memset(&o, 0, sizeof o);
    int rc = cli_parse_opts(&spec, &o, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (argc - optind != 1 || o.keys.n == 0) {
        return cli_usage(spec.cmd, "%s", o.keys.n == 0 ? "a trust anchor (-k KEY) is needed" : "one FILE is needed");
    }
    const char *path = argv[optind];
    suit_anchors a;
    uint8_t *env = NULL;
    size_t len = 0;
    rc = load_envelope(&o.keys, path, &a, &env, &len);
    if (rc != CLI_OK) {
        return rc;
    }
    uint8_t scratch[2048];
    mm_suit_config cfg;
    config_for(&cfg, &a, scratch, sizeof scratch, o.flags);
    mm_suit_processor *p = calloc(1, sizeof *p);
    mm_err e = p != NULL ? mm_suit_processor_init(p, &cfg) : MM_ERR_PLATFORM;
    if (e == MM_OK) {
        e = mm_suit_check(p, mm_bytes_make(env, len));
    }
    if (e != MM_OK) {
        char why[256];
        suit_describe_failure(mm_suit_processor_failure(p), why, sizeof why);
        rc = cli_fail(cli_exit_for(e), path, "refused: %s: %s (%s)", why, mm_strerror(e), mm_errname(e));
    } else if (!o.quiet) {
        const mm_suit_manifest *m = mm_suit_processor_manifest(p);
        const mm_suit_auth *au = mm_suit_processor_auth(p);
        printf("%s: verified\n", path);
        printf("  manifest: sequence number %llu, %u component%s, digest %s ", (unsigned long long)m->sequence,
               m->n_components, m->n_components == 1 ? "" : "s", alg_text(au->digest.alg));
        cli_print_hex(stdout, au->digest.bytes);
        printf("\n  authentication: %u of %u block%s verified, %s with %s\n", au->n_verified, au->n_blocks,
               au->n_blocks == 1 ? "" : "s", alg_text(au->alg),
               au->anchor < SUIT_CLI_MAX_ANCHORS ? a.file_of[au->anchor] : "a trust anchor");
        printf("  members:");
        for (int i = 0; i < MM_SUIT_M_COUNT; i++) {
            const mm_suit_member *mb = &m->members[i];
            if (mb->state == MM_SUIT_ABSENT) {
                continue;
            }
            const mm_suit_name *nm =
                mm_suit_name_find(MM_SUIT_REG_MANIFEST, mm_suit_member_key((mm_suit_member_index)i));
            printf(" %s%s", nm != NULL ? nm->name : "?",
                   mb->state == MM_SUIT_SEVERED    ? " (severed)"
                   : mb->state == MM_SUIT_RESTORED ? " (severable, digest checked)"
                                                   : "");
        }
        printf("\n");
    }
    free(p);
    free(env);
    suit_anchors_free(&a);
    return rc;
}

/*
 * process
 */

/* Prints each command as it runs (--verbose). */
static void trace_event(void *user, const mm_suit_event *ev)
{
    (void)user;
    const mm_suit_name *cmd = mm_suit_name_find(MM_SUIT_REG_COMMAND, ev->command);
    const mm_suit_name *sec = mm_suit_name_find(MM_SUIT_REG_MANIFEST, ev->section);
    printf("  %*s%-16s %-32s component %u%s\n", (int)(2 * ev->depth), "",
           ev->section == MM_SUIT_SECTION_COMMON ? "shared-sequence"
           : sec != NULL                         ? sec->name
                                                 : "?",
           cmd != NULL ? cmd->name : "?", ev->component,
           ev->result == MM_OK ? ""
           : ev->soft          ? "  failed (soft)"
                               : "  FAILED");
}

/* The device's ops with a record callback that traces. */
typedef struct traced {
    mm_suit_platform_ops ops;
    mm_suit_platform platform;
} traced;

static void print_events(const mm_posixdev *dev)
{
    size_t n;
    const mm_posixdev_event *ev = mm_posixdev_events(dev, &n);
    for (size_t i = 0; i < n; i++) {
        switch (ev[i].kind) {
        case MM_POSIXDEV_FETCHED:
            printf("  fetched %s (%llu bytes)\n", ev[i].name, (unsigned long long)ev[i].size);
            break;
        case MM_POSIXDEV_INSTALLED:
            printf("  installed component %u: %s%s (%llu bytes)\n", ev[i].component, ev[i].name,
                   ev[i].type == 2   ? "/"
                   : ev[i].type == 3 ? " (symbolic link)"
                                     : "",
                   (unsigned long long)ev[i].size);
            break;
        case MM_POSIXDEV_INVOKED:
            if (ev[i].name[0] == '\0') {
                printf("  invoked component %u (no program configured: recorded)\n", ev[i].component);
            } else {
                printf("  invoked component %u: %s, exit status %d\n", ev[i].component, ev[i].name, ev[i].status);
            }
            break;
        }
    }
}

/* Writes the report (signed when a key is given). */
static int write_report(const char *out, const char *key_path, mm_bytes report)
{
    if (key_path == NULL) {
        return cli_write_file(out, report.ptr, report.len, 0644);
    }
    cli_key k;
    int rc = cli_load_key(key_path, 0, CLI_KEY_PRIVATE, &k);
    if (rc != CLI_OK) {
        return rc;
    }
    uint8_t scratch[4096];
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.key = &k.key;
    o.alg = cli_default_alg(&k.key, CLI_ALG_SIGN);
    o.kid = mm_bytes_make(k.kid, k.kid_len);
    o.scratch = scratch;
    o.scratch_len = sizeof scratch;
    mm_buf sized = {NULL, 0, 0};
    mm_err e = mm_suit_report_sign(&o, report, &sized);
    uint8_t *buf = e == MM_ERR_BUFFER_TOO_SMALL ? malloc(sized.len) : NULL;
    mm_buf signed_report = mm_buf_make(buf, sized.len);
    if (buf != NULL) {
        e = mm_suit_report_sign(&o, report, &signed_report);
    }
    rc = e == MM_OK ? cli_write_file(out, buf, signed_report.len, 0644)
                    : cli_fail(cli_exit_for(e), key_path, "cannot sign the report: %s", mm_strerror(e));
    free(buf);
    cli_key_free(&k);
    return rc;
}

typedef struct process_opts {
    cli_list keys;
    const char *device;
    const char *report;
    const char *report_key;
    const char *nonce;
    unsigned procs;
    unsigned flags;
    bool verbose;
} process_opts;

static int parse_process(int argc, char **argv, process_opts *o)
{
    static const cli_opt opts[] = {
        CLI_LIST("key", 'k', process_opts, keys, SUIT_CLI_MAX_FILES),
        CLI_STR("device", 0, process_opts, device),
        CLI_BITS("update", process_opts, procs, MM_SUIT_PROC_UPDATE),
        CLI_BITS("invoke", process_opts, procs, MM_SUIT_PROC_INVOKE),
        CLI_STR("report", 0, process_opts, report),
        CLI_STR("report-key", 0, process_opts, report_key),
        CLI_STR("nonce", 0, process_opts, nonce),
        CLI_BITS("all", process_opts, flags, MM_SUIT_AUTH_ALL),
        CLI_BITS("report-all", process_opts, flags, MM_SUIT_REPORT_ALL),
        CLI_BOOL("verbose", 'v', process_opts, verbose),
    };
    static const cli_opts spec = {"suit process", process_help, opts, sizeof opts / sizeof opts[0]};
    memset(o, 0, sizeof *o);
    int rc = cli_parse_opts(&spec, o, argc, argv);
    if (rc != CLI_OK) {
        return rc;
    }
    if (argc - optind != 1 || o->keys.n == 0 || o->device == NULL) {
        return cli_usage(spec.cmd, "%s",
                         o->keys.n == 0      ? "a trust anchor (-k KEY) is needed"
                         : o->device == NULL ? "--device DIR is needed"
                                             : "one FILE is needed");
    }
    if (o->report_key != NULL && o->report == NULL) {
        return cli_fail(CLI_USAGE, "suit process", "--report-key needs --report OUT");
    }
    if (o->procs == 0) {
        o->procs = MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE;
    }
    return CLI_OK;
}

/* The report buffer: a SUIT report of this many bytes holds thousands of
 * records. */
#define REPORT_CAP ((size_t)64 * 1024)

static int cmd_process(int argc, char **argv)
{
    process_opts o;
    int rc = parse_process(argc, argv, &o);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    const char *path = argv[optind];
    uint8_t nonce[64];
    mm_buf nonce_buf = mm_buf_make(nonce, sizeof nonce);
    if (o.nonce != NULL && mm_hex_decode(mm_bytes_from_cstr(o.nonce), 0, &nonce_buf, NULL) != MM_OK) {
        return cli_fail(CLI_USAGE, "--nonce", "not hex (at most 64 bytes)");
    }
    suit_anchors a;
    uint8_t *env = NULL;
    size_t len = 0;
    rc = load_envelope(&o.keys, path, &a, &env, &len);
    if (rc != CLI_OK) {
        return rc;
    }
    mm_posixdev *dev = NULL;
    char why[512] = "";
    if (rc == CLI_OK && mm_posixdev_open(o.device, &dev, why, sizeof why) != MM_OK) {
        rc = cli_fail(CLI_NOINPUT, "--device", "%s", why);
    }
    mm_suit_processor *p = calloc(1, sizeof *p);
    uint8_t *report = malloc(REPORT_CAP);
    if (rc == CLI_OK && (p == NULL || report == NULL)) {
        rc = cli_fail(CLI_SOFTWARE, NULL, "out of memory");
    }
    if (rc != CLI_OK || p == NULL || report == NULL) {
        mm_posixdev_close(dev);
        free(report);
        free(p);
        free(env);
        suit_anchors_free(&a);
        return rc;
    }
    traced t;
    t.ops = *mm_posixdev_platform(dev)->ops;
    t.ops.record = o.verbose ? trace_event : NULL;
    t.platform.ops = &t.ops;
    t.platform.user = mm_posixdev_platform(dev)->user;
    uint8_t scratch[8192];
    mm_buf rep = mm_buf_make(report, REPORT_CAP);
    mm_suit_config cfg;
    config_for(&cfg, &a, scratch, sizeof scratch, o.flags);
    cfg.platform = &t.platform;
    cfg.report = &rep;
    cfg.nonce = mm_bytes_make(nonce, o.nonce != NULL ? nonce_buf.len : 0);
    mm_err e = mm_suit_processor_init(p, &cfg);
    if (e == MM_OK) {
        if (o.verbose) {
            printf("%s:\n", path);
        }
        e = mm_suit_process(p, mm_bytes_make(env, len), o.procs);
    }
    print_events(dev);
    if (e != MM_OK) {
        char where[256];
        suit_describe_failure(mm_suit_processor_failure(p), where, sizeof where);
        const char *device_why = mm_posixdev_error(dev);
        rc = cli_fail(cli_exit_for(e), path, "refused: %s: %s (%s)%s%s", where, mm_strerror(e), mm_errname(e),
                      device_why[0] != '\0' ? "; device: " : "", device_why);
    } else {
        const mm_suit_manifest *m = mm_suit_processor_manifest(p);
        const mm_suit_auth *au = mm_suit_processor_auth(p);
        printf("%s: sequence number %llu processed (%s%s%s), %s verified with %s\n", path,
               (unsigned long long)m->sequence, (o.procs & MM_SUIT_PROC_UPDATE) != 0 ? "update" : "",
               o.procs == (MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE) ? " and " : "",
               (o.procs & MM_SUIT_PROC_INVOKE) != 0 ? "invocation" : "", alg_text(au->alg),
               au->anchor < SUIT_CLI_MAX_ANCHORS ? a.file_of[au->anchor] : "a trust anchor");
    }
    if (o.report != NULL) {
        if (p->report_err != MM_OK) {
            int r2 = cli_fail(CLI_SOFTWARE, o.report, "report not written: %s", mm_strerror(p->report_err));
            rc = rc == CLI_OK ? r2 : rc;
        } else {
            int r2 = write_report(o.report, o.report_key, mm_bytes_make(report, rep.len));
            rc = rc == CLI_OK ? r2 : rc;
        }
    }
    mm_posixdev_close(dev);
    free(report);
    free(p);
    free(env);
    suit_anchors_free(&a);
    return rc;
}

static const cli_cmd suit_cmds[] = {
    {"create", suit_cmd_create, "make a signed SUIT envelope from a JSON description"},
    {"sign", suit_cmd_sign, "add an authentication block to an envelope"},
    {"show", suit_cmd_show, "print an envelope or a report in annotated diagnostic notation"},
    {"verify", cmd_verify, "check an envelope's digest, signatures and structure"},
    {"process", cmd_process, "run an envelope on a simulated device"},
};

int cmd_suit(int argc, char **argv)
{
    return cli_dispatch("mamori suit", suit_cmds, sizeof suit_cmds / sizeof suit_cmds[0], argc, argv, suit_help);
}
