/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori base: errors, byte views, output buffers, hex and base64.
 *
 * The conventions stated here hold for the whole library:
 *
 * - Every fallible function returns an mm_err; MM_OK is 0. Codes are stable
 *   numbers grouped by class in hundreds (see mm_err_class()), and
 *   mm_strerror() / mm_errname() describe each one. The library never prints
 *   and never touches errno.
 * - Input is a read-only view (mm_bytes). The library never keeps a pointer
 *   into a view beyond what its documentation says (decoders hand back
 *   sub-views of their input: those live as long as the input does).
 * - Output goes into a caller-owned mm_buf: the caller sets ptr and cap, the
 *   callee sets len to the bytes written, or, when it returns
 *   MM_ERR_BUFFER_TOO_SMALL, to the size it would have needed. ptr may be NULL
 *   with cap 0 to ask for the size only.
 * - Nothing here allocates, uses stdio or keeps global state.
 */
#ifndef MAMORI_BASE_H
#define MAMORI_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define MM_NODISCARD __attribute__((warn_unused_result))
#else
#define MM_NODISCARD
#endif

/*
 * Error codes. Numbers never change once released; new codes are appended to
 * their class. The class is code / 100:
 *   1 malformed input, 2 unsupported, 3 verification or policy refused,
 *   4 limit exceeded, 5 platform or backend failure, 6 API misuse.
 */
typedef enum mm_err {
    MM_OK = 0,

    /* 1xx: the input is not what the format allows */
    MM_ERR_TRUNCATED = 100,         /* input ends inside an item */
    MM_ERR_CBOR_RESERVED_AI = 101,  /* additional information 28, 29 or 30 */
    MM_ERR_CBOR_BAD_SIMPLE = 102,   /* two-byte simple value below 32 */
    MM_ERR_CBOR_BAD_INDEF = 103,    /* indefinite length on a type that has none */
    MM_ERR_CBOR_BAD_BREAK = 104,    /* break (0xff) outside an indefinite item */
    MM_ERR_CBOR_BAD_CHUNK = 105,    /* indefinite string chunk of another type */
    MM_ERR_CBOR_BAD_UTF8 = 106,     /* text string is not valid UTF-8 */
    MM_ERR_CBOR_TRAILING = 107,     /* bytes after the top-level item */
    MM_ERR_CBOR_TYPE = 108,         /* item is not of the expected type */
    MM_ERR_CBOR_RANGE = 109,        /* value outside the range asked for */
    MM_ERR_CBOR_NOT_SHORTEST = 110, /* head not in its shortest form (deterministic) */
    MM_ERR_CBOR_UNSORTED = 111,     /* map keys out of order (deterministic) */
    MM_ERR_CBOR_DUP_KEY = 112,      /* the same map key twice */
    MM_ERR_CBOR_INDEF = 113,        /* indefinite length where it is not allowed */
    MM_ERR_CBOR_FLOAT_FORM = 114,   /* float not in its shortest form (deterministic) */
    MM_ERR_CBOR_NO_ITEM = 115,      /* container has no more items to read */
    MM_ERR_CBOR_ITEMS_LEFT = 116,   /* container has items the caller did not read */
    MM_ERR_CBOR_BAD_WRAP = 117,     /* bstr-wrapped CBOR is not exactly one item */
    MM_ERR_MISSING_FIELD = 118,     /* a required field is absent */
    MM_ERR_UNKNOWN_FIELD = 119,     /* a field the format does not define */
    MM_ERR_BAD_HEX = 120,           /* not hexadecimal text */
    MM_ERR_BAD_BASE64 = 121,        /* not base64 / base64url text */
    MM_ERR_CBOR_BIGNUM_FORM = 122,  /* bignum with leading zeros or fitting an int */
    MM_ERR_CBOR_BAD_KEY = 123,      /* map key of a type the format does not allow */
    MM_ERR_SIG_LENGTH = 124,        /* signature length wrong for its algorithm */
    MM_ERR_SIG_RANGE = 125,         /* ECDSA r or s outside [1, n-1] */
    MM_ERR_BAD_KEY = 126,           /* key material malformed (size, point not on curve) */
    MM_ERR_SYNTAX = 127,            /* text does not follow its grammar (diagnostic notation, JSON) */

    /* 2xx: well-formed, but not something this build does */
    MM_ERR_UNSUPPORTED = 200,     /* feature not supported */
    MM_ERR_UNSUPPORTED_ALG = 201, /* algorithm not supported (or unknown) */
    MM_ERR_UNKNOWN_CRIT = 202,    /* a critical header parameter is not understood */

    /* 3xx: a check refused the input */
    MM_ERR_VERIFY = 300,          /* signature, MAC, tag or integrity check failed */
    MM_ERR_ALG_MISMATCH = 301,    /* the key is not for the algorithm the message names */
    MM_ERR_ALG_UNPROTECTED = 302, /* alg is not integrity protected and the key does not pin it */
    MM_ERR_EXPIRED = 303,         /* a token's expiry time has passed */
    MM_ERR_NOT_YET_VALID = 304,   /* a token's not-before time is in the future */
    MM_ERR_CLAIM_MISMATCH = 305,  /* a claim differs from the value required */
    MM_ERR_NO_RECIPIENT = 306,    /* no recipient of the message can use the key */
    MM_ERR_CONDITION = 307,       /* a SUIT condition failed (vendor, class, image digest, ...) */
    MM_ERR_ROLLBACK = 308,        /* a sequence number not newer than the one stored */
    MM_ERR_UNTRUSTED = 309,       /* no trust anchor for the signer (its key id or algorithm) */

    /* 4xx: a limit was reached */
    MM_ERR_NESTING = 400,          /* nesting deeper than the limit */
    MM_ERR_BUFFER_TOO_SMALL = 401, /* output buffer too small; len says the need */
    MM_ERR_TOO_LARGE = 402,        /* an input or count exceeds a limit */
    MM_ERR_KEY_EXHAUSTED = 403,    /* a stateful signing key has used all its one-time keys */

    /* 5xx: the platform or a backend failed */
    MM_ERR_PLATFORM = 500, /* a platform callback reported failure */

    /* 6xx: the caller used the API wrongly */
    MM_ERR_INVALID_ARG = 600, /* an argument is out of its documented domain */
    MM_ERR_STATE = 601,       /* call not valid in the object's current state */
    MM_ERR_KEY_USAGE = 602,   /* key cannot do this (public key asked to sign, wrong type) */
} mm_err;

