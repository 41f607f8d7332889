/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The built-in algorithm table and lookups along a chain of tables. A
 * registry is data: other modules (HPKE, HSS-LMS) and applications add
 * algorithms by chaining their own const table in front of this one.
 */
#include "cose_internal.h"
#include "recipient.h"

static const mm_cose_sig_alg sig_algs[] = {
    {MM_ALG_ES256, MM_ALG_SHA256, 64, MM_CRV_P256, NULL, NULL},
    {MM_ALG_ESP256, MM_ALG_SHA256, 64, MM_CRV_P256, NULL, NULL},
    {MM_ALG_ES384, MM_ALG_SHA384, 96, MM_CRV_P384, NULL, NULL},
    {MM_ALG_ESP384, MM_ALG_SHA384, 96, MM_CRV_P384, NULL, NULL},
    {MM_ALG_ES512, MM_ALG_SHA512, 132, MM_CRV_P521, NULL, NULL},
    {MM_ALG_ESP512, MM_ALG_SHA512, 132, MM_CRV_P521, NULL, NULL},
    {MM_ALG_EDDSA, 0, 0, 0, NULL, NULL}, /* 64 for Ed25519, 114 for Ed448: from the key */
    {MM_ALG_ED25519, 0, 64, 0, NULL, NULL},
    {MM_ALG_PS256, MM_ALG_SHA256, 0, 0, NULL, NULL},
    {MM_ALG_PS384, MM_ALG_SHA384, 0, 0, NULL, NULL},
    {MM_ALG_PS512, MM_ALG_SHA512, 0, 0, NULL, NULL},
};

static const mm_cose_rcpt_alg rcpt_algs[] = {
    {MM_ALG_DIRECT, 1, NULL, NULL},
    {MM_ALG_A128KW, 0, cose_rcpt_kw_decrypt, cose_rcpt_kw_encrypt},
    {MM_ALG_A192KW, 0, cose_rcpt_kw_decrypt, cose_rcpt_kw_encrypt},
    {MM_ALG_A256KW, 0, cose_rcpt_kw_decrypt, cose_rcpt_kw_encrypt},
    {MM_ALG_ECDH_ES_HKDF256, 1, cose_rcpt_ecdh_decrypt, cose_rcpt_ecdh_encrypt},
    {MM_ALG_ECDH_ES_HKDF512, 1, cose_rcpt_ecdh_decrypt, cose_rcpt_ecdh_encrypt},
    {MM_ALG_ECDH_SS_HKDF256, 1, cose_rcpt_ecdh_decrypt, cose_rcpt_ecdh_encrypt},
    {MM_ALG_ECDH_SS_HKDF512, 1, cose_rcpt_ecdh_decrypt, cose_rcpt_ecdh_encrypt},
    {MM_ALG_ECDH_ES_A128KW, 0, cose_rcpt_ecdh_decrypt, cose_rcpt_ecdh_encrypt},
    {MM_ALG_ECDH_ES_A192KW, 0, cose_rcpt_ecdh_decrypt, cose_rcpt_ecdh_encrypt},
    {MM_ALG_ECDH_ES_A256KW, 0, cose_rcpt_ecdh_decrypt, cose_rcpt_ecdh_encrypt},
    {MM_ALG_ECDH_SS_A128KW, 0, cose_rcpt_ecdh_decrypt, cose_rcpt_ecdh_encrypt},
    {MM_ALG_ECDH_SS_A192KW, 0, cose_rcpt_ecdh_decrypt, cose_rcpt_ecdh_encrypt},
    {MM_ALG_ECDH_SS_A256KW, 0, cose_rcpt_ecdh_decrypt, cose_rcpt_ecdh_encrypt},
};

/* Not static: a table of another module of the library (COSE-HPKE) chains
 * itself in front of it at compile time. */
const mm_cose_algs cose_default_algs = {
    sig_algs, sizeof sig_algs / sizeof sig_algs[0], rcpt_algs, sizeof rcpt_algs / sizeof rcpt_algs[0], NULL, NULL, 0,
};

const mm_cose_algs *mm_cose_algs_default(void) { return &cose_default_algs; }

const mm_cose_sig_alg *mm_cose_find_sig_alg(const mm_cose_algs *algs, int32_t alg)
{
    for (const mm_cose_algs *t = algs != NULL ? algs : &cose_default_algs; t != NULL; t = t->next) {
        for (size_t i = 0; i < t->n_sig; i++) {
            if (t->sig[i].alg == alg) {
                return &t->sig[i];
            }
        }
    }
    return NULL;
}

const mm_cose_rcpt_alg *mm_cose_find_rcpt_alg(const mm_cose_algs *algs, int32_t alg)
{
    for (const mm_cose_algs *t = algs != NULL ? algs : &cose_default_algs; t != NULL; t = t->next) {
        for (size_t i = 0; i < t->n_rcpt; i++) {
            if (t->rcpt[i].alg == alg) {
                return &t->rcpt[i];
            }
        }
    }
    return NULL;
}

const mm_cose_enc0_alg *mm_cose_find_enc0_alg(const mm_cose_algs *algs, int32_t alg)
{
    for (const mm_cose_algs *t = algs != NULL ? algs : &cose_default_algs; t != NULL; t = t->next) {
        for (size_t i = 0; i < t->n_enc0; i++) {
            if (t->enc0[i].alg == alg) {
                return &t->enc0[i];
            }
        }
    }
    return NULL;
}
