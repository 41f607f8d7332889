/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori EAT: Entity Attestation Tokens (RFC 9711) as CWTs: the claims-set
 * as a C structure, signed tokens, nested tokens, an attester for devices,
 * and the TEEP EAT profile.
 *
 * Claims
 * ------
 * mm_eat_claims holds every claim RFC 9711 defines and the CWT claims it
 * uses (in .cwt, an mm_cwt_claims, so mm_cwt_validate() applies as is).
 * Decoding checks each claim's type and size against the RFC's CDDL, refuses
 * duplicates, and fills the struct with views into the caller's bytes:
 * nothing is copied and nothing allocated. Claims that repeat (nonces,
 * sueids, dloas, manifests, measurements, measurement results, submodules)
 * and claims the struct does not know go into arrays the caller hands in
 * (mm_eat_storage); unknown claims stay reachable by label either way
 * (mm_eat_claim_find). Encoding writes the struct back as a deterministic
 * map; a claims-set decoded and encoded again comes out byte for byte the
 * same when it was deterministic to start with.
 *
 * Submodules are kept as they are: a claims-set as its encoded map (decode
 * it with its own storage), a nested token as its bytes, a digest as its
 * algorithm and value. Decoding still checks every nested claims-set, to
 * MM_EAT_MAX_DEPTH levels.
 *
 * Tokens
 * ------
 * mm_eat_sign() writes a CWT: a COSE_Sign1 whose payload is the claims-set,
 * tagged 61(18(...)) by default as RFC 8392 and RFC 9711's CDDL have it.
 * mm_eat_verify() authenticates before it parses the claims, checks the
 * verifier's nonce and the CWT time claims, and verifies nested tokens with
 * keys a callback supplies (each nested token with its own key).
 *
 * Memory: no allocation, no globals. Recursion over submodules is bounded by
 * MM_EAT_MAX_DEPTH (config.h). Errors follow base.h; a claim of the wrong
 * type is MM_ERR_CBOR_TYPE, of the wrong size or value MM_ERR_CBOR_RANGE,
 * both at the offset of the offending item.
 */
#ifndef MAMORI_EAT_H
#define MAMORI_EAT_H

#include "mamori/cwt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Claim keys (IANA "CBOR Web Token Claims", RFC 9711 section 10.2). */
#define MM_EAT_NONCE        10
#define MM_EAT_UEID         256
#define MM_EAT_SUEIDS       257
#define MM_EAT_OEMID        258
#define MM_EAT_HWMODEL      259
#define MM_EAT_HWVERSION    260
#define MM_EAT_UPTIME       261
#define MM_EAT_OEMBOOT      262
#define MM_EAT_DBGSTAT      263
#define MM_EAT_LOCATION     264
#define MM_EAT_PROFILE      265
#define MM_EAT_SUBMODS      266
#define MM_EAT_BOOTCOUNT    267
#define MM_EAT_BOOTSEED     268
#define MM_EAT_DLOAS        269
#define MM_EAT_SWNAME       270
#define MM_EAT_SWVERSION    271
#define MM_EAT_MANIFESTS    272
#define MM_EAT_MEASUREMENTS 273
#define MM_EAT_MEASRES      274
#define MM_EAT_INTUSE       275

/* Tag of a CBOR detached EAT bundle (RFC 9711 section 5). */
#define MM_EAT_TAG_DEB 602

/* Bits of mm_eat_claims.present (the CWT claims have theirs in
 * cwt.present). */
