/* SPDX-License-Identifier: Apache-2.0 */
/* mamori verifier endorse / reference / import: the Verifier's store,
 * administered while the service runs or not (SQLite in WAL mode lets both
 * at once). Each command is one transaction: all of it or nothing. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mamori/crypto_openssl.h"
#include "verifier_cli.h"
#include "vf_import.h"

static const char endorse_help[] = "usage: mamori verifier endorse <add|list|remove> --db FILE [options]\n"
                                   "\n"
                                   "Endorsements name the key that signs a device's evidence: per device (its\n"
                                   "ueid) or per model (oemid and hwmodel). Evidence is matched to them by its kid\n"
                                   "(the key's kid or RFC 9679 thumbprint), else its ueid, else its model.\n"
                                   "\n"
                                   "  add --key PUB (--ueid HEX | --oemid OEMID --hwmodel HEX) [--kid TEXT]\n"
                                   "      [--compromised] [--source NAME]\n"
                                   "                      endorse the public key in PUB (PEM, DER or COSE_Key; a\n"
                                   "                      private key's public half); --kid: the kid evidence uses\n"
                                   "                      (default: a COSE_Key's own); --compromised: evidence it\n"
                                   "                      signs is contraindicated\n"
                                   "  list [--json]       every endorsement, with its id\n"
                                   "  remove (--id N | --source NAME)\n"
                                   "                      remove one, or all of a source (an import: corim:<id>)\n"
                                   "\n"
                                   "options:\n"
                                   "  --db FILE           the Verifier's store (default: verifier.db)\n"
                                   "  OEMID               an IANA PEN in decimal (32473), or 3 or 16 bytes in hex\n"
                                   "                      (89-48-23)\n"
                                   "  --source NAME       where the entry comes from, for policy ids and removal\n"
                                   "                      (default: local)\n"
                                   "\n"
                                   "Exit status: 0 done, 1 nothing to remove, 64 usage, 65 a key that does not\n"
                                   "fit, 66 missing file, 74 database errors.\n";

static const char reference_help[] = "usage: mamori verifier reference <add|list|remove> --db FILE [options]\n"
                                     "\n"
                                     "Reference values say what an attester must report: for one device (--ueid),\n"
                                     "a model (--oemid and --hwmodel), or, with neither, every attester. Per kind,\n"
                                     "the values of the most specific scope apply; several values of one kind are\n"
                                     "alternatives.\n"
                                     "\n"
                                     "  add [--ueid HEX | --oemid OEMID --hwmodel HEX] [--source NAME] VALUES...\n"
                                     "  list [--json]\n"
                                     "  remove (--id N | --source NAME)\n"
                                     "\n"
                                     "values (each repeatable, all added in one transaction):\n"
                                     "  --swname TEXT             an allowed swname\n"
                                     "  --swversion TEXT          an allowed swversion\n"
                                     "  --measurement [LABEL=][ALG:]HEX\n"
                                     "                            the digest of a measurement (its body; ALG: sha-256\n"
                                     "                            (default), sha-384, sha-512); values with one LABEL\n"
                                     "                            are alternatives, and each LABEL must be reported\n"
                                     "  --manifest [ALG:]HEX      the digest of an approved SUIT manifest (installed\n"
                                     "                            manifests must be among them)\n"
                                     "  --secure-boot             oemboot must be true\n"
                                     "  --debug LEVEL             dbgstat at least LEVEL: disabled,\n"
                                     "                            disabled-since-boot, disabled-permanently or\n"
                                     "                            disabled-fully-and-permanently\n"
                                     "  --allow-oemid OEMID       an allowed oemid\n"
                                     "  --allow-hwmodel HEX       an allowed hwmodel\n"
                                     "  --allow-hwversion TEXT    an allowed hwversion\n"
                                     "\n"
                                     "Exit status: 0 done, 1 nothing to remove, 64 usage, 66 missing file, 74\n"
                                     "database errors.\n";

static const char import_help[] = "usage: mamori verifier import --db FILE [--signer-key KEY] CORIM\n"
                                  "\n"
                                  "Imports endorsements (attest-key triples) and reference values (reference\n"
                                  "triples) from a CoRIM (draft-ietf-rats-corim): unsigned (tag 501) or signed\n"
                                  "(COSE_Sign1, verified with --signer-key). Everything an earlier import of the\n"
                                  "same CoRIM id brought is replaced, in one transaction. Parts this Verifier\n"
                                  "does not act on are refused with their offset, never skipped (see\n"
                                  "docs/verifier.md).\n"
                                  "\n"
                                  "options:\n"
                                  "  --db FILE           the Verifier's store (default: verifier.db)\n"
                                  "  --signer-key KEY    the public key of a signed CoRIM's signer\n"
                                  "  --now SECONDS       check validity periods at this time (default: the clock)\n"
                                  "\n"
                                  "Exit status: 0 imported, 1 a signature or validity check failed, 64 usage, 65\n"
                                  "a CoRIM that is malformed or has parts not supported, 66 missing file, 74\n"
                                  "database errors.\n";

/*
 * Shared pieces.
 */
