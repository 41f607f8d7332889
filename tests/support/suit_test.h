/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the SUIT tests share: a harness (an in-memory device, a processor, a
 * trust anchor, a report buffer) and a fixture builder that signs manifests
 * written in diagnostic notation, so each test case reads as the manifest it
 * is about.
 */
#ifndef MM_SUIT_TEST_H
#define MM_SUIT_TEST_H

#include "mamori/suit.h"
#include "mamori/suit_memdev.h"
#include "mm_test.h"

/* Component storage each harness component gets (content and candidate). */
#define SUIT_H_COMP_SIZE 100000
#define SUIT_H_COMPS     4

typedef struct suit_harness {
    mm_memdev dev;
    mm_suit_processor p;
    mm_suit_config cfg;
    mm_suit_trust_anchor anchors[2];
    mm_key keys[2];
    size_t n_anchors;
    uint8_t scratch[1024];
    uint8_t report_buf[8192];
    mm_buf report;
    uint8_t ids[SUIT_H_COMPS][128];
    uint8_t uuids[4][16];
    size_t n_uuids;
    uint8_t data[SUIT_H_COMPS][SUIT_H_COMP_SIZE];
    uint8_t cand[SUIT_H_COMPS][SUIT_H_COMP_SIZE];
} suit_harness;

/* A new harness (heap) on crypto backend c, with no components. */
suit_harness *suit_h_new(const mm_crypto *c);
void suit_h_free(suit_harness *h);

/* Adds a component whose identifier is given in EDN ("[h'00']"); returns
 * its number in the device. */
int suit_h_component(suit_harness *h, const char *edn_id);

/* Trusts the PEM public key in the shared file sub (relative to
 * ../shared/specs/suit/), or a copy of key. */
void suit_h_anchor_pem(suit_harness *h, const char *sub);
void suit_h_anchor_key(suit_harness *h, const mm_key *key);
/* Trusts the HMAC key k (a COSE_Mac0 authority). */
void suit_h_anchor_hmac(suit_harness *h, mm_bytes k);

/* Adds the device's vendor and class identifiers (hex UUIDs). */
void suit_h_ids(suit_harness *h, const char *vendor_hex, const char *class_hex);

/* (Re)configures the processor (after the anchors are set) and runs it. */
mm_err suit_h_check(suit_harness *h, mm_bytes env);
mm_err suit_h_process(suit_harness *h, mm_bytes env, unsigned procs);

/* A component's installed content. */
mm_bytes suit_h_content(const suit_harness *h, int comp);

/* Reads a file of ../shared/specs/suit/ (skips the test when the folder is
 * absent); free() the result. */
uint8_t *suit_read_spec(const char *sub, size_t *len);

/* Decodes hex (white space allowed) into a new heap buffer. */
uint8_t *suit_unhex_alloc(const char *hex, size_t *len);

/*
 * Fixtures: envelopes signed here, from manifests in EDN.
 */

/* Builds a tagged envelope: the authentication wrapper (SHA-256 digest of
 * the manifest, one detached COSE_Sign1 by priv with alg), the manifest from
 * manifest_edn, then extra_edn (more envelope members, "key: value, ...",
 * in deterministic key order; NULL for none). Returns a heap buffer. */
uint8_t *suit_fixture(const mm_crypto *c, const mm_key *priv, int32_t alg, const char *manifest_edn,
                      const char *extra_edn, size_t *len);

/* The EDN of the SUIT_Digest ("[-16, h'...']") of the item written in edn
 * (a severable member, "<< [...] >>": the digest covers the bstr), into out. */
void suit_fixture_member_digest(const mm_crypto *c, const char *edn, char *out, size_t cap);

/* The EDN of the SUIT_Digest of raw bytes (an image), into out. */
void suit_fixture_digest(const mm_crypto *c, mm_bytes data, char *out, size_t cap);

#endif