enum {
    MM_EAT_HAS_NONCE = 1u << 0,
    MM_EAT_HAS_UEID = 1u << 1,
    MM_EAT_HAS_SUEIDS = 1u << 2,
    MM_EAT_HAS_OEMID = 1u << 3,
    MM_EAT_HAS_HWMODEL = 1u << 4,
    MM_EAT_HAS_HWVERSION = 1u << 5,
    MM_EAT_HAS_UPTIME = 1u << 6,
    MM_EAT_HAS_OEMBOOT = 1u << 7,
    MM_EAT_HAS_DBGSTAT = 1u << 8,
    MM_EAT_HAS_LOCATION = 1u << 9,
    MM_EAT_HAS_PROFILE = 1u << 10,
    MM_EAT_HAS_SUBMODS = 1u << 11,
    MM_EAT_HAS_BOOTCOUNT = 1u << 12,
    MM_EAT_HAS_BOOTSEED = 1u << 13,
    MM_EAT_HAS_DLOAS = 1u << 14,
    MM_EAT_HAS_SWNAME = 1u << 15,
    MM_EAT_HAS_SWVERSION = 1u << 16,
    MM_EAT_HAS_MANIFESTS = 1u << 17,
    MM_EAT_HAS_MEASUREMENTS = 1u << 18,
    MM_EAT_HAS_MEASRES = 1u << 19,
    MM_EAT_HAS_INTUSE = 1u << 20,
};

/* Sizes RFC 9711 sets (CBOR). */
#define MM_EAT_NONCE_MIN   8
#define MM_EAT_NONCE_MAX   64
#define MM_EAT_UEID_MIN    7
#define MM_EAT_UEID_MAX    33
#define MM_EAT_HWMODEL_MAX 32

/* dbgstat values (section 4.2.9). */
enum {
    MM_EAT_DBG_ENABLED = 0,
    MM_EAT_DBG_DISABLED = 1,
    MM_EAT_DBG_DISABLED_SINCE_BOOT = 2,
    MM_EAT_DBG_DISABLED_PERMANENTLY = 3,
    MM_EAT_DBG_DISABLED_FULLY_AND_PERMANENTLY = 4,
};

/* intuse values (the EAT Intended Use registry, section 10.4). */
enum {
    MM_EAT_INTUSE_GENERIC = 1,
    MM_EAT_INTUSE_REGISTRATION = 2,
    MM_EAT_INTUSE_PROVISIONING = 3,
    MM_EAT_INTUSE_CSR = 4,
    MM_EAT_INTUSE_POP = 5,
};

/* measres result values (section 4.2.17). */
enum {
    MM_EAT_RESULT_SUCCESS = 1,
    MM_EAT_RESULT_FAIL = 2,
    MM_EAT_RESULT_NOT_RUN = 3,
    MM_EAT_RESULT_ABSENT = 4,
};

/* The three forms of oemid (section 4.2.3). */
typedef enum mm_eat_oemid_form {
    MM_EAT_OEMID_PEN = 1,    /* IANA Private Enterprise Number: pen */
    MM_EAT_OEMID_IEEE = 2,   /* IEEE OUI / MA-L, MA-M, MA-S, CID: id of 3 bytes */
    MM_EAT_OEMID_RANDOM = 3, /* random: id of 16 bytes */
} mm_eat_oemid_form;

typedef struct mm_eat_oemid {
    uint8_t form; /* mm_eat_oemid_form */
    uint64_t pen;
    mm_bytes id;
} mm_eat_oemid;

/* hwversion and swversion: [version, ? scheme] (scheme: a CoSWID
 * version-scheme, an integer or a text). */
typedef enum mm_eat_scheme_kind {
    MM_EAT_SCHEME_NONE = 0,
    MM_EAT_SCHEME_INT = 1,
    MM_EAT_SCHEME_TEXT = 2
} mm_eat_scheme_kind;

typedef struct mm_eat_version {
    mm_bytes version;    /* text */
    bool bare;           /* a bare text instead of the array, as two of RFC 9711's examples write it (kept so that
                            such a claim encodes back as it came; not for new tokens) */
    uint8_t scheme_kind; /* mm_eat_scheme_kind */
    int64_t scheme;      /* MM_EAT_SCHEME_INT: 1 multipartnumeric, 2 +suffix, 3 alphanumeric, 4 decimal, 16384 semver */
    mm_bytes scheme_text; /* MM_EAT_SCHEME_TEXT */
} mm_eat_version;

