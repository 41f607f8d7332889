/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for SCITT: signed and transparent statements decoded, checked,
 * turned into entries and leaves, given one more receipt, and their receipts
 * verified under trusted keys; receipts decoded, their proofs read and
 * verified for inclusion and for consistency; RFC 9162 proofs walked over any
 * path. Keys are fixed keys of the deterministic test backend; half the runs
 * make it accept any signature, so the code after the signature check (the
 * outcome, the proven root) is reached too.
 *
 * Input: [selector] [data...]. Selector bits 0-1: 0 a statement, 1 a
 * receipt, 2 an inclusion proof, 3 a consistency proof (data: two 8-byte
 * little-endian numbers, a 32-byte hash, then the path in 32-byte hashes);
 * bit 2: accept any signature.
 */
#include <string.h>

#include "fuzz_common.h"
#include "mamori/crypto_test.h"
#include "mamori/scitt.h"

static uint8_t scratch[8192];

/* A receipt any statement can be given: tagged, vds 1, one proof. */
static const uint8_t extra_receipt[] = {
    0xd2, 0x84, 0x47, 0xa2, 0x01, 0x26, 0x19, 0x01, 0x8b, 0x01, 0xa1, 0x19, 0x01, 0x8c, 0xa1, 0x20, 0x81, 0x44,
    0x83, 0x01, 0x00, 0x80, 0xf6, 0x58, 0x40, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01};

typedef struct keys {
    mm_key es256, ed25519;
} keys;

static mm_scitt_trust trust_of(mm_crypto_test *t, const mm_scitt_ts_key *k, size_t n)
{
    mm_scitt_trust trust;
    memset(&trust, 0, sizeof trust);
    trust.crypto = &t->crypto;
    trust.keys = k;
    trust.n_keys = n;
    trust.scratch = scratch;
    trust.scratch_len = sizeof scratch;
    return trust;
}

