/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Key and certificate files of the service: the issuers' keys of the trust
 * store (PEM, DER, COSE_Key, COSE_KeySet), the x5chain roots (PEM or DER
 * certificates) and the service's own signing key (a PEM or COSE_Key
 * private key, or an HSS-LMS private key file).
 */
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "mamori/lms.h"
#include "mamori/lms_signer.h"
#include "ts_internal.h"

/* Largest key or certificate file read. */
#define FILE_MAX ((size_t)1 << 20)

/* Most keys of one COSE_KeySet, certificates of one file. */
#define SET_MAX 64

/* Room for an HSS-LMS signature's ToBeSigned: the protected header (with
 * an issuer of up to MM_SCITT_ISS_MAX bytes) and the root. */
#define LMS_SCRATCH (MM_SCITT_ISS_MAX + 1024)

static const char lms_magic[] = "MMLMSPRV";

mm_err ts_errorf(ts_error *err, mm_err e, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return e;
}

static mm_err read_file(const char *path, uint8_t **data, size_t *len, ts_error *err)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return ts_errorf(err, MM_ERR_PLATFORM, "%s: cannot open", path);
    }
    uint8_t *buf = malloc(FILE_MAX + 1);
    size_t n = buf != NULL ? fread(buf, 1, FILE_MAX + 1, f) : 0;
    bool bad = buf == NULL || ferror(f) != 0;
    fclose(f);
    if (bad || n > FILE_MAX) {
        free(buf);
        return ts_errorf(err, bad ? MM_ERR_PLATFORM : MM_ERR_TOO_LARGE, "%s: %s", path,
                         bad ? "cannot read" : "larger than 1 MiB");
    }
    buf[n] = 0; /* PEM is text */
    *data = buf;
    *len = n;
    return MM_OK;
}

static bool is_pem(mm_bytes d)
{
    static const char begin[] = "-----BEGIN ";
    for (size_t i = 0; i + sizeof begin - 1 <= d.len; i++) {
        if (memcmp(d.ptr + i, begin, sizeof begin - 1) == 0) {
            return true;
        }
    }
    return false;
}

/* Fills the thumbprint of k's public key (RFC 9679, SHA-256). */
static void thumbprint(ts_key *k)
{
    uint8_t buf[1024];
    mm_key_parts parts;
    size_t len = 0;
    k->has_thumb = mm_key_export(&k->key, 0, &parts, buf, sizeof buf) == MM_OK &&
                   mm_cose_key_thumbprint(mm_crypto_openssl(), &parts, MM_ALG_SHA256, buf, &len) == MM_OK &&
                   len == MM_MERKLE_HASH_LEN;
    if (k->has_thumb) {
        memcpy(k->thumb, buf, MM_MERKLE_HASH_LEN);
    }
}

/* A PEM or DER file: a private key (its public half is used), a public key
 * or a certificate. */
static mm_err import_x509ish(mm_bytes d, mm_key *key)
{
    mm_err e = mm_openssl_import_public_key(d, 0, key);
    if (e != MM_OK) {
        e = mm_openssl_import_cert_key(d, 0, key);
    }
    if (e != MM_OK) {
        e = mm_openssl_import_private_key(d, 0, 0, key);
    }
    return e;
}

/* One COSE_Key: HSS-LMS public keys through the LMS library, the rest
 * through OpenSSL. */
static mm_err import_cose_key(mm_bytes raw, ts_key *k)
{
    mm_cose_key ck;
    mm_err e = mm_cose_key_decode(raw, &ck);
    if (e != MM_OK) {
        return e;
    }
    if (ck.parts.kty == MM_KTY_HSS_LMS) {
        e = mm_lms_public_key(mm_crypto_openssl(), ck.parts.x, &k->key);
    } else {
        e = mm_key_import(mm_crypto_openssl(), &ck.parts, 0, &k->key);
    }
    if (e == MM_OK && ck.kid.len <= TS_KID_MAX) {
        memcpy(k->kid, ck.kid.ptr, ck.kid.len);
        k->kid_len = ck.kid.len;
    }
    return e;
}

void ts_keys_free(ts_key *keys, size_t n)
{
    for (size_t i = 0; keys != NULL && i < n; i++) {
        mm_key_free(&keys[i].key);
    }
    free(keys);
}