/* One semi-permanent UEID and its label. */
typedef struct mm_eat_sueid {
    mm_bytes label; /* text */
    mm_bytes ueid;
} mm_eat_sueid;

/* location (section 4.2.10): latitude and longitude always; the others
 * when their bit in present is set. */
enum {
    MM_EAT_LOC_ALTITUDE = 1u << 0,
    MM_EAT_LOC_ACCURACY = 1u << 1,
    MM_EAT_LOC_ALTITUDE_ACCURACY = 1u << 2,
    MM_EAT_LOC_HEADING = 1u << 3,
    MM_EAT_LOC_SPEED = 1u << 4,
    MM_EAT_LOC_TIMESTAMP = 1u << 5,
    MM_EAT_LOC_AGE = 1u << 6,
};

typedef struct mm_eat_location {
    double latitude, longitude, altitude, accuracy, altitude_accuracy, heading, speed;
    int64_t timestamp;
    uint64_t age;
    uint32_t present; /* MM_EAT_LOC_* */
} mm_eat_location;

/* One Digital Letter of Approval (section 4.2.14). */
typedef struct mm_eat_dloa {
    mm_bytes registrar;   /* URI text */
    mm_bytes platform;    /* text */
    mm_bytes application; /* text, or ptr NULL when absent */
} mm_eat_dloa;

/* One entry of manifests or measurements: a CoAP Content-Format and the
 * body as an encoded CBOR item (a byte string for a CoSWID, a SUIT_Reference
 * array or map for the TEEP profile). */
typedef struct mm_eat_manifest {
    uint16_t content_type;
    mm_bytes body; /* encoded item */
} mm_eat_manifest;

/* One individual result of measres. */
typedef struct mm_eat_result {
    mm_bytes id;      /* result-id */
    bool id_is_bytes; /* the id is a byte string (else text) */
    uint8_t result;   /* MM_EAT_RESULT_* */
} mm_eat_result;

/* One measurement-results group. */
typedef struct mm_eat_measres {
    mm_bytes system; /* text */
    const mm_eat_result *results;
    size_t n_results;
} mm_eat_measres;

/* What a submodule holds (section 4.2.18). */
typedef enum mm_eat_submod_kind {
    MM_EAT_SUBMOD_CLAIMS = 1, /* an unsigned claims-set: value is its encoded map */
    MM_EAT_SUBMOD_TOKEN = 2,  /* a CBOR nested token: value is its bytes (a tagged CWT or DEB) */
    MM_EAT_SUBMOD_JSON = 3,   /* a JSON-Selector (a JSON token in text): value is the text */
    MM_EAT_SUBMOD_DIGEST = 4, /* a detached claims-set's digest: digest_alg / digest_alg_name, value */
} mm_eat_submod_kind;

typedef struct mm_eat_submod {
    mm_bytes name; /* the submodule's label (text) */
    uint8_t kind;  /* mm_eat_submod_kind */
    mm_bytes value;
    int64_t digest_alg;       /* DIGEST: a COSE hash algorithm id, or 0 with the name below */
    mm_bytes digest_alg_name; /* DIGEST: the algorithm's text name, when given as text */
} mm_eat_submod;

/* A claim the struct has no field for: its label (an integer, or text when
 * text.ptr is not NULL) and its encoded value. */
typedef struct mm_eat_claim {
    int64_t label;
    mm_bytes text;
    mm_bytes value;
} mm_eat_claim;

/* The claims-set. Views point into the decoded bytes (or, for encoding,
 * the caller's memory). Arrays are absent when their count is 0. */
