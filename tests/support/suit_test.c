/* SPDX-License-Identifier: Apache-2.0 */
/* SUIT test helpers: see suit_test.h. */
#include "suit_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "suit_fixture.h"

suit_harness *suit_h_new(const mm_crypto *c)
{
    suit_harness *h = calloc(1, sizeof *h);
    assert_non_null(h);
    mm_memdev_init(&h->dev, c);
    h->cfg.crypto = c;
    h->cfg.scratch = h->scratch;
    h->cfg.scratch_len = sizeof h->scratch;
    h->cfg.platform = mm_memdev_platform(&h->dev);
    h->report = mm_buf_make(h->report_buf, sizeof h->report_buf);
    h->cfg.report = &h->report;
    return h;
}

void suit_h_free(suit_harness *h)
{
    if (h == NULL) {
        return;
    }
    for (size_t i = 0; i < h->n_anchors; i++) {
        mm_key_free(&h->keys[i]);
    }
    free(h);
}

int suit_h_component(suit_harness *h, const char *edn_id)
{
    int n = (int)h->dev.n_comps;
    assert_true(n < SUIT_H_COMPS);
    mm_buf id = mm_buf_make(h->ids[n], sizeof h->ids[n]);
    assert_int_equal(mm_cbor_from_edn(mm_bytes_from_cstr(edn_id), 0, &id, NULL), MM_OK);
    int c = mm_memdev_add(&h->dev, mm_bytes_make(h->ids[n], id.len), h->data[n], SUIT_H_COMP_SIZE, h->cand[n],
                          SUIT_H_COMP_SIZE);
    assert_int_equal(c, n);
    return c;
}

uint8_t *suit_read_spec(const char *sub, size_t *len)
{
    char path[1024];
    char rel[512];
    snprintf(rel, sizeof rel, "specs/suit/%s", sub);
    mm_test_shared_path(rel, path, sizeof path);
    uint8_t *data = mm_test_read_file(path, len);
    assert_non_null(data);
    return data;
}

static mm_suit_trust_anchor *next_anchor(suit_harness *h, mm_key **key)
{
    assert_true(h->n_anchors < 2);
    *key = &h->keys[h->n_anchors];
    mm_suit_trust_anchor *a = &h->anchors[h->n_anchors++];
    a->key = *key;
    a->kid = mm_bytes_make(NULL, 0);
    return a;
}

void suit_h_anchor_pem(suit_harness *h, const char *sub)
{
    size_t len;
    uint8_t *pem = suit_read_spec(sub, &len);
    mm_key *key;
    next_anchor(h, &key);
    assert_int_equal(mm_openssl_import_public_key(mm_bytes_make(pem, len), 0, key), MM_OK);
    free(pem);
}

void suit_h_anchor_key(suit_harness *h, const mm_key *src)
{
    mm_key *key;
    next_anchor(h, &key);
    /* A public copy, so the harness frees its own. */
    mm_key_parts parts;
    uint8_t buf[512];
    assert_int_equal(mm_key_export(src, 0, &parts, buf, sizeof buf), MM_OK);
    assert_int_equal(mm_key_import(src->crypto, &parts, 0, key), MM_OK);
}

void suit_h_anchor_hmac(suit_harness *h, mm_bytes k)
{
    mm_key *key;
    next_anchor(h, &key);
    mm_key_parts parts;
    memset(&parts, 0, sizeof parts);
    parts.kty = MM_KTY_SYMMETRIC;
    parts.k = k;
    assert_int_equal(mm_key_import(h->cfg.crypto, &parts, 0, key), MM_OK);
}