int vf_cli_open_store(const char *db, bool must_exist, vf_store **s)
{
    if (must_exist && access(db, F_OK) != 0) {
        return cli_fail(CLI_NOINPUT, db, "%s", strerror(errno));
    }
    mm_err e = vf_store_open(db, 1, s);
    if (e != MM_OK) {
        return cli_fail(e == MM_ERR_UNSUPPORTED ? CLI_DATAERR : CLI_IOERR, db, "cannot open the store: %s",
                        e == MM_ERR_UNSUPPORTED ? "it was made by a newer mamori" : mm_strerror(e));
    }
    return CLI_OK;
}

int vf_cli_hex(const char *opt, const char *value, size_t min, size_t max, uint8_t *out, size_t *len)
{
    uint8_t buf[64];
    mm_buf b = mm_buf_make(buf, sizeof buf);
    if (mm_hex_decode(mm_bytes_from_cstr(value), 0, &b, NULL) != MM_OK || b.len < min || b.len > max) {
        if (min == max) {
            return cli_fail(CLI_USAGE, opt, "expected %zu bytes in hex: '%s'", min, value);
        }
        return cli_fail(CLI_USAGE, opt, "expected %zu to %zu bytes in hex: '%s'", min, max, value);
    }
    memcpy(out, buf, b.len);
    *len = b.len;
    return CLI_OK;
}

int vf_cli_parse_scope(const char *ueid, const char *oemid, const char *hwmodel, bool need, vf_cli_scope *s)
{
    memset(s, 0, sizeof *s);
    if (ueid != NULL && (oemid != NULL || hwmodel != NULL)) {
        return cli_fail(CLI_USAGE, "--ueid", "a device or a model: not both");
    }
    if ((oemid != NULL) != (hwmodel != NULL)) {
        return cli_fail(CLI_USAGE, oemid != NULL ? "--oemid" : "--hwmodel", "a model is --oemid with --hwmodel");
    }
    if (need && ueid == NULL && oemid == NULL) {
        return cli_fail(CLI_USAGE, "--ueid", "expected --ueid HEX, or --oemid OEMID --hwmodel HEX");
    }
    size_t len = 0;
    if (ueid != NULL) {
        if (vf_cli_hex("--ueid", ueid, MM_EAT_UEID_MIN, MM_EAT_UEID_MAX, s->ueid, &len) != CLI_OK) {
            return CLI_USAGE;
        }
        s->scope.ueid = mm_bytes_make(s->ueid, len);
    }
    if (oemid != NULL) {
        if (vf_oemid_parse(mm_bytes_from_cstr(oemid), s->oemid, &len) != MM_OK) {
            return cli_fail(CLI_USAGE, "--oemid", "expected a PEN in decimal, or 3 or 16 bytes in hex: '%s'", oemid);
        }
        s->scope.oemid = mm_bytes_make(s->oemid, len);
        if (vf_cli_hex("--hwmodel", hwmodel, 1, MM_EAT_HWMODEL_MAX, s->hwmodel, &len) != CLI_OK) {
            return CLI_USAGE;
        }
        s->scope.hwmodel = mm_bytes_make(s->hwmodel, len);
    }
    return CLI_OK;
}

