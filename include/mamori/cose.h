/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori COSE (RFC 9052, RFC 9053): header parameters, COSE_Sign1,
 * COSE_Sign, COSE_Mac0, COSE_Encrypt0, COSE_Encrypt with recipients, and
 * COSE_Key with RFC 9679 thumbprints.
 *
 * Model
 * -----
 * Decoding and cryptography are separate steps. mm_cose_*_decode() checks a
 * message's structure and fills a struct of views into the caller's bytes
 * (nothing is copied, nothing allocated); the headers are parsed by one
 * table-driven routine shared by every layer. mm_cose_*_verify() /
 * _decrypt() then authenticate it with a key through a crypto backend
 * (mm_crypto). Creation writes a whole message into a caller buffer
 * (mm_buf; MM_ERR_BUFFER_TOO_SMALL reports the size needed).
 *
 * Misuse resistance, applied the same way everywhere:
 * - the key must fit the algorithm the message names (type, curve, size, and
 *   the key's own algorithm restriction): MM_ERR_ALG_MISMATCH otherwise;
 * - alg must be in the protected header, unless the key is restricted to
 *   exactly that algorithm (then no substitution is possible):
 *   MM_ERR_ALG_UNPROTECTED otherwise;
 * - a label in both buckets is MM_ERR_CBOR_DUP_KEY; a crit label the caller
 *   does not declare understood is MM_ERR_UNKNOWN_CRIT;
 * - signatures of the wrong length fail with MM_ERR_SIG_LENGTH, ECDSA values
 *   out of range with MM_ERR_SIG_RANGE, before any crypto runs; a failed
 *   check is MM_ERR_VERIFY; MAC tags are compared in constant time;
 * - a public key cannot sign or decrypt (MM_ERR_KEY_USAGE).
 *
 * Algorithms are looked up in a registry (mm_cose_algs): a chain of const
 * tables, so HPKE, HSS-LMS or an application's own algorithms plug in by
 * passing a longer chain, without changes here and without global state.
 *
 * Memory: no allocation. Verifying ECDSA, RSA-PSS and MACs streams the
 * ToBeSigned/ToBeMaced structure through the hash; EdDSA signs the whole
 * structure, which the caller provides room for (scratch). A detached payload
 * can be verified in chunks (mm_cose_sign1_verify_begin/update/end).
 */
#ifndef MAMORI_COSE_H
#define MAMORI_COSE_H

#include "mamori/base.h"
#include "mamori/cbor.h"
#include "mamori/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* CBOR tags of the COSE messages. */
#define MM_COSE_TAG_SIGN1    18
#define MM_COSE_TAG_SIGN     98
#define MM_COSE_TAG_MAC0     17
#define MM_COSE_TAG_MAC      97
#define MM_COSE_TAG_ENCRYPT0 16
#define MM_COSE_TAG_ENCRYPT  96

/* Header parameter labels (IANA "COSE Header Parameters"). */
#define MM_HDR_ALG           1
#define MM_HDR_CRIT          2
#define MM_HDR_CONTENT_TYPE  3
#define MM_HDR_KID           4
#define MM_HDR_IV            5
#define MM_HDR_PARTIAL_IV    6
#define MM_HDR_CWT_CLAIMS    15 /* RFC 9597 */
#define MM_HDR_X5CHAIN       33 /* RFC 9360 */
#define MM_HDR_X5T           34
#define MM_HDR_EPHEMERAL_KEY (-1) /* RFC 9053: ECDH recipients */
#define MM_HDR_STATIC_KEY    (-2)
#define MM_HDR_STATIC_KEY_ID (-3)
#define MM_HDR_SALT          (-20)
#define MM_HDR_PARTY_U_ID    (-21)
#define MM_HDR_PARTY_U_NONCE (-22)
#define MM_HDR_PARTY_U_OTHER (-23)
#define MM_HDR_PARTY_V_ID    (-24)
#define MM_HDR_PARTY_V_NONCE (-25)
#define MM_HDR_PARTY_V_OTHER (-26)

/* Bits of mm_cose_headers.present / .protected_bits, one per known label. */
enum {
    MM_HDRBIT_ALG = 1u << 0,
    MM_HDRBIT_CRIT = 1u << 1,
    MM_HDRBIT_CONTENT_TYPE = 1u << 2,
    MM_HDRBIT_KID = 1u << 3,
    MM_HDRBIT_IV = 1u << 4,
    MM_HDRBIT_PARTIAL_IV = 1u << 5,
    MM_HDRBIT_CWT_CLAIMS = 1u << 6,
    MM_HDRBIT_X5CHAIN = 1u << 7,
    MM_HDRBIT_X5T = 1u << 8,
    MM_HDRBIT_EPHEMERAL_KEY = 1u << 9,
    MM_HDRBIT_STATIC_KEY = 1u << 10,
    MM_HDRBIT_STATIC_KEY_ID = 1u << 11,
    MM_HDRBIT_SALT = 1u << 12,
    MM_HDRBIT_PARTY_U_ID = 1u << 13,
    MM_HDRBIT_PARTY_U_NONCE = 1u << 14,
    MM_HDRBIT_PARTY_U_OTHER = 1u << 15,
    MM_HDRBIT_PARTY_V_ID = 1u << 16,
    MM_HDRBIT_PARTY_V_NONCE = 1u << 17,
    MM_HDRBIT_PARTY_V_OTHER = 1u << 18,
};

/* The two header buckets of one COSE layer, decoded. Values are views into
 * the message. Parameters without a field here stay reachable through
 * mm_cose_header_find(). */
typedef struct mm_cose_headers {
    int64_t alg;              /* 0 when absent */
    mm_bytes kid;             /* bstr content */
    mm_bytes iv;              /* bstr content */
    mm_bytes partial_iv;      /* bstr content */
    mm_bytes content_type;    /* encoded value: uint or tstr */
    mm_bytes crit;            /* encoded array */
    mm_bytes cwt_claims;      /* encoded map */
    mm_bytes x5chain;         /* encoded: one bstr or an array of bstr */
    mm_bytes x5t;             /* encoded [hash alg, hash] */
    mm_bytes ephemeral_key;   /* encoded COSE_Key */
    mm_bytes static_key;      /* encoded COSE_Key */
    mm_bytes static_key_id;   /* bstr content */
    mm_bytes salt;            /* bstr content */
    mm_bytes party[6];        /* encoded: U identity, nonce, other; V identity, nonce, other */
    uint32_t present;         /* MM_HDRBIT_* of the parameters found */
    uint32_t protected_bits;  /* which of those are in the protected bucket */
    mm_bytes protected_bytes; /* the protected bucket as serialized; empty when it holds no parameter (h'' or
                                 h'a0'), as the structures take it (RFC 9052 section 4.4) */
    mm_bytes unprotected;     /* the unprotected bucket's encoded map */
} mm_cose_headers;

/* Reads a protected bucket (bstr) and an unprotected bucket (map) from dec
 * into h: known parameters are type-checked and unknown ones kept in place,
 * a label in both buckets is refused (MM_ERR_CBOR_DUP_KEY), crit must be in
 * the protected bucket, be a non-empty array of int or text labels each
 * present in the protected bucket. */
MM_NODISCARD mm_err mm_cose_headers_decode(mm_cbor_dec *dec, mm_cose_headers *h);

/* Finds any parameter by integer label in either bucket: *value gets its
 * encoded bytes, *in_protected (may be NULL) its bucket. MM_ERR_MISSING_FIELD
 * when absent. */
MM_NODISCARD mm_err mm_cose_header_find(const mm_cose_headers *h, int64_t label, mm_bytes *value, bool *in_protected);

/* Checks crit against what the processing understands: alg, crit, content
 * type, kid, IV and partial IV always, plus understood[0..n). */
MM_NODISCARD mm_err mm_cose_headers_check_crit(const mm_cose_headers *h, const int64_t *understood, size_t n);

/* The certificates of an x5chain parameter (leaf first) as views of their
 * DER bytes; *n gets the count. MM_ERR_TOO_LARGE when more than cap. */
MM_NODISCARD mm_err mm_cose_x5chain_certs(const mm_cose_headers *h, mm_bytes *certs, size_t cap, size_t *n);

/* Checks that the x5t parameter ([hash alg, hash], RFC 9360) is the hash of
 * cert_der (the DER certificate the key came from). SHA-256, SHA-384,
 * SHA-512 and SHA-256/64. MM_ERR_MISSING_FIELD without x5t, MM_ERR_VERIFY
 * when it names another certificate. */
MM_NODISCARD mm_err mm_cose_x5t_check(const mm_crypto *c, const mm_cose_headers *h, mm_bytes cert_der);

/*
 * Algorithm registry.
 */

/* A signature algorithm as COSE uses it. */
typedef struct mm_cose_sig_alg {
    int32_t alg;
    int32_t prehash;   /* hash the structure is streamed into (ECDSA, PSS); 0: the scheme signs it whole */
    uint16_t sig_len;  /* exact signature length; 0: from the key (RSA) or variable (HSS-LMS) */
    int32_t ecdsa_crv; /* curve whose order bounds r and s (ECDSA), else 0 */
    /* Verify sig over data (the hash with MM_SIG_PREHASHED); NULL: mm_verify. */
    mm_err (*verify)(const mm_crypto *c, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, mm_bytes sig);
    /* Sign; NULL: mm_sign. When sig_len is 0 and the key's type does not
     * give the length (HSS-LMS), it is first called with cap 0 to ask for
     * it: MM_ERR_BUFFER_TOO_SMALL with *len set, and nothing signed. A
     * signature is only made where the message has room for it. */
    mm_err (*sign)(const mm_crypto *c, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, uint8_t *sig,
                   size_t cap, size_t *len);
} mm_cose_sig_alg;

/* What a recipient algorithm gets to produce or recover the CEK. */
typedef struct mm_cose_rcpt_ctx {
    const mm_crypto *crypto;
    const mm_key *key;                  /* recipient's key (see mm_cose_recipient_opts / decrypt opts) */
    const mm_key *sender_key;           /* ECDH-SS sender key or fixed ephemeral key, may be NULL */
    int32_t content_alg;                /* the algorithm the CEK is for */
    size_t cek_len;                     /* bytes of CEK the content algorithm needs */
    const mm_cose_headers *hdr;         /* decrypt: the recipient's headers; encrypt: alg, and static_key_id
                                           when the caller names the ECDH-SS sender key by kid */
    mm_bytes ciphertext;                /* decrypt: the recipient's ciphertext */
    mm_cbor_enc *unprotected;           /* encrypt: add parameters to the open unprotected map */
    const struct mm_cose_param *params; /* encrypt: the recipient's parameters as given */
    size_t n_params;
    const void *alg_opts; /* the caller's options for this algorithm (recipient opts or decrypt opts), or NULL */
} mm_cose_rcpt_ctx;

/* A content key distribution algorithm (recipient layer). MM_ALG_DIRECT
 * has no functions: its key is the CEK itself. */
typedef struct mm_cose_rcpt_alg {
    int32_t alg;
    uint8_t direct; /* the CEK is derived or shared, not carried: one recipient only */
    /* Recovers the CEK into cek[0..ctx->cek_len). */
    mm_err (*decrypt)(const mm_cose_rcpt_ctx *ctx, uint8_t *cek);
    /* Produces the recipient for cek: writes parameters through
     * ctx->unprotected and the recipient ciphertext into out (*len).
     * For direct algorithms it derives cek instead (cek is output). */
    mm_err (*encrypt)(const mm_cose_rcpt_ctx *ctx, uint8_t *cek, mm_bytes protected_bytes, uint8_t *out, size_t cap,
                      size_t *len);
} mm_cose_rcpt_alg;

/* What an integrated-encryption algorithm gets: a COSE_Encrypt0 whose alg
 * encrypts the content itself with the recipient's key, as COSE-HPKE's
 * Integrated Encryption does (instead of a content key and AEAD). */
typedef struct mm_cose_enc0_ctx {
    const mm_crypto *crypto;
    const mm_key *key; /* encrypt: the recipient's public key; decrypt: its private key */
    int32_t alg;
    mm_bytes aad;               /* the Enc_structure ["Encrypt0", protected, external_aad], built by the caller */
    const mm_cose_headers *hdr; /* decrypt: the layer's headers */
    const struct mm_cose_param *params; /* encrypt: the layer's parameters as given (both buckets) */
    size_t n_params;
    const void *alg_opts;     /* the caller's options for this algorithm (opts.alg_opts), or NULL */
    mm_cbor_enc *unprotected; /* encrypt: the open unprotected bucket, for the algorithm's own parameters */
    /* encrypt: closes the unprotected bucket and reserves len bytes for the
     * ciphertext (in the message, or the caller's detached buffer); *space
     * is NULL when the message is only being sized. */
    mm_err (*reserve)(const struct mm_cose_enc0_ctx *ctx, size_t len, uint8_t **space);
    void *internal; /* for reserve */
} mm_cose_enc0_ctx;

/* An integrated-encryption algorithm. COSE_Encrypt0 consults these before
 * its built-in AEADs; the alg, crit and key checks, the Enc_structure and
 * detached ciphertexts stay in the COSE layer. */
typedef struct mm_cose_enc0_alg {
    int32_t alg;
    uint16_t overhead; /* ciphertext bytes beyond the plaintext (the tag) */
    /* Decrypts ct into pt (ct.len - overhead bytes, checked by the
     * caller); on failure leaves nothing usable in pt. */
    mm_err (*decrypt)(const mm_cose_enc0_ctx *ctx, mm_bytes ct, uint8_t *pt);
    /* Adds its parameters through ctx->unprotected, then calls
     * ctx->reserve(pt.len + overhead) and, unless sizing, writes the
     * ciphertext there. */
    mm_err (*encrypt)(const mm_cose_enc0_ctx *ctx, mm_bytes pt);
} mm_cose_enc0_alg;

/* A chain of algorithm tables; the first match wins. */
typedef struct mm_cose_algs {
    const mm_cose_sig_alg *sig;
    size_t n_sig;
    const mm_cose_rcpt_alg *rcpt;
    size_t n_rcpt;
    const struct mm_cose_algs *next;
    /* Integrated-encryption algorithms (after next, so tables written before
     * them need no change). */
    const mm_cose_enc0_alg *enc0;
    size_t n_enc0;
} mm_cose_algs;

/* The built-in table: ES256/384/512, ESP256/384/512, EdDSA, Ed25519,
 * PS256/384/512; direct, A128/192/256KW, ECDH-ES/SS + HKDF-256/512,
 * ECDH-ES/SS + A128/192/256KW. */
const mm_cose_algs *mm_cose_algs_default(void);

/* Looks alg up along the chain (NULL: the default table). */
const mm_cose_sig_alg *mm_cose_find_sig_alg(const mm_cose_algs *algs, int32_t alg);
const mm_cose_rcpt_alg *mm_cose_find_rcpt_alg(const mm_cose_algs *algs, int32_t alg);
const mm_cose_enc0_alg *mm_cose_find_enc0_alg(const mm_cose_algs *algs, int32_t alg);

/*
 * Options shared by the message types.
 */

/* One header parameter to write: its label and its value as encoded CBOR. */
typedef struct mm_cose_param {
    int64_t label;
    mm_bytes value;
    unsigned flags; /* MM_COSE_PROTECTED */
} mm_cose_param;

/* Flags for creation. */
#define MM_COSE_PROTECTED       0x1u  /* mm_cose_param: into the protected bucket */
#define MM_COSE_DETACHED        0x2u  /* payload / ciphertext not carried (nil) */
#define MM_COSE_UNTAGGED        0x4u  /* no CBOR tag */
#define MM_COSE_KID_PROTECTED   0x8u  /* kid into the protected bucket */
#define MM_COSE_ALG_UNPROTECTED 0x10u /* alg into the unprotected bucket (for tests; not advised) */

/* How to create a signature or MAC layer. */
typedef struct mm_cose_create_opts {
    const mm_crypto *crypto;
    const mm_key *key; /* private key (signatures) or symmetric key (MAC) */
    int32_t alg;       /* 0: the key's algorithm */
    mm_bytes kid;      /* written when not empty */
    const mm_cose_param *params;
    size_t n_params;
    mm_bytes external_aad;
    unsigned flags;           /* MM_COSE_* */
    const mm_cose_algs *algs; /* NULL: default */
    uint8_t *scratch;         /* room for the whole ToBeSigned, for EdDSA */
    size_t scratch_len;
} mm_cose_create_opts;

/* How to verify a signature or MAC layer. */
typedef struct mm_cose_verify_opts {
    const mm_crypto *crypto;
    const mm_key *key; /* public key (signatures) or symmetric key (MAC) */
    mm_bytes external_aad;
    mm_bytes payload;    /* the payload, when the message carries none */
    const int64_t *crit; /* labels the application understands (beyond alg..partial IV) */
    size_t n_crit;
    const mm_cose_algs *algs; /* NULL: default */
    uint8_t *scratch;         /* room for the whole ToBeSigned, for EdDSA */
    size_t scratch_len;
} mm_cose_verify_opts;

/*
 * COSE_Sign1 (RFC 9052 section 4.2).
 */
typedef struct mm_cose_sign1 {
    mm_cose_headers hdr;
    mm_bytes payload; /* attached payload; empty when detached */
    bool detached;    /* payload was nil */
    bool tagged;      /* tag 18 was present */
    mm_bytes signature;
} mm_cose_sign1;

/* Decodes a COSE_Sign1 (tagged or not) in msg. *err_off (may be NULL) gets
 * the offset of a malformation. */
MM_NODISCARD mm_err mm_cose_sign1_decode(mm_bytes msg, mm_cose_sign1 *out, size_t *err_off);

/* Verifies the signature with opts->key. */
MM_NODISCARD mm_err mm_cose_sign1_verify(const mm_cose_sign1 *msg, const mm_cose_verify_opts *opts);

/* Signs payload into out. */
MM_NODISCARD mm_err mm_cose_sign1_create(const mm_cose_create_opts *opts, mm_bytes payload, mm_buf *out);

/* Writes a payload's content into enc (inside the byte string being
 * built); user is the caller's. */
typedef mm_err (*mm_cose_payload_fn)(mm_cbor_enc *enc, void *user);

/* Writes a COSE_Sign1 as the next item of enc, its payload encoded in place
 * by write (no second buffer: a CWT's claims go straight into the message,
 * behind a tag the caller may have written first). The signature covers
 * the payload as written. When enc's buffer is too small (or NULL), the
 * dry run goes on and mm_cbor_enc_finish() reports the size needed.
 * MM_COSE_DETACHED is refused (MM_ERR_INVALID_ARG); errors of write are
 * returned as they are, others as mm_cose_sign1_create(). */
MM_NODISCARD mm_err mm_cose_sign1_write(mm_cbor_enc *enc, const mm_cose_create_opts *opts, mm_cose_payload_fn write,
                                        void *user);

/* Verifying a detached payload in chunks (ECDSA and RSA-PSS: the structure
 * is hashed as it streams; the message must stay valid until _end). */
typedef struct mm_cose_sign1_stream {
    const mm_crypto *crypto;
    const mm_key *key;
    const mm_cose_sig_alg *entry;
    int32_t alg;
    uint64_t left; /* payload bytes still expected */
    mm_bytes signature;
    mm_crypto_ctx hash;
} mm_cose_sign1_stream;

/* Starts verifying msg whose detached payload has payload_len bytes. */
MM_NODISCARD mm_err mm_cose_sign1_verify_begin(mm_cose_sign1_stream *s, const mm_cose_sign1 *msg,
                                               const mm_cose_verify_opts *opts, uint64_t payload_len);
MM_NODISCARD mm_err mm_cose_sign1_verify_update(mm_cose_sign1_stream *s, mm_bytes chunk);
/* Checks the length fed and the signature; ends the stream either way. */
MM_NODISCARD mm_err mm_cose_sign1_verify_end(mm_cose_sign1_stream *s);
/* Ends a stream without a verdict (on the caller's error path). */
void mm_cose_sign1_verify_abort(mm_cose_sign1_stream *s);

/*
 * COSE_Sign (RFC 9052 section 4.1): one payload, several signers.
 */
typedef struct mm_cose_signature {
    mm_cose_headers hdr;
    mm_bytes signature;
} mm_cose_signature;

typedef struct mm_cose_sign {
    mm_cose_headers hdr;
    mm_bytes payload;
    bool detached;
    bool tagged;
    mm_cose_signature *signers; /* the caller's storage */
    size_t n_signers;
} mm_cose_sign;

/* Decodes a COSE_Sign; signers are stored in storage[0..cap)
 * (MM_ERR_TOO_LARGE if the message has more). */
MM_NODISCARD mm_err mm_cose_sign_decode(mm_bytes msg, mm_cose_sign *out, mm_cose_signature *storage, size_t cap,
                                        size_t *err_off);

/* Verifies signer `index` with opts->key. */
MM_NODISCARD mm_err mm_cose_sign_verify(const mm_cose_sign *msg, size_t index, const mm_cose_verify_opts *opts);

/* Signs payload once per signers[i] (each with its key, alg, kid, params);
 * body describes the outer layer (params, flags, external_aad; its crypto,
 * key and alg are not used). */
MM_NODISCARD mm_err mm_cose_sign_create(const mm_cose_create_opts *body, const mm_cose_create_opts *signers, size_t n,
                                        mm_bytes payload, mm_buf *out);

/*
 * COSE_Mac0 (RFC 9052 section 6.2): HMAC 256/64, 256/256, 384/384, 512/512.
 */
typedef struct mm_cose_mac0 {
    mm_cose_headers hdr;
    mm_bytes payload;
    bool detached;
    bool tagged;
    mm_bytes tag;
} mm_cose_mac0;

MM_NODISCARD mm_err mm_cose_mac0_decode(mm_bytes msg, mm_cose_mac0 *out, size_t *err_off);
MM_NODISCARD mm_err mm_cose_mac0_verify(const mm_cose_mac0 *msg, const mm_cose_verify_opts *opts);
MM_NODISCARD mm_err mm_cose_mac0_create(const mm_cose_create_opts *opts, mm_bytes payload, mm_buf *out);

/*
 * COSE_Encrypt0 and COSE_Encrypt (RFC 9052 section 5).
 */
typedef struct mm_cose_recipient {
    mm_cose_headers hdr;
    mm_bytes ciphertext; /* wrapped CEK, or empty */
} mm_cose_recipient;

typedef struct mm_cose_encrypt {
    mm_cose_headers hdr;
    mm_bytes ciphertext; /* with the tag; empty when detached */
    bool detached;
    bool tagged;
    mm_cose_recipient *recipients; /* COSE_Encrypt: the caller's storage */
    size_t n_recipients;
} mm_cose_encrypt;

MM_NODISCARD mm_err mm_cose_encrypt0_decode(mm_bytes msg, mm_cose_encrypt *out, size_t *err_off);
MM_NODISCARD mm_err mm_cose_encrypt_decode(mm_bytes msg, mm_cose_encrypt *out, mm_cose_recipient *storage, size_t cap,
                                           size_t *err_off);

typedef struct mm_cose_decrypt_opts {
    const mm_crypto *crypto;
    /* Encrypt0: the content key, or the recipient's private key for an
     * integrated-encryption alg (COSE-HPKE). Encrypt: the key for a
     * recipient: the shared key (direct), the KEK (A*KW), or the
     * recipient's private key (ECDH-ES, ECDH-SS, COSE-HPKE). */
    const mm_key *key;
    const mm_key *sender_key; /* ECDH-SS: the sender's static public key if the message names it by kid */
    mm_bytes kid;             /* Encrypt: only recipients with this kid (empty: any that fits the key) */
    mm_bytes external_aad;
    mm_bytes ciphertext; /* when the message carries none */
    mm_bytes base_iv;    /* for a Partial IV (RFC 9052 section 3.1) */
    const int64_t *crit;
    size_t n_crit;
    const mm_cose_algs *algs;
    const void *alg_opts; /* options of the algorithm from the registry that decrypts (e.g. mm_hpke_cose_opts) */
} mm_cose_decrypt_opts;

/* Decrypts into plaintext (needs ciphertext length - tag length bytes).
 * Nothing is written on failure. */
MM_NODISCARD mm_err mm_cose_encrypt0_decrypt(const mm_cose_encrypt *msg, const mm_cose_decrypt_opts *opts,
                                             mm_buf *plaintext);
MM_NODISCARD mm_err mm_cose_encrypt_decrypt(const mm_cose_encrypt *msg, const mm_cose_decrypt_opts *opts,
                                            mm_buf *plaintext);

/* One recipient to create. */
typedef struct mm_cose_recipient_opts {
    int32_t alg;                 /* MM_ALG_DIRECT, A*KW, ECDH-ES/SS + HKDF / + A*KW */
    const mm_key *key;           /* shared key (direct), KEK (A*KW), recipient public key (ECDH) */
    const mm_key *sender_key;    /* ECDH-ES: a fixed ephemeral private key (tests), else one is generated;
                                    ECDH-SS: the sender's static private key */
    mm_bytes kid;                /* recipient kid, written when not empty */
    mm_bytes sender_kid;         /* ECDH-SS: name the sender key by kid instead of carrying it (others refuse it) */
    const mm_cose_param *params; /* more parameters (salt, PartyU nonce...) */
    size_t n_params;
    const void *alg_opts; /* options of a registry algorithm (e.g. mm_hpke_cose_opts), or NULL */
} mm_cose_recipient_opts;

typedef struct mm_cose_encrypt_opts {
    const mm_crypto *crypto;
    int32_t alg;       /* content algorithm: A128/192/256GCM, ChaCha20/Poly1305, or (Encrypt0) an
                          integrated-encryption alg of the registry */
    const mm_key *key; /* Encrypt0: the CEK, or the recipient's public key for an integrated-encryption alg
                          (Encrypt: unused; direct recipients carry theirs) */
    mm_bytes cek;      /* Encrypt with key-wrap recipients: a fixed CEK (tests), else random */
    mm_bytes iv;       /* a fixed IV, else random */
    mm_bytes kid;      /* Encrypt0: kid to write */
    const mm_cose_param *params;
    size_t n_params;
    mm_bytes external_aad;
    unsigned flags;                           /* MM_COSE_DETACHED, MM_COSE_UNTAGGED */
    const mm_cose_recipient_opts *recipients; /* Encrypt only */
    size_t n_recipients;
    mm_buf *detached; /* receives the ciphertext with MM_COSE_DETACHED */
    const mm_cose_algs *algs;
    const void *alg_opts; /* Encrypt0 with an integrated-encryption alg: its options (e.g. mm_hpke_cose_opts) */
} mm_cose_encrypt_opts;

MM_NODISCARD mm_err mm_cose_encrypt0_create(const mm_cose_encrypt_opts *opts, mm_bytes plaintext, mm_buf *out);
MM_NODISCARD mm_err mm_cose_encrypt_create(const mm_cose_encrypt_opts *opts, mm_bytes plaintext, mm_buf *out);

/*
 * COSE_Key (RFC 9052 section 7) and thumbprints (RFC 9679).
 */
#define MM_COSE_KEY_KTY     1
#define MM_COSE_KEY_KID     2
#define MM_COSE_KEY_ALG     3
#define MM_COSE_KEY_OPS     4
#define MM_COSE_KEY_BASE_IV 5
#define MM_COSE_KEY_CRV     (-1) /* EC2, OKP; for symmetric keys -1 is k */
#define MM_COSE_KEY_X       (-2) /* EC2, OKP; for RSA -2 is e */
#define MM_COSE_KEY_Y       (-3)
#define MM_COSE_KEY_D       (-4)

typedef struct mm_cose_key {
    mm_key_parts parts;
    mm_bytes kid;
    mm_bytes base_iv;
    mm_bytes key_ops; /* encoded array */
} mm_cose_key;

/* Decodes an encoded COSE_Key into views. Checks types and the parts each
 * kty needs; a y given as a bool (compressed point) is MM_ERR_UNSUPPORTED. */
MM_NODISCARD mm_err mm_cose_key_decode(mm_bytes in, mm_cose_key *out);

/* Encodes parts (and kid if not empty) as a deterministic COSE_Key; private
 * parts only with MM_EXPORT_PRIVATE. */
MM_NODISCARD mm_err mm_cose_key_encode(const mm_key_parts *parts, mm_bytes kid, unsigned flags, mm_buf *out);

/* Decodes a COSE_Key and imports it through c (flags as mm_key_import). */
MM_NODISCARD mm_err mm_cose_key_import(const mm_crypto *c, mm_bytes in, unsigned flags, mm_key *key,
                                       mm_cose_key *decoded);

/* RFC 9679 thumbprint: the hash of the deterministic encoding of the key's
 * required public parameters. */
MM_NODISCARD mm_err mm_cose_key_thumbprint(const mm_crypto *c, const mm_key_parts *parts, int32_t hash_alg,
                                           uint8_t out[MM_HASH_MAX], size_t *len);

/* Finds the key with kid in an encoded COSE_KeySet (an array of COSE_Key);
 * the first one if kid is empty. MM_ERR_MISSING_FIELD when none matches. */
MM_NODISCARD mm_err mm_cose_keyset_find(mm_bytes set, mm_bytes kid, mm_cose_key *out);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_COSE_H */