typedef struct mm_eat_claims {
    mm_cwt_claims cwt;      /* iss, sub, aud, exp, nbf, iat, cti, cnf; cwt.map: the whole map */
    uint32_t present;       /* MM_EAT_HAS_* */
    mm_bytes nonce;         /* the nonce, or the first of several */
    const mm_bytes *nonces; /* all of them when the claim is an array (else NULL) */
    size_t n_nonces;        /* 1 for a single nonce (a bstr), 2 or more for an array */
    mm_bytes ueid;
    const mm_eat_sueid *sueids;
    size_t n_sueids;
    mm_eat_oemid oemid;
    mm_bytes hwmodel;
    mm_eat_version hwversion;
    uint64_t uptime;
    bool oemboot;
    uint8_t dbgstat; /* MM_EAT_DBG_* */
    mm_eat_location location;
    mm_bytes profile; /* a URI (text), or an OID's content octets with profile_is_oid */
    bool profile_is_oid;
    const mm_eat_submod *submods;
    size_t n_submods;
    uint64_t bootcount;
    mm_bytes bootseed;
    const mm_eat_dloa *dloas;
    size_t n_dloas;
    mm_bytes swname;
    mm_eat_version swversion;
    const mm_eat_manifest *manifests;
    size_t n_manifests;
    const mm_eat_manifest *measurements;
    size_t n_measurements;
    const mm_eat_measres *measres;
    size_t n_measres;
    int64_t intuse;              /* MM_EAT_INTUSE_* */
    const mm_eat_claim *unknown; /* claims not above, in the order they came (decoding: those that fit the
                                    storage; mm_eat_claim_find reaches every one) */
    size_t n_unknown;
} mm_eat_claims;

/* Arrays the caller lends a decoder for the claims that repeat; each
 * pointer with its capacity. A NULL array (or capacity 0) is fine as long
 * as the input has no such claim; more entries than the capacity fail with
 * MM_ERR_TOO_LARGE, except unknown claims, which are kept while there is
 * room (mm_eat_claim_find reaches all of them). measres results of all
 * groups share one array. */
typedef struct mm_eat_storage {
    mm_bytes *nonces;
    size_t nonces_cap;
    mm_eat_sueid *sueids;
    size_t sueids_cap;
    mm_eat_dloa *dloas;
    size_t dloas_cap;
    mm_eat_manifest *manifests;
    size_t manifests_cap;
    mm_eat_manifest *measurements;
    size_t measurements_cap;
    mm_eat_measres *measres;
    size_t measres_cap;
    mm_eat_result *results;
    size_t results_cap;
    mm_eat_submod *submods;
    size_t submods_cap;
    mm_eat_claim *unknown;
    size_t unknown_cap;
} mm_eat_storage;

/* Decoding flags. */
#define MM_EAT_PREFERRED 0x1u /* refuse CBOR not in preferred serialization (TEEP profile) */

/* Decodes the encoded claims-set map (a CWT payload) into out, repeated
 * claims into st (may be NULL when there are none). Checks each claim
 * against RFC 9711: nonce 8..64 bytes (one, or an array of two or more);
 * ueid and sueids 7..33 bytes; oemid a uint (PEN) or 3 or 16 bytes; hwmodel
 * 1..32 bytes; iat an integer (EAT forbids floats there); dbgstat 0..4;
 * location with latitude and longitude; content formats <= 65535; measres
 * results 1..4; submods a non-empty map of text labels to a claims-set (a
 * map, itself checked to MM_EAT_MAX_DEPTH levels), a nested token (a byte
 * string holding a tagged CBOR item), a JSON-Selector (text) or a digest
 * ([alg, bstr]). Claims may come in any order; unknown claims are kept.
 * Cross-claim rules (hwversion needs hwmodel, ...) are not enforced: the
 * RFC's own examples break them. Errors: malformed CBOR, MM_ERR_CBOR_TYPE,
 * MM_ERR_CBOR_RANGE, MM_ERR_CBOR_DUP_KEY, MM_ERR_CBOR_BAD_KEY,
 * MM_ERR_NESTING (submodules deeper than MM_EAT_MAX_DEPTH), MM_ERR_TOO_LARGE
 * (storage), each with *err_off (may be NULL) at the offending byte. */