static void hex_text(mm_bytes b, char *out, size_t cap)
{
    mm_buf o = mm_buf_make(out, cap - 1);
    if (mm_hex_encode(b, &o) != MM_OK) {
        o.len = 0;
    }
    out[o.len] = '\0';
}

void vf_cli_scope_text(const vf_scope *s, char *out, size_t cap)
{
    char a[80], b[80];
    if (s->ueid.len != 0) {
        hex_text(s->ueid, a, sizeof a);
        snprintf(out, cap, "device %s", a);
    } else if (s->oemid.len != 0) {
        vf_oemid_text(s->oemid, a, sizeof a);
        hex_text(s->hwmodel, b, sizeof b);
        snprintf(out, cap, "model %s hwmodel %s", a, b);
    } else {
        snprintf(out, cap, "every attester");
    }
}

static json_t *scope_json(const vf_scope *s)
{
    json_t *o = json_object();
    if (s->ueid.len != 0) {
        json_object_set_new(o, "ueid", cli_json_hex(s->ueid));
    } else if (s->oemid.len != 0) {
        char a[80];
        vf_oemid_text(s->oemid, a, sizeof a);
        json_object_set_new(o, "oemid", json_string(a));
        json_object_set_new(o, "hwmodel", cli_json_hex(s->hwmodel));
    }
    return o;
}

typedef struct admin_args {
    const char *db, *key, *kid, *ueid, *oemid, *hwmodel, *source, *id, *signer_key, *now, *debug;
    cli_list swname, swversion, measurement, manifest, allow_oemid, allow_hwmodel, allow_hwversion;
    bool json, compromised, secure_boot;
} admin_args;

static const char *db_of(const admin_args *a) { return a->db != NULL ? a->db : "verifier.db"; }

static int parse_id(const char *s, int64_t *id)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || v <= 0) {
        return cli_fail(CLI_USAGE, "--id", "expected a row id (a positive number): '%s'", s);
    }
    *id = v;
    return CLI_OK;
}

/* remove --id N | --source NAME, for either table. */
static int run_remove(const char *cmd, const admin_args *a, bool refs)
{
    if ((a->id == NULL) == (a->source == NULL)) {
        return cli_usage(cmd, "remove takes --id N or --source NAME");
    }
    int64_t id = 0;
    if (a->id != NULL && parse_id(a->id, &id) != CLI_OK) {
        return CLI_USAGE;
    }
    vf_store *s = NULL;
    int rc = vf_cli_open_store(db_of(a), true, &s);
    if (rc != CLI_OK) {
        return rc;
    }
    size_t n = 0;
    mm_bytes source = a->source != NULL ? mm_bytes_from_cstr(a->source) : mm_bytes_make(NULL, 0);
    mm_err e = refs ? vf_store_remove_refs(s, id, source, &n) : vf_store_remove_endorsements(s, id, source, &n);
    vf_store_close(s);
    if (e != MM_OK) {
        return cli_fail(CLI_IOERR, db_of(a), "cannot remove: %s", mm_strerror(e));
    }
    if (n == 0) {
        return cli_fail(CLI_CHECK_FAILED, db_of(a), "no %s with %s %s", refs ? "reference value" : "endorsement",
                        a->id != NULL ? "id" : "source", a->id != NULL ? a->id : a->source);
    }
    printf("%s: removed %zu %s%s\n", db_of(a), n, refs ? "reference value" : "endorsement", n == 1 ? "" : "s");
    return CLI_OK;
}

/*
 * endorse
 */
