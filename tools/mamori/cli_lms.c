/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HSS-LMS in the CLI: reading the stateful private key files of the LMS
 * signer and HSS-LMS COSE_Keys as keys, generating keys, and the facts
 * 'mamori key show' prints (parameter sets, signatures left).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cli.h"
#include "mamori/crypto_openssl.h"
#include "mamori/lms_signer.h"

/* The state file's first bytes (docs/lms.md). */
static const char state_magic[] = "MMLMSPRV";

bool cli_lms_is_state(mm_bytes data)
{
    return data.len >= sizeof state_magic - 1 && memcmp(data.ptr, state_magic, sizeof state_magic - 1) == 0;
}

int cli_lms_open(const char *path, cli_key *out)
{
    if (strcmp(path, "-") == 0) {
        return cli_fail(CLI_USAGE, path, "an HSS-LMS private key is read from its file, which signing updates");
    }
    mm_lms_signer_opts o = {mm_crypto_openssl(), 0, 0};
    mm_err e = mm_lms_signer_open(path, &o, &out->key);
    if (e != MM_OK) {
        return cli_fail(cli_exit_for(e), path, "HSS-LMS private key: %s (%s)", mm_strerror(e), mm_errname(e));
    }
    out->form = "HSS-LMS state";
    out->kind = "private key";
    return CLI_OK;
}

int cli_lms_import_public(const char *path, const mm_key_parts *parts, const char *what, mm_key *out)
{
    if (parts->alg != 0 && parts->alg != MM_ALG_HSS_LMS) {
        return cli_fail(CLI_DATAERR, path, "%s: an HSS-LMS key restricted to another algorithm", what);
    }
    mm_err e = mm_lms_public_key(mm_crypto_openssl(), parts->x, out);
    if (e != MM_OK) {
        return cli_fail(CLI_DATAERR, path, "%s: %s (%s)", what, mm_strerror(e), mm_errname(e));
    }
    return CLI_OK;
}

/* Parses "NAME[,NAME...]" of LMS or LM-OTS typecode names (or numbers)
 * into types[0..levels): one name for every level, or one per level. */
static int parse_types(const char *opt, const char *value, bool ots, uint32_t levels, uint32_t *types)
{
    char buf[512];
    if (strlen(value) >= sizeof buf) {
        return cli_fail(CLI_USAGE, opt, "too long");
    }
    strcpy(buf, value); /* NOLINT(clang-analyzer-security.insecureAPI.strcpy): length checked above */
    uint32_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        if (n == MM_LMS_MAX_LEVELS) {
            return cli_fail(CLI_USAGE, opt, "more than %d levels", MM_LMS_MAX_LEVELS);
        }
        uint32_t found = 0;
        for (uint32_t t = 1; t < 64 && found == 0; t++) {
            const char *name = ots ? (mm_lms_ots_type(t) != NULL ? mm_lms_ots_type(t)->name : NULL)
                                   : (mm_lms_type(t) != NULL ? mm_lms_type(t)->name : NULL);
            found = name != NULL && strcasecmp(name, tok) == 0 ? t : 0;
        }
        if (found == 0) {
            return cli_fail(CLI_USAGE, opt, "unknown %s type '%s' (e.g. %s)", ots ? "LM-OTS" : "LMS", tok,
                            ots ? "LMOTS_SHA256_N32_W4, LMOTS_SHA256_N24_W8, LMOTS_SHAKE_N32_W2"
                                : "LMS_SHA256_M32_H10, LMS_SHA256_M24_H15, LMS_SHAKE_M32_H5");
        }
        types[n++] = found;
    }
    if (n == 1) {
        for (uint32_t i = 1; i < levels; i++) {
            types[i] = types[0];
        }
    } else if (n != levels) {
        return cli_fail(CLI_USAGE, opt, "%u types for %u levels (give one for all, or one per level)", n, levels);
    }
    return CLI_OK;
}

