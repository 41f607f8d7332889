/* SPDX-License-Identifier: Apache-2.0 */
/* Certificates made for tests: see mm_test_x509.h. */
#include "mm_test_x509.h"

#include <openssl/x509v3.h>

#include "mm_test.h"

static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    assert_non_null(ext);
    assert_int_equal(X509_add_ext(cert, ext, -1), 1);
    X509_EXTENSION_free(ext);
}

static X509 *make(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, bool ca, const char *usage,
                  const char *san)
{
    static long serial_no = 1;
    X509 *cert = X509_new();
    assert_non_null(cert);
    assert_int_equal(X509_set_version(cert, X509_VERSION_3), 1);
    assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(cert), serial_no++), 1);
    assert_non_null(X509_gmtime_adj(X509_getm_notBefore(cert), -3600));
    assert_non_null(X509_gmtime_adj(X509_getm_notAfter(cert), 86400));
    assert_int_equal(X509_set_pubkey(cert, key), 1);
    X509_NAME *name = X509_get_subject_name(cert);
    assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0), 1);
    assert_int_equal(X509_set_issuer_name(cert, issuer != NULL ? X509_get_subject_name(issuer) : name), 1);
    X509 *signer = issuer != NULL ? issuer : cert;
    add_ext(cert, signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    add_ext(cert, signer, NID_subject_key_identifier, "hash");
    add_ext(cert, signer, NID_authority_key_identifier, "keyid:always");
    if (usage != NULL) {
        add_ext(cert, signer, NID_key_usage, usage);
    }
    if (san != NULL) {
        add_ext(cert, signer, NID_subject_alt_name, san);
    }
    assert_true(X509_sign(cert, issuer_key != NULL ? issuer_key : key, EVP_sha256()) > 0);
    return cert;
}

X509 *mm_test_make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, bool ca, const char *usage)
{
    return make(key, cn, issuer, issuer_key, ca, usage, NULL);
}

X509 *mm_test_make_server_cert(EVP_PKEY *key, const char *san)
{
    return make(key, "mamori test server", NULL, NULL, false, "critical,digitalSignature", san);
}

mm_test_der mm_test_cert_der(X509 *cert)
{
    unsigned char *p = NULL;
    int n = i2d_X509(cert, &p);
    assert_true(n > 0);
    mm_test_der d = {p, (size_t)n};
    return d;
}
