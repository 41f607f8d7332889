/* SPDX-License-Identifier: Apache-2.0 */
/* What the files of 'mamori eat' share: the token forms they tell apart,
 * host-sized decoding storage, and the show command. */
#ifndef MAMORI_CLI_EAT_H
#define MAMORI_CLI_EAT_H

#include <jansson.h>

#include "cli.h"
#include "mamori/eat_json.h"

/* The forms an attestation token or result file can have. */
typedef enum eat_form {
    EAT_FORM_UNKNOWN = 0,
    EAT_FORM_CWT,      /* CBOR: a tagged or untagged COSE_Sign1 / COSE_Mac0 */
    EAT_FORM_CBOR_DEB, /* CBOR: a detached EAT bundle (tag 602) */
    EAT_FORM_CLAIMS,   /* CBOR: a bare claims-set (a map) */
    EAT_FORM_JWT,      /* text: header.payload.signature */
    EAT_FORM_JSON_DEB, /* JSON: [["JWT", ...], {...}] */
    EAT_FORM_JSON,     /* JSON: a claims object */
} eat_form;

/* What data holds, from its first bytes. */
eat_form eat_classify(mm_bytes data);

/* text without the line ends a file of a JWT ends with. */
mm_bytes eat_trim_eol(mm_bytes text);

/* Decoding storage with room for what a host meets (64 of each repeated
 * claim, 256 results, 64 unknown claims; 64 appraisals and policy ids). */
typedef struct eat_store {
    mm_bytes nonces[64];
    mm_eat_sueid sueids[64];
    mm_eat_dloa dloas[64];
    mm_eat_manifest manifests[64];
    mm_eat_manifest measurements[64];
    mm_eat_measres measres[64];
    mm_eat_result results[256];
    mm_eat_submod submods[64];
    mm_eat_claim unknown[64];
    mm_eat_storage st;
    mm_ear_appraisal appraisals[64];
    mm_bytes policy_ids[64];
    mm_ear_storage ear;
} eat_store;

/* A zeroed eat_store with its storage views set up (NULL when out of
 * memory); free() it. */
eat_store *eat_store_new(void);

/* Parses --nonce HEX (8..64 bytes) into nonce[64]. */
int eat_parse_nonce(const char *value, uint8_t nonce[64], size_t *len);

/* mamori eat show (eat_show.c). */
int eat_show(int argc, char **argv);

#endif