mm_err ts_keys_load(const char *path, ts_key **keys, size_t *n, ts_error *err)
{
    *keys = NULL;
    *n = 0;
    uint8_t *data;
    size_t len;
    mm_err e = read_file(path, &data, &len, err);
    if (e != MM_OK) {
        return e;
    }
    mm_bytes d = mm_bytes_make(data, len);
    ts_key *k = calloc(SET_MAX, sizeof *k);
    size_t count = 0;
    if (k == NULL) {
        e = MM_ERR_PLATFORM;
    } else if (len != 0 && (is_pem(d) || data[0] == 0x30)) {
        e = import_x509ish(d, &k[0].key);
        count = e == MM_OK ? 1 : 0;
    } else if (len != 0 && (data[0] & 0xe0) == 0x80) {
        /* A COSE_KeySet: every member. */
        mm_cbor_dec dec;
        size_t items = 0;
        e = mm_cbor_dec_init(&dec, d, 0);
        if (e == MM_OK) {
            e = mm_cbor_enter_array(&dec, &items);
        }
        for (size_t i = 0; e == MM_OK && i < items; i++) {
            mm_bytes raw;
            e = count == SET_MAX ? MM_ERR_TOO_LARGE : mm_cbor_get_raw(&dec, &raw);
            if (e == MM_OK) {
                e = import_cose_key(raw, &k[count]);
                count += e == MM_OK ? 1u : 0u;
            }
        }
        if (e == MM_OK) {
            e = mm_cbor_exit(&dec);
        }
        if (e == MM_OK) {
            e = mm_cbor_dec_finish(&dec);
        }
    } else {
        e = import_cose_key(d, &k[0]);
        count = e == MM_OK ? 1 : 0;
    }
    free(data);
    if (e == MM_OK && count == 0) {
        e = MM_ERR_MISSING_FIELD;
    }
    if (e != MM_OK) {
        ts_keys_free(k, count);
        return ts_errorf(err, e == MM_ERR_PLATFORM ? e : MM_ERR_BAD_KEY,
                         "%s: not a key (PEM, DER, COSE_Key or COSE_KeySet): %s", path, mm_strerror(e));
    }
    for (size_t i = 0; i < count; i++) {
        thumbprint(&k[i]);
    }
    *keys = k;
    *n = count;
    return MM_OK;
}

void ts_certs_free(mm_bytes *certs, size_t n)
{
    for (size_t i = 0; certs != NULL && i < n; i++) {
        /* The views are of buffers this file allocated. */
        void *owned;
        memcpy(&owned, &certs[i].ptr, sizeof owned);
        free(owned);
    }
    free(certs);
}

mm_err ts_certs_load(const char *path, mm_bytes **certs, size_t *n, ts_error *err)
{
    *certs = NULL;
    *n = 0;
    uint8_t *data;
    size_t len;
    mm_err e = read_file(path, &data, &len, err);
    if (e != MM_OK) {
        return e;
    }
    mm_bytes *c = calloc(SET_MAX, sizeof *c);
    size_t count = 0;
    if (c == NULL) {
        free(data);
        return MM_ERR_PLATFORM;
    }
    if (len != 0 && data[0] == 0x30) {
        c[0] = mm_bytes_make(data, len); /* one DER certificate: the buffer is the certificate */
        count = 1;
        data = NULL;
    } else {
        BIO *bio = BIO_new_mem_buf(data, (int)len);
        X509 *x = NULL;
        while (bio != NULL && count < SET_MAX && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
            unsigned char *der = NULL;
            int dlen = i2d_X509(x, &der);
            X509_free(x);
            if (dlen <= 0) {
                break;
            }
            /* OpenSSL's allocation, copied to ours so one free() fits all. */
            uint8_t *copy = malloc((size_t)dlen);
            if (copy != NULL) {
                memcpy(copy, der, (size_t)dlen);
                c[count++] = mm_bytes_make(copy, (size_t)dlen);
            }
            OPENSSL_free(der);
        }
        BIO_free(bio);
        ERR_clear_error();
    }
    free(data);
    if (count == 0) {
        ts_certs_free(c, 0);
        return ts_errorf(err, MM_ERR_BAD_KEY, "%s: no certificate (expected PEM CERTIFICATE blocks or DER)", path);
    }
    *certs = c;
    *n = count;
    return MM_OK;
}

/* The signature algorithm of a private key that names none. */
static int32_t alg_of(const mm_key *k)
{
    if (k->alg != 0) {
        return k->alg;
    }
    if (k->kty == MM_KTY_EC2) {
        return k->crv == MM_CRV_P256 ? MM_ALG_ES256 : k->crv == MM_CRV_P384 ? MM_ALG_ES384 : MM_ALG_ES512;
    }
    if (k->kty == MM_KTY_OKP) {
        return MM_ALG_EDDSA;
    }
    return k->kty == MM_KTY_RSA ? MM_ALG_PS256 : 0;
}