MM_NODISCARD mm_err mm_eat_claims_decode(mm_bytes map, unsigned flags, const mm_eat_storage *st, mm_eat_claims *out,
                                         size_t *err_off);

/* Encodes the claims flagged present (in cwt.present and present) and the
 * unknown claims as a deterministic map into out (MM_ERR_BUFFER_TOO_SMALL
 * gives the size; a NULL out->ptr asks for it). Values are checked as the
 * decoder checks them (MM_ERR_INVALID_ARG when not), so what encodes,
 * decodes; an unknown claim with a known label is refused
 * (MM_ERR_CBOR_DUP_KEY). */
MM_NODISCARD mm_err mm_eat_claims_encode(const mm_eat_claims *c, mm_buf *out);

/* As mm_eat_claims_encode(), as the next item of enc (inside a message the
 * caller builds). */
MM_NODISCARD mm_err mm_eat_claims_write(const mm_eat_claims *c, mm_cbor_enc *enc);

/* Finds a claim by integer label in a decoded claims-set: its encoded
 * value. MM_ERR_MISSING_FIELD when absent. */
MM_NODISCARD mm_err mm_eat_claim_find(const mm_eat_claims *c, int64_t label, mm_bytes *value);

/* True when one of the claims-set's nonces equals nonce. */
bool mm_eat_has_nonce(const mm_eat_claims *c, mm_bytes nonce);

/*
 * Tokens.
 */

/* mm_eat_sign() flags. */
#define MM_EAT_NO_CWT_TAG 0x1u /* 18(...) without the CWT tag 61 around it */
#define MM_EAT_UNTAGGED   0x2u /* neither tag (the TEEP profile uses no tags) */

/* Encodes c and signs it with opts (key, alg, kid, crypto; flags of
 * opts other than MM_COSE_KID_PROTECTED must be 0) as a CWT into out.
 * Errors as mm_eat_claims_encode() and mm_cose_sign1_create(). */
MM_NODISCARD mm_err mm_eat_sign(const mm_eat_claims *c, const mm_cose_create_opts *opts, unsigned flags, mm_buf *out);

/* What the verifier learns about a nested token, to pick its key. */
typedef struct mm_eat_nested {
    unsigned depth;             /* 1 for a submodule of the top-level token */
    const mm_bytes *path;       /* names of the submodules from the top, path[0..depth) */
    uint8_t kind;               /* MM_EAT_SUBMOD_TOKEN or MM_EAT_SUBMOD_JSON */
    mm_bytes token;             /* the nested token (CBOR bytes, or the JSON-Selector text) */
    const mm_cose_headers *hdr; /* TOKEN: the COSE layer's headers (kid, alg); NULL for JSON */
} mm_eat_nested;

/* Supplies the key that verifies a nested CBOR token (*key), or, for a JSON
 * one, verifies it itself and leaves *key NULL. Any error refuses the whole
 * token with that error. */
typedef mm_err (*mm_eat_nested_fn)(void *user, const mm_eat_nested *n, const mm_key **key);

/* mm_eat_verify_opts.flags. */
#define MM_EAT_REQUIRE_NONCE    0x2u /* a token without the expected nonce fails even when none is given */
#define MM_EAT_NESTED_UNCHECKED 0x4u /* do not verify nested tokens (for display only) */

typedef struct mm_eat_verify_opts {
    const mm_crypto *crypto;
    const mm_key *key;             /* the top-level token's key */
    mm_bytes nonce;                /* the verifier's nonce: one of the token's must equal it (empty: not checked) */
    const mm_cwt_check *time;      /* exp, nbf, iss, aud (NULL: not checked) */
    mm_eat_nested_fn nested;       /* keys for nested tokens; NULL: a nested token fails MM_ERR_UNSUPPORTED */
    void *user;                    /* for nested */
    unsigned flags;                /* MM_EAT_PREFERRED, MM_EAT_REQUIRE_NONCE, MM_EAT_NESTED_UNCHECKED */
    const mm_eat_storage *storage; /* for the top-level claims-set */
    const mm_cose_algs *algs;      /* NULL: default */
    uint8_t *scratch;              /* EdDSA: room for the ToBeSigned */
    size_t scratch_len;
} mm_eat_verify_opts;

