/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keys in PEM and DER for host tools: private keys (PKCS#8 and the
 * traditional EC and RSA forms), SubjectPublicKeyInfo, and the public key of
 * an X.509 certificate in; SPKI and unencrypted PKCS#8 out.
 */
#include <limits.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "internal.h"
#include "mamori/crypto_openssl.h"

/* PEM_read_* would prompt on the terminal for an encrypted key's passphrase
 * without a callback; this one declines. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

static bool contains(mm_bytes in, const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; n <= in.len && i <= in.len - n; i++) {
        if (memcmp(in.ptr + i, text, n) == 0) {
            return true;
        }
    }
    return false;
}

/* Every DER structure read here is a SEQUENCE; PEM text never starts so. */
static bool is_der(mm_bytes in) { return in.len > 0 && in.ptr[0] == 0x30; }

static mm_err check_input(mm_bytes in, const mm_key *out)
{
    if (out == NULL || in.ptr == NULL || in.len == 0) {
        return MM_ERR_INVALID_ARG;
    }
    return in.len > INT_MAX ? MM_ERR_TOO_LARGE : MM_OK;
}

static EVP_PKEY *read_private(mm_bytes in)
{
    EVP_PKEY *pkey = NULL;
    if (is_der(in)) {
        const unsigned char *p = in.ptr;
        pkey = d2i_AutoPrivateKey_ex(NULL, &p, (long)in.len, NULL, NULL);
        if (pkey != NULL && p != in.ptr + in.len) {
            EVP_PKEY_free(pkey); /* trailing bytes */
            pkey = NULL;
        }
        return pkey;
    }
    BIO *bio = BIO_new_mem_buf(in.ptr, (int)in.len);
    if (bio != NULL) {
        pkey = PEM_read_bio_PrivateKey_ex(bio, NULL, no_passphrase, NULL, NULL, NULL);
    }
    BIO_free(bio);
    return pkey;
}

static EVP_PKEY *read_public(mm_bytes in)
{
    EVP_PKEY *pkey = NULL;
    if (is_der(in)) {
        const unsigned char *p = in.ptr;
        pkey = d2i_PUBKEY_ex(NULL, &p, (long)in.len, NULL, NULL);
        if (pkey != NULL && p != in.ptr + in.len) {
            EVP_PKEY_free(pkey);
            pkey = NULL;
        }
        return pkey;
    }
    BIO *bio = BIO_new_mem_buf(in.ptr, (int)in.len);
    if (bio != NULL) {
        pkey = PEM_read_bio_PUBKEY_ex(bio, NULL, no_passphrase, NULL, NULL, NULL);
    }
    BIO_free(bio);
    return pkey;
}

static EVP_PKEY *read_cert_key(mm_bytes in)
{
    X509 *cert = NULL;
    if (is_der(in)) {
        const unsigned char *p = in.ptr;
        cert = d2i_X509(NULL, &p, (long)in.len);
        if (cert != NULL && p != in.ptr + in.len) {
            X509_free(cert);
            cert = NULL;
        }
    } else {
        BIO *bio = BIO_new_mem_buf(in.ptr, (int)in.len);
        if (bio != NULL) {
            cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
        }
        BIO_free(bio);
    }
    EVP_PKEY *pkey = cert != NULL ? X509_get_pubkey(cert) : NULL; /* a new reference */
    X509_free(cert);
    return pkey;
}

mm_err mm_openssl_import_private_key(mm_bytes in, int32_t alg, unsigned flags, mm_key *out)
{
    mm_err e = check_input(in, out);
    if (e != MM_OK) {
        return e;
    }
    memset(out, 0, sizeof *out);
    if ((flags & ~MM_KEY_EXTRACTABLE) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    if (!is_der(in) &&
        (contains(in, "-----BEGIN ENCRYPTED PRIVATE KEY-----") || contains(in, "Proc-Type: 4,ENCRYPTED"))) {
        return MM_ERR_UNSUPPORTED;
    }
    ERR_set_mark();
    EVP_PKEY *pkey = read_private(in);
    e = pkey != NULL ? mo_key_from_pkey(pkey, alg, MM_KEY_PRIVATE | flags, out) : MM_ERR_BAD_KEY;
    ERR_pop_to_mark();
    return e;
}

mm_err mm_openssl_import_public_key(mm_bytes in, int32_t alg, mm_key *out)
{
    mm_err e = check_input(in, out);
    if (e != MM_OK) {
        return e;
    }
    memset(out, 0, sizeof *out);
    ERR_set_mark();
    EVP_PKEY *pkey = read_public(in);
    e = pkey != NULL ? mo_key_from_pkey(pkey, alg, 0, out) : MM_ERR_BAD_KEY;
    ERR_pop_to_mark();
    return e;
}

mm_err mm_openssl_import_cert_key(mm_bytes in, int32_t alg, mm_key *out)
{
    mm_err e = check_input(in, out);
    if (e != MM_OK) {
        return e;
    }
    memset(out, 0, sizeof *out);
    ERR_set_mark();
    EVP_PKEY *pkey = read_cert_key(in);
    e = pkey != NULL ? mo_key_from_pkey(pkey, alg, 0, out) : MM_ERR_BAD_KEY;
    ERR_pop_to_mark();
    return e;
}

/* Writes pkey with write() into a memory BIO (a secure one for private
 * keys, which wipes on free) and copies the result to out. */
static mm_err write_out(EVP_PKEY *pkey, bool priv, mm_openssl_form form, mm_buf *out)
{
    BIO *bio = BIO_new(priv ? BIO_s_secmem() : BIO_s_mem());
    if (bio == NULL) {
        return MM_ERR_PLATFORM;
    }
    int ok = 0;
    if (priv) {
        ok = form == MM_OPENSSL_PEM ? PEM_write_bio_PKCS8PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL)
                                    : i2d_PKCS8PrivateKey_bio(bio, pkey, NULL, NULL, 0, NULL, NULL);
    } else {
        ok = form == MM_OPENSSL_PEM ? PEM_write_bio_PUBKEY(bio, pkey) : i2d_PUBKEY_bio(bio, pkey);
    }
    char *data = NULL;
    long len = ok == 1 ? BIO_get_mem_data(bio, &data) : 0;
    mm_err e =
        ok == 1 && len > 0 && data != NULL ? mo_buf_put(out, (const uint8_t *)data, (size_t)len) : MM_ERR_PLATFORM;
    BIO_free(bio);
    return e;
}

static mm_err export_key(const mm_key *key, bool priv, mm_openssl_form form, mm_buf *out)
{
    if (out == NULL || (out->ptr == NULL && out->cap != 0) || (form != MM_OPENSSL_DER && form != MM_OPENSSL_PEM)) {
        return MM_ERR_INVALID_ARG;
    }
    EVP_PKEY *pkey = mo_pkey(key);
    if (pkey == NULL) {
        return mo_key_err(key); /* symmetric keys have no PEM form */
    }
    if (priv && ((key->flags & MM_KEY_PRIVATE) == 0 || (key->flags & MM_KEY_EXTRACTABLE) == 0)) {
        return MM_ERR_KEY_USAGE;
    }
    ERR_set_mark();
    mm_err e = write_out(pkey, priv, form, out);
    ERR_pop_to_mark();
    return e;
}

mm_err mm_openssl_export_public_key(const mm_key *key, mm_openssl_form form, mm_buf *out)
{
    return export_key(key, false, form, out);
}

mm_err mm_openssl_export_private_key(const mm_key *key, mm_openssl_form form, mm_buf *out)
{
    return export_key(key, true, form, out);
}
