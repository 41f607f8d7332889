/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Importing a CoRIM into the Verifier's store (host): decode it whole
 * (vf_corim.h), check its signature and validity, turn its records into
 * endorsements and reference values (PEM keys into COSE_Keys, vendor text
 * into oemids, thumbprints computed), then replace every row an earlier
 * import of the same CoRIM id left, in one transaction. Nothing is written
 * unless all of it is understood.
 */
#ifndef MAMORI_VF_IMPORT_H
#define MAMORI_VF_IMPORT_H

#include "vf_corim.h"
#include "vf_store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vf_import_opts {
    const mm_crypto *crypto;
    const mm_key *signer_key; /* verifies a signed CoRIM (required for one) */
    int64_t now;              /* validity periods are checked at this time */
} vf_import_opts;

typedef struct vf_import_report {
    char source[160]; /* "corim:<id>": the rows' source, what `remove --source` takes */
    char signer[128]; /* a signed CoRIM's signer, or empty */
    size_t endorsements;
    size_t refs;
    char error[320]; /* on failure: what was wrong, where */
} vf_import_report;

/* The key material an endorsement stores for a public key: its COSE_Key
 * (with kid when not empty; private parts never) into cose[0..cap) and its
 * RFC 9679 SHA-256 thumbprint. Errors: MM_ERR_BUFFER_TOO_SMALL, the
 * backend's. */
MM_NODISCARD mm_err vf_key_material(const mm_crypto *crypto, const mm_key *key, mm_bytes kid, uint8_t *cose, size_t cap,
                                    size_t *cose_len, uint8_t thumbprint[32]);

/* Imports data (a signed or unsigned CoRIM) into s. Errors: as
 * vf_corim_decode() and vf_corim_open_signed(); MM_ERR_UNTRUSTED (a signed
 * CoRIM and no key), MM_ERR_EXPIRED / MM_ERR_NOT_YET_VALID (outside its
 * validity), MM_ERR_BAD_KEY (a key that does not import), MM_ERR_SYNTAX
 * (a vendor that is not an oemid), MM_ERR_PLATFORM; rep->error says which. */
MM_NODISCARD mm_err vf_import_corim(vf_store *s, mm_bytes data, const vf_import_opts *opts, vf_import_report *rep);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_VF_IMPORT_H */
