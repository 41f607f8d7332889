/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tree heads and receipts. Each batch's root is signed once, as an
 * RFC9162_SHA256 receipt would sign it (COSE Receipts draft section 4: the
 * root as detached payload under a protected header with alg, kid, vds and
 * CWT claims). Only the protected header and the root enter the signature,
 * and the proofs sit in the unprotected header (vdp), so that one signature
 * serves every receipt of the batch, the inclusion receipts of later
 * requests at that size, consistency receipts ending at it, and the tree
 * head itself with the root attached (a COSE_Sign1 signs the same
 * Sig_structure whether its payload is carried or detached).
 */
#include <stdlib.h>
#include <string.h>

#include "ts_internal.h"

/* Room for the receipt that signs the first tree head: headers, the CWT
 * claims with the issuer (up to MM_SCITT_ISS_MAX), a path and the largest
 * signature (HSS-LMS). */
#define SIGN_BUF_MAX ((size_t)96 << 10)

/* What a vdp and the array around a receipt take beyond the protected
 * header and signature: a path of 34-byte hashes and some heads. */
#define VDP_ROOM (MM_MERKLE_MAX_PROOF * (MM_MERKLE_HASH_LEN + 2) + 96)

static const int64_t understood[] = {MM_SCITT_HDR_VDS, MM_SCITT_HDR_VDP, MM_HDR_CWT_CLAIMS};

static mm_err dup_bytes(mm_bytes b, uint8_t **out, size_t *len)
{
    *out = malloc(b.len != 0 ? b.len : 1);
    if (*out == NULL) {
        return MM_ERR_PLATFORM;
    }
    if (b.len != 0) {
        memcpy(*out, b.ptr, b.len);
    }
    *len = b.len;
    return MM_OK;
}

mm_err ts_tree_head_sign(const ts_signer *s, const mm_merkle_tree *t, int64_t iat, ts_tree_head *out)
{
    memset(out, 0, sizeof *out);
    uint64_t size = t->size;
    if (size == 0) {
        return MM_ERR_INVALID_ARG; /* the empty tree has no leaf to prove, and nothing to sign */
    }
    uint8_t leaf[MM_MERKLE_HASH_LEN];
    uint8_t root[MM_MERKLE_HASH_LEN];
    uint8_t path[MM_MERKLE_MAX_PROOF][MM_MERKLE_HASH_LEN];
    size_t n = 0;
    mm_err e = mm_merkle_tree_leaf(t, size - 1, leaf);
    if (e == MM_OK) {
        e = mm_merkle_tree_inclusion(t, size - 1, size, path, MM_MERKLE_MAX_PROOF, &n);
    }
    if (e == MM_OK) {
        e = mm_merkle_tree_root(t, size, root);
    }
    if (e != MM_OK) {
        return e;
    }
    mm_scitt_receipt_opts o;
    memset(&o, 0, sizeof o);
    o.sign.crypto = s->crypto;
    o.sign.key = &s->key;
    o.sign.alg = s->alg;
    o.sign.kid = mm_bytes_make(s->kid, sizeof s->kid);
    o.sign.algs = s->algs;
    o.iss = mm_bytes_from_cstr(s->iss);
    o.iat = iat;
    o.flags = MM_SCITT_WITH_IAT;
    uint8_t *buf = malloc(SIGN_BUF_MAX);
    uint8_t *scratch = s->scratch != 0 ? malloc(s->scratch) : NULL;
    if (buf == NULL || (s->scratch != 0 && scratch == NULL)) {
        free(buf);
        free(scratch);
        return MM_ERR_PLATFORM;
    }
    o.sign.scratch = scratch;
    o.sign.scratch_len = s->scratch;
    /* The library's receipt, for the last leaf: it checks the proof and
     * writes the protected header exactly as every receipt carries it. */
    mm_buf msg = mm_buf_make(buf, SIGN_BUF_MAX);
    e = mm_scitt_receipt_create_inclusion(&o, size, size - 1, leaf, (const uint8_t(*)[MM_MERKLE_HASH_LEN])path, n, root,
                                          &msg);
    mm_cose_sign1 s1;
    if (e == MM_OK) {
        e = mm_cose_sign1_decode(mm_bytes_make(msg.ptr, msg.len), &s1, NULL);
    }
    if (e == MM_OK) {
        out->size = size;
        out->iat = iat;
        memcpy(out->root, root, sizeof root);
        e = dup_bytes(s1.hdr.protected_bytes, &out->prot, &out->prot_len);
    }
    if (e == MM_OK) {
        e = dup_bytes(s1.signature, &out->sig, &out->sig_len);
    }
    if (e != MM_OK) {
        ts_tree_head_free(out);
    }
    free(scratch);
    free(buf);
    return e;
}

size_t ts_receipt_cap(const ts_tree_head *th) { return th->prot_len + th->sig_len + VDP_ROOM; }

/* 18([protected, unprotected, payload, signature]) with the unprotected
 * bucket written by fn. */
typedef void (*unprotected_fn)(mm_cbor_enc *enc, const void *arg);

static mm_err encode_sign1(const ts_tree_head *th, unprotected_fn fn, const void *arg, bool attach_root, mm_buf *out)
{
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->cap);
    mm_cbor_put_tag(&enc, MM_COSE_TAG_SIGN1);
    mm_cbor_put_array(&enc, 4);
    mm_cbor_put_bstr(&enc, mm_bytes_make(th->prot, th->prot_len));
    fn(&enc, arg);
    if (attach_root) {
        mm_cbor_put_bstr(&enc, mm_bytes_make(th->root, MM_MERKLE_HASH_LEN));
    } else {
        mm_cbor_put_null(&enc);
    }
    mm_cbor_put_bstr(&enc, mm_bytes_make(th->sig, th->sig_len));
    size_t len = 0;
    mm_err e = mm_cbor_enc_finish(&enc, &len);
    out->len = len;
    return e;
}