static int endorse_add(const admin_args *a)
{
    vf_cli_scope sc;
    int rc = vf_cli_parse_scope(a->ueid, a->oemid, a->hwmodel, true, &sc);
    if (rc != CLI_OK) {
        return rc;
    }
    if (a->key == NULL) {
        return cli_usage("verifier endorse", "add takes --key PUB");
    }
    uint8_t kid_buf[CLI_KID_MAX];
    size_t kid_len = 0;
    if (a->kid != NULL && cli_parse_kid("--kid", a->kid, kid_buf, &kid_len) != CLI_OK) {
        return CLI_USAGE;
    }
    cli_key key;
    memset(&key, 0, sizeof key);
    rc = cli_load_key(a->key, 0, 0, &key);
    if (rc != CLI_OK) {
        return rc;
    }
    if (a->kid == NULL) {
        /* The key file's own kid (a COSE_Key's), kept past the key. */
        memcpy(kid_buf, key.kid, key.kid_len);
        kid_len = key.kid_len;
    }
    mm_bytes kid = mm_bytes_make(kid_buf, kid_len);
    uint8_t cose[1300];
    size_t cose_len = 0;
    uint8_t tp[32];
    mm_err e = key.key.kty == MM_KTY_SYMMETRIC
                   ? MM_ERR_KEY_USAGE
                   : vf_key_material(mm_crypto_openssl(), &key.key, kid, cose, sizeof cose, &cose_len, tp);
    cli_key_free(&key);
    if (e != MM_OK) {
        return cli_fail(CLI_DATAERR, a->key, "not a public key an attester can sign with: %s", mm_strerror(e));
    }
    vf_endorsement en;
    memset(&en, 0, sizeof en);
    en.scope = sc.scope;
    en.cose_key = mm_bytes_make(cose, cose_len);
    en.kid = kid;
    en.thumbprint = mm_bytes_make(tp, sizeof tp);
    en.compromised = a->compromised;
    en.source = mm_bytes_from_cstr(a->source != NULL ? a->source : "local");
    vf_store *s = NULL;
    rc = vf_cli_open_store(db_of(a), false, &s);
    if (rc != CLI_OK) {
        return rc;
    }
    int64_t id = 0;
    e = vf_store_add_endorsement(s, &en, &id);
    vf_store_close(s);
    if (e != MM_OK) {
        return cli_fail(CLI_IOERR, db_of(a), "cannot add: %s", mm_strerror(e));
    }
    char who[160];
    vf_cli_scope_text(&sc.scope, who, sizeof who);
    printf("%s: endorsement %lld: %s, thumbprint ", db_of(a), (long long)id, who);
    cli_print_hex(stdout, en.thumbprint);
    printf("%s\n", en.compromised ? " (compromised)" : "");
    return CLI_OK;
}

typedef struct list_ctx {
    json_t *arr;
    size_t n;
} list_ctx;

static mm_err print_endorsement(void *user, const vf_endorsement *e)
{
    list_ctx *l = user;
    l->n++;
    if (l->arr != NULL) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(e->id));
        json_object_set_new(o, "scope", scope_json(&e->scope));
        json_object_set_new(o, "thumbprint", cli_json_hex(e->thumbprint));
        if (e->kid.len != 0) {
            json_object_set_new(o, "kid", cli_json_hex(e->kid));
        }
        json_object_set_new(o, "compromised", json_boolean(e->compromised));
        json_object_set_new(o, "source", json_stringn((const char *)e->source.ptr, e->source.len));
        json_array_append_new(l->arr, o);
        return MM_OK;
    }
    char who[160];
    vf_cli_scope_text(&e->scope, who, sizeof who);
    printf("%lld  %s  thumbprint ", (long long)e->id, who);
    cli_print_hex(stdout, e->thumbprint);
    if (e->kid.len != 0) {
        printf("  kid ");
        cli_print_hex(stdout, e->kid);
    }
    printf("  %.*s%s\n", (int)e->source.len, (const char *)e->source.ptr, e->compromised ? "  COMPROMISED" : "");
    return MM_OK;
}

static int run_list(const admin_args *a, bool refs);

