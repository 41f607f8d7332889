/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 9162 Merkle trees: hashing against the RFC 6962 reference data, proof
 * verification against transparency-dev's vectors, and the append-only tree
 * against a naive reference written straight from the RFC's recursive
 * definitions (every inclusion proof for every leaf and every consistency
 * proof for every pair of sizes up to N_REF leaves). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "mamori/merkle.h"
#include "mm_test.h"

#define H     MM_MERKLE_HASH_LEN
#define N_REF 300

static const mm_crypto *crypto;

static int setup(void **state)
{
    (void)state;
    crypto = mm_crypto_openssl();
    return 0;
}

/*
 * The naive reference: MTH, PATH and PROOF exactly as RFC 9162 sections
 * 2.1.1, 2.1.3.1 and 2.1.4.1 define them, recursively, over the leaf hashes.
 * MTH is memoised per (start, length) so that checking every proof of 300
 * leaves stays fast; nothing else is shared with the library but the two
 * hash functions, which the RFC 6962 data checks on their own.
 */
typedef struct ref {
    uint8_t (*leaves)[H];
    uint8_t (*memo)[H];
    uint8_t *known;
    size_t n;
} ref;

static uint64_t ref_k(uint64_t n)
{
    uint64_t k = 1;
    while (2 * k < n) {
        k *= 2;
    }
    return k; /* largest power of two smaller than n (n > 1) */
}

static void ref_mth(ref *r, size_t lo, size_t n, uint8_t out[H])
{
    size_t slot = lo * (r->n + 1) + n;
    if (r->known[slot]) {
        memcpy(out, r->memo[slot], H);
        return;
    }
    if (n == 0) {
        assert_int_equal(mm_merkle_root(crypto, NULL, 0, out), MM_OK);
    } else if (n == 1) {
        memcpy(out, r->leaves[lo], H);
    } else {
        size_t k = (size_t)ref_k(n);
        uint8_t a[H], b[H];
        ref_mth(r, lo, k, a);
        ref_mth(r, lo + k, n - k, b);
        assert_int_equal(mm_merkle_node_hash(crypto, a, b, out), MM_OK);
    }
    memcpy(r->memo[slot], out, H);
    r->known[slot] = 1;
}

/* PATH(m, D[lo:lo+n]) appended to out[*cnt]. */
static void ref_path(ref *r, size_t m, size_t lo, size_t n, uint8_t (*out)[H], size_t *cnt)
{
    if (n <= 1) {
        return;
    }
    size_t k = (size_t)ref_k(n);
    if (m < k) {
        ref_path(r, m, lo, k, out, cnt);
        ref_mth(r, lo + k, n - k, out[(*cnt)++]);
    } else {
        ref_path(r, m - k, lo + k, n - k, out, cnt);
        ref_mth(r, lo, k, out[(*cnt)++]);
    }
}

/* SUBPROOF(m, D[lo:lo+n], b). */
static void ref_subproof(ref *r, size_t m, size_t lo, size_t n, bool b, uint8_t (*out)[H], size_t *cnt)
{
    if (m == n) {
        if (!b) {
            ref_mth(r, lo, n, out[(*cnt)++]);
        }
        return;
    }
    size_t k = (size_t)ref_k(n);
    if (m <= k) {
        ref_subproof(r, m, lo, k, b, out, cnt);
        ref_mth(r, lo + k, n - k, out[(*cnt)++]);
    } else {
        ref_subproof(r, m - k, lo + k, n - k, false, out, cnt);
        ref_mth(r, lo, k, out[(*cnt)++]);
    }
}

static void ref_init(ref *r, size_t n)
{
    r->n = n;
    r->leaves = calloc(n, H);
    r->memo = calloc((n + 1) * (n + 1), H);
    r->known = calloc((n + 1) * (n + 1), 1);
    assert_non_null(r->leaves);
    assert_non_null(r->memo);
    assert_non_null(r->known);
    for (size_t i = 0; i < n; i++) {
        char entry[32];
        int len = snprintf(entry, sizeof entry, "entry %zu", i);
        assert_int_equal(mm_merkle_leaf_hash(crypto, mm_bytes_make(entry, (size_t)len), r->leaves[i]), MM_OK);
    }
}

static void ref_free(ref *r)
{
    free(r->leaves);
    free(r->memo);
    free(r->known);
}

static void views_of(uint8_t (*path)[H], size_t n, mm_bytes *views)
{
    for (size_t i = 0; i < n; i++) {
        views[i] = mm_bytes_make(path[i], H);
    }
}