static void run_statement(mm_crypto_test *t, const keys *k, mm_bytes in)
{
    mm_scitt_statement st;
    size_t off = 0;
    mm_err e = mm_scitt_statement_decode(in, &st, &off);
    if (e != MM_OK) {
        FUZZ_REQUIRE(off <= in.len);
        return;
    }
    FUZZ_REQUIRE(fuzz_view_inside(st.iss, in) && fuzz_view_inside(st.sub, in) && fuzz_view_inside(st.claims, in));
    FUZZ_REQUIRE(fuzz_view_inside(st.cose_key, in) && fuzz_view_inside(st.receipts, in));
    FUZZ_REQUIRE(((st.present & MM_SCITT_HAS_RECEIPTS) != 0) == (st.n_receipts != 0));
    (void)mm_scitt_statement_check(&st, 0);
    for (size_t i = 0; i < st.n_receipts; i++) {
        mm_bytes r;
        FUZZ_REQUIRE(mm_scitt_statement_receipt(&st, i, &r) == MM_OK);
        FUZZ_REQUIRE(fuzz_view_inside(r, in));
    }
    mm_bytes none;
    FUZZ_REQUIRE(mm_scitt_statement_receipt(&st, st.n_receipts, &none) == MM_ERR_MISSING_FIELD);
    mm_key key;
    if (mm_scitt_statement_key(&t->crypto, &st, &key) == MM_OK) {
        mm_key_free(&key);
    }

    /* A decoded statement has an entry; the entry is a statement without
     * receipts and the same leaf, and its size is predicted exactly. */
    mm_scitt_leaf leaf, again;
    FUZZ_REQUIRE(mm_scitt_leaf_of_statement(&t->crypto, in, &leaf) == MM_OK);
    mm_buf dry = mm_buf_make(NULL, 0);
    FUZZ_REQUIRE(mm_scitt_entry_encode(in, &dry) == MM_ERR_BUFFER_TOO_SMALL);
    uint8_t *entry = fuzz_alloc(dry.len);
    mm_buf eb = mm_buf_make(entry, dry.len);
    FUZZ_REQUIRE(mm_scitt_entry_encode(in, &eb) == MM_OK && eb.len == dry.len);
    mm_scitt_statement es;
    FUZZ_REQUIRE(mm_scitt_statement_decode(mm_bytes_make(entry, eb.len), &es, NULL) == MM_OK);
    FUZZ_REQUIRE(es.n_receipts == 0 && es.sign1.tagged);
    FUZZ_REQUIRE(mm_scitt_leaf_of_entry(&t->crypto, mm_bytes_make(entry, eb.len), &again) == MM_OK);
    FUZZ_REQUIRE(memcmp(&leaf, &again, sizeof leaf) == 0);
    free(entry);

    /* One more receipt: the leaf stays, the count grows by one. */
    mm_bytes add = mm_bytes_make(extra_receipt, sizeof extra_receipt);
    dry = mm_buf_make(NULL, 0);
    if (mm_scitt_transparent_create(in, &add, 1, &dry) == MM_ERR_BUFFER_TOO_SMALL) {
        uint8_t *ts = fuzz_alloc(dry.len);
        mm_buf tb = mm_buf_make(ts, dry.len);
        FUZZ_REQUIRE(mm_scitt_transparent_create(in, &add, 1, &tb) == MM_OK && tb.len == dry.len);
        mm_scitt_statement tst;
        FUZZ_REQUIRE(mm_scitt_statement_decode(mm_bytes_make(ts, tb.len), &tst, NULL) == MM_OK);
        FUZZ_REQUIRE(tst.n_receipts == st.n_receipts + 1);
        FUZZ_REQUIRE(mm_scitt_leaf_of_statement(&t->crypto, mm_bytes_make(ts, tb.len), &again) == MM_OK);
        FUZZ_REQUIRE(memcmp(&leaf, &again, sizeof leaf) == 0);
        free(ts);
    }

    /* Its receipts under trusted keys, named and bare. */
    mm_scitt_ts_key trusted[2] = {{&k->es256, MM_BYTES_LIT("ts-1")}, {&k->ed25519, mm_bytes_make(NULL, 0)}};
    mm_scitt_trust trust = trust_of(t, trusted, 2);
    mm_scitt_outcome outs[MM_SCITT_MAX_RECEIPTS];
    size_t n = 0;
    e = mm_scitt_transparent_verify(&st, &trust, outs, MM_SCITT_MAX_RECEIPTS, &n);
    size_t proven = 0;
    for (size_t i = 0; i < n; i++) {
        proven += outs[i].err == MM_OK ? 1u : 0u;
        FUZZ_REQUIRE(outs[i].err != MM_OK || outs[i].key < 2);
    }
    FUZZ_REQUIRE((e == MM_OK) == (proven != 0) || e == MM_ERR_TOO_LARGE);
}