void ts_signer_close(ts_signer *s)
{
    mm_key_free(&s->key);
    free(s->cose_key);
    free(s->iss);
    memset(s, 0, sizeof *s);
}

mm_err ts_signer_open(const char *path, const char *iss, ts_signer *s, ts_error *err)
{
    memset(s, 0, sizeof *s);
    s->crypto = mm_crypto_openssl();
    s->iss = strdup(iss);
    if (s->iss == NULL) {
        return MM_ERR_PLATFORM;
    }
    uint8_t *data;
    size_t len;
    mm_err e = read_file(path, &data, &len, err);
    if (e != MM_OK) {
        ts_signer_close(s);
        return e;
    }
    mm_bytes d = mm_bytes_make(data, len);
    if (len >= sizeof lms_magic - 1 && memcmp(data, lms_magic, sizeof lms_magic - 1) == 0) {
        mm_lms_signer_opts o = {s->crypto, 0, 0};
        e = mm_lms_signer_open(path, &o, &s->key);
        s->alg = MM_ALG_HSS_LMS;
        s->algs = mm_lms_cose_algs();
        s->scratch = LMS_SCRATCH;
    } else if (len != 0 && (is_pem(d) || data[0] == 0x30)) {
        e = mm_openssl_import_private_key(d, 0, 0, &s->key);
    } else {
        e = mm_cose_key_import(s->crypto, d, 0, &s->key, NULL);
    }
    mm_wipe(data, len);
    free(data);
    if (e == MM_OK && (s->key.flags & MM_KEY_PRIVATE) == 0) {
        e = MM_ERR_KEY_USAGE;
    }
    if (e == MM_OK && s->alg == 0) {
        s->alg = alg_of(&s->key);
        s->scratch = s->alg == MM_ALG_EDDSA ? LMS_SCRATCH : 0;
    }
    if (e == MM_OK && mm_cose_find_sig_alg(s->algs, s->alg) == NULL) {
        e = MM_ERR_UNSUPPORTED_ALG;
    }
    /* The kid is the RFC 9679 thumbprint (SCRAPI section 2.2 recommends
     * it), and the public COSE_Key with it is what the key resource
     * serves. */
    uint8_t buf[4096];
    mm_key_parts parts;
    size_t tlen = 0;
    if (e == MM_OK) {
        e = mm_key_export(&s->key, 0, &parts, buf, sizeof buf);
    }
    uint8_t thumb[MM_HASH_MAX];
    if (e == MM_OK) {
        parts.alg = s->alg;
        e = mm_cose_key_thumbprint(s->crypto, &parts, MM_ALG_SHA256, thumb, &tlen);
        memcpy(s->kid, thumb, sizeof s->kid);
    }
    if (e == MM_OK) {
        uint8_t out[4096];
        mm_buf ob = mm_buf_make(out, sizeof out);
        e = mm_cose_key_encode(&parts, mm_bytes_make(s->kid, sizeof s->kid), 0, &ob);
        s->cose_key = e == MM_OK ? malloc(ob.len) : NULL;
        if (e == MM_OK && s->cose_key == NULL) {
            e = MM_ERR_PLATFORM;
        } else if (e == MM_OK) {
            memcpy(s->cose_key, out, ob.len);
            s->cose_key_len = ob.len;
        }
    }
    if (e != MM_OK) {
        ts_signer_close(s);
        return ts_errorf(err, e == MM_ERR_PLATFORM ? e : MM_ERR_BAD_KEY,
                         "%s: not a signing key (a PEM or COSE_Key private key, or HSS-LMS): %s", path, mm_strerror(e));
    }
    return MM_OK;
}

mm_err ts_key_public(const char *path, uint8_t **cose_key, size_t *len, uint8_t kid[32], ts_error *err)
{
    *cose_key = NULL;
    *len = 0;
    ts_signer s;
    mm_err e = ts_signer_open(path, "-", &s, err);
    if (e != MM_OK) {
        return e;
    }
    *cose_key = s.cose_key;
    *len = s.cose_key_len;
    memcpy(kid, s.kid, sizeof s.kid);
    s.cose_key = NULL; /* handed over */
    ts_signer_close(&s);
    return MM_OK;
}