/* A tree over an in-memory store of cap leaves, with its buffer. */
typedef struct mem_tree {
    mm_merkle_mem mem;
    mm_merkle_store store;
    mm_merkle_tree tree;
    uint8_t *buf;
} mem_tree;

static void mem_tree_init(mem_tree *m, uint64_t cap)
{
    size_t len = mm_merkle_mem_need(cap);
    m->buf = malloc(len);
    assert_non_null(m->buf);
    assert_int_equal(mm_merkle_mem_init(&m->mem, m->buf, len, &m->store), MM_OK);
    assert_true(m->mem.capacity >= cap);
    assert_int_equal(mm_merkle_tree_open(&m->tree, crypto, &m->store), MM_OK);
    assert_int_equal(m->tree.size, 0);
}

/*
 * RFC 6962 reference data (hashes and roots of sizes 0..8).
 */
static void test_reference_tree(void **state)
{
    (void)state;
    char path[1024];
    mm_test_shared_path("vectors/scitt/rfc6962-reference-tree.json", path, sizeof path);
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);
    assert_non_null(j);
    json_t *inputs = json_object_get(j, "leaf_inputs_hex");
    json_t *hashes = json_object_get(j, "leaf_hashes_hex");
    json_t *roots = json_object_get(j, "roots_by_tree_size_hex");
    size_t n = json_array_size(inputs);
    assert_int_equal(n, 8);
    uint8_t leaves[8][H];
    mem_tree mt;
    mem_tree_init(&mt, 8);
    for (size_t i = 0; i <= n; i++) {
        char key[8];
        snprintf(key, sizeof key, "%zu", i);
        uint8_t want[H], got[H];
        assert_int_equal(mm_test_unhex(json_string_value(json_object_get(roots, key)), want, H), H);
        assert_int_equal(mm_merkle_root(crypto, (const uint8_t(*)[H])leaves, i, got), MM_OK);
        assert_memory_equal(got, want, H);
        assert_int_equal(mm_merkle_tree_root(&mt.tree, i, got), MM_OK);
        assert_memory_equal(got, want, H);
        if (i == n) {
            break;
        }
        uint8_t entry[64];
        size_t len = mm_test_unhex(json_string_value(json_array_get(inputs, i)), entry, sizeof entry);
        assert_int_equal(mm_merkle_leaf_hash(crypto, mm_bytes_make(entry, len), leaves[i]), MM_OK);
        assert_int_equal(mm_test_unhex(json_string_value(json_array_get(hashes, i)), want, H), H);
        assert_memory_equal(leaves[i], want, H);
        uint64_t index = 99;
        assert_int_equal(mm_merkle_tree_append(&mt.tree, leaves[i], &index), MM_OK);
        assert_int_equal(index, i);
    }
    free(mt.buf);
    json_decref(j);
}

/*
 * transparency-dev/merkle vectors.
 */
static uint64_t jnum(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    assert_true(json_is_number(v));
    double d = json_number_value(v); /* loaded as reals: 2^64 - 1 does not fit a json_int_t */
    return d >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)d;
}

static size_t jb64(json_t *v, uint8_t *out, size_t cap)
{
    if (json_is_null(v)) {
        return 0;
    }
    mm_buf b = mm_buf_make(out, cap);
    assert_int_equal(mm_base64_decode(mm_bytes_make(json_string_value(v), json_string_length(v)), MM_B64, 0, &b, NULL),
                     MM_OK);
    return b.len;
}

typedef struct vec_path {
    uint8_t bytes[MM_MERKLE_MAX_PROOF][64];
    mm_bytes views[MM_MERKLE_MAX_PROOF];
    size_t n;
} vec_path;

static void jpath(json_t *arr, vec_path *p)
{
    p->n = json_array_size(arr);
    assert_true(p->n <= MM_MERKLE_MAX_PROOF);
    for (size_t i = 0; i < p->n; i++) {
        size_t len = jb64(json_array_get(arr, i), p->bytes[i], sizeof p->bytes[i]);
        p->views[i] = mm_bytes_make(p->bytes[i], len);
    }
}

/* A hash field: 32 bytes, or the test case is about a malformed one. */
static bool jhash(json_t *o, const char *k, uint8_t out[H])
{
    uint8_t buf[64];
    size_t len = jb64(json_object_get(o, k), buf, sizeof buf);
    memset(out, 0, H);
    memcpy(out, buf, len < H ? len : H);
    return len == H;
}