static void empty_map(mm_cbor_enc *enc, const void *arg)
{
    (void)arg;
    mm_cbor_put_map(enc, 0);
}

/* One proof: {396: {type: [<<[a, b, [path...]]>>]}}. */
typedef struct proof {
    int64_t type;
    uint64_t a, b;
    const uint8_t (*path)[MM_MERKLE_HASH_LEN];
    size_t n;
} proof;

static void vdp_map(mm_cbor_enc *enc, const void *arg)
{
    const proof *p = arg;
    mm_cbor_put_map(enc, 1);
    mm_cbor_put_int(enc, MM_SCITT_HDR_VDP);
    mm_cbor_put_map(enc, 1);
    mm_cbor_put_int(enc, p->type);
    mm_cbor_put_array(enc, 1);
    mm_cbor_open_wrap(enc);
    mm_cbor_put_array(enc, 3);
    mm_cbor_put_uint(enc, p->a);
    mm_cbor_put_uint(enc, p->b);
    mm_cbor_put_array(enc, p->n);
    for (size_t i = 0; i < p->n; i++) {
        mm_cbor_put_bstr(enc, mm_bytes_make(p->path[i], MM_MERKLE_HASH_LEN));
    }
    mm_cbor_close(enc, NULL);
}

static void views(const uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t n, mm_bytes *v)
{
    for (size_t i = 0; i < n; i++) {
        v[i] = mm_bytes_make(path[i], MM_MERKLE_HASH_LEN);
    }
}

mm_err ts_receipt_inclusion(const mm_merkle_tree *t, const ts_tree_head *th, uint64_t index, mm_buf *out)
{
    uint8_t path[MM_MERKLE_MAX_PROOF][MM_MERKLE_HASH_LEN];
    uint8_t leaf[MM_MERKLE_HASH_LEN];
    mm_bytes v[MM_MERKLE_MAX_PROOF];
    size_t n = 0;
    mm_err e = mm_merkle_tree_inclusion(t, index, th->size, path, MM_MERKLE_MAX_PROOF, &n);
    if (e == MM_OK) {
        e = mm_merkle_tree_leaf(t, index, leaf);
    }
    /* Never hand out a proof the signed root does not back: a damaged
     * store shows here, not at the client. */
    const uint8_t(*cpath)[MM_MERKLE_HASH_LEN] = (const uint8_t(*)[MM_MERKLE_HASH_LEN])path;
    if (e == MM_OK) {
        views(cpath, n, v);
        e = mm_merkle_verify_inclusion(t->crypto, index, th->size, leaf, v, n, th->root);
    }
    if (e != MM_OK) {
        return e;
    }
    proof p = {MM_SCITT_PROOF_INCLUSION, th->size, index, cpath, n};
    return encode_sign1(th, vdp_map, &p, false, out);
}

mm_err ts_receipt_consistency(const mm_merkle_tree *t, const ts_tree_head *older, const ts_tree_head *th, mm_buf *out)
{
    uint8_t path[MM_MERKLE_MAX_PROOF][MM_MERKLE_HASH_LEN];
    mm_bytes v[MM_MERKLE_MAX_PROOF];
    size_t n = 0;
    if (older->size == 0 || older->size > th->size) {
        return MM_ERR_INVALID_ARG;
    }
    mm_err e = mm_merkle_tree_consistency(t, older->size, th->size, path, MM_MERKLE_MAX_PROOF, &n);
    const uint8_t(*cpath)[MM_MERKLE_HASH_LEN] = (const uint8_t(*)[MM_MERKLE_HASH_LEN])path;
    if (e == MM_OK) {
        views(cpath, n, v);
        e = mm_merkle_verify_consistency(t->crypto, older->size, th->size, older->root, th->root, v, n);
    }
    if (e != MM_OK) {
        return e;
    }
    proof p = {MM_SCITT_PROOF_CONSISTENCY, older->size, th->size, cpath, n};
    return encode_sign1(th, vdp_map, &p, false, out);
}

mm_err ts_tree_head_encode(const ts_tree_head *th, mm_buf *out) { return encode_sign1(th, empty_map, NULL, true, out); }

mm_err ts_tree_head_verify(const ts_signer *s, const ts_tree_head *th)
{
    size_t cap = ts_receipt_cap(th);
    uint8_t *buf = malloc(cap);
    uint8_t *scratch = s->scratch != 0 ? malloc(s->scratch + th->prot_len) : NULL;
    if (buf == NULL || (s->scratch != 0 && scratch == NULL)) {
        free(buf);
        free(scratch);
        return MM_ERR_PLATFORM;
    }
    mm_buf msg = mm_buf_make(buf, cap);
    mm_err e = ts_tree_head_encode(th, &msg);
    mm_cose_sign1 s1;
    if (e == MM_OK) {
        e = mm_cose_sign1_decode(mm_bytes_make(msg.ptr, msg.len), &s1, NULL);
    }
    if (e == MM_OK && !mm_bytes_equal(s1.hdr.kid, mm_bytes_make(s->kid, sizeof s->kid))) {
        e = MM_ERR_VERIFY; /* signed by another key */
    }
    if (e == MM_OK) {
        mm_cose_verify_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = s->crypto;
        o.key = &s->key;
        o.algs = s->algs;
        o.crit = understood;
        o.n_crit = sizeof understood / sizeof understood[0];
        o.scratch = scratch;
        o.scratch_len = scratch != NULL ? s->scratch + th->prot_len : 0;
        e = mm_cose_sign1_verify(&s1, &o);
    }
    free(scratch);
    free(buf);
    return e;
}
