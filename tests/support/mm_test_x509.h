/* SPDX-License-Identifier: Apache-2.0 */
/* Test helpers that make X.509 certificates with OpenSSL (for x5chain tests). */
#ifndef MM_TEST_X509_H
#define MM_TEST_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* A certificate for key, issued by issuer (NULL: self-signed with key),
 * valid from an hour ago for a day, CA or not. usage: a keyUsage value
 * ("critical,digitalSignature"), or NULL for none. Fails the test on error. */
X509 *mm_test_make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, bool ca, const char *usage);

/* A self-signed server certificate for key with the subjectAltName san
 * ("IP:127.0.0.1"). */
X509 *mm_test_make_server_cert(EVP_PKEY *key, const char *san);

/* DER of a certificate, OPENSSL_malloc'ed. */
typedef struct mm_test_der {
    uint8_t *ptr;
    size_t len;
} mm_test_der;

mm_test_der mm_test_cert_der(X509 *cert);

#endif