typedef void (*vector_fn)(json_t *j, const char *name);

static size_t run_vectors(const char *sub, vector_fn fn)
{
    char dir[1024];
    mm_test_shared_path(sub, dir, sizeof dir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t count = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (len < 5 || strcmp(ent->d_name + len - 5, ".json") != 0) {
            continue;
        }
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        json_error_t jerr;
        json_t *j = json_load_file(path, JSON_DECODE_INT_AS_REAL, &jerr);
        if (j == NULL) {
            fail_msg("%s: %s", path, jerr.text);
        }
        fn(j, path);
        json_decref(j);
        count++;
    }
    closedir(d);
    return count;
}

static size_t accepted, refused;

static void inclusion_vector(json_t *j, const char *name)
{
    uint8_t leaf[H], root[H];
    bool leaf_ok = jhash(j, "leafHash", leaf);
    bool ok = jhash(j, "root", root) && leaf_ok;
    vec_path p;
    jpath(json_object_get(j, "proof"), &p);
    bool want_err = json_is_true(json_object_get(j, "wantErr"));
    mm_err e =
        ok ? mm_merkle_verify_inclusion(crypto, jnum(j, "leafIdx"), jnum(j, "treeSize"), leaf, p.views, p.n, root)
           : MM_ERR_VERIFY;
    if ((e == MM_OK) == want_err || (e != MM_OK && e != MM_ERR_VERIFY)) {
        fail_msg("%s: %s, want %s", name, mm_errname(e), want_err ? "an error" : "OK");
    }
    if (e == MM_OK) {
        accepted++;
    } else {
        refused++;
    }
}

static void consistency_vector(json_t *j, const char *name)
{
    uint8_t root1[H], root2[H];
    bool root1_ok = jhash(j, "root1", root1);
    bool ok = jhash(j, "root2", root2) && root1_ok;
    vec_path p;
    jpath(json_object_get(j, "proof"), &p);
    bool want_err = json_is_true(json_object_get(j, "wantErr"));
    mm_err e = ok ? mm_merkle_verify_consistency(crypto, jnum(j, "size1"), jnum(j, "size2"), root1, root2, p.views, p.n)
                  : MM_ERR_VERIFY;
    if ((e == MM_OK) == want_err || (e != MM_OK && e != MM_ERR_VERIFY)) {
        fail_msg("%s: %s, want %s", name, mm_errname(e), want_err ? "an error" : "OK");
    }
    if (e == MM_OK) {
        accepted++;
    } else {
        refused++;
    }
}

static void test_vectors(void **state)
{
    (void)state;
    accepted = refused = 0;
    size_t n = run_vectors("vectors/scitt/rfc9162-merkle/inclusion/0", inclusion_vector);
    n += run_vectors("vectors/scitt/rfc9162-merkle/inclusion/1", inclusion_vector);
    assert_int_equal(n, 31);
    assert_int_equal(accepted, 2);
    assert_int_equal(refused, 29);
    accepted = refused = 0;
    n = run_vectors("vectors/scitt/rfc9162-merkle/consistency/0", consistency_vector);
    n += run_vectors("vectors/scitt/rfc9162-merkle/consistency/1", consistency_vector);
    assert_int_equal(n, 22);
    assert_int_equal(accepted, 2);
    assert_int_equal(refused, 20);
}

/*
 * The tree against the reference.
 */

/* At most this many stored nodes per root or proof: two per level. */
static uint32_t read_bound(uint64_t size)
{
    uint32_t levels = 0;
    while (((uint64_t)1 << levels) < size) {
        levels++;
    }
    return 2 * levels + 2;
}

