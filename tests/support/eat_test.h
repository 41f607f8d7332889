/* SPDX-License-Identifier: Apache-2.0 */
/* Caller storage for the EAT and EAR tests: room enough for every example. */
#ifndef MM_EAT_TEST_H
#define MM_EAT_TEST_H

#include <string.h>

#include "mamori/ear.h"
#include "mamori/eat.h"

typedef struct eat_store {
    mm_bytes nonces[8];
    mm_eat_sueid sueids[8];
    mm_eat_dloa dloas[8];
    mm_eat_manifest manifests[8];
    mm_eat_manifest measurements[8];
    mm_eat_measres measres[8];
    mm_eat_result results[16];
    mm_eat_submod submods[8];
    mm_eat_claim unknown[8];
    mm_eat_storage st; /* over the arrays above */
    mm_ear_appraisal ap[8];
    mm_bytes policies[8];
    mm_ear_storage ear; /* over ap and policies */
} eat_store;

/* Clears s and points its storage descriptors at its arrays. */
static inline void eat_store_init(eat_store *s)
{
    memset(s, 0, sizeof *s);
    mm_eat_storage st = {s->nonces,  8, s->sueids,  8,  s->dloas,   8, s->manifests, 8, s->measurements, 8,
                         s->measres, 8, s->results, 16, s->submods, 8, s->unknown,   8};
    s->st = st;
    mm_ear_storage ear = {s->ap, 8, s->policies, 8};
    s->ear = ear;
}

#endif
