/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ECDSA signatures between COSE's form (RFC 9053 2.1: r and s as fixed-size
 * big-endian integers, concatenated) and the DER ECDSA-Sig-Value OpenSSL
 * signs and verifies.
 */
#include <openssl/bn.h>
#include <openssl/ec.h>

#include "internal.h"

mm_err mo_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, size_t n, uint8_t *raw)
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (sig == NULL) {
        return MM_ERR_PLATFORM;
    }
    const BIGNUM *r = NULL;
    const BIGNUM *s = NULL;
    ECDSA_SIG_get0(sig, &r, &s);
    int ok = BN_bn2binpad(r, raw, (int)n) == (int)n && BN_bn2binpad(s, raw + n, (int)n) == (int)n;
    ECDSA_SIG_free(sig);
    return ok ? MM_OK : MM_ERR_PLATFORM;
}

mm_err mo_ecdsa_raw_to_der(const uint8_t *raw, size_t n, uint8_t **der, size_t *der_len)
{
    *der = NULL;
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, (int)n, NULL);
    BIGNUM *s = BN_bin2bn(raw + n, (int)n, NULL);
    if (sig == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return MM_ERR_PLATFORM;
    }
    /* sig owns r and s now */
    unsigned char *out = NULL;
    int len = i2d_ECDSA_SIG(sig, &out);
    ECDSA_SIG_free(sig);
    if (len <= 0) {
        return MM_ERR_PLATFORM;
    }
    *der = out;
    *der_len = (size_t)len;
    return MM_OK;
}
