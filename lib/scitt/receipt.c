/* SPDX-License-Identifier: Apache-2.0 */
/* COSE Receipts: decoding and verification of RFC9162_SHA256 receipts
 * (draft-ietf-cose-merkle-tree-proofs sections 5.2 and 5.3) and of the CCF
 * profile's CCF_LEDGER_SHA256 receipts (draft-ietf-scitt-receipts-ccf-profile
 * sections 2 to 4). */
#include "scitt_internal.h"

/* Longest CCF internal evidence (CCF profile section 2: tstr .size (1..1024)). */
#define CCF_EVIDENCE_MAX 1024

/* A path: an array of at most max byte strings of exactly 32 bytes, or (CCF)
 * of [left: bool, hash: bstr .size 32] pairs. */
static mm_err check_path(mm_bytes path, size_t max, bool ccf, size_t *n)
{
    mm_cbor_dec d;
    size_t count = 0;
    mm_err e = mm_cbor_dec_init(&d, path, 0);
    if (e != MM_OK || mm_cbor_enter_array(&d, &count) != MM_OK) {
        return MM_ERR_CBOR_TYPE;
    }
    if (count > max) {
        return MM_ERR_TOO_LARGE;
    }
    for (size_t i = 0; i < count; i++) {
        mm_bytes h;
        bool left;
        size_t pair = 0;
        if (ccf && (mm_cbor_enter_array(&d, &pair) != MM_OK || pair != 2 || mm_cbor_get_bool(&d, &left) != MM_OK)) {
            return MM_ERR_CBOR_TYPE;
        }
        if (mm_cbor_get_bstr(&d, &h) != MM_OK || h.len != MM_MERKLE_HASH_LEN) {
            return MM_ERR_CBOR_TYPE; /* bstr .size 32 */
        }
        if (ccf && mm_cbor_exit(&d) != MM_OK) {
            return mm_cbor_dec_error(&d, NULL);
        }
    }
    *n = count;
    e = mm_cbor_exit(&d);
    return e == MM_OK ? mm_cbor_dec_finish(&d) : e;
}

/* An RFC9162_SHA256 proof: [size or size1, index or size2, [path]]
 * (sections 5.2 and 5.3). The draft's CDDL and its example files nest the
 * path in an array; some of its prose figures list the hashes inline, which
 * the CDDL does not allow, so only the nested form is read. */
typedef struct rfc_proof {
    uint64_t a, b;
    mm_bytes path; /* encoded array */
    size_t n;
} rfc_proof;

