/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The names the CLI gives COSE algorithms, key types and curves, in one
 * table each (IANA "COSE Algorithms", "COSE Key Types", "COSE Elliptic
 * Curves"), and the algorithm a key is used with when none is asked for.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "mamori/hpke.h"

/* COSE-HPKE rows from the suites' one table (mamori/hpke.h); an integrated
 * suite makes a COSE_Encrypt0 for one recipient. */
#define HPKE_ROW(id, name, alg, kem, kdf, aead, ke) {(name), (alg), (ke) ? CLI_ALG_HPKE_KE : CLI_ALG_HPKE, 0, !(ke)},

static const cli_alg algs[] = {
    {"ES256", MM_ALG_ES256, CLI_ALG_SIGN, 0, 0},
    {"ESP256", MM_ALG_ESP256, CLI_ALG_SIGN, 0, 0},
    {"ES384", MM_ALG_ES384, CLI_ALG_SIGN, 0, 0},
    {"ESP384", MM_ALG_ESP384, CLI_ALG_SIGN, 0, 0},
    {"ES512", MM_ALG_ES512, CLI_ALG_SIGN, 0, 0},
    {"ESP512", MM_ALG_ESP512, CLI_ALG_SIGN, 0, 0},
    {"EdDSA", MM_ALG_EDDSA, CLI_ALG_SIGN, 0, 0},
    {"Ed25519", MM_ALG_ED25519, CLI_ALG_SIGN, 0, 0},
    {"PS256", MM_ALG_PS256, CLI_ALG_SIGN, 0, 0},
    {"PS384", MM_ALG_PS384, CLI_ALG_SIGN, 0, 0},
    {"PS512", MM_ALG_PS512, CLI_ALG_SIGN, 0, 0},
    {"HSS-LMS", MM_ALG_HSS_LMS, CLI_ALG_SIGN, 0, 0},
    {"HS256/64", MM_ALG_HMAC256_64, CLI_ALG_MAC, 256, 0},
    {"HS256", MM_ALG_HMAC256, CLI_ALG_MAC, 256, 0},
    {"HS384", MM_ALG_HMAC384, CLI_ALG_MAC, 384, 0},
    {"HS512", MM_ALG_HMAC512, CLI_ALG_MAC, 512, 0},
    {"A128GCM", MM_ALG_A128GCM, CLI_ALG_AEAD, 128, 0},
    {"A192GCM", MM_ALG_A192GCM, CLI_ALG_AEAD, 192, 0},
    {"A256GCM", MM_ALG_A256GCM, CLI_ALG_AEAD, 256, 0},
    {"ChaCha20/Poly1305", MM_ALG_CHACHA20_POLY1305, CLI_ALG_AEAD, 256, 0},
    {"A128CTR", MM_ALG_A128CTR, CLI_ALG_CTR, 128, 0},
    {"A192CTR", MM_ALG_A192CTR, CLI_ALG_CTR, 192, 0},
    {"A256CTR", MM_ALG_A256CTR, CLI_ALG_CTR, 256, 0},
    {"direct", MM_ALG_DIRECT, CLI_ALG_DIRECT, 0, 1},
    {"A128KW", MM_ALG_A128KW, CLI_ALG_KW, 128, 0},
    {"A192KW", MM_ALG_A192KW, CLI_ALG_KW, 192, 0},
    {"A256KW", MM_ALG_A256KW, CLI_ALG_KW, 256, 0},
    {"ECDH-ES+HKDF-256", MM_ALG_ECDH_ES_HKDF256, CLI_ALG_ECDH, 0, 1},
    {"ECDH-ES+HKDF-512", MM_ALG_ECDH_ES_HKDF512, CLI_ALG_ECDH, 0, 1},
    {"ECDH-SS+HKDF-256", MM_ALG_ECDH_SS_HKDF256, CLI_ALG_ECDH, 0, 1},
    {"ECDH-SS+HKDF-512", MM_ALG_ECDH_SS_HKDF512, CLI_ALG_ECDH, 0, 1},
    {"ECDH-ES+A128KW", MM_ALG_ECDH_ES_A128KW, CLI_ALG_ECDH, 0, 0},
    {"ECDH-ES+A192KW", MM_ALG_ECDH_ES_A192KW, CLI_ALG_ECDH, 0, 0},
    {"ECDH-ES+A256KW", MM_ALG_ECDH_ES_A256KW, CLI_ALG_ECDH, 0, 0},
    {"ECDH-SS+A128KW", MM_ALG_ECDH_SS_A128KW, CLI_ALG_ECDH, 0, 0},
    {"ECDH-SS+A192KW", MM_ALG_ECDH_SS_A192KW, CLI_ALG_ECDH, 0, 0},
    {"ECDH-SS+A256KW", MM_ALG_ECDH_SS_A256KW, CLI_ALG_ECDH, 0, 0},
    MM_HPKE_COSE_SUITES(HPKE_ROW){"SHA-256", MM_ALG_SHA256, CLI_ALG_HASH, 0, 0},
    {"SHA-384", MM_ALG_SHA384, CLI_ALG_HASH, 0, 0},
    {"SHA-512", MM_ALG_SHA512, CLI_ALG_HASH, 0, 0},
    {"SHA-256/64", MM_ALG_SHA256_64, CLI_ALG_HASH, 0, 0},
};
#define N_ALGS (sizeof algs / sizeof algs[0])

const cli_alg *cli_alg_find(const char *name)
{
    for (size_t i = 0; i < N_ALGS; i++) {
        if (strcasecmp(algs[i].name, name) == 0) {
            return &algs[i];
        }
    }
    return NULL;
}

const cli_alg *cli_alg_by_id(int32_t id)
{
    for (size_t i = 0; i < N_ALGS; i++) {
        if (algs[i].id == id) {
            return &algs[i];
        }
    }
    return NULL;
}

const char *cli_alg_name(int64_t alg)
{
    if (alg < INT32_MIN || alg > INT32_MAX) {
        return NULL;
    }
    const cli_alg *a = cli_alg_by_id((int32_t)alg);
    return a != NULL ? a->name : NULL;
}

int cli_alg_parse(const char *opt, const char *value, unsigned kinds, int32_t *alg)
{
    const cli_alg *a = cli_alg_find(value);
    if (a != NULL && (a->kind & kinds) != 0) {
        *alg = a->id;
        return CLI_OK;
    }
    char names[1024];
    size_t len = 0;
    names[0] = '\0';
    for (size_t i = 0; i < N_ALGS; i++) {
        if ((algs[i].kind & kinds) != 0 && len < sizeof names) {
            int w = snprintf(names + len, sizeof names - len, "%s%s", len == 0 ? "" : ", ", algs[i].name);
            len += w > 0 ? (size_t)w : 0;
        }
    }
    return cli_fail(CLI_USAGE, opt, "%s algorithm '%s' (one of %s)", a == NULL ? "unknown" : "not an accepted", value,
                    names);
}

/* The usual signature algorithm of an asymmetric key. */
static int32_t default_sign(const mm_key *key)
{
    switch (key->kty) {
    case MM_KTY_EC2:
        return key->crv == MM_CRV_P256   ? MM_ALG_ES256
               : key->crv == MM_CRV_P384 ? MM_ALG_ES384
               : key->crv == MM_CRV_P521 ? MM_ALG_ES512
                                         : 0;
    case MM_KTY_OKP:
        return key->crv == MM_CRV_ED25519 || key->crv == MM_CRV_ED448 ? MM_ALG_EDDSA : 0;
    case MM_KTY_HSS_LMS:
        return MM_ALG_HSS_LMS;
    case MM_KTY_RSA:
        /* The hash that matches the modulus, as 'mamori key gen' pairs them. */
        return key->bits >= 4096 ? MM_ALG_PS512 : key->bits >= 3072 ? MM_ALG_PS384 : MM_ALG_PS256;
    default:
        return 0;
    }
}

/* The symmetric algorithm of kind whose key has the key's size. */
static int32_t by_size(const mm_key *key, unsigned kind)
{
    for (size_t i = 0; i < N_ALGS; i++) {
        if (algs[i].kind == kind && algs[i].bits == key->bits) {
            return algs[i].id;
        }
    }
    return 0;
}

int32_t cli_default_alg(const mm_key *key, unsigned kind)
{
    const cli_alg *own = cli_alg_by_id(key->alg);
    if (key->alg != 0 && own != NULL && (own->kind & kind) != 0) {
        return key->alg;
    }
    int32_t alg = 0;
    if ((kind & CLI_ALG_SIGN) != 0) {
        alg = default_sign(key);
    }
    if (alg == 0 && (kind & CLI_ALG_MAC) != 0 && key->kty == MM_KTY_SYMMETRIC) {
        alg = key->bits >= 512 ? MM_ALG_HMAC512 : key->bits >= 384 ? MM_ALG_HMAC384 : MM_ALG_HMAC256;
    }
    if (alg == 0 && (kind & CLI_ALG_AEAD) != 0 && key->kty == MM_KTY_SYMMETRIC) {
        alg = by_size(key, CLI_ALG_AEAD);
    }
    if (alg == 0 && (kind & CLI_ALG_DIRECT) != 0 && own != NULL && own->kind == CLI_ALG_AEAD) {
        alg = MM_ALG_DIRECT; /* a content key shared with the recipient */
    }
    if (alg == 0 && (kind & CLI_ALG_KW) != 0 && key->kty == MM_KTY_SYMMETRIC && key->alg == 0) {
        alg = by_size(key, CLI_ALG_KW);
    }
    if (alg == 0 && (kind & CLI_ALG_ECDH) != 0 && key->alg == 0 && mm_key_allows(key, MM_ALG_ECDH_ES_A128KW, false)) {
        alg = MM_ALG_ECDH_ES_A128KW;
    }
    /* The key's own restriction always wins over a usual choice (a direct
     * recipient's key is checked against the content algorithm instead). */
    return alg == MM_ALG_DIRECT || (alg != 0 && mm_key_allows(key, alg, false)) ? alg : 0;
}

typedef struct name_id {
    const char *name;
    int32_t id;
} name_id;

static const name_id ktys[] = {
    {"OKP", MM_KTY_OKP},         {"EC2", MM_KTY_EC2}, {"RSA", MM_KTY_RSA}, {"Symmetric", MM_KTY_SYMMETRIC},
    {"HSS-LMS", MM_KTY_HSS_LMS},
};

static const name_id crvs[] = {
    {"P-256", MM_CRV_P256}, {"P-384", MM_CRV_P384},      {"P-521", MM_CRV_P521},  {"X25519", MM_CRV_X25519},
    {"X448", MM_CRV_X448},  {"Ed25519", MM_CRV_ED25519}, {"Ed448", MM_CRV_ED448},
};

static const char *name_of(const name_id *t, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i].id == id) {
            return t[i].name;
        }
    }
    return NULL;
}

const char *cli_kty_name(int64_t kty) { return name_of(ktys, sizeof ktys / sizeof ktys[0], kty); }

const char *cli_crv_name(int64_t crv) { return name_of(crvs, sizeof crvs / sizeof crvs[0], crv); }

int32_t cli_crv_find(const char *name)
{
    for (size_t i = 0; i < sizeof crvs / sizeof crvs[0]; i++) {
        if (strcasecmp(crvs[i].name, name) == 0) {
            return crvs[i].id;
        }
    }
    return 0;
}