static int admin_parse(const char *cmd, const char *help, int argc, char **argv, admin_args *a, const char **sub)
{
    static const cli_opt opts[] = {
        CLI_STR("db", 0, admin_args, db),
        CLI_STR("key", 0, admin_args, key),
        CLI_STR("kid", 0, admin_args, kid),
        CLI_STR("ueid", 0, admin_args, ueid),
        CLI_STR("oemid", 0, admin_args, oemid),
        CLI_STR("hwmodel", 0, admin_args, hwmodel),
        CLI_STR("source", 0, admin_args, source),
        CLI_STR("id", 0, admin_args, id),
        CLI_BOOL("json", 0, admin_args, json),
        CLI_BOOL("compromised", 0, admin_args, compromised),
        CLI_LIST("swname", 0, admin_args, swname, CLI_LIST_MAX),
        CLI_LIST("swversion", 0, admin_args, swversion, CLI_LIST_MAX),
        CLI_LIST("measurement", 0, admin_args, measurement, CLI_LIST_MAX),
        CLI_LIST("manifest", 0, admin_args, manifest, CLI_LIST_MAX),
        CLI_BOOL("secure-boot", 0, admin_args, secure_boot),
        CLI_STR("debug", 0, admin_args, debug),
        CLI_LIST("allow-oemid", 0, admin_args, allow_oemid, CLI_LIST_MAX),
        CLI_LIST("allow-hwmodel", 0, admin_args, allow_hwmodel, CLI_LIST_MAX),
        CLI_LIST("allow-hwversion", 0, admin_args, allow_hwversion, CLI_LIST_MAX),
    };
    memset(a, 0, sizeof *a);
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_USAGE : CLI_HELP;
    }
    *sub = argv[1];
    cli_opts spec = {cmd, help, opts, sizeof opts / sizeof opts[0]};
    int rc = cli_parse_opts(&spec, a, argc - 1, argv + 1);
    if (rc == CLI_OK && optind != argc - 1) {
        rc = cli_usage(cmd, "unexpected operand '%s'", argv[optind + 1]);
    }
    return rc;
}

/* Options that belong to other subcommands than sub. */
static int refuse_extra(const char *cmd, const char *sub, bool extra)
{
    return extra ? cli_usage(cmd, "an option that '%s' does not take", sub) : CLI_OK;
}

int verifier_endorse(int argc, char **argv)
{
    admin_args a;
    const char *sub = NULL;
    int rc = admin_parse("verifier endorse", endorse_help, argc, argv, &a, &sub);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    bool values = a.swname.n + a.swversion.n + a.measurement.n + a.manifest.n + a.allow_oemid.n + a.allow_hwmodel.n +
                          a.allow_hwversion.n !=
                      0 ||
                  a.secure_boot || a.debug != NULL || a.signer_key != NULL;
    if (strcmp(sub, "add") == 0) {
        rc = refuse_extra("verifier endorse", sub, values || a.id != NULL || a.json);
        return rc == CLI_OK ? endorse_add(&a) : rc;
    }
    if (strcmp(sub, "list") == 0) {
        rc = refuse_extra("verifier endorse", sub,
                          values || a.key != NULL || a.ueid != NULL || a.oemid != NULL || a.id != NULL ||
                              a.source != NULL || a.compromised);
        return rc == CLI_OK ? run_list(&a, false) : rc;
    }
    if (strcmp(sub, "remove") == 0) {
        rc = refuse_extra("verifier endorse", sub, values || a.key != NULL || a.ueid != NULL || a.json);
        return rc == CLI_OK ? run_remove("verifier endorse", &a, false) : rc;
    }
    return cli_usage("verifier endorse", "unknown command '%s' (add, list or remove)", sub);
}

/*
 * reference
 */
static const char *const debug_levels[] = {"disabled", "disabled-since-boot", "disabled-permanently",
                                           "disabled-fully-and-permanently"};

