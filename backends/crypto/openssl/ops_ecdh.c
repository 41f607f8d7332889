/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key agreement: ECDH on P-256/384/521 (the shared point's x coordinate,
 * padded to the field size, as SEC 1 and RFC 9053 6.3.1 define it) and
 * X25519/X448 (RFC 7748) through EVP_PKEY_derive.
 */
#include "internal.h"

static bool is_agreement_curve(const mm_key *key)
{
    if (key->kty == MM_KTY_EC2) {
        return key->crv == MM_CRV_P256 || key->crv == MM_CRV_P384 || key->crv == MM_CRV_P521;
    }
    return key->kty == MM_KTY_OKP && (key->crv == MM_CRV_X25519 || key->crv == MM_CRV_X448);
}

mm_err mo_ecdh(const mm_key *priv, const mm_key *peer, uint8_t secret[MM_ECDH_MAX], size_t *len)
{
    EVP_PKEY *mine = mo_pkey(priv);
    EVP_PKEY *theirs = mo_pkey(peer);
    if (mine == NULL || theirs == NULL) {
        return mine == NULL ? mo_key_err(priv) : mo_key_err(peer);
    }
    if ((priv->flags & MM_KEY_PRIVATE) == 0 || priv->kty != peer->kty || priv->crv != peer->crv ||
        !is_agreement_curve(priv)) {
        return MM_ERR_KEY_USAGE;
    }
    const mo_curve *curve = mo_curve_find(priv->kty, priv->crv);
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL);
    if (c == NULL || EVP_PKEY_derive_init(c) != 1 || EVP_PKEY_derive_set_peer(c, theirs) != 1) {
        EVP_PKEY_CTX_free(c);
        return MM_ERR_PLATFORM;
    }
    size_t n = MM_ECDH_MAX;
    int ok = EVP_PKEY_derive(c, secret, &n);
    EVP_PKEY_CTX_free(c);
    if (ok != 1 || curve == NULL || n != curve->size) {
        mm_wipe(secret, MM_ECDH_MAX);
        /* X25519 and X448 fail only when the peer's point has low order and
         * the secret is all zeros (RFC 7748 6.1): that peer is refused. */
        return priv->kty == MM_KTY_OKP && ok != 1 ? MM_ERR_VERIFY : MM_ERR_PLATFORM;
    }
    *len = n;
    return MM_OK;
}