static void run_receipt(mm_crypto_test *t, const keys *k, mm_bytes in)
{
    mm_scitt_receipt r;
    size_t off = 0;
    mm_err e = mm_scitt_receipt_decode(in, &r, &off);
    if (e != MM_OK) {
        FUZZ_REQUIRE(off <= in.len);
        return;
    }
    FUZZ_REQUIRE(r.n_proofs >= 1 && r.n_proofs <= MM_SCITT_MAX_PROOFS);
    FUZZ_REQUIRE(r.sign1.tagged && r.sign1.detached);
    FUZZ_REQUIRE(fuzz_view_inside(r.proofs, in) && fuzz_view_inside(r.iss, in));
    for (size_t i = 0; i < r.n_proofs; i++) {
        mm_scitt_proof p;
        FUZZ_REQUIRE(mm_scitt_receipt_proof(&r, i, &p) == MM_OK);
        FUZZ_REQUIRE(p.path_len <= MM_MERKLE_MAX_PROOF && fuzz_view_inside(p.path, in));
        FUZZ_REQUIRE(p.data_hash.len == 0 || p.data_hash.len == MM_MERKLE_HASH_LEN);
    }
    mm_scitt_leaf leaf;
    memset(&leaf, 0x5a, sizeof leaf);
    const mm_key *try_keys[] = {&k->es256, &k->ed25519};
    for (size_t i = 0; i < 2; i++) {
        mm_scitt_verify_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = &t->crypto;
        o.key = try_keys[i];
        o.scratch = scratch;
        o.scratch_len = sizeof scratch;
        mm_scitt_proven pv;
        if (mm_scitt_receipt_verify(&r, &leaf, &o, &pv) == MM_OK) {
            FUZZ_REQUIRE(pv.vds == r.vds && r.proof_type == MM_SCITT_PROOF_INCLUSION);
        }
        uint8_t root1[MM_MERKLE_HASH_LEN];
        memset(root1, 0x5a, sizeof root1);
        if (mm_scitt_receipt_verify_consistency(&r, 3, root1, &o, &pv) == MM_OK) {
            FUZZ_REQUIRE(pv.tree_size >= 3 && r.proof_type == MM_SCITT_PROOF_CONSISTENCY);
        }
    }
    mm_scitt_ts_key trusted[1] = {{&k->es256, mm_bytes_make(NULL, 0)}};
    mm_scitt_trust trust = trust_of(t, trusted, 1);
    mm_scitt_outcome out;
    e = mm_scitt_receipt_verify_trusted(in, &leaf, &trust, &out);
    FUZZ_REQUIRE(e == out.err && out.tried <= 1);
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* Any path: what a walk computes, the whole-path functions agree with. */
static void run_proof(mm_crypto_test *t, mm_bytes in, bool consistency)
{
    if (in.len < 16 + MM_MERKLE_HASH_LEN) {
        return;
    }
    uint64_t a = le64(in.ptr), b = le64(in.ptr + 8);
    const uint8_t *hash = in.ptr + 16;
    mm_bytes path[MM_MERKLE_MAX_PROOF + 2];
    size_t n = 0;
    for (size_t at = 16 + MM_MERKLE_HASH_LEN; at < in.len && n < MM_MERKLE_MAX_PROOF + 2; at += MM_MERKLE_HASH_LEN) {
        size_t len = in.len - at < MM_MERKLE_HASH_LEN ? in.len - at : MM_MERKLE_HASH_LEN;
        path[n++] = mm_bytes_make(in.ptr + at, len);
    }
    uint8_t root[MM_MERKLE_HASH_LEN];
    if (!consistency) {
        if (mm_merkle_inclusion_root(&t->crypto, a, b, hash, path, n, root) == MM_OK) {
            FUZZ_REQUIRE(a < b && n <= 64);
            FUZZ_REQUIRE(mm_merkle_verify_inclusion(&t->crypto, a, b, hash, path, n, root) == MM_OK);
        }
        return;
    }
    if (mm_merkle_consistency_root(&t->crypto, a, b, hash, path, n, root) == MM_OK) {
        FUZZ_REQUIRE(a != 0 && a <= b && (a < b || n == 0));
        FUZZ_REQUIRE(mm_merkle_verify_consistency(&t->crypto, a, b, hash, root, path, n) == MM_OK);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    unsigned sel = data[0];
    uint8_t *copy = fuzz_dup(data + 1, size - 1);
    mm_bytes in = mm_bytes_make(copy, size - 1);
    mm_crypto_test *t = (mm_crypto_test *)(void *)fuzz_alloc(sizeof *t);
    mm_crypto_test_init(t, (sel & 4u) != 0 ? MM_CRYPTO_TEST_ACCEPT_ANY_SIGNATURE : 0);
    keys k;
    FUZZ_REQUIRE(mm_key_generate(&t->crypto, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &k.es256) == MM_OK);
    FUZZ_REQUIRE(mm_key_generate(&t->crypto, MM_KTY_OKP, MM_CRV_ED25519, MM_ALG_EDDSA, 0, &k.ed25519) == MM_OK);
    switch (sel & 3u) {
    case 0:
        run_statement(t, &k, in);
        break;
    case 1:
        run_receipt(t, &k, in);
        break;
    default:
        run_proof(t, in, (sel & 3u) == 3);
        break;
    }
    mm_key_free(&k.es256);
    mm_key_free(&k.ed25519);
    FUZZ_REQUIRE(mm_crypto_test_keys_in_use(t) == 0);
    free(t);
    free(copy);
    return 0;
}
