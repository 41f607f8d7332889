/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small pieces the OpenSSL backend's files share: the curve and hash tables
 * that translate COSE numbers to OpenSSL names, the slot a streaming context
 * keeps its OpenSSL object in, and adapters between size_t and the int
 * lengths OpenSSL's cipher API takes.
 */
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/objects.h>

#include "internal.h"

static const mo_curve curves[] = {
    {MM_KTY_EC2, MM_CRV_P256, "prime256v1", NID_X9_62_prime256v1, 32},
    {MM_KTY_EC2, MM_CRV_P384, "secp384r1", NID_secp384r1, 48},
    {MM_KTY_EC2, MM_CRV_P521, "secp521r1", NID_secp521r1, 66},
    {MM_KTY_OKP, MM_CRV_ED25519, "ED25519", NID_ED25519, 32},
    {MM_KTY_OKP, MM_CRV_ED448, "ED448", NID_ED448, 57},
    {MM_KTY_OKP, MM_CRV_X25519, "X25519", NID_X25519, 32},
    {MM_KTY_OKP, MM_CRV_X448, "X448", NID_X448, 56},
};

const mo_curve *mo_curve_find(int32_t kty, int32_t crv)
{
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
        if (curves[i].kty == kty && curves[i].crv == crv) {
            return &curves[i];
        }
    }
    return NULL;
}

/* An EC key's curve by its group's name, which OpenSSL may spell as the
 * short name ("prime256v1") or the NIST one ("P-256"). */
static int ec_group_nid(const EVP_PKEY *pkey)
{
    char name[64];
    size_t len = 0;
    if (EVP_PKEY_get_group_name(pkey, name, sizeof name, &len) != 1 || len >= sizeof name) {
        return NID_undef; /* explicit parameters have no name: refused */
    }
    name[len] = '\0';
    int nid = OBJ_sn2nid(name);
    return nid != NID_undef ? nid : EC_curve_nist2nid(name);
}

const mo_curve *mo_curve_of(const EVP_PKEY *pkey)
{
    int nid = EVP_PKEY_get_base_id(pkey);
    if (nid == EVP_PKEY_EC) {
        nid = ec_group_nid(pkey);
    }
    if (nid == NID_undef) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
        if (curves[i].nid == nid) {
            return &curves[i];
        }
    }
    return NULL;
}

const EVP_MD *mo_md(int32_t hash_alg)
{
    switch (hash_alg) {
    case MM_ALG_SHA256:
        return EVP_sha256();
    case MM_ALG_SHA384:
        return EVP_sha384();
    case MM_ALG_SHA512:
        return EVP_sha512();
    default:
        return NULL;
    }
}

const char *mo_md_name(int32_t hash_alg)
{
    switch (hash_alg) {
    case MM_ALG_SHA256:
        return "SHA256";
    case MM_ALG_SHA384:
        return "SHA384";
    case MM_ALG_SHA512:
        return "SHA512";
    default:
        return NULL;
    }
}

static EVP_MD *fetched_md[3]; /* SHA-256, SHA-384, SHA-512 */
static pthread_once_t fetched_once = PTHREAD_ONCE_INIT;

static void fetch_mds(void)
{
    static const char *const names[3] = {"SHA256", "SHA384", "SHA512"};
    for (size_t i = 0; i < 3; i++) {
        fetched_md[i] = EVP_MD_fetch(NULL, names[i], NULL); /* NULL: the caller falls back */
    }
}

const EVP_MD *mo_md_fetched(int32_t hash_alg)
{
    size_t i;
    switch (hash_alg) {
    case MM_ALG_SHA256:
        i = 0;
        break;
    case MM_ALG_SHA384:
        i = 1;
        break;
    case MM_ALG_SHA512:
        i = 2;
        break;
    default:
        return NULL;
    }
    if (pthread_once(&fetched_once, fetch_mds) != 0 || fetched_md[i] == NULL) {
        return mo_md(hash_alg);
    }
    return fetched_md[i];
}

void mo_ctx_put(mm_crypto_ctx *ctx, uint32_t kind, void *obj)
{
    memcpy(ctx->opaque, &obj, sizeof obj);
    ctx->aux = kind;
}

void *mo_ctx_get(const mm_crypto_ctx *ctx, uint32_t kind)
{
    void *obj = NULL;
    if (ctx != NULL && ctx->aux == kind) {
        memcpy(&obj, ctx->opaque, sizeof obj);
    }
    return obj;
}

void mo_ctx_clear(mm_crypto_ctx *ctx)
{
    memset(ctx->opaque, 0, sizeof(void *));
    ctx->aux = 0;
}

void *mo_unconst(const void *p)
{
    union {
        const void *c;
        void *m;
    } u;
    u.c = p;
    return u.m;
}

const uint8_t *mo_ptr(mm_bytes b)
{
    static const uint8_t none[1] = {0};
    return b.ptr != NULL ? b.ptr : none;
}

/* Keeps each call well inside int and a multiple of the AES block, so
 * block-wise modes see whole blocks between chunks. */
#define MO_CHUNK ((size_t)1 << 30)

int mo_cipher_update(EVP_CIPHER_CTX *c, uint8_t *out, const uint8_t *in, size_t len)
{
    while (len > 0) {
        size_t n = len < MO_CHUNK ? len : MO_CHUNK;
        int outl = 0;
        if (EVP_CipherUpdate(c, out, &outl, in, (int)n) != 1 || (out != NULL && (size_t)outl != n)) {
            return 0;
        }
        in += n;
        len -= n;
        if (out != NULL) {
            out += n;
        }
    }
    return 1;
}

mm_err mo_buf_put(mm_buf *out, const uint8_t *p, size_t n)
{
    if (n > 0 && (out->cap < n || out->ptr == NULL)) {
        out->len = n;
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    if (n > 0) {
        memcpy(out->ptr, p, n);
    }
    out->len = n;
    return MM_OK;
}