/* A verified token. */
typedef struct mm_eat_token {
    mm_cose_headers hdr; /* the COSE layer's headers (kid, alg...) */
    mm_bytes payload;    /* the encoded claims-set */
    bool mac;            /* COSE_Mac0 (else COSE_Sign1) */
    bool cose_tagged;    /* tag 18 (or 17) was there */
    bool cwt_tagged;     /* tag 61 was there */
    mm_eat_claims claims;
} mm_eat_token;

/* Verifies a CWT-form EAT (COSE_Sign1 or COSE_Mac0, tagged 61(18()),
 * 18() or untagged; untagged, a symmetric key means Mac0) with opts->key,
 * then decodes its claims (authenticated before parsed),
 * checks the nonce (MM_ERR_CLAIM_MISMATCH when none of the token's equals
 * opts->nonce, MM_ERR_MISSING_FIELD when it has none), the time claims, and
 * verifies every nested token in submods (at any depth up to
 * MM_EAT_MAX_DEPTH, through claims-set submodules too) with the key
 * opts->nested gives for it. Errors: as mm_cose_sign1_decode() / _verify(),
 * mm_eat_claims_decode(), mm_cwt_validate(); MM_ERR_UNSUPPORTED for an
 * encrypted CWT, a COSE_Sign, or a nested token without opts->nested. */
MM_NODISCARD mm_err mm_eat_verify(mm_bytes token, const mm_eat_verify_opts *opts, mm_eat_token *out);

/* Verifies one submodule's nested CBOR token (kind MM_EAT_SUBMOD_TOKEN)
 * with key and opts (crypto, algs, scratch, flags MM_EAT_PREFERRED; the
 * claims go to opts->storage): for a caller that walks submodules itself.
 * Nested tokens inside it are not followed; nonce and time are not
 * checked. */
MM_NODISCARD mm_err mm_eat_verify_nested(const mm_eat_submod *sm, const mm_eat_verify_opts *opts, const mm_key *key,
                                         mm_eat_token *out);

/* Verifies a CBOR detached EAT bundle (section 5: [main token, {name:
 * bstr .cbor claims-set}], tag 602 optional): the main token as
 * mm_eat_verify() with opts, then each detached claims-set against the
 * digest submodule of the same name (SHA-256, -384, -512). out gets the
 * main token. MM_ERR_VERIFY when a digest differs, MM_ERR_MISSING_FIELD
 * when a detached claims-set has no digest. */
MM_NODISCARD mm_err mm_eat_deb_verify(mm_bytes bundle, const mm_eat_verify_opts *opts, mm_eat_token *out);

/* The COSE hash algorithm of a digest submodule (given as an integer, or
 * by its registry name "SHA-256", "SHA-384", "SHA-512", "SHA-256/64", any
 * case), or 0 when it is none of these. */
int32_t mm_eat_digest_alg(const mm_eat_submod *sm);

/*
 * Manifests of installed SUIT software: the manifests claim carries a
 * SUIT_Reference (draft-ietf-suit-report) per installed manifest, so
 * evidence says exactly which software (by manifest digest) is installed.
 */

/* Content-Format the TEEP profile's example uses for a SUIT_Reference until
 * one is assigned (application/cbor). */
#define MM_EAT_CF_SUIT_REFERENCE 60

typedef struct mm_eat_suit_ref {
    mm_bytes uri;     /* the manifest's suit-reference-uri */
    int32_t hash_alg; /* SUIT_Digest algorithm (COSE: MM_ALG_SHA256...) */
    mm_bytes digest;  /* the manifest's digest as SUIT_Authentication carries it */
} mm_eat_suit_ref;

/* Encodes ref as a SUIT_Reference ([uri, [alg, digest]], as the newest
 * draft-ietf-suit-report has it) into out. */