/* "[LABEL=][ALG:]HEX" (label only when labelled). */
static int parse_digest(const char *opt, const char *value, bool labelled, vf_ref *r, uint8_t *buf)
{
    const char *p = value;
    const char *eq = labelled ? strchr(p, '=') : NULL;
    if (eq != NULL) {
        r->label = mm_bytes_make(p, (size_t)(eq - p));
        p = eq + 1;
    }
    r->alg = MM_ALG_SHA256;
    const char *colon = strchr(p, ':');
    if (colon != NULL) {
        static const struct {
            const char *name;
            int32_t alg;
        } algs[] = {{"sha-256", MM_ALG_SHA256}, {"sha-384", MM_ALG_SHA384}, {"sha-512", MM_ALG_SHA512}};
        r->alg = 0;
        for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
            if ((size_t)(colon - p) == strlen(algs[i].name) && strncmp(p, algs[i].name, strlen(algs[i].name)) == 0) {
                r->alg = algs[i].alg;
            }
        }
        if (r->alg == 0) {
            return cli_fail(CLI_USAGE, opt, "a digest algorithm is sha-256, sha-384 or sha-512: '%s'", value);
        }
        p = colon + 1;
    }
    size_t len = 0;
    size_t want = mm_hash_len(r->alg);
    if (vf_cli_hex(opt, p, want, want, buf, &len) != CLI_OK) {
        return CLI_USAGE;
    }
    r->value = mm_bytes_make(buf, len);
    return CLI_OK;
}

static int reference_add(const admin_args *a)
{
    vf_cli_scope sc;
    int rc = vf_cli_parse_scope(a->ueid, a->oemid, a->hwmodel, false, &sc);
    if (rc != CLI_OK) {
        return rc;
    }
    enum { MAX = 7 * CLI_LIST_MAX + 2 };
    vf_ref refs[MAX];
    uint8_t bufs[MAX][64];
    size_t n = 0;
    mm_bytes source = mm_bytes_from_cstr(a->source != NULL ? a->source : "local");
    const struct {
        const cli_list *l;
        uint8_t kind;
    } lists[] = {
        {&a->swname, VF_REF_SWNAME},
        {&a->swversion, VF_REF_SWVERSION},
        {&a->measurement, VF_REF_MEASUREMENT},
        {&a->manifest, VF_REF_MANIFEST},
        {&a->allow_oemid, VF_REF_OEMID},
        {&a->allow_hwmodel, VF_REF_HWMODEL},
        {&a->allow_hwversion, VF_REF_HWVERSION},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        for (size_t j = 0; j < lists[i].l->n; j++) {
            vf_ref *r = &refs[n];
            memset(r, 0, sizeof *r);
            r->scope = sc.scope;
            r->kind = lists[i].kind;
            r->source = source;
            const char *v = lists[i].l->v[j];
            char opt[40];
            snprintf(opt, sizeof opt, "--%s", vf_ref_kind_name(r->kind));
            size_t len = 0;
            switch (r->kind) {
            case VF_REF_MEASUREMENT:
            case VF_REF_MANIFEST:
                rc = parse_digest(r->kind == VF_REF_MEASUREMENT ? "--measurement" : "--manifest", v,
                                  r->kind == VF_REF_MEASUREMENT, r, bufs[n]);
                break;
            case VF_REF_OEMID:
                rc = vf_oemid_parse(mm_bytes_from_cstr(v), bufs[n], &len) == MM_OK
                         ? CLI_OK
                         : cli_fail(CLI_USAGE, "--allow-oemid", "expected a PEN in decimal, or 3 or 16 bytes in hex");
                r->value = mm_bytes_make(bufs[n], len);
                break;
            case VF_REF_HWMODEL:
                rc = vf_cli_hex("--allow-hwmodel", v, 1, MM_EAT_HWMODEL_MAX, bufs[n], &len);
                r->value = mm_bytes_make(bufs[n], len);
                break;
            default:
                rc = v[0] != '\0' ? CLI_OK : cli_fail(CLI_USAGE, opt, "must not be empty");
                r->value = mm_bytes_from_cstr(v);
                break;
            }
            if (rc != CLI_OK) {
                return rc;
            }
            n++;
        }
    }
    if (a->secure_boot) {
        memset(&refs[n], 0, sizeof refs[n]);
        refs[n].scope = sc.scope;
        refs[n].kind = VF_REF_SECURE_BOOT;
        refs[n++].source = source;
    }
    if (a->debug != NULL) {
        int64_t level = 0;
        for (size_t i = 0; i < 4; i++) {
            level = strcmp(a->debug, debug_levels[i]) == 0 ? (int64_t)i + 1 : level;
        }
        if (level == 0) {
            return cli_fail(CLI_USAGE, "--debug",
                            "expected disabled, disabled-since-boot, disabled-permanently or "
                            "disabled-fully-and-permanently: '%s'",
                            a->debug);
        }
        memset(&refs[n], 0, sizeof refs[n]);
        refs[n].scope = sc.scope;
        refs[n].kind = VF_REF_DEBUG;
        refs[n].level = level;
        refs[n++].source = source;
    }
    if (n == 0) {
        return cli_usage("verifier reference", "add takes one value at least (--swname, --measurement, ...)");
    }
    vf_store *s = NULL;
    rc = vf_cli_open_store(db_of(a), false, &s);
    if (rc != CLI_OK) {
        return rc;
    }
    int64_t ids[MAX];
    mm_err e = vf_store_add_refs(s, refs, n, ids);
    vf_store_close(s);
    if (e != MM_OK) {
        return cli_fail(CLI_IOERR, db_of(a), "cannot add: %s", mm_strerror(e));
    }
    char who[160];
    vf_cli_scope_text(&sc.scope, who, sizeof who);
    printf("%s: %zu reference value%s for %s (ids %lld..%lld)\n", db_of(a), n, n == 1 ? "" : "s", who,
           (long long)ids[0], (long long)ids[n - 1]);
    return CLI_OK;
}