static void test_tree_inclusion_all(void **state)
{
    (void)state;
    ref r;
    ref_init(&r, N_REF);
    mem_tree mt;
    mem_tree_init(&mt, N_REF);
    /* One at a time, then in batches, so both paths are used. */
    for (size_t i = 0; i < 100; i++) {
        assert_int_equal(mm_merkle_tree_append(&mt.tree, r.leaves[i], NULL), MM_OK);
    }
    uint64_t first = 0;
    assert_int_equal(mm_merkle_tree_append_batch(&mt.tree, (const uint8_t(*)[H])r.leaves + 100, 150, &first), MM_OK);
    assert_int_equal(first, 100);
    assert_int_equal(mm_merkle_tree_append_batch(&mt.tree, (const uint8_t(*)[H])r.leaves + 250, N_REF - 250, NULL),
                     MM_OK);
    assert_int_equal(mt.tree.size, N_REF);

    size_t proofs = 0;
    for (size_t size = 1; size <= N_REF; size++) {
        uint8_t root[H], want_root[H];
        ref_mth(&r, 0, size, want_root);
        mt.mem.gets = 0;
        assert_int_equal(mm_merkle_tree_root(&mt.tree, size, root), MM_OK);
        assert_memory_equal(root, want_root, H);
        assert_true(mt.mem.gets <= read_bound(size));
        for (size_t index = 0; index < size; index++) {
            uint8_t want[MM_MERKLE_MAX_PROOF][H], got[MM_MERKLE_MAX_PROOF][H];
            size_t want_n = 0, got_n = 0;
            ref_path(&r, index, 0, size, want, &want_n);
            mt.mem.gets = 0;
            assert_int_equal(mm_merkle_tree_inclusion(&mt.tree, index, size, got, MM_MERKLE_MAX_PROOF, &got_n), MM_OK);
            assert_true(mt.mem.gets <= read_bound(size));
            assert_int_equal(got_n, want_n);
            assert_memory_equal(got, want, got_n * H);
            mm_bytes views[MM_MERKLE_MAX_PROOF];
            views_of(got, got_n, views);
            mm_err e = mm_merkle_verify_inclusion(crypto, index, size, r.leaves[index], views, got_n, root);
            if (e != MM_OK) {
                fail_msg("inclusion %zu of %zu: %s", index, size, mm_errname(e));
            }
            /* The same path proves nothing for a neighbour or another size. */
            if (size > 1) {
                size_t other = (index + 1) % size;
                assert_int_equal(mm_merkle_verify_inclusion(crypto, other, size, r.leaves[index], views, got_n, root),
                                 MM_ERR_VERIFY);
            }
            /* Nor under the next tree's root. (Under this tree's root the
             * path can also pass for a larger size: RFC 9162 trusts the size
             * it is given, so only the root a proof reproduces means
             * anything.) */
            if (size < N_REF) {
                uint8_t next[H];
                ref_mth(&r, 0, size + 1, next);
                e = mm_merkle_verify_inclusion(crypto, index, size + 1, r.leaves[index], views, got_n, next);
                if (e != MM_ERR_VERIFY) {
                    fail_msg("inclusion %zu of %zu passes under the root of %zu", index, size, size + 1);
                }
            }
            proofs++;
        }
    }
    assert_int_equal(proofs, (size_t)N_REF * (N_REF + 1) / 2);
    free(mt.buf);
    ref_free(&r);
}

static void test_tree_consistency_all(void **state)
{
    (void)state;
    ref r;
    ref_init(&r, N_REF);
    mem_tree mt;
    mem_tree_init(&mt, N_REF);
    assert_int_equal(mm_merkle_tree_append_batch(&mt.tree, (const uint8_t(*)[H])r.leaves, N_REF, NULL), MM_OK);
    uint8_t roots[N_REF + 1][H];
    for (size_t s = 0; s <= N_REF; s++) {
        ref_mth(&r, 0, s, roots[s]);
    }
    size_t proofs = 0;
    for (size_t size2 = 1; size2 <= N_REF; size2++) {
        for (size_t size1 = 0; size1 <= size2; size1++) {
            uint8_t want[MM_MERKLE_MAX_PROOF][H], got[MM_MERKLE_MAX_PROOF][H];
            size_t want_n = 0, got_n = 0;
            if (size1 != 0) {
                ref_subproof(&r, size1, 0, size2, true, want, &want_n);
            }
            mt.mem.gets = 0;
            assert_int_equal(mm_merkle_tree_consistency(&mt.tree, size1, size2, got, MM_MERKLE_MAX_PROOF, &got_n),
                             MM_OK);
            assert_true(mt.mem.gets <= 2 * read_bound(size2));
            assert_int_equal(got_n, want_n);
            assert_memory_equal(got, want, got_n * H);
            mm_bytes views[MM_MERKLE_MAX_PROOF];
            views_of(got, got_n, views);
            mm_err e = mm_merkle_verify_consistency(crypto, size1, size2, roots[size1], roots[size2], views, got_n);
            if (e != MM_OK) {
                fail_msg("consistency %zu -> %zu: %s", size1, size2, mm_errname(e));
            }
            if (size1 > 0) {
                uint8_t root2[H];
                assert_int_equal(mm_merkle_consistency_root(crypto, size1, size2, roots[size1], views, got_n, root2),
                                 MM_OK);
                assert_memory_equal(root2, roots[size2], H);
            }
            if (size1 > 0 && size1 < size2) {
                /* Another old root, another old size, or a proof cut short. */
                assert_int_equal(
                    mm_merkle_verify_consistency(crypto, size1, size2, roots[size1 - 1], roots[size2], views, got_n),
                    MM_ERR_VERIFY);
                if (size1 + 1 < size2) {
                    assert_int_equal(mm_merkle_verify_consistency(crypto, size1 + 1, size2, roots[size1], roots[size2],
                                                                  views, got_n),
                                     MM_ERR_VERIFY);
                }
                assert_int_equal(
                    mm_merkle_verify_consistency(crypto, size1, size2, roots[size1], roots[size2], views, got_n - 1),
                    MM_ERR_VERIFY);
            }
            proofs++;
        }
    }
    assert_int_equal(proofs, (size_t)N_REF * (N_REF + 3) / 2);
    free(mt.buf);
    ref_free(&r);
}

