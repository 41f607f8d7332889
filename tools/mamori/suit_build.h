/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the SUIT authoring commands (suit create, suit sign) share: reading a
 * JSON description into manifest bytes (suit_json*.c, the schema of
 * docs/suit-json.md), and building and signing envelopes (suit_envelope.c).
 * Host code: it allocates, reads files and prints errors; every function that
 * returns int returns a CLI exit code and has printed the reason when it is
 * not CLI_OK.
 */
#ifndef MAMORI_SUIT_BUILD_H
#define MAMORI_SUIT_BUILD_H

#include <stdbool.h>

#include "cli.h"
#include "mamori/cbor.h"
#include "mamori/suit_names.h"

struct json_t;

/*
 * The description reader.
 */

/* One member for the envelope beside the manifest: a severed member (int
 * key) or an integrated payload (text key). */
typedef struct suit_piece {
    int64_t key;    /* severed member's key */
    char *text_key; /* integrated payload's key (NULL for a severed member) */
    uint8_t *data;  /* severed: the encoded bstr item (head included); payload: its content */
    size_t len;
} suit_piece;

/* What a description produces. */
typedef struct suit_built {
    uint8_t *manifest; /* the encoded SUIT_Manifest map (not wrapped) */
    size_t manifest_len;
    suit_piece *pieces; /* severed members, then integrated payloads */
    size_t n_pieces;
    int32_t digest_alg; /* for the manifest's digest and the severed members' */
} suit_built;

/* Reads the description desc (from the file desc_path, for messages) and
 * encodes its manifest; relative file names in it are resolved from dir.
 * On failure prints "mamori: DESC: JSON.PATH: why". out is freed with
 * suit_built_free() either way. */
int suit_json_build(struct json_t *desc, const char *desc_path, const char *dir, suit_built *out);

void suit_built_free(suit_built *b);

/*
 * Envelopes.
 */

/* One signer or MAC authority: a key from the command line and its
 * algorithm and kid. */
typedef struct suit_signer {
    const char *path;    /* key file */
    const char *alg_opt; /* --alg value, or NULL for the default */
    const char *kid_opt; /* --kid value, or NULL for the key file's */
    cli_key key;
    int32_t alg;
    bool mac; /* a symmetric key: COSE_Mac0 */
    uint8_t kid_buf[CLI_KID_MAX];
    mm_bytes kid;
} suit_signer;

/* Most signers one command takes. */
#define SUIT_MAX_SIGNERS 8

/* Signer options shared by create and sign: -k/--key, --alg and --kid (the
 * last two once for every key, or once per key), at most SUIT_MAX_SIGNERS
 * each. */
typedef struct suit_signer_opts {
    cli_list keys, algs, kids;
} suit_signer_opts;

/* Their entries in an option table of arguments of type T, whose field
 * signers is a suit_signer_opts. */
#define SUIT_SIGNER_OPTS(T)                                                                                            \
    CLI_LIST("key", 'k', T, signers.keys, SUIT_MAX_SIGNERS), CLI_LIST("alg", 0, T, signers.algs, SUIT_MAX_SIGNERS),    \
        CLI_LIST("kid", 0, T, signers.kids, SUIT_MAX_SIGNERS)

/* Loads the keys of o into s[0..o->keys.n) and picks each algorithm: --alg,
 * else the key's own, else the one of the SUIT MTI profiles for its type
 * (ESP256/ESP384/ESP512 by curve, Ed25519, HSS-LMS, HMAC 256 for a
 * symmetric key; PS256... for RSA). cmd names the command in usage errors. */
int suit_signers_load(const char *cmd, const suit_signer_opts *o, suit_signer *s);
void suit_signers_free(suit_signer *s, size_t n);

/* Makes the authentication block of s over the encoded SUIT_Digest digest:
 * a tagged COSE_Sign1 (or COSE_Mac0) with the payload detached, as the
 * manifest's section "Authenticated Manifests" requires. *block is malloc'ed. */
int suit_auth_block(const suit_signer *s, mm_bytes digest, mm_buf *block);

/* content as an encoded byte string, head and all, into *out (malloc'ed). */
int suit_bstr_item(mm_bytes content, mm_buf *out);

/* The encoded SUIT_Digest [alg, hash(data)] into *out (malloc'ed). */
int suit_digest(int32_t alg, mm_bytes data, mm_buf *out);

/* Writes the envelope's members other than the authentication wrapper
 * (keys and values) into enc; returns a CLI code. */
typedef int (*suit_members_fn)(void *ctx, mm_cbor_enc *enc);

/* Writes an envelope (tag 107 when tagged) of the authentication wrapper
 * [bstr digest, bstr blocks[0..n_blocks)] and the members members() writes
 * into *out (malloc'ed); size_hint: about the size of those members. Map keys
 * in deterministic order. */
int suit_envelope_write(bool tagged, mm_bytes digest, const mm_bytes *blocks, size_t n_blocks, suit_members_fn members,
                        void *ctx, size_t size_hint, mm_buf *out);

/* Makes a new buffer of the CBOR fn writes: a first guess at its size, and
 * once more with the size the encoder asks for. fn returns a CLI code (and
 * has printed why when it is not CLI_OK); encoder errors other than a full
 * buffer are reported as "cannot encode WHAT". */
typedef int (*suit_emit_fn)(void *ctx, mm_cbor_enc *enc);
int suit_encode(const char *where, const char *what, suit_emit_fn fn, void *ctx, size_t guess, mm_buf *out);

#endif
