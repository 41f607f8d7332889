/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writes the seed corpus of fuzz_scitt: signed and transparent statements,
 * RFC 9162 and CCF receipts, and raw proofs, made with mamori's own code and
 * the deterministic test backend (the same keys the target makes, so the
 * signatures hold), each prefixed with the target's selector byte. Run by
 * hand after changing the target:
 *   make_scitt_corpus fuzz/corpus/fuzz_scitt
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_test.h"
#include "mamori/scitt.h"
#include "fuzz_seed.h"

#define H MM_MERKLE_HASH_LEN

static const char *dir;
static mm_crypto_test t;
static uint8_t scratch[4096];

/* A tree of 7 leaves whose leaf 4 is the statement's. */
typedef struct tree {
    mm_merkle_mem mem;
    mm_merkle_store store;
    mm_merkle_tree tree;
    uint8_t buf[2048];
} tree;

static void tree_make(tree *tr, const mm_scitt_leaf *leaf)
{
    seed_need(mm_merkle_mem_init(&tr->mem, tr->buf, sizeof tr->buf, &tr->store), "store");
    seed_need(mm_merkle_tree_open(&tr->tree, &t.crypto, &tr->store), "tree");
    for (unsigned i = 0; i < 7; i++) {
        uint8_t h[H];
        char e[16];
        int n = snprintf(e, sizeof e, "entry %u", i);
        seed_need(mm_merkle_leaf_hash(&t.crypto, mm_bytes_make(e, (size_t)n), h), "leaf");
        seed_need(mm_merkle_tree_append(&tr->tree, i == 4 ? leaf->leaf_hash : h, NULL), "append");
    }
}

static size_t inclusion_receipt(const tree *tr, const mm_key *key, int32_t alg, const char *kid, uint8_t *out,
                                size_t cap)
{
    uint8_t path[MM_MERKLE_MAX_PROOF][H], root[H], leaf[H];
    size_t n = 0;
    seed_need(mm_merkle_tree_inclusion(&tr->tree, 4, 7, path, MM_MERKLE_MAX_PROOF, &n), "inclusion proof");
    seed_need(mm_merkle_tree_root(&tr->tree, 7, root), "root");
    seed_need(mm_merkle_tree_leaf(&tr->tree, 4, leaf), "leaf");
    mm_scitt_receipt_opts o;
    memset(&o, 0, sizeof o);
    o.sign.crypto = &t.crypto;
    o.sign.key = key;
    o.sign.alg = alg;
    o.sign.kid = mm_bytes_from_cstr(kid);
    o.sign.scratch = scratch;
    o.sign.scratch_len = sizeof scratch;
    o.iss = MM_BYTES_LIT("https://ts.example");
    mm_buf b = mm_buf_make(out, cap);
    seed_need(mm_scitt_receipt_create_inclusion(&o, 7, 4, leaf, (const uint8_t(*)[H])path, n, root, &b), "receipt");
    return b.len;
}

static void sha256(mm_bytes a, mm_bytes b, mm_bytes c, uint8_t out[H])
{
    mm_crypto_ctx ctx;
    uint8_t d[MM_HASH_MAX];
    size_t len = 0;
    seed_need(mm_hash_init(&t.crypto, &ctx, MM_ALG_SHA256), "hash");
    seed_need(mm_hash_update(&t.crypto, &ctx, a), "hash");
    seed_need(mm_hash_update(&t.crypto, &ctx, b), "hash");
    seed_need(mm_hash_update(&t.crypto, &ctx, c), "hash");
    seed_need(mm_hash_final(&t.crypto, &ctx, d, &len), "hash");
    memcpy(out, d, H);
}

/* A CCF receipt of a two-leaf ledger whose second leaf is the entry's
 * (signed with the EdDSA key, which the target trusts without a kid). */