/* Returns a one-line description of err (never NULL; unknown codes get a
 * generic text). The string is static. */
const char *mm_strerror(mm_err err);

/* Returns the identifier of err without its prefix, e.g. "CBOR_TYPE", or
 * "UNKNOWN" for a code this build does not know. The string is static. */
const char *mm_errname(mm_err err);

/* Returns the class of err: 0 for MM_OK, else err / 100 (1..6). */
static inline int mm_err_class(mm_err err) { return (int)err / 100; }

/* A read-only view of bytes owned by somebody else. */
typedef struct mm_bytes {
    const uint8_t *ptr;
    size_t len;
} mm_bytes;

/* A writable buffer owned by the caller: see the conventions above. */
typedef struct mm_buf {
    uint8_t *ptr;
    size_t cap;
    size_t len;
} mm_buf;

/* View of a string literal or array, without its terminating NUL. */
#define MM_BYTES_LIT(s) ((mm_bytes){(const uint8_t *)(s), sizeof(s) - 1})

static inline mm_bytes mm_bytes_make(const void *ptr, size_t len)
{
    mm_bytes b = {(const uint8_t *)ptr, len};
    return b;
}

static inline mm_buf mm_buf_make(void *ptr, size_t cap)
{
    mm_buf b = {(uint8_t *)ptr, cap, 0};
    return b;
}

/* View of a NUL-terminated string (without the NUL). */
mm_bytes mm_bytes_from_cstr(const char *s);

/* True when a and b hold the same bytes. Not constant time: use mm_ct_equal
 * for secrets. */
bool mm_bytes_equal(mm_bytes a, mm_bytes b);

/* Compares len bytes of a and b in time independent of their contents;
 * returns true when equal. */
MM_NODISCARD bool mm_ct_equal(const void *a, const void *b, size_t len);

/* Overwrites len bytes at p with zeros in a way the compiler cannot drop. */
void mm_wipe(void *p, size_t len);

/*
 * Hex and base64.
 */

/* Flags for the text decoders. */
#define MM_TEXT_SKIP_SPACE 0x1u /* ignore ASCII white space anywhere */

/* Writes in as lowercase hex (2 * in.len characters, no NUL). */
MM_NODISCARD mm_err mm_hex_encode(mm_bytes in, mm_buf *out);

/* The value of one hex digit (either case), or -1: for parsers that read
 * hex a character at a time (diagnostic notation). */
int mm_hex_digit(uint8_t c);

/* Decodes hex text (either case). Errors: MM_ERR_BAD_HEX with *err_off set to
 * the offending character's offset (err_off may be NULL), including an odd
 * number of digits; MM_ERR_BUFFER_TOO_SMALL. */
MM_NODISCARD mm_err mm_hex_decode(mm_bytes text, unsigned flags, mm_buf *out, size_t *err_off);

/* Base64 alphabets. MM_B64 pads with '='; MM_B64URL (RFC 4648 section 5)
 * writes no padding, as JOSE and COSE use it. */
typedef enum mm_b64_alphabet { MM_B64 = 0, MM_B64URL = 1 } mm_b64_alphabet;

/* Encodes in as base64 text in the given alphabet (no NUL). */
MM_NODISCARD mm_err mm_base64_encode(mm_bytes in, mm_b64_alphabet alpha, mm_buf *out);

/* The value of one base64 symbol of alpha (no padding), or -1. */
int mm_base64_symbol(uint8_t c, mm_b64_alphabet alpha);

/* Decodes base64 text of the given alphabet; padding is optional but, when
 * present, must be correct. Unused trailing bits must be zero (canonical
 * encoding), so each byte string has exactly one accepted text. Errors:
 * MM_ERR_BAD_BASE64 with *err_off at the offending character;
 * MM_ERR_BUFFER_TOO_SMALL. */
MM_NODISCARD mm_err mm_base64_decode(mm_bytes text, mm_b64_alphabet alpha, unsigned flags, mm_buf *out,
                                     size_t *err_off);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_BASE_H */
