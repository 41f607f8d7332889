/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compile-time limits and feature switches of the device-safe core.
 *
 * Every limit has a default here and can be overridden with -D (CMake mirrors
 * each one as a cache variable of the same name). Limits that size a struct
 * (such as the CBOR nesting stack) change the ABI: a program must be built with
 * the same values as the library it links, which the installed copy of this
 * header guarantees.
 */
#ifndef MAMORI_CONFIG_H
#define MAMORI_CONFIG_H

/* Deepest CBOR nesting a decoder can track (arrays, maps, tags and bstr-wrapped
 * items each count one level). The runtime limit a caller sets may be lower. */
#ifndef MM_CBOR_MAX_NESTING
#define MM_CBOR_MAX_NESTING 32
#endif

/* Nesting limit a decoder gets when the caller does not set one. */
#ifndef MM_CBOR_DEFAULT_NESTING
#define MM_CBOR_DEFAULT_NESTING 16
#endif

/* Deepest container nesting the encoder can track (fixed-count containers,
 * tags and open containers each take a level). As deep as the decoder's, so
 * that anything decoded can be re-encoded. */
#ifndef MM_CBOR_ENC_MAX_NESTING
#define MM_CBOR_ENC_MAX_NESTING MM_CBOR_MAX_NESTING
#endif

#if MM_CBOR_DEFAULT_NESTING > MM_CBOR_MAX_NESTING
#error "MM_CBOR_DEFAULT_NESTING must not exceed MM_CBOR_MAX_NESTING"
#endif

#endif /* MAMORI_CONFIG_H */