static size_t ccf_receipt(const mm_key *key, const mm_scitt_leaf *leaf, uint8_t *out, size_t cap)
{
    static const char evidence[] = "ce:2.17:55dbbbf04b71c6dcc01dd9d1c0012a6a959aef907398f7e183cc8913c82468d8";
    uint8_t wsd[H], ce[H], mine[H], other[H], root[H];
    mm_bytes none = mm_bytes_make(NULL, 0);
    sha256(MM_BYTES_LIT("write set"), none, none, wsd);
    sha256(MM_BYTES_LIT(evidence), none, none, ce);
    sha256(mm_bytes_make(wsd, H), mm_bytes_make(ce, H), mm_bytes_make(leaf->entry_hash, H), mine);
    sha256(MM_BYTES_LIT("another transaction"), none, none, other);
    sha256(mm_bytes_make(other, H), mm_bytes_make(mine, H), none, root);
    uint8_t vdp[512];
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, vdp, sizeof vdp);
    mm_cbor_put_map(&enc, 1);
    mm_cbor_put_int(&enc, MM_SCITT_PROOF_INCLUSION);
    mm_cbor_put_array(&enc, 1);
    mm_cbor_open_wrap(&enc);
    mm_cbor_put_map(&enc, 2);
    mm_cbor_put_uint(&enc, 1);
    mm_cbor_put_array(&enc, 3);
    mm_cbor_put_bstr(&enc, mm_bytes_make(wsd, H));
    mm_cbor_put_cstr(&enc, evidence);
    mm_cbor_put_bstr(&enc, mm_bytes_make(leaf->entry_hash, H));
    mm_cbor_put_uint(&enc, 2);
    mm_cbor_put_array(&enc, 1);
    mm_cbor_put_array(&enc, 2);
    mm_cbor_put_bool(&enc, true);
    mm_cbor_put_bstr(&enc, mm_bytes_make(other, H));
    mm_cbor_close(&enc, NULL);
    size_t vn = 0;
    seed_need(mm_cbor_enc_finish(&enc, &vn), "ccf proof");
    static const uint8_t vds2[] = {0x02};
    mm_cose_param params[] = {
        {MM_SCITT_HDR_VDS, mm_bytes_make(vds2, 1), MM_COSE_PROTECTED},
        {MM_SCITT_HDR_VDP, mm_bytes_make(vdp, vn), 0},
    };
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = &t.crypto;
    o.key = key;
    o.kid = MM_BYTES_LIT("ccf");
    o.params = params;
    o.n_params = 2;
    o.flags = MM_COSE_KID_PROTECTED | MM_COSE_DETACHED;
    o.scratch = scratch;
    o.scratch_len = sizeof scratch;
    mm_buf b = mm_buf_make(out, cap);
    seed_need(mm_cose_sign1_create(&o, mm_bytes_make(root, H), &b), "ccf receipt");
    return b.len;
}

