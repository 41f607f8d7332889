/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HSS-LMS (-46, RFC 8778) in the COSE registry. The key's own crypto
 * instance does the work: an mm_lms_verifier (device) verifies, the host
 * signer signs, and the COSE layers only see a signature algorithm whose
 * signature length comes from the key and which signs the Sig_structure
 * whole.
 */
#include "cose_internal.h"
#include "mamori/lms.h"

static mm_err lms_cose_verify(const mm_crypto *c, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags,
                              mm_bytes sig)
{
    (void)c; /* the key's instance hashes with the backend it was set up with */
    if (key == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return mm_verify(key->crypto, key, alg, data, flags, sig);
}

static mm_err lms_cose_sign(const mm_crypto *c, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags,
                            uint8_t *sig, size_t cap, size_t *len)
{
    (void)c;
    if (key == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return mm_sign(key->crypto, key, alg, data, flags, sig, cap, len);
}

static const mm_cose_sig_alg lms_sig_algs[] = {
    {MM_ALG_HSS_LMS, 0, 0, 0, lms_cose_verify, lms_cose_sign},
};

static const mm_cose_algs lms_algs = {
    lms_sig_algs, sizeof lms_sig_algs / sizeof lms_sig_algs[0], NULL, 0, &cose_default_algs, NULL, 0,
};

const mm_cose_algs *mm_lms_cose_algs(void) { return &lms_algs; }