MM_NODISCARD mm_err mm_eat_suit_ref_encode(const mm_eat_suit_ref *ref, mm_buf *out);

/* Reads a manifests entry's body as a SUIT_Reference: the array form, or the
 * map form {1: uri, 0: digest} of the TEEP protocol's example. */
MM_NODISCARD mm_err mm_eat_suit_ref_decode(mm_bytes body, mm_eat_suit_ref *ref);

/* Encodes a cnf claim (RFC 8747) naming a key by its RFC 9679 thumbprint:
 * {3: thumbprint} with hash_alg (MM_ALG_SHA256...). */
MM_NODISCARD mm_err mm_eat_cnf_kid_encode(const mm_crypto *crypto, const mm_key *key, int32_t hash_alg, mm_buf *out);

/*
 * Attester: a device's side. The platform reports its claims through a
 * versioned ops struct with a user pointer; the attester binds the
 * verifier's nonce, adds the installed SUIT manifests and signs with the
 * attestation key.
 */
#define MM_EAT_PLATFORM_V1 1u

typedef struct mm_eat_platform {
    uint32_t version; /* MM_EAT_PLATFORM_V1 */
    /* Each entry may be NULL. Views the callbacks store must stay valid
     * until mm_eat_attest() returns. Any error aborts the attestation. */
    /* Identity: ueid, sueids, oemid, hwmodel, hwversion, cnf... (sets the
     * fields and their present bits in c). */
    mm_err (*identity)(void *user, mm_eat_claims *c);
    /* State: oemboot, dbgstat, uptime, bootcount, bootseed, location... */
    mm_err (*state)(void *user, mm_eat_claims *c);
    /* Software: swname, swversion, measurements, measres... */
    mm_err (*software)(void *user, mm_eat_claims *c);
    /* Installed SUIT manifests: *n, then one reference per index. */
    mm_err (*manifest_count)(void *user, size_t *n);
    mm_err (*manifest)(void *user, size_t index, mm_eat_suit_ref *ref);
    /* The time for iat (seconds since 1970); NULL or MM_ERR_UNSUPPORTED:
     * no iat. */
    mm_err (*now)(void *user, int64_t *seconds);
} mm_eat_platform;

typedef struct mm_eat_attester {
    const mm_eat_platform *platform;
    void *user;
    mm_cose_create_opts sign; /* crypto, attestation key, alg, kid (and scratch for EdDSA) */
    unsigned flags;           /* mm_eat_sign() flags */
    mm_bytes profile;         /* eat_profile URI to state, or empty */
    uint8_t *work;            /* room for the encoded SUIT_References (about 100 bytes each) */
    size_t work_len;
} mm_eat_attester;

/* Collects the claims from the platform, binds nonce (8..64 bytes, or
 * empty for none), lists the installed manifests (at most
 * MM_EAT_ATTEST_MAX_MANIFESTS) and writes the signed token into out.
 * Errors: MM_ERR_INVALID_ARG (a nonce of a wrong size, a platform of
 * another version), MM_ERR_TOO_LARGE (too many manifests, work too small),
 * what the platform returns, and those of mm_eat_sign(). */
MM_NODISCARD mm_err mm_eat_attest(const mm_eat_attester *a, mm_bytes nonce, mm_buf *out);

/*
 * The TEEP EAT profile (draft-ietf-teep-protocol, "EAT Profile").
 */

typedef struct mm_eat_teep_check {
    const mm_crypto *crypto; /* for thumbprints */
    const mm_key *key;       /* the key the token verified with: kid must be its RFC 9679 thumbprint (NULL: kid
                                only required) */
    int32_t kid_hash_alg;    /* thumbprint hash (0: SHA-256, what every TEEP cipher suite uses) */
    mm_bytes profile;        /* eat_profile the token must state when it states one (empty: any) */
} mm_eat_teep_check;

