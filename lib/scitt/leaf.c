/* SPDX-License-Identifier: Apache-2.0 */
/* A statement's entry and leaf. The architecture (section 6.3) has the TS set
 * the unprotected header "to an empty map before the Signed Statement can be
 * included", so the entry is the statement with its unprotected header
 * emptied; receipts prove that entry, whatever rides beside it later. The
 * RFC9162_SHA256 leaf is its RFC 9162 leaf hash; the CCF profile's data hash
 * is its SHA-256, as CCF's own verifiers compute it. */
#include "scitt_internal.h"

static const uint8_t empty_map = 0xa0;
static const uint8_t leaf_prefix = 0x00;

/* Hashes [prefix] || entry of parts into out, without building the entry. */
static mm_err hash_entry(const mm_crypto *c, const uint8_t *prefix, const scitt_parts *p,
                         uint8_t out[MM_MERKLE_HASH_LEN])
{
    const mm_bytes pieces[] = {
        prefix != NULL ? mm_bytes_make(prefix, 1) : mm_bytes_make(NULL, 0),
        mm_bytes_make(scitt_entry_head, sizeof scitt_entry_head),
        p->protected_item,
        mm_bytes_make(&empty_map, 1),
        p->payload_item,
        p->signature_item,
    };
    return scitt_sha256(c, pieces, sizeof pieces / sizeof pieces[0], out);
}

mm_err mm_scitt_entry_encode(mm_bytes statement, mm_buf *out)
{
    if (out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    scitt_parts p;
    mm_err e = scitt_split(statement, &p);
    if (e != MM_OK) {
        return e;
    }
    mm_cbor_enc enc;
    scitt_open_entry(&enc, &p, out);
    mm_cbor_put_map(&enc, 0);
    return scitt_close_entry(&enc, &p, out);
}

mm_err mm_scitt_leaf_of_statement(const mm_crypto *c, mm_bytes statement, mm_scitt_leaf *leaf)
{
    if (c == NULL || leaf == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    scitt_parts p;
    mm_err e = scitt_split(statement, &p);
    if (e == MM_OK) {
        e = hash_entry(c, &leaf_prefix, &p, leaf->leaf_hash);
    }
    if (e == MM_OK) {
        e = hash_entry(c, NULL, &p, leaf->entry_hash);
    }
    return e;
}

mm_err mm_scitt_leaf_of_entry(const mm_crypto *c, mm_bytes entry, mm_scitt_leaf *leaf)
{
    if (c == NULL || leaf == NULL || (entry.ptr == NULL && entry.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    uint8_t digest[MM_HASH_MAX];
    size_t len = 0;
    mm_err e = mm_merkle_leaf_hash(c, entry, leaf->leaf_hash);
    if (e == MM_OK) {
        e = mm_hash(c, MM_ALG_SHA256, entry, digest, &len);
    }
    if (e == MM_OK) {
        memcpy(leaf->entry_hash, digest, MM_MERKLE_HASH_LEN);
    }
    return e;
}