void suit_h_ids(suit_harness *h, const char *vendor_hex, const char *class_hex)
{
    assert_true(h->n_uuids + 2 <= sizeof h->uuids / sizeof h->uuids[0]);
    uint8_t *v = h->uuids[h->n_uuids++];
    uint8_t *c = h->uuids[h->n_uuids++];
    assert_int_equal(mm_test_unhex(vendor_hex, v, 16), 16);
    assert_int_equal(mm_test_unhex(class_hex, c, 16), 16);
    assert_int_equal(mm_memdev_add_id(&h->dev, MM_SUIT_ID_VENDOR, mm_bytes_make(v, 16)), MM_OK);
    assert_int_equal(mm_memdev_add_id(&h->dev, MM_SUIT_ID_CLASS, mm_bytes_make(c, 16)), MM_OK);
}

static void configure(suit_harness *h)
{
    h->cfg.anchors = h->anchors;
    h->cfg.n_anchors = h->n_anchors;
    h->report = mm_buf_make(h->report_buf, sizeof h->report_buf);
    assert_int_equal(mm_suit_processor_init(&h->p, &h->cfg), MM_OK);
}

mm_err suit_h_check(suit_harness *h, mm_bytes env)
{
    configure(h);
    return mm_suit_check(&h->p, env);
}

mm_err suit_h_process(suit_harness *h, mm_bytes env, unsigned procs)
{
    configure(h);
    return mm_suit_process(&h->p, env, procs);
}

mm_bytes suit_h_content(const suit_harness *h, int comp)
{
    const mm_memdev_component *m = &h->dev.comps[comp];
    return m->exists ? mm_bytes_make(m->data, m->len) : mm_bytes_make(NULL, 0);
}

uint8_t *suit_unhex_alloc(const char *hex, size_t *len)
{
    size_t cap = strlen(hex) / 2 + 1;
    uint8_t *out = malloc(cap);
    assert_non_null(out);
    *len = mm_test_unhex(hex, out, cap);
    return out;
}

/*
 * Fixtures.
 */

/* Encodes edn into a new heap buffer (fails the test when it is wrong). */
static uint8_t *from_edn(const char *edn, size_t *len)
{
    uint8_t *out = NULL;
    size_t off = 0;
    mm_err e = suit_fixture_edn(edn, &out, len, &off);
    if (e != MM_OK) {
        fail_msg("fixture EDN: %s at %zu: %.60s", mm_errname(e), off, edn + off);
    }
    return out;
}

/* Writes "h'<hex>'" of b into out. */
static void hex_literal(mm_bytes b, char *out, size_t cap)
{
    assert_true(cap >= 2 * b.len + 4);
    mm_buf hex = mm_buf_make(out + 2, cap - 4);
    assert_int_equal(mm_hex_encode(b, &hex), MM_OK);
    out[0] = 'h';
    out[1] = '\'';
    out[2 + hex.len] = '\'';
    out[3 + hex.len] = '\0';
}

void suit_fixture_digest(const mm_crypto *c, mm_bytes data, char *out, size_t cap)
{
    uint8_t h[MM_HASH_MAX];
    size_t len;
    char lit[2 * MM_HASH_MAX + 4];
    assert_int_equal(mm_hash(c, MM_ALG_SHA256, data, h, &len), MM_OK);
    hex_literal(mm_bytes_make(h, len), lit, sizeof lit);
    snprintf(out, cap, "[-16, %s]", lit);
}

void suit_fixture_member_digest(const mm_crypto *c, const char *edn, char *out, size_t cap)
{
    size_t len;
    uint8_t *item = from_edn(edn, &len);
    suit_fixture_digest(c, mm_bytes_make(item, len), out, cap);
    free(item);
}

uint8_t *suit_fixture(const mm_crypto *c, const mm_key *priv, int32_t alg, const char *manifest_edn,
                      const char *extra_edn, size_t *len)
{
    size_t man_len;
    uint8_t *man = from_edn(manifest_edn, &man_len);
    uint8_t *env = NULL;
    mm_err e = suit_fixture_envelope(c, priv, alg, mm_bytes_make(man, man_len), extra_edn, &env, len);
    if (e != MM_OK) {
        fail_msg("fixture envelope: %s", mm_errname(e));
    }
    free(man);
    return env;
}