/*
 * Edges: sizes, the walk's sticky errors, the store's limits.
 */
static void test_edges(void **state)
{
    (void)state;
    uint8_t leaf[H], other[H], empty[H];
    assert_int_equal(mm_merkle_leaf_hash(crypto, MM_BYTES_LIT("a"), leaf), MM_OK);
    assert_int_equal(mm_merkle_leaf_hash(crypto, MM_BYTES_LIT("b"), other), MM_OK);
    assert_int_equal(mm_merkle_root(crypto, NULL, 0, empty), MM_OK);
    static const uint8_t sha256_empty[H] = {0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4,
                                            0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b,
                                            0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55};
    assert_memory_equal(empty, sha256_empty, H);

    /* A one-leaf tree: empty path, the leaf is the root. */
    assert_int_equal(mm_merkle_verify_inclusion(crypto, 0, 1, leaf, NULL, 0, leaf), MM_OK);
    assert_int_equal(mm_merkle_verify_inclusion(crypto, 0, 0, leaf, NULL, 0, leaf), MM_ERR_VERIFY);
    assert_int_equal(mm_merkle_verify_inclusion(crypto, UINT64_MAX, UINT64_MAX, leaf, NULL, 0, leaf), MM_ERR_VERIFY);
    /* A two-leaf tree, and a path with a short element or one too many. */
    uint8_t root[H];
    assert_int_equal(mm_merkle_node_hash(crypto, leaf, other, root), MM_OK);
    mm_bytes path[3] = {mm_bytes_make(other, H), mm_bytes_make(other, H - 1), mm_bytes_make(leaf, H)};
    assert_int_equal(mm_merkle_verify_inclusion(crypto, 0, 2, leaf, path, 1, root), MM_OK);
    assert_int_equal(mm_merkle_verify_inclusion(crypto, 0, 2, leaf, path + 1, 1, root), MM_ERR_VERIFY);
    path[1] = mm_bytes_make(leaf, H);
    assert_int_equal(mm_merkle_verify_inclusion(crypto, 0, 2, leaf, path, 2, root), MM_ERR_VERIFY);
    assert_int_equal(mm_merkle_verify_inclusion(crypto, 1, 2, other, path + 2, 1, root), MM_OK);

    /* The walk: errors stick, and nothing follows the end of a done walk. */
    mm_merkle_walk w;
    uint8_t got[H];
    assert_int_equal(mm_merkle_walk_inclusion(&w, crypto, 3, 2, leaf), MM_ERR_VERIFY);
    assert_int_equal(mm_merkle_walk_step(&w, path[0]), MM_ERR_VERIFY);
    assert_int_equal(mm_merkle_walk_root(&w, got), MM_ERR_VERIFY);
    assert_int_equal(mm_merkle_walk_inclusion(&w, crypto, 0, 2, leaf), MM_OK);
    assert_int_equal(mm_merkle_walk_step(&w, mm_bytes_make(other, 31)), MM_ERR_VERIFY);
    assert_int_equal(mm_merkle_walk_step(&w, path[0]), MM_ERR_VERIFY);
    assert_int_equal(mm_merkle_walk_consistency(&w, crypto, 2, 2, root), MM_OK);
    assert_int_equal(mm_merkle_walk_root(&w, got), MM_OK);
    assert_memory_equal(got, root, H);
    assert_int_equal(mm_merkle_walk_consistency(&w, crypto, 2, 2, root), MM_OK);
    assert_int_equal(mm_merkle_walk_step(&w, path[0]), MM_ERR_VERIFY);
    assert_int_equal(mm_merkle_walk_consistency(&w, crypto, 0, 2, root), MM_ERR_VERIFY);
    assert_int_equal(mm_merkle_walk_consistency(&w, crypto, 3, 2, root), MM_ERR_VERIFY);
    /* Consistency from the empty tree: nothing to walk, the claim is checked. */
    assert_int_equal(mm_merkle_verify_consistency(crypto, 0, 2, empty, root, NULL, 0), MM_OK);
    assert_int_equal(mm_merkle_verify_consistency(crypto, 0, 2, leaf, root, NULL, 0), MM_ERR_VERIFY);
    assert_int_equal(mm_merkle_verify_consistency(crypto, 0, 2, empty, root, path, 1), MM_ERR_VERIFY);
    /* 1 -> 2: the prepended old root and the new leaf. */
    assert_int_equal(mm_merkle_verify_consistency(crypto, 1, 2, leaf, root, path, 1), MM_OK);
    assert_int_equal(mm_merkle_verify_consistency(crypto, 1, 2, leaf, root, NULL, 0), MM_ERR_VERIFY);

    /* A store of 4 leaves: the fifth does not fit, and nothing is committed. */
    uint8_t buf[1024];
    mm_merkle_mem mem;
    mm_merkle_store store;
    assert_int_equal(mm_merkle_mem_need(4), 7 * H);
    assert_int_equal(mm_merkle_mem_init(&mem, buf, 7 * H, &store), MM_OK);
    assert_int_equal(mem.capacity, 4);
    assert_int_equal(mm_merkle_mem_init(&mem, buf, H - 1, &store), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_merkle_mem_init(&mem, buf, sizeof buf, &store), MM_OK);
    assert_int_equal(mem.capacity, 17); /* 17 + 8 + 4 + 2 + 1 nodes */
    assert_int_equal(mm_merkle_mem_init(&mem, buf, 7 * H, &store), MM_OK);
    mm_merkle_tree t;
    assert_int_equal(mm_merkle_tree_open(&t, crypto, &store), MM_OK);
    const uint8_t five[5][H] = {{1}, {2}, {3}, {4}, {5}};
    assert_int_equal(mm_merkle_tree_append_batch(&t, five, 5, NULL), MM_ERR_TOO_LARGE);
    assert_int_equal(t.size, 0);
    assert_int_equal(mm_merkle_tree_refresh(&t), MM_OK);
    assert_int_equal(t.size, 0);
    assert_int_equal(mm_merkle_tree_append_batch(&t, five, 4, NULL), MM_OK);
    assert_int_equal(mm_merkle_tree_append(&t, five[4], NULL), MM_ERR_TOO_LARGE);
    assert_int_equal(t.size, 4);
    /* A second tree on the same store sees what the first committed. */
    mm_merkle_tree t2;
    assert_int_equal(mm_merkle_tree_open(&t2, crypto, &store), MM_OK);
    assert_int_equal(t2.size, 4);
    assert_int_equal(mm_merkle_tree_leaf(&t2, 3, got), MM_OK);
    assert_memory_equal(got, five[3], H);
    assert_int_equal(mm_merkle_tree_leaf(&t2, 4, got), MM_ERR_INVALID_ARG);
    /* Out-of-range requests, and a buffer too small for the proof. */
    uint8_t p[MM_MERKLE_MAX_PROOF][H];
    size_t n = 0;
    assert_int_equal(mm_merkle_tree_inclusion(&t, 4, 4, p, MM_MERKLE_MAX_PROOF, &n), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_merkle_tree_inclusion(&t, 0, 5, p, MM_MERKLE_MAX_PROOF, &n), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_merkle_tree_inclusion(&t, 0, 4, p, 1, &n), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 2);
    assert_int_equal(mm_merkle_tree_consistency(&t, 3, 2, p, MM_MERKLE_MAX_PROOF, &n), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_merkle_tree_consistency(&t, 3, 4, p, 0, &n), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 3);
    assert_int_equal(mm_merkle_tree_root(&t, 5, got), MM_ERR_INVALID_ARG);
    /* A store of another version. */
    mm_merkle_store_ops ops = *store.ops;
    ops.version = 2;
    mm_merkle_store bad = {&ops, store.user};
    assert_int_equal(mm_merkle_tree_open(&t, crypto, &bad), MM_ERR_UNSUPPORTED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_tree),
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_tree_inclusion_all),
        cmocka_unit_test(test_tree_consistency_all),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