/* [a: 8 bytes LE] [b: 8 bytes LE] [hash] [path...] */
static size_t raw_proof(uint64_t a, uint64_t b, const uint8_t hash[H], const uint8_t (*path)[H], size_t n, uint8_t *out)
{
    for (int i = 0; i < 8; i++) {
        out[i] = (uint8_t)(a >> (8 * i));
        out[8 + i] = (uint8_t)(b >> (8 * i));
    }
    memcpy(out + 16, hash, H);
    memcpy(out + 16 + H, path, n * H);
    return 16 + H + n * H;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_scitt_corpus DIR\n");
        return 64;
    }
    seed_program("make_scitt_corpus");
    dir = argv[1];
    mm_crypto_test_init(&t, 0);
    /* The target's keys, made in the same order. */
    mm_key es, ed;
    seed_need(mm_key_generate(&t.crypto, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &es), "es256 key");
    seed_need(mm_key_generate(&t.crypto, MM_KTY_OKP, MM_CRV_ED25519, MM_ALG_EDDSA, 0, &ed), "ed25519 key");
    static uint8_t stmt[2048], buf[8192], r1[2048], r2[2048], r3[2048];

    /* Statements: plain, detached hash envelope. */
    mm_scitt_statement_opts so;
    memset(&so, 0, sizeof so);
    so.crypto = &t.crypto;
    so.key = &es;
    so.kid = MM_BYTES_LIT("issuer");
    so.iss = MM_BYTES_LIT("https://vendor.example");
    so.sub = MM_BYTES_LIT("product");
    so.iat = 1700000000;
    so.content_type = MM_BYTES_LIT("application/json");
    so.flags = MM_SCITT_WITH_IAT;
    mm_buf out = mm_buf_make(stmt, sizeof stmt);
    seed_need(mm_scitt_statement_create(&so, MM_BYTES_LIT("{\"v\": 1}"), &out), "statement");
    size_t sn = out.len;
    seed_write(dir, "statement", 0, stmt, sn);
    static const uint8_t digest[32] = {1, 2, 3};
    so.content_type = mm_bytes_make(NULL, 0);
    so.payload_hash_alg = MM_ALG_SHA256;
    so.preimage_content_type = MM_BYTES_LIT("application/octet-stream");
    so.payload_location = MM_BYTES_LIT("https://vendor.example/fw.bin");
    so.flags = MM_SCITT_DETACHED;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_scitt_statement_create(&so, mm_bytes_make(digest, sizeof digest), &out), "hash envelope");
    seed_write(dir, "statement-hash-envelope", 0, buf, out.len);

    /* Receipts for the plain statement: ES256, EdDSA, CCF, consistency. */
    mm_scitt_leaf leaf;
    seed_need(mm_scitt_leaf_of_statement(&t.crypto, mm_bytes_make(stmt, sn), &leaf), "leaf");
    static tree tr;
    tree_make(&tr, &leaf);
    size_t n1 = inclusion_receipt(&tr, &es, MM_ALG_ES256, "ts-1", r1, sizeof r1);
    size_t n2 = inclusion_receipt(&tr, &ed, MM_ALG_EDDSA, "ts-2", r2, sizeof r2);
    size_t n3 = ccf_receipt(&ed, &leaf, r3, sizeof r3);
    seed_write(dir, "receipt-es256", 1, r1, n1);
    seed_write(dir, "receipt-es256-any", 5, r1, n1);
    seed_write(dir, "receipt-eddsa", 1, r2, n2);
    seed_write(dir, "receipt-ccf", 1, r3, n3);
    seed_write(dir, "receipt-ccf-any", 5, r3, n3);
    uint8_t path[MM_MERKLE_MAX_PROOF][H], root3[H], root7[H];
    size_t pn = 0;
    seed_need(mm_merkle_tree_consistency(&tr.tree, 3, 7, path, MM_MERKLE_MAX_PROOF, &pn), "consistency proof");
    seed_need(mm_merkle_tree_root(&tr.tree, 3, root3), "root 3");
    seed_need(mm_merkle_tree_root(&tr.tree, 7, root7), "root 7");
    mm_scitt_receipt_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.sign.crypto = &t.crypto;
    ro.sign.key = &es;
    ro.sign.kid = MM_BYTES_LIT("ts-1");
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_scitt_receipt_create_consistency(&ro, 3, 7, root3, (const uint8_t(*)[H])path, pn, root7, &out),
              "consistency receipt");
    seed_write(dir, "receipt-consistency", 1, buf, out.len);
    uint8_t raw[16 + H + MM_MERKLE_MAX_PROOF * H];
    seed_write(dir, "proof-consistency", 3, raw, raw_proof(3, 7, root3, (const uint8_t(*)[H])path, pn, raw));
    seed_need(mm_merkle_tree_inclusion(&tr.tree, 4, 7, path, MM_MERKLE_MAX_PROOF, &pn), "inclusion proof");
    seed_write(dir, "proof-inclusion", 2, raw, raw_proof(4, 7, leaf.leaf_hash, (const uint8_t(*)[H])path, pn, raw));

    /* The transparent statement with all three. */
    mm_bytes receipts[3] = {mm_bytes_make(r1, n1), mm_bytes_make(r2, n2), mm_bytes_make(r3, n3)};
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_scitt_transparent_create(mm_bytes_make(stmt, sn), receipts, 3, &out), "transparent statement");
    seed_write(dir, "transparent", 0, buf, out.len);
    seed_write(dir, "transparent-any", 4, buf, out.len);
    mm_key_free(&es);
    mm_key_free(&ed);
    return 0;
}