/* Checks a verified token against the TEEP EAT profile: CBOR only, no tags,
 * preferred serialization and definite lengths throughout (token bytes as
 * received), COSE_Sign1, the claims ueid, oemid, hwmodel, hwversion,
 * manifests and cnf present, eat_nonce (when present) a single byte
 * string, a kid that is the verification key's RFC 9679 thumbprint. *why
 * (may be NULL) gets a static text naming the requirement that failed.
 * Errors: MM_ERR_MISSING_FIELD (a required claim or the kid),
 * MM_ERR_CLAIM_MISMATCH (kid, profile, nonce form), MM_ERR_UNSUPPORTED
 * (tags), MM_ERR_CBOR_NOT_SHORTEST and the other preferred-serialization
 * errors. */
MM_NODISCARD mm_err mm_eat_teep_profile_check(mm_bytes token, const mm_eat_token *t, const mm_eat_teep_check *chk,
                                              const char **why);

/*
 * Claim names (RFC 9711's JSON names) and value shapes, for tools and for
 * converters between the CBOR and JSON forms (EAT and EAR claims).
 */

/* The shape of a claim's value. */
typedef enum mm_eat_value_kind {
    MM_EAT_V_TEXT = 1,     /* tstr / string */
    MM_EAT_V_TIME,         /* int (NumericDate) / number */
    MM_EAT_V_UINT,         /* uint / number */
    MM_EAT_V_BOOL,         /* bool / true, false */
    MM_EAT_V_BYTES,        /* bstr / base64url (binary-data) */
    MM_EAT_V_CTI,          /* cti bstr / jti string */
    MM_EAT_V_NONCE,        /* bstr or [2* bstr] / string or [2* string] */
    MM_EAT_V_OEMID,        /* uint or bstr / number or base64url */
    MM_EAT_V_VERSION,      /* [tstr, ? int / tstr] */
    MM_EAT_V_DBGSTAT,      /* 0..4 / "enabled" ... */
    MM_EAT_V_INTUSE,       /* int / "generic" ... */
    MM_EAT_V_LOCATION,     /* {1: lat, 2: long, ...} / {"latitude": ...} */
    MM_EAT_V_PROFILE,      /* tstr URI or bstr OID / string URI or dotted OID */
    MM_EAT_V_SUBMODS,      /* { + text => claims-set / token / digest } */
    MM_EAT_V_SUEIDS,       /* { + text => ueid } */
    MM_EAT_V_DLOAS,        /* [+ [uri, text, ? text]] */
    MM_EAT_V_MANIFESTS,    /* [+ [content-format, body]] */
    MM_EAT_V_MEASRES,      /* [+ [text, [+ [id, result]]]] */
    MM_EAT_V_CNF,          /* {3: kid} / {"kid": base64url} */
    MM_EAT_V_TIER,         /* EAR status: 0, 2, 32, 96 / "none" ... */
    MM_EAT_V_TRUST_VECTOR, /* EAR: {0: claim, ...} / {"instance-identity": claim, ...} */
    MM_EAT_V_VERIFIER_ID,  /* EAR: {0: developer, 1: build} / {"developer", "build"} */
    MM_EAT_V_TEXT_ARRAY,   /* EAR: [+ text] */
    MM_EAT_V_CLAIMS,       /* EAR: a nested claims-set (the TEEP extension) */
    MM_EAT_V_DIGEST,       /* [alg, bstr] / [alg, base64url] */
} mm_eat_value_kind;

typedef struct mm_eat_claim_info {
    int64_t label;
    const char *name; /* JSON claim name */
    uint8_t kind;     /* mm_eat_value_kind */
} mm_eat_claim_info;

/* The table entry of a label (the CWT claims, RFC 9711's, EAR's), or NULL
 * for a label this library does not know. */
const mm_eat_claim_info *mm_eat_claim_info_find(int64_t label);

/* The entry of a JSON claim name, or NULL. */
const mm_eat_claim_info *mm_eat_claim_info_by_name(mm_bytes name);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_EAT_H */