static void ref_value_text(const vf_ref *r, char *out, size_t cap)
{
    char h[140];
    switch (r->kind) {
    case VF_REF_MEASUREMENT:
    case VF_REF_MANIFEST:
        hex_text(r->value, h, sizeof h);
        snprintf(out, cap, "%.*s%s%s:%s", (int)r->label.len, (const char *)r->label.ptr, r->label.len != 0 ? "=" : "",
                 r->alg == MM_ALG_SHA384   ? "sha-384"
                 : r->alg == MM_ALG_SHA512 ? "sha-512"
                                           : "sha-256",
                 h);
        break;
    case VF_REF_OEMID:
        vf_oemid_text(r->value, out, cap);
        break;
    case VF_REF_HWMODEL:
        hex_text(r->value, out, cap);
        break;
    case VF_REF_DEBUG:
        snprintf(out, cap, "%s", r->level >= 1 && r->level <= 4 ? debug_levels[r->level - 1] : "?");
        break;
    case VF_REF_SECURE_BOOT:
        snprintf(out, cap, "required");
        break;
    default:
        snprintf(out, cap, "%.*s", (int)r->value.len, (const char *)r->value.ptr);
        break;
    }
}

static mm_err print_ref(void *user, const vf_ref *r)
{
    list_ctx *l = user;
    l->n++;
    char who[160], value[200];
    ref_value_text(r, value, sizeof value);
    if (l->arr != NULL) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(r->id));
        json_object_set_new(o, "scope", scope_json(&r->scope));
        json_object_set_new(o, "kind", json_string(vf_ref_kind_name(r->kind)));
        json_object_set_new(o, "value", json_string(value));
        json_object_set_new(o, "source", json_stringn((const char *)r->source.ptr, r->source.len));
        json_array_append_new(l->arr, o);
        return MM_OK;
    }
    vf_cli_scope_text(&r->scope, who, sizeof who);
    printf("%lld  %s  %s %s  %.*s\n", (long long)r->id, who, vf_ref_kind_name(r->kind), value, (int)r->source.len,
           (const char *)r->source.ptr);
    return MM_OK;
}

static int run_list(const admin_args *a, bool refs)
{
    vf_store *s = NULL;
    int rc = vf_cli_open_store(db_of(a), true, &s);
    if (rc != CLI_OK) {
        return rc;
    }
    list_ctx l = {a->json ? json_array() : NULL, 0};
    mm_err e = refs ? vf_store_list_refs(s, print_ref, &l) : vf_store_list_endorsements(s, print_endorsement, &l);
    vf_store_close(s);
    if (e != MM_OK) {
        json_decref(l.arr);
        return cli_fail(CLI_IOERR, db_of(a), "cannot read: %s", mm_strerror(e));
    }
    if (l.arr != NULL) {
        return cli_json_print(l.arr);
    }
    if (l.n == 0) {
        printf("%s: no %s\n", db_of(a), refs ? "reference values" : "endorsements");
    }
    return CLI_OK;
}

