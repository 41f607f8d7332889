/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The two computations every LMS verification makes: the candidate LM-OTS
 * public key from a one-time signature (RFC 8554 Algorithm 4b) and the walk
 * up the Merkle tree along the authentication path (Algorithm 6a). The
 * signer reuses them to check what it produced.
 */
#include "lms_internal.h"

void lms_checksum(const mm_lms_ots_type_info *ots, uint8_t *q_and_cksm)
{
    unsigned max = (1u << ots->w) - 1;
    unsigned digits = 8u * ots->n / ots->w;
    unsigned sum = 0;
    for (unsigned i = 0; i < digits; i++) {
        sum += max - lms_coef(q_and_cksm, i, ots->w);
    }
    sum <<= ots->ls;
    q_and_cksm[ots->n] = (uint8_t)(sum >> 8);
    q_and_cksm[ots->n + 1] = (uint8_t)sum;
}

mm_err lms_ots_candidate(const lms_hash *h, const mm_lms_ots_type_info *ots, const uint8_t I[MM_LMS_I_LEN], uint32_t q,
                         const uint8_t *digest, const uint8_t *y, uint8_t *kc)
{
    uint8_t qc[MM_LMS_N_MAX + 2];
    memcpy(qc, digest, ots->n);
    lms_checksum(ots, qc);
    mm_lms_hash_state k;
    mm_err e = lms_h_begin(&k, h, I, q, LMS_D_PBLC);
    if (e == MM_OK) {
        lms_chain_req r = {ots, I, q, qc, false, NULL, y, NULL, &k};
        e = lms_chains(h, &r);
    }
    if (e != MM_OK) {
        lms_h_abort(&k);
        return e;
    }
    return lms_h_final(&k, kc);
}

mm_err lms_root_from_path(const lms_hash *h, const mm_lms_type_info *lms, const uint8_t I[MM_LMS_I_LEN], uint32_t q,
                          const uint8_t *kc, const uint8_t *path, uint8_t *root)
{
    uint32_t node = (UINT32_C(1) << lms->h) + q;
    uint8_t tmp[MM_LMS_N_MAX];
    mm_err e = lms_leaf(h, I, node, kc, tmp);
    for (unsigned i = 0; i < lms->h && e == MM_OK; i++, node >>= 1) {
        const uint8_t *sibling = path + (size_t)i * lms->m;
        e = (node & 1) != 0 ? lms_node(h, I, node >> 1, sibling, tmp, tmp)
                            : lms_node(h, I, node >> 1, tmp, sibling, tmp);
    }
    if (e == MM_OK) {
        memcpy(root, tmp, lms->m);
    }
    return e;
}
