/* SPDX-License-Identifier: Apache-2.0 */
/* Names and descriptions of the error codes: one table, so the two lookups
 * cannot disagree. */
#include "mamori/base.h"

struct err_entry {
    mm_err code;
    const char *name;
    const char *text;
};

static const struct err_entry err_table[] = {
    {MM_OK, "OK", "success"},
    {MM_ERR_TRUNCATED, "TRUNCATED", "input ends inside an item"},
    {MM_ERR_CBOR_RESERVED_AI, "CBOR_RESERVED_AI", "reserved additional information value (28-30)"},
    {MM_ERR_CBOR_BAD_SIMPLE, "CBOR_BAD_SIMPLE", "two-byte simple value below 32"},
    {MM_ERR_CBOR_BAD_INDEF, "CBOR_BAD_INDEF", "indefinite length on a major type that has none"},
    {MM_ERR_CBOR_BAD_BREAK, "CBOR_BAD_BREAK", "break outside an indefinite-length item"},
    {MM_ERR_CBOR_BAD_CHUNK, "CBOR_BAD_CHUNK", "indefinite-length string chunk of another type"},
    {MM_ERR_CBOR_BAD_UTF8, "CBOR_BAD_UTF8", "text string is not valid UTF-8"},
    {MM_ERR_CBOR_TRAILING, "CBOR_TRAILING", "bytes follow the data item"},
    {MM_ERR_CBOR_TYPE, "CBOR_TYPE", "data item is not of the expected type"},
    {MM_ERR_CBOR_RANGE, "CBOR_RANGE", "value out of the allowed range"},
    {MM_ERR_CBOR_NOT_SHORTEST, "CBOR_NOT_SHORTEST", "argument not encoded in its shortest form"},
    {MM_ERR_CBOR_UNSORTED, "CBOR_UNSORTED", "map keys not in deterministic order"},
    {MM_ERR_CBOR_DUP_KEY, "CBOR_DUP_KEY", "duplicate map key"},
    {MM_ERR_CBOR_INDEF, "CBOR_INDEF", "indefinite-length item not allowed here"},
    {MM_ERR_CBOR_FLOAT_FORM, "CBOR_FLOAT_FORM", "floating-point value not in its shortest form"},
    {MM_ERR_CBOR_NO_ITEM, "CBOR_NO_ITEM", "expected a data item but none is left"},
    {MM_ERR_CBOR_ITEMS_LEFT, "CBOR_ITEMS_LEFT", "container has unexpected extra items"},
    {MM_ERR_CBOR_BAD_WRAP, "CBOR_BAD_WRAP", "byte-string-wrapped CBOR is not exactly one data item"},
    {MM_ERR_MISSING_FIELD, "MISSING_FIELD", "a required field is missing"},
    {MM_ERR_UNKNOWN_FIELD, "UNKNOWN_FIELD", "unknown field"},
    {MM_ERR_BAD_HEX, "BAD_HEX", "invalid hexadecimal text"},
    {MM_ERR_BAD_BASE64, "BAD_BASE64", "invalid base64 text"},
    {MM_ERR_CBOR_BIGNUM_FORM, "CBOR_BIGNUM_FORM", "bignum not in preferred form"},
    {MM_ERR_CBOR_BAD_KEY, "CBOR_BAD_KEY", "map key of a type not allowed here"},
    {MM_ERR_SIG_LENGTH, "SIG_LENGTH", "signature has the wrong length for its algorithm"},
    {MM_ERR_SIG_RANGE, "SIG_RANGE", "ECDSA signature value r or s out of range"},
    {MM_ERR_BAD_KEY, "BAD_KEY", "malformed key material"},
    {MM_ERR_SYNTAX, "SYNTAX", "text does not follow its grammar"},
    {MM_ERR_UNSUPPORTED, "UNSUPPORTED", "not supported"},
    {MM_ERR_UNSUPPORTED_ALG, "UNSUPPORTED_ALG", "algorithm not supported"},
    {MM_ERR_UNKNOWN_CRIT, "UNKNOWN_CRIT", "critical header parameter not understood"},
    {MM_ERR_VERIFY, "VERIFY", "verification failed"},
    {MM_ERR_ALG_MISMATCH, "ALG_MISMATCH", "key does not match the algorithm"},
    {MM_ERR_ALG_UNPROTECTED, "ALG_UNPROTECTED", "algorithm not in the protected header"},
    {MM_ERR_EXPIRED, "EXPIRED", "token has expired"},
    {MM_ERR_NOT_YET_VALID, "NOT_YET_VALID", "token is not yet valid"},
    {MM_ERR_CLAIM_MISMATCH, "CLAIM_MISMATCH", "claim does not have the required value"},
    {MM_ERR_NO_RECIPIENT, "NO_RECIPIENT", "no recipient matches the key"},
    {MM_ERR_CONDITION, "CONDITION", "a manifest condition failed"},
    {MM_ERR_ROLLBACK, "ROLLBACK", "sequence number not newer than the installed one"},
    {MM_ERR_UNTRUSTED, "UNTRUSTED", "no trust anchor for the signer"},
    {MM_ERR_NESTING, "NESTING", "nesting deeper than the limit"},
    {MM_ERR_BUFFER_TOO_SMALL, "BUFFER_TOO_SMALL", "output buffer too small"},
    {MM_ERR_TOO_LARGE, "TOO_LARGE", "input exceeds a size limit"},
    {MM_ERR_KEY_EXHAUSTED, "KEY_EXHAUSTED", "signing key has no one-time keys left"},
    {MM_ERR_PLATFORM, "PLATFORM", "platform operation failed"},
    {MM_ERR_INVALID_ARG, "INVALID_ARG", "invalid argument"},
    {MM_ERR_STATE, "STATE", "operation not valid in the current state"},
    {MM_ERR_KEY_USAGE, "KEY_USAGE", "key cannot be used for this operation"},
};

static const struct err_entry *err_find(mm_err err)
{
    for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++) {
        if (err_table[i].code == err) {
            return &err_table[i];
        }
    }
    return NULL;
}

const char *mm_strerror(mm_err err)
{
    const struct err_entry *e = err_find(err);
    return e != NULL ? e->text : "unknown error";
}

const char *mm_errname(mm_err err)
{
    const struct err_entry *e = err_find(err);
    return e != NULL ? e->name : "UNKNOWN";
}
