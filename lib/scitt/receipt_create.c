/* SPDX-License-Identifier: Apache-2.0 */
/* Signing RFC9162_SHA256 receipts (draft-ietf-cose-merkle-tree-proofs
 * sections 5.2.1 and 5.3.1): what a Transparency Service issues. */
#include "scitt_internal.h"

/* Most caller parameters a receipt takes beside its own. */
#define MAX_EXTRA_PARAMS 16

/* An encoded vdp: {type: [<<[a, b, [path...]]>>]}. Each hash takes 34 bytes
 * (head and content), the rest fits in 64. */
#define VDP_MAX (MM_MERKLE_MAX_PROOF * (MM_MERKLE_HASH_LEN + 2) + 64)

static mm_err encode_vdp(int64_t type, uint64_t a, uint64_t b, const uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t n,
                         uint8_t *buf, size_t cap, mm_bytes *out)
{
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, cap);
    mm_cbor_put_map(&enc, 1);
    mm_cbor_put_int(&enc, type);
    mm_cbor_put_array(&enc, 1);
    mm_cbor_open_wrap(&enc);
    mm_cbor_put_array(&enc, 3);
    mm_cbor_put_uint(&enc, a);
    mm_cbor_put_uint(&enc, b);
    /* RFC 9162 writes no path for a one-leaf tree, though the draft's CDDL
     * says [+ bstr]: the empty array is the only honest encoding. */
    mm_cbor_put_array(&enc, n);
    for (size_t i = 0; i < n; i++) {
        mm_cbor_put_bstr(&enc, mm_bytes_make(path[i], MM_MERKLE_HASH_LEN));
    }
    mm_cbor_close(&enc, NULL);
    size_t len = 0;
    mm_err e = mm_cbor_enc_finish(&enc, &len);
    *out = mm_bytes_make(buf, len);
    return e == MM_ERR_BUFFER_TOO_SMALL ? MM_ERR_TOO_LARGE : e;
}

static bool label_taken(int64_t label)
{
    return label == MM_HDR_CWT_CLAIMS || label == MM_SCITT_HDR_VDS || label == MM_SCITT_HDR_VDP;
}

/* Writes the receipt of a verified proof: protected alg, kid, vds 1 and CWT
 * claims; unprotected the vdp (encode_vdp() of type, a, b and the path); the
 * root detached. */
static mm_err sign_receipt(const mm_scitt_receipt_opts *o, int64_t type, uint64_t a, uint64_t b,
                           const uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t n_path,
                           const uint8_t root[MM_MERKLE_HASH_LEN], mm_buf *out)
{
    uint8_t buf[VDP_MAX];
    mm_bytes vdp;
    mm_err ve = encode_vdp(type, a, b, path, n_path, buf, sizeof buf, &vdp);
    if (ve != MM_OK) {
        return ve;
    }
    const mm_cose_create_opts *s = &o->sign;
    if (s->n_params > MAX_EXTRA_PARAMS || (s->n_params != 0 && s->params == NULL) ||
        (o->flags & ~MM_SCITT_WITH_IAT) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < s->n_params; i++) {
        if (label_taken(s->params[i].label)) {
            return MM_ERR_INVALID_ARG;
        }
    }
    static const uint8_t vds_value[] = {MM_SCITT_VDS_RFC9162_SHA256};
    mm_cose_param params[MAX_EXTRA_PARAMS + 3];
    size_t n = 0;
    params[n++] = (mm_cose_param){MM_SCITT_HDR_VDS, mm_bytes_make(vds_value, sizeof vds_value), MM_COSE_PROTECTED};
    params[n++] = (mm_cose_param){MM_SCITT_HDR_VDP, vdp, 0};
    uint8_t claims_buf[MM_SCITT_CREATE_HEADER_MAX];
    bool with_iat = (o->flags & MM_SCITT_WITH_IAT) != 0;
    if (o->iss.len != 0 || o->sub.len != 0 || with_iat) {
        mm_bytes claims;
        mm_err e = scitt_claims_encode(o->iss, o->sub, with_iat, o->iat, claims_buf, sizeof claims_buf, &claims);
        if (e != MM_OK) {
            return e;
        }
        params[n++] = (mm_cose_param){MM_HDR_CWT_CLAIMS, claims, MM_COSE_PROTECTED};
    }
    for (size_t i = 0; i < s->n_params; i++) {
        params[n++] = s->params[i];
    }
    mm_cose_create_opts c = *s;
    c.params = params;
    c.n_params = n;
    /* kid protected, as receipts in the wild carry it; the root is never
     * carried (section 4.4: verifiers must recompute it). */
    c.flags = (s->flags | MM_COSE_KID_PROTECTED | MM_COSE_DETACHED) & ~(unsigned)MM_COSE_UNTAGGED;
    return mm_cose_sign1_create(&c, mm_bytes_make(root, MM_MERKLE_HASH_LEN), out);
}

static void views_of(const uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t n, mm_bytes *views)
{
    for (size_t i = 0; i < n; i++) {
        views[i] = mm_bytes_make(path[i], MM_MERKLE_HASH_LEN);
    }
}

mm_err mm_scitt_receipt_create_inclusion(const mm_scitt_receipt_opts *o, uint64_t size, uint64_t index,
                                         const uint8_t leaf[MM_MERKLE_HASH_LEN],
                                         const uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t n,
                                         const uint8_t root[MM_MERKLE_HASH_LEN], mm_buf *out)
{
    if (o == NULL || leaf == NULL || root == NULL || out == NULL || (n != 0 && path == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    if (n > MM_MERKLE_MAX_PROOF) {
        return MM_ERR_TOO_LARGE;
    }
    mm_bytes views[MM_MERKLE_MAX_PROOF];
    views_of(path, n, views);
    mm_err e = mm_merkle_verify_inclusion(o->sign.crypto, index, size, leaf, views, n, root);
    return e == MM_OK ? sign_receipt(o, MM_SCITT_PROOF_INCLUSION, size, index, path, n, root, out) : e;
}

mm_err mm_scitt_receipt_create_consistency(const mm_scitt_receipt_opts *o, uint64_t size1, uint64_t size2,
                                           const uint8_t root1[MM_MERKLE_HASH_LEN],
                                           const uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t n,
                                           const uint8_t root2[MM_MERKLE_HASH_LEN], mm_buf *out)
{
    if (o == NULL || root1 == NULL || root2 == NULL || out == NULL || (n != 0 && path == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    if (n > MM_MERKLE_MAX_PROOF) {
        return MM_ERR_TOO_LARGE;
    }
    /* A receipt's verifier recomputes the newer root from the path, which
     * the empty tree's cannot give: refuse what could not be verified. */
    if (size1 == 0) {
        return MM_ERR_INVALID_ARG;
    }
    mm_bytes views[MM_MERKLE_MAX_PROOF];
    views_of(path, n, views);
    mm_err e = mm_merkle_verify_consistency(o->sign.crypto, size1, size2, root1, root2, views, n);
    return e == MM_OK ? sign_receipt(o, MM_SCITT_PROOF_CONSISTENCY, size1, size2, path, n, root2, out) : e;
}