int verifier_reference(int argc, char **argv)
{
    admin_args a;
    const char *sub = NULL;
    int rc = admin_parse("verifier reference", reference_help, argc, argv, &a, &sub);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    bool endorse_only = a.key != NULL || a.kid != NULL || a.compromised;
    if (strcmp(sub, "add") == 0) {
        rc = refuse_extra("verifier reference", sub, endorse_only || a.id != NULL || a.json);
        return rc == CLI_OK ? reference_add(&a) : rc;
    }
    bool values = a.swname.n + a.swversion.n + a.measurement.n + a.manifest.n + a.allow_oemid.n + a.allow_hwmodel.n +
                          a.allow_hwversion.n !=
                      0 ||
                  a.secure_boot || a.debug != NULL;
    if (strcmp(sub, "list") == 0) {
        rc = refuse_extra("verifier reference", sub,
                          endorse_only || values || a.ueid != NULL || a.oemid != NULL || a.id != NULL ||
                              a.source != NULL);
        return rc == CLI_OK ? run_list(&a, true) : rc;
    }
    if (strcmp(sub, "remove") == 0) {
        rc = refuse_extra("verifier reference", sub, endorse_only || values || a.ueid != NULL || a.json);
        return rc == CLI_OK ? run_remove("verifier reference", &a, true) : rc;
    }
    return cli_usage("verifier reference", "unknown command '%s' (add, list or remove)", sub);
}

/*
 * import
 */
typedef struct import_args {
    const char *db, *signer_key, *now;
} import_args;

int verifier_import(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("db", 0, import_args, db),
        CLI_STR("signer-key", 0, import_args, signer_key),
        CLI_STR("now", 0, import_args, now),
    };
    static const cli_opts spec = {"verifier import", import_help, opts, sizeof opts / sizeof opts[0]};
    import_args a;
    memset(&a, 0, sizeof a);
    int rc = cli_parse_opts(&spec, &a, argc, argv);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    if (argc - optind != 1) {
        return cli_usage(spec.cmd, "expected one CoRIM file");
    }
    int64_t now = (int64_t)time(NULL);
    if (a.now != NULL) {
        char *end = NULL;
        errno = 0;
        now = strtoll(a.now, &end, 10);
        if (*a.now == '\0' || *end != '\0' || errno != 0) {
            return cli_fail(CLI_USAGE, "--now", "expected seconds since 1970: '%s'", a.now);
        }
    }
    const char *path = argv[optind];
    cli_key key;
    memset(&key, 0, sizeof key);
    if (a.signer_key != NULL && (rc = cli_load_key(a.signer_key, 0, 0, &key)) != CLI_OK) {
        return rc;
    }
    uint8_t *data = NULL;
    size_t len = 0;
    rc = cli_read_file(path, &data, &len);
    vf_store *s = NULL;
    if (rc == CLI_OK) {
        rc = vf_cli_open_store(a.db != NULL ? a.db : "verifier.db", false, &s);
    }
    if (rc == CLI_OK) {
        vf_import_opts o = {mm_crypto_openssl(), a.signer_key != NULL ? &key.key : NULL, now};
        vf_import_report rep;
        mm_err e = vf_import_corim(s, mm_bytes_make(data, len), &o, &rep);
        if (e != MM_OK) {
            int code = e == MM_ERR_PLATFORM ? CLI_IOERR : e == MM_ERR_UNTRUSTED ? CLI_USAGE : cli_exit_for(e);
            rc = cli_fail(code, path, "%s (%s)", rep.error, mm_errname(e));
        } else {
            printf("%s: %s%s%s: %zu endorsement%s, %zu reference value%s\n", path, rep.source,
                   rep.signer[0] != '\0' ? ", signed by " : "", rep.signer, rep.endorsements,
                   rep.endorsements == 1 ? "" : "s", rep.refs, rep.refs == 1 ? "" : "s");
        }
    }
    vf_store_close(s);
    free(data);
    cli_key_free(&key);
    return rc;
}
