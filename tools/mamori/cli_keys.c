/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one way the CLI reads key files: PEM, DER, COSE_Key or COSE_KeySet,
 * told apart by their content and imported through the OpenSSL backend.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"

static const char not_a_key[] = "not a key (expected PEM, DER or COSE_Key)";

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

void cli_key_describe(const mm_key *key, char *buf, size_t cap)
{
    const char *vis = key->kty == MM_KTY_SYMMETRIC ? "" : (key->flags & MM_KEY_PRIVATE) != 0 ? " private" : " public";
    const char *kty = cli_kty_name(key->kty);
    const char *crv = cli_crv_name(key->crv);
    if (key->kty == MM_KTY_EC2 || key->kty == MM_KTY_OKP) {
        snprintf(buf, cap, "%s %s%s key", crv != NULL ? crv : "unknown-curve", kty, vis);
    } else if (key->kty == MM_KTY_HSS_LMS) {
        snprintf(buf, cap, "HSS-LMS%s key", vis);
    } else if (key->kty == MM_KTY_SYMMETRIC) {
        snprintf(buf, cap, "%u-bit symmetric key", (unsigned)key->bits);
    } else {
        snprintf(buf, cap, "%u-bit %s%s key", (unsigned)key->bits, kty != NULL ? kty : "unknown", vis);
    }
}

/* The PEM block the file holds, read the way the backend reads it. */
typedef enum pem_kind { PEM_NONE, PEM_PRIVATE, PEM_PUBLIC, PEM_CERT, PEM_ENCRYPTED, PEM_OTHER } pem_kind;

static pem_kind pem_kind_of(mm_bytes data)
{
    if (!contains(data, "-----BEGIN ")) {
        return PEM_NONE;
    }
    if (contains(data, "-----BEGIN ENCRYPTED PRIVATE KEY-----") || contains(data, "Proc-Type: 4,ENCRYPTED")) {
        return PEM_ENCRYPTED;
    }
    if (contains(data, "PRIVATE KEY-----")) {
        return PEM_PRIVATE;
    }
    if (contains(data, "-----BEGIN PUBLIC KEY-----")) {
        return PEM_PUBLIC;
    }
    return contains(data, "-----BEGIN CERTIFICATE-----") ? PEM_CERT : PEM_OTHER;
}

static mm_err import_kind(pem_kind kind, mm_bytes data, mm_key *key)
{
    switch (kind) {
    case PEM_PRIVATE:
        return mm_openssl_import_private_key(data, 0, MM_KEY_EXTRACTABLE, key);
    case PEM_PUBLIC:
        return mm_openssl_import_public_key(data, 0, key);
    default:
        return mm_openssl_import_cert_key(data, 0, key);
    }
}

static const char *kind_name(pem_kind kind)
{
    return kind == PEM_PRIVATE ? "private key" : kind == PEM_PUBLIC ? "public key" : "certificate";
}

static int key_error(const char *path, const char *what, mm_err e)
{
    return cli_fail(CLI_DATAERR, path, "%s: %s (%s)", what, mm_strerror(e), mm_errname(e));
}

static int parse_pem(const char *path, mm_bytes data, pem_kind kind, cli_key *out)
{
    if (kind == PEM_ENCRYPTED) {
        return cli_fail(CLI_DATAERR, path, "encrypted private keys are not read: decrypt it first (openssl pkey)");
    }
    if (kind == PEM_OTHER) {
        return cli_fail(CLI_DATAERR, path, "%s (no PRIVATE KEY, PUBLIC KEY or CERTIFICATE block)", not_a_key);
    }
    mm_err e = import_kind(kind, data, &out->key);
    if (e != MM_OK) {
        char what[64];
        snprintf(what, sizeof what, "PEM %s", kind_name(kind));
        return key_error(path, what, e);
    }
    out->form = "PEM";
    out->kind = kind_name(kind);
    return CLI_OK;
}

/* DER says nothing of what it holds: try the three structures. A refusal
 * other than "unreadable" names the real problem (an RSA key too small...). */