static mm_err parse_rfc(mm_bytes content, rfc_proof *p)
{
    memset(p, 0, sizeof *p);
    mm_cbor_dec d;
    size_t count = 0;
    mm_err e = mm_cbor_dec_init(&d, content, 0);
    if (e == MM_OK && mm_cbor_enter_array(&d, &count) != MM_OK) {
        e = mm_cbor_dec_error(&d, NULL);
    }
    if (e == MM_OK && count != 3) {
        e = MM_ERR_CBOR_TYPE;
    }
    if (e == MM_OK && (mm_cbor_get_uint(&d, &p->a) != MM_OK || mm_cbor_get_uint(&d, &p->b) != MM_OK ||
                       mm_cbor_get_raw(&d, &p->path) != MM_OK || mm_cbor_exit(&d) != MM_OK)) {
        e = mm_cbor_dec_error(&d, NULL);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    if (e == MM_OK) {
        e = check_path(p->path, MM_MERKLE_MAX_PROOF, false, &p->n);
    }
    return e;
}

/* A CCF inclusion proof: {1: [internal-transaction-hash, internal-evidence,
 * data-hash], 2: [+ [left, hash]]} (CCF profile sections 2 and 3). */
typedef struct ccf_proof {
    mm_bytes internal_hash;
    mm_bytes evidence;
    mm_bytes data_hash;
    mm_bytes path; /* encoded array */
    size_t n;
} ccf_proof;

static mm_err read_ccf_leaf(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    ccf_proof *p = user;
    size_t count = 0;
    size_t at = mm_cbor_dec_offset(d);
    if (mm_cbor_enter_array(d, &count) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    if (count != 3) {
        return mm_cbor_dec_fail(d, MM_ERR_CBOR_TYPE, at);
    }
    if (mm_cbor_get_bstr(d, &p->internal_hash) != MM_OK || mm_cbor_get_tstr(d, &p->evidence) != MM_OK ||
        mm_cbor_get_bstr(d, &p->data_hash) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    if (p->internal_hash.len != MM_MERKLE_HASH_LEN || p->data_hash.len != MM_MERKLE_HASH_LEN || p->evidence.len == 0 ||
        p->evidence.len > CCF_EVIDENCE_MAX) {
        return mm_cbor_dec_fail(d, MM_ERR_CBOR_TYPE, at);
    }
    return mm_cbor_exit(d);
}

static mm_err read_ccf_path(mm_cbor_dec *d, void *dst, void *user)
{
    (void)dst;
    ccf_proof *p = user;
    size_t at = mm_cbor_dec_offset(d);
    if (mm_cbor_get_raw(d, &p->path) != MM_OK) {
        return mm_cbor_dec_error(d, NULL);
    }
    mm_err e = check_path(p->path, MM_MERKLE_MAX_PROOF, true, &p->n);
    return e == MM_OK ? MM_OK : mm_cbor_dec_fail(d, e, at);
}

/* Values go through user (the proof), so the destinations are unused. */
static const mm_cbor_field ccf_fields[] = {
    {1, NULL, MM_CBOR_F_CUSTOM, MM_CBOR_F_REQUIRED, 0, read_ccf_leaf},
    {2, NULL, MM_CBOR_F_CUSTOM, MM_CBOR_F_REQUIRED, 0, read_ccf_path},
};

static mm_err parse_ccf(mm_bytes content, ccf_proof *p)
{
    memset(p, 0, sizeof *p);
    mm_cbor_dec d;
    mm_cbor_map_opts opts = {NULL, p, 0};
    uint8_t unused[sizeof(mm_bytes)];
    mm_err e = mm_cbor_dec_init(&d, content, MM_CBOR_CHECK_UTF8);
    if (e == MM_OK) {
        e = mm_cbor_decode_map(&d, ccf_fields, sizeof ccf_fields / sizeof ccf_fields[0], unused, NULL, &opts);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    return e;
}

/* Checks one proof's structure for the receipt's vds and proof type. */
static mm_err parse_proof(int64_t vds, int64_t type, mm_bytes content)
{
    if (vds == MM_SCITT_VDS_RFC9162_SHA256) {
        rfc_proof p;
        return parse_rfc(content, &p);
    }
    if (vds == MM_SCITT_VDS_CCF_LEDGER_SHA256 && type == MM_SCITT_PROOF_INCLUSION) {
        ccf_proof p;
        return parse_ccf(content, &p);
    }
    return MM_ERR_UNSUPPORTED;
}

/* vdp: {proof type: [+ bstr .cbor proof]} with one proof type. */
static mm_err read_vdp(mm_bytes vdp, mm_scitt_receipt *r)
{
    mm_cbor_dec d;
    size_t pairs = 0;
    mm_err e = mm_cbor_dec_init(&d, vdp, 0);
    if (e == MM_OK && mm_cbor_enter_map(&d, &pairs) != MM_OK) {
        return MM_ERR_CBOR_TYPE;
    }
    if (e == MM_OK && pairs == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    for (size_t i = 0; i < pairs && e == MM_OK; i++) {
        int64_t label;
        if (mm_cbor_get_int(&d, INT64_MIN, INT64_MAX, &label) != MM_OK) {
            return MM_ERR_CBOR_TYPE;
        }
        if (label != MM_SCITT_PROOF_INCLUSION && label != MM_SCITT_PROOF_CONSISTENCY) {
            return MM_ERR_UNKNOWN_FIELD;
        }
        if (r->proof_type != 0) {
            /* Both types: one signature cannot cover two roots' claims. */
            return label == r->proof_type ? MM_ERR_CBOR_DUP_KEY : MM_ERR_UNSUPPORTED;
        }
        r->proof_type = label;
        size_t at = mm_cbor_dec_offset(&d);
        size_t count = 0;
        if (mm_cbor_enter_array(&d, &count) != MM_OK) {
            return MM_ERR_CBOR_TYPE;
        }
        if (count == 0) {
            return MM_ERR_MISSING_FIELD;
        }
        if (count > MM_SCITT_MAX_PROOFS) {
            return MM_ERR_TOO_LARGE;
        }
        for (size_t k = 0; k < count; k++) {
            mm_bytes proof;
            if (mm_cbor_get_bstr(&d, &proof) != MM_OK) {
                return MM_ERR_CBOR_TYPE;
            }
        }
        if (mm_cbor_exit(&d) != MM_OK) {
            return mm_cbor_dec_error(&d, NULL);
        }
        r->proofs = mm_bytes_make(vdp.ptr + at, mm_cbor_dec_offset(&d) - at);
        r->n_proofs = count;
    }
    return e;
}

/* Proof i of r: the content of its bstr. */
static mm_err proof_at(const mm_scitt_receipt *r, size_t i, mm_bytes *content)
{
    mm_cbor_dec d;
    mm_err e = mm_cbor_dec_init(&d, r->proofs, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_array(&d, NULL);
    }
    for (size_t k = 0; k < i && e == MM_OK; k++) {
        e = mm_cbor_skip(&d);
    }
    return e == MM_OK ? mm_cbor_get_bstr(&d, content) : e;
}

mm_err mm_scitt_receipt_proof(const mm_scitt_receipt *r, size_t i, mm_scitt_proof *out)
{
    if (r == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    if (i >= r->n_proofs) {
        return MM_ERR_MISSING_FIELD;
    }
    mm_bytes content;
    mm_err e = proof_at(r, i, &content);
    if (e != MM_OK) {
        return e;
    }
    if (r->vds == MM_SCITT_VDS_RFC9162_SHA256) {
        rfc_proof p;
        e = parse_rfc(content, &p);
        out->a = p.a;
        out->b = p.b;
        out->path = p.path;
        out->path_len = p.n;
        return e;
    }
    if (r->vds == MM_SCITT_VDS_CCF_LEDGER_SHA256 && r->proof_type == MM_SCITT_PROOF_INCLUSION) {
        ccf_proof p;
        e = parse_ccf(content, &p);
        out->path = p.path;
        out->path_len = p.n;
        out->internal_hash = p.internal_hash;
        out->evidence = p.evidence;
        out->data_hash = p.data_hash;
        return e;
    }
    return MM_ERR_UNSUPPORTED;
}

mm_err mm_scitt_receipt_decode(mm_bytes in, mm_scitt_receipt *out, size_t *err_off)
{
    if (out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    out->bytes = in;
    mm_err e = mm_cose_sign1_decode(in, &out->sign1, err_off);
    if (e != MM_OK) {
        return e;
    }
    const mm_cose_headers *h = &out->sign1.hdr;
    /* Section 4.3: "Receipts MUST be tagged as COSE_Sign1". */
    if (!out->sign1.tagged) {
        return scitt_fail_at(MM_ERR_CBOR_TYPE, in, in, err_off);
    }
    out->present = (h->present & MM_HDRBIT_KID) != 0 ? (uint32_t)MM_SCITT_HAS_KID : 0u;
    mm_bytes v = {NULL, 0};
    bool prot = false;
    /* vds: protected, an int (sections 5.2.1 and 5.3.1). */
    e = mm_cose_header_find(h, MM_SCITT_HDR_VDS, &v, &prot);
    if (e != MM_OK) {
        return scitt_fail_at(e, in, h->protected_bytes, err_off);
    }
    mm_cbor_dec d;
    if (!prot || mm_cbor_dec_init(&d, v, 0) != MM_OK || mm_cbor_get_int(&d, INT64_MIN, INT64_MAX, &out->vds) != MM_OK) {
        return scitt_fail_at(MM_ERR_CBOR_TYPE, in, v, err_off);
    }
    /* CWT claims, when present: protected, as for statements. */
    e = scitt_header_claims(h, in, err_off, &out->claims, &out->iss, &out->sub, &out->iat, &out->present);
    if (e != MM_OK) {
        return e;
    }
    /* vdp: unprotected, a map of proofs. */
    e = mm_cose_header_find(h, MM_SCITT_HDR_VDP, &v, &prot);
    if (e != MM_OK) {
        return scitt_fail_at(e, in, h->unprotected, err_off);
    }
    if (prot) {
        return scitt_fail_at(MM_ERR_CBOR_TYPE, in, v, err_off);
    }
    e = read_vdp(v, out);
    if (e != MM_OK) {
        return scitt_fail_at(e, in, v, err_off);
    }
    /* Section 4.4: detached payloads "force verifiers to recompute the root
     * from the proof"; the CCF profile requires them. An attached root is
     * not trusted, and not compared either: refused. */
    if (!out->sign1.detached) {
        return scitt_fail_at(MM_ERR_UNSUPPORTED, in, out->sign1.payload, err_off);
    }
    for (size_t i = 0; i < out->n_proofs; i++) {
        mm_bytes content = {NULL, 0};
        e = proof_at(out, i, &content);
        if (e == MM_OK) {
            e = parse_proof(out->vds, out->proof_type, content);
        }
        if (e != MM_OK) {
            return scitt_fail_at(e, in, e == MM_ERR_UNSUPPORTED ? v : content, err_off);
        }
    }
    return MM_OK;
}

/* Checks the signature over root; vds is understood in crit. */
static mm_err check_signature(const mm_scitt_receipt *r, const mm_scitt_verify_opts *o,
                              const uint8_t root[MM_MERKLE_HASH_LEN])
{
    int64_t crit[16];
    if (o->n_crit > sizeof crit / sizeof crit[0] - 1 || (o->n_crit != 0 && o->crit == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    crit[0] = MM_SCITT_HDR_VDS;
    for (size_t i = 0; i < o->n_crit; i++) {
        crit[i + 1] = o->crit[i];
    }
    mm_cose_verify_opts v;
    memset(&v, 0, sizeof v);
    v.crypto = o->crypto;
    v.key = o->key;
    v.payload = mm_bytes_make(root, MM_MERKLE_HASH_LEN);
    v.crit = crit;
    v.n_crit = o->n_crit + 1;
    v.algs = o->algs;
    v.scratch = o->scratch;
    v.scratch_len = o->scratch_len;
    return mm_cose_sign1_verify(&r->sign1, &v);
}

/* Feeds an RFC 9162 path (an encoded array of bstr) through a walk. */
static mm_err walk_rfc_path(mm_merkle_walk *w, mm_bytes path, uint8_t root[MM_MERKLE_HASH_LEN])
{
    mm_cbor_dec d;
    size_t count = 0;
    mm_err e = mm_cbor_dec_init(&d, path, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_array(&d, &count);
    }
    for (size_t i = 0; i < count && e == MM_OK; i++) {
        mm_bytes h;
        e = mm_cbor_get_bstr(&d, &h);
        if (e == MM_OK) {
            e = mm_merkle_walk_step(w, h);
        }
    }
    return e == MM_OK ? mm_merkle_walk_root(w, root) : e;
}

static mm_err sha256_parts(const mm_crypto *c, mm_bytes a, mm_bytes b, mm_bytes d3, uint8_t out[MM_MERKLE_HASH_LEN])
{
    const mm_bytes parts[3] = {a, b, d3};
    return scitt_sha256(c, parts, 3, out);
}

/* The CCF root: the leaf from its components, then the path upwards, each
 * step a plain SHA-256 of the two children (CCF profile section 3). */
static mm_err ccf_root(const mm_crypto *c, const ccf_proof *p, uint8_t root[MM_MERKLE_HASH_LEN])
{
    uint8_t evidence_hash[MM_MERKLE_HASH_LEN];
    uint8_t h[MM_MERKLE_HASH_LEN];
    mm_bytes none = mm_bytes_make(NULL, 0);
    mm_err e = sha256_parts(c, p->evidence, none, none, evidence_hash);
    if (e == MM_OK) {
        e = sha256_parts(c, p->internal_hash, mm_bytes_make(evidence_hash, sizeof evidence_hash), p->data_hash, h);
    }
    mm_cbor_dec d;
    size_t count = 0;
    if (e == MM_OK && (e = mm_cbor_dec_init(&d, p->path, 0)) == MM_OK) {
        e = mm_cbor_enter_array(&d, &count);
    }
    for (size_t i = 0; i < count && e == MM_OK; i++) {
        bool left;
        mm_bytes sib;
        if (mm_cbor_enter_array(&d, NULL) != MM_OK || mm_cbor_get_bool(&d, &left) != MM_OK ||
            mm_cbor_get_bstr(&d, &sib) != MM_OK || mm_cbor_exit(&d) != MM_OK) {
            e = mm_cbor_dec_error(&d, NULL);
            break;
        }
        mm_bytes cur = mm_bytes_make(h, sizeof h);
        e = left ? sha256_parts(c, sib, cur, none, h) : sha256_parts(c, cur, sib, none, h);
    }
    if (e == MM_OK) {
        memcpy(root, h, MM_MERKLE_HASH_LEN);
    }
    return e;
}

/* The root one inclusion proof leads to from leaf. */
static mm_err inclusion_root(const mm_scitt_receipt *r, const mm_crypto *c, mm_bytes content, const mm_scitt_leaf *leaf,
                             mm_scitt_proven *pv)
{
    if (r->vds == MM_SCITT_VDS_RFC9162_SHA256) {
        rfc_proof p;
        mm_merkle_walk w;
        mm_err e = parse_rfc(content, &p);
        if (e == MM_OK) {
            e = mm_merkle_walk_inclusion(&w, c, p.b, p.a, leaf->leaf_hash);
        }
        if (e == MM_OK) {
            e = walk_rfc_path(&w, p.path, pv->root);
        }
        pv->tree_size = p.a;
        pv->leaf_index = p.b;
        return e;
    }
    ccf_proof p;
    mm_err e = parse_ccf(content, &p);
    if (e != MM_OK) {
        return e;
    }
    /* The proof must be about this statement's entry. */
    if (memcmp(p.data_hash.ptr, leaf->entry_hash, MM_MERKLE_HASH_LEN) != 0) {
        return MM_ERR_VERIFY;
    }
    return ccf_root(c, &p, pv->root);
}

static bool opts_ok(const mm_scitt_receipt *r, const mm_scitt_verify_opts *o)
{
    return r != NULL && o != NULL && o->crypto != NULL && o->key != NULL && r->n_proofs != 0 &&
           r->n_proofs <= MM_SCITT_MAX_PROOFS;
}

/* The root a consistency proof gives: from size1 and root1, the tree the
 * caller trusts, to the proof's newer size. */
static mm_err consistency_root(const mm_crypto *c, mm_bytes content, uint64_t size1,
                               const uint8_t root1[MM_MERKLE_HASH_LEN], mm_scitt_proven *pv)
{
    rfc_proof p;
    mm_merkle_walk w;
    mm_err e = parse_rfc(content, &p);
    /* The proof must start from the tree the caller trusts. */
    if (e == MM_OK && p.a != size1) {
        e = MM_ERR_VERIFY;
    }
    if (e == MM_OK) {
        e = mm_merkle_walk_consistency(&w, c, p.a, p.b, root1);
    }
    if (e == MM_OK) {
        e = walk_rfc_path(&w, p.path, pv->root);
        pv->tree_size = p.b;
    }
    return e;
}

/* Checks every proof of r against leaf (inclusion), or when leaf is NULL
 * against size1 and root1 (consistency). Every proof must hold: one answer
 * for the receipt. The signature is checked once per distinct root (all
 * must be the same one to pass). */
static mm_err verify_proofs(const mm_scitt_receipt *r, const mm_scitt_verify_opts *o, const mm_scitt_leaf *leaf,
                            uint64_t size1, const uint8_t *root1, mm_scitt_proven *proven)
{
    mm_scitt_proven pv;
    uint8_t signed_root[MM_MERKLE_HASH_LEN];
    mm_err e = MM_OK;
    for (size_t i = 0; i < r->n_proofs && e == MM_OK; i++) {
        mm_bytes content;
        memset(&pv, 0, sizeof pv);
        pv.vds = r->vds;
        e = proof_at(r, i, &content);
        if (e == MM_OK) {
            e = leaf != NULL ? inclusion_root(r, o->crypto, content, leaf, &pv)
                             : consistency_root(o->crypto, content, size1, root1, &pv);
        }
        if (e == MM_OK && (i == 0 || memcmp(pv.root, signed_root, MM_MERKLE_HASH_LEN) != 0)) {
            e = check_signature(r, o, pv.root);
            memcpy(signed_root, pv.root, MM_MERKLE_HASH_LEN);
        }
    }
    if (e == MM_OK && proven != NULL) {
        *proven = pv;
    }
    return e;
}

mm_err mm_scitt_receipt_verify(const mm_scitt_receipt *r, const mm_scitt_leaf *leaf, const mm_scitt_verify_opts *o,
                               mm_scitt_proven *proven)
{
    if (!opts_ok(r, o) || leaf == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (r->proof_type != MM_SCITT_PROOF_INCLUSION ||
        (r->vds != MM_SCITT_VDS_RFC9162_SHA256 && r->vds != MM_SCITT_VDS_CCF_LEDGER_SHA256)) {
        return MM_ERR_UNSUPPORTED;
    }
    return verify_proofs(r, o, leaf, 0, NULL, proven);
}

mm_err mm_scitt_receipt_verify_consistency(const mm_scitt_receipt *r, uint64_t size1,
                                           const uint8_t root1[MM_MERKLE_HASH_LEN], const mm_scitt_verify_opts *o,
                                           mm_scitt_proven *proven)
{
    if (!opts_ok(r, o) || root1 == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (r->proof_type != MM_SCITT_PROOF_CONSISTENCY || r->vds != MM_SCITT_VDS_RFC9162_SHA256) {
        return MM_ERR_UNSUPPORTED;
    }
    return verify_proofs(r, o, NULL, size1, root1, proven);
}
