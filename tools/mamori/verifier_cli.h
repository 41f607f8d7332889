/* SPDX-License-Identifier: Apache-2.0 */
/* What the files of 'mamori verifier' share: the store opened for the
 * administration commands, attester scopes from the command line, and the
 * commands themselves (cmd_verifier.c: serve; verifier_admin.c: endorse,
 * reference, import; verifier_client.c: challenge, appraise). */
#ifndef MAMORI_VERIFIER_CLI_H
#define MAMORI_VERIFIER_CLI_H

#include "cli.h"
#include "vf_store.h"

/* Opens the store at db; with must_exist a missing file is refused (66)
 * rather than made. Returns an exit code (the error printed). */
int vf_cli_open_store(const char *db, bool must_exist, vf_store **s);

/* Bytes of an attester scope given on the command line. */
typedef struct vf_cli_scope {
    uint8_t ueid[MM_EAT_UEID_MAX];
    uint8_t oemid[32];
    uint8_t hwmodel[MM_EAT_HWMODEL_MAX];
    vf_scope scope;
} vf_cli_scope;

/* Reads --ueid HEX, or --oemid OEMID with --hwmodel HEX, into s (any may
 * be NULL; need: one of the two is required). Returns an exit code. */
int vf_cli_parse_scope(const char *ueid, const char *oemid, const char *hwmodel, bool need, vf_cli_scope *s);

/* Decodes hex of min..max bytes into out. Returns an exit code. */
int vf_cli_hex(const char *opt, const char *value, size_t min, size_t max, uint8_t *out, size_t *len);

/* Writes a scope for people: "device <ueid>", "model <oemid> <hwmodel>",
 * "every attester". */
void vf_cli_scope_text(const vf_scope *s, char *out, size_t cap);

int verifier_endorse(int argc, char **argv);
int verifier_reference(int argc, char **argv);
int verifier_import(int argc, char **argv);
int verifier_challenge(int argc, char **argv);
int verifier_appraise(int argc, char **argv);

#endif