static int parse_der(const char *path, mm_bytes data, cli_key *out)
{
    static const pem_kind kinds[] = {PEM_PRIVATE, PEM_PUBLIC, PEM_CERT};
    mm_err first = MM_ERR_BAD_KEY;
    pem_kind first_kind = PEM_PRIVATE;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        mm_err e = import_kind(kinds[i], data, &out->key);
        if (e == MM_OK) {
            out->form = "DER";
            out->kind = kind_name(kinds[i]);
            return CLI_OK;
        }
        if (first == MM_ERR_BAD_KEY && e != MM_ERR_BAD_KEY) {
            first = e;
            first_kind = kinds[i];
        }
    }
    if (first == MM_ERR_BAD_KEY) {
        return cli_fail(CLI_DATAERR, path, "%s", not_a_key);
    }
    char what[64];
    snprintf(what, sizeof what, "DER %s", kind_name(first_kind));
    return key_error(path, what, first);
}

static int import_cose_key(const char *path, mm_bytes raw, const char *what, cli_key *out)
{
    mm_cose_key decoded;
    mm_err e = mm_cose_key_decode(raw, &decoded);
    if (e == MM_OK && decoded.parts.kty == MM_KTY_HSS_LMS) {
        int rc = cli_lms_import_public(path, &decoded.parts, what, &out->key);
        if (rc != CLI_OK) {
            return rc;
        }
    } else if (e == MM_OK) {
        e = mm_key_import(mm_crypto_openssl(), &decoded.parts, MM_KEY_EXTRACTABLE, &out->key);
    }
    if (e != MM_OK) {
        return key_error(path, what, e);
    }
    if (decoded.kid.len > CLI_KID_MAX) {
        mm_key_free(&out->key);
        return cli_fail(CLI_DATAERR, path, "%s: kid longer than %d bytes", what, CLI_KID_MAX);
    }
    if (decoded.kid.len != 0) {
        memcpy(out->kid, decoded.kid.ptr, decoded.kid.len);
    }
    out->kid_len = decoded.kid.len;
    out->form = "COSE_Key";
    out->kind = what;
    return CLI_OK;
}

static int parse_keyset(const char *path, mm_bytes data, cli_key *keys, size_t cap, size_t *n)
{
    mm_cbor_dec d;
    size_t count = 0;
    mm_err e = mm_cbor_dec_init(&d, data, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_array(&d, &count);
    }
    if (e == MM_OK && count == 0) {
        return cli_fail(CLI_DATAERR, path, "empty COSE_KeySet");
    }
    if (e == MM_OK && count > cap) {
        return cli_fail(CLI_DATAERR, path, "COSE_KeySet of %zu keys (at most %zu are read)", count, cap);
    }
    int rc = CLI_OK;
    size_t i = 0;
    for (; e == MM_OK && rc == CLI_OK && i < count; i++) {
        mm_bytes raw;
        if ((e = mm_cbor_get_raw(&d, &raw)) == MM_OK) {
            char what[48];
            snprintf(what, sizeof what, "COSE_KeySet key %zu", i);
            memset(&keys[i], 0, sizeof keys[i]);
            rc = import_cose_key(path, raw, what, &keys[i]);
            keys[i].kind = "COSE_KeySet member";
        }
    }
    if (e != MM_OK && rc == CLI_OK) {
        rc = cli_fail(CLI_DATAERR, path, "%s", not_a_key);
    }
    if (rc != CLI_OK) {
        for (size_t k = 0; k + 1 < i; k++) {
            cli_key_free(&keys[k]);
        }
        return rc;
    }
    *n = count;
    return CLI_OK;
}

int cli_parse_keys(const char *path, mm_bytes data, cli_key *keys, size_t cap, size_t *n)
{
    *n = 0;
    if (cap == 0) {
        return cli_fail(CLI_SOFTWARE, path, "no room for keys");
    }
    memset(&keys[0], 0, sizeof keys[0]);
    if (data.len == 0) {
        return cli_fail(CLI_DATAERR, path, "%s", not_a_key);
    }
    unsigned mt = data.ptr[0] >> 5;
    bool cbor = (mt == MM_CBOR_MAP || mt == MM_CBOR_ARRAY) && mm_cbor_check(data, 0, NULL) == MM_OK;
    int rc;
    if (cli_lms_is_state(data)) {
        rc = cli_lms_open(path, &keys[0]);
    } else if (data.ptr[0] == 0x30) { /* a DER SEQUENCE; PEM text and COSE_Keys never start so */
        rc = parse_der(path, data, &keys[0]);
    } else if (pem_kind_of(data) != PEM_NONE) {
        rc = parse_pem(path, data, pem_kind_of(data), &keys[0]);
    } else if (cbor && mt == MM_CBOR_ARRAY) {
        return parse_keyset(path, data, keys, cap, n);
    } else if (cbor) {
        rc = import_cose_key(path, data, "COSE_Key", &keys[0]);
    } else {
        rc = cli_fail(CLI_DATAERR, path, "%s", not_a_key);
    }
    *n = rc == CLI_OK ? 1 : 0;
    return rc;
}

