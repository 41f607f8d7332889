/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the device-side SUIT commands share (cmd_suit.c, suit_show.c):
 * trust anchors read from key files, the words for a refusal, and show.
 */
#ifndef MAMORI_SUIT_CLI_H
#define MAMORI_SUIT_CLI_H

#include "cli.h"
#include "mamori/suit.h"

/* Key files one command takes, and anchors it names by file. */
#define SUIT_CLI_MAX_FILES   16
#define SUIT_CLI_MAX_ANCHORS 256

/* Trust anchors from key files (every member of a COSE_KeySet, with its
 * kid). */
typedef struct suit_anchors {
    cli_key *keys[SUIT_CLI_MAX_FILES];
    size_t n_keys[SUIT_CLI_MAX_FILES];
    size_t n_files;
    mm_suit_trust_anchor *anchors;
    size_t n;
    const char *file_of[SUIT_CLI_MAX_ANCHORS]; /* the file each anchor came from */
} suit_anchors;

/* Loads paths[0..n); prints why and returns its exit code on failure. */
int suit_anchors_load(suit_anchors *a, const char *const *paths, size_t n);
void suit_anchors_free(suit_anchors *a);

/* Where and why the processor refused, in words, into out. */
void suit_describe_failure(const mm_suit_failure *f, char *out, size_t cap);

/* mamori suit show (suit_show.c). */
int suit_cmd_show(int argc, char **argv);

#endif