int cli_lms_keygen(const char *lms, const char *ots, const char *levels_text, const char *path, bool force,
                   mm_key *pub_out)
{
    long levels = 1;
    if (levels_text != NULL) {
        char *end = NULL;
        levels = strtol(levels_text, &end, 10);
        if (end == levels_text || *end != '\0' || levels < 1 || levels > MM_LMS_MAX_LEVELS) {
            return cli_fail(CLI_USAGE, "--levels", "expected 1 to %d, got '%s'", MM_LMS_MAX_LEVELS, levels_text);
        }
    }
    mm_lms_keygen_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.levels = (uint32_t)levels;
    o.flags = force ? MM_LMS_KEYGEN_FORCE : 0;
    int rc = parse_types("--lms-type", lms != NULL ? lms : "LMS_SHA256_M32_H10", false, o.levels, o.lms_type);
    if (rc == CLI_OK) {
        rc = parse_types("--ots-type", ots != NULL ? ots : "LMOTS_SHA256_N32_W4", true, o.levels, o.ots_type);
    }
    if (rc != CLI_OK) {
        return rc;
    }
    uint8_t pub[MM_LMS_PUB_MAX];
    size_t pub_len = 0;
    mm_err e = mm_lms_keygen(path, &o, pub, &pub_len);
    if (e == MM_ERR_STATE) {
        return cli_fail(CLI_CANTCREAT, path, "file exists (use --force to overwrite)");
    }
    if (e == MM_ERR_INVALID_ARG) {
        return cli_fail(CLI_USAGE, "key gen",
                        "the levels' LMS and LM-OTS types must use one hash function and size (SHA-256, "
                        "SHA-256/192 or SHAKE256; 32 or 24 bytes)");
    }
    if (e != MM_OK) {
        return cli_fail(e == MM_ERR_PLATFORM ? CLI_CANTCREAT : cli_exit_for(e), path,
                        "cannot generate the key: %s (%s)", mm_strerror(e), mm_errname(e));
    }
    e = mm_lms_public_key(o.crypto, mm_bytes_make(pub, pub_len), pub_out);
    return e == MM_OK ? CLI_OK : cli_fail(CLI_SOFTWARE, path, "%s", mm_strerror(e));
}

/* "LMS_SHA256_M32_H10/LMOTS_SHA256_N32_W4" for each level. */
static void levels_text(const mm_lms_key_info *info, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < info->levels && len < cap; i++) {
        int w = snprintf(buf + len, cap - len, "%s%s/%s", i == 0 ? "" : ", ", mm_lms_type(info->lms_type[i])->name,
                         mm_lms_ots_type(info->ots_type[i])->name);
        len += w > 0 ? (size_t)w : 0;
    }
}

/* The parameter sets of a public key (every level of an HSS key but the top
 * one is only named in signatures). */
static bool info_of(const mm_key *key, mm_lms_key_info *info, bool *state)
{
    *state = mm_lms_signer_info(key, info) == MM_OK;
    if (*state) {
        return true;
    }
    uint8_t buf[MM_LMS_PUB_MAX];
    mm_bytes pub;
    mm_lms_info li;
    if (mm_lms_key_public(key, buf, &pub) != MM_OK || mm_lms_pub_decode(pub, 0, &li) != MM_OK) {
        return false;
    }
    memset(info, 0, sizeof *info);
    info->levels = li.levels;
    info->lms_type[0] = li.level[0].lms_type;
    info->ots_type[0] = li.level[0].ots_type;
    memcpy(info->pub, pub.ptr, pub.len);
    info->pub_len = pub.len;
    return true;
}

void cli_lms_show_text(const mm_key *key)
{
    mm_lms_key_info info;
    bool state;
    if (!info_of(key, &info, &state)) {
        return;
    }
    if (!state) {
        printf("levels: %u (top: %s/%s)\n", (unsigned)info.levels, mm_lms_type(info.lms_type[0])->name,
               mm_lms_ots_type(info.ots_type[0])->name);
        return;
    }
    char text[1024];
    levels_text(&info, text, sizeof text);
    printf("levels: %u (%s)\n", (unsigned)info.levels, text);
    printf("signatures left: %llu of %llu (next one-time key: %llu)\n", (unsigned long long)info.remaining,
           (unsigned long long)info.total, (unsigned long long)info.next);
    printf("signature size: %zu bytes\n", info.sig_len);
}

void cli_lms_show_json(const mm_key *key, struct json_t *o)
{
    mm_lms_key_info info;
    bool state;
    if (!info_of(key, &info, &state)) {
        return;
    }
    json_t *levels = json_array();
    for (uint32_t i = 0; i < (state ? info.levels : 1); i++) {
        json_t *l = json_object();
        json_object_set_new(l, "lms_type", json_string(mm_lms_type(info.lms_type[i])->name));
        json_object_set_new(l, "ots_type", json_string(mm_lms_ots_type(info.ots_type[i])->name));
        json_array_append_new(levels, l);
    }
    json_object_set_new(o, "levels", json_integer(info.levels));
    json_object_set_new(o, "parameters", levels);
    if (state) {
        json_object_set_new(o, "signatures_left", json_integer((json_int_t)info.remaining));
        json_object_set_new(o, "signatures_total", json_integer((json_int_t)info.total));
        json_object_set_new(o, "next_index", json_integer((json_int_t)info.next));
        json_object_set_new(o, "signature_size", json_integer((json_int_t)info.sig_len));
    }
}