void cli_key_free(cli_key *k)
{
    mm_key_free(&k->key);
    mm_wipe(k, sizeof *k);
}

static bool fits(const cli_key *k, int32_t alg, unsigned flags)
{
    if ((flags & CLI_KEY_PRIVATE) != 0 && (k->key.flags & MM_KEY_PRIVATE) == 0) {
        return false;
    }
    return alg == 0 || mm_key_allows(&k->key, alg, false);
}

/* Why the only key of a file does not fit. */
static int misfit(const char *path, const cli_key *k, int32_t alg, unsigned flags)
{
    char desc[64];
    cli_key_describe(&k->key, desc, sizeof desc);
    if ((flags & CLI_KEY_PRIVATE) != 0 && (k->key.flags & MM_KEY_PRIVATE) == 0) {
        return cli_fail(CLI_DATAERR, path, "holds a %s; this needs the private key", desc);
    }
    const char *own = cli_alg_name(k->key.alg);
    const char *want = cli_alg_name(alg);
    if (k->key.alg != 0 && own != NULL) {
        return cli_fail(CLI_DATAERR, path, "the key is for %s, not %s", own, want != NULL ? want : "this algorithm");
    }
    return cli_fail(CLI_DATAERR, path, "a %s cannot be used with %s", desc, want != NULL ? want : "this algorithm");
}

void cli_free_keys(cli_key *keys, size_t n)
{
    for (size_t i = 0; keys != NULL && i < n; i++) {
        cli_key_free(&keys[i]);
    }
    free(keys);
}

int cli_load_keys(const char *path, unsigned flags, cli_key **keys, size_t *n)
{
    *keys = NULL;
    *n = 0;
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = cli_read_file(path, &data, &len);
    if (rc != CLI_OK) {
        return rc;
    }
    cli_key *all = calloc(CLI_KEYSET_MAX, sizeof *all);
    if (all == NULL) {
        free(data);
        return cli_fail(CLI_SOFTWARE, path, "out of memory");
    }
    size_t count = 0;
    rc = cli_parse_keys(path, mm_bytes_make(data, len), all, CLI_KEYSET_MAX, &count);
    mm_wipe(data, len);
    free(data);
    /* Keep the keys that have what the command needs. */
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        kept += fits(&all[i], 0, flags) ? 1 : 0;
    }
    if (rc == CLI_OK && kept == 0) {
        rc = count == 1 ? misfit(path, &all[0], 0, flags)
                        : cli_fail(CLI_DATAERR, path, "no key of the COSE_KeySet is private");
    }
    kept = 0;
    for (size_t i = 0; i < count; i++) {
        if (rc == CLI_OK && fits(&all[i], 0, flags)) {
            if (kept != i) {
                all[kept] = all[i];
                memset(&all[i], 0, sizeof all[i]);
            }
            kept++;
        } else {
            cli_key_free(&all[i]);
        }
    }
    if (rc != CLI_OK) {
        cli_free_keys(all, kept);
        return rc;
    }
    *keys = all;
    *n = kept;
    return CLI_OK;
}

int cli_load_key(const char *path, int32_t alg, unsigned flags, cli_key *out)
{
    memset(out, 0, sizeof *out);
    cli_key *keys = NULL;
    size_t n = 0;
    int rc = cli_load_keys(path, flags, &keys, &n);
    if (rc != CLI_OK) {
        return rc;
    }
    size_t pick = n;
    for (size_t i = 0; i < n && pick == n; i++) {
        pick = fits(&keys[i], alg, 0) ? i : n;
    }
    if (pick == n) {
        const char *name = cli_alg_name(alg);
        rc = n == 1 ? misfit(path, &keys[0], alg, 0)
                    : cli_fail(CLI_DATAERR, path, "no key of the COSE_KeySet fits %s", name != NULL ? name : "it");
    } else {
        *out = keys[pick];
        memset(&keys[pick], 0, sizeof keys[pick]);
    }
    cli_free_keys(keys, n);
    return rc;
}
