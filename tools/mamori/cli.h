/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the subcommands of the mamori CLI share: exit codes, one-line errors,
 * reading inputs and writing outputs safely. The CLI is the only part of
 * mamori that prints for people.
 */
#ifndef MAMORI_CLI_H
#define MAMORI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mamori/base.h"
#include "mamori/crypto.h"

/* Exit codes: 0 success, 1 a check failed, sysexits(3) for the rest. */
enum {
    CLI_OK = 0,
    CLI_CHECK_FAILED = 1,
    CLI_USAGE = 64,       /* EX_USAGE: bad command line */
    CLI_DATAERR = 65,     /* EX_DATAERR: input is malformed */
    CLI_NOINPUT = 66,     /* EX_NOINPUT: input file missing or unreadable */
    CLI_UNAVAILABLE = 69, /* EX_UNAVAILABLE: a service cannot be reached, or answers 5xx */
    CLI_SOFTWARE = 70,    /* EX_SOFTWARE: internal error */
    CLI_CANTCREAT = 73,   /* EX_CANTCREAT: cannot create an output file */
    CLI_IOERR = 74,       /* EX_IOERR: read or write failed */
    CLI_PROTOCOL = 76,    /* EX_PROTOCOL: a service answers what its API does not define */
};

/* Largest input file the CLI reads (inputs are whole-file CBOR documents). */
#define CLI_MAX_INPUT ((size_t)256 << 20)

/* A subcommand: argv[0] is the subcommand's own name. */
typedef int (*cli_cmd_fn)(int argc, char **argv);

typedef struct cli_cmd {
    const char *name;
    cli_cmd_fn run;
    const char *summary;
} cli_cmd;

/* Prints "mamori: what: why" on stderr and returns code. */
int cli_fail(int code, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Exit code for a library error: malformed input -> CLI_DATAERR, a refused
 * check -> CLI_CHECK_FAILED, limits and unsupported input -> CLI_DATAERR,
 * platform -> CLI_IOERR, misuse -> CLI_SOFTWARE. */
int cli_exit_for(mm_err err);

/* Reads a whole file ("-" is standard input) into a buffer the caller frees;
 * prints the error and returns its exit code on failure. */
int cli_read_file(const char *path, uint8_t **data, size_t *len);

/* Reads input as binary, or with hex set as hexadecimal text (white space
 * ignored). Same contract as cli_read_file(). */
int cli_read_input(const char *path, int hex, uint8_t **data, size_t *len);

/* Writes data to path atomically (temporary file, fsync, rename, fsync of the
 * folder), so a reader never sees a partial file; "-" is standard output.
 * mode is the new file's permission bits. */
int cli_write_file(const char *path, const uint8_t *data, size_t len, unsigned mode);

/* cli_write_file_ex() flags. */
#define CLI_WRITE_NO_CLOBBER 0x1u /* fail (CLI_CANTCREAT) when path exists */

/* As cli_write_file(); with CLI_WRITE_NO_CLOBBER the file is put in place
 * with link(2), so an existing file is never replaced, even by a race. */
int cli_write_file_ex(const char *path, const uint8_t *data, size_t len, unsigned mode, unsigned flags);

/* Dispatches argv[1] to a command of the table; prints the group's help for
 * --help / -h / help or no argument. group is the command line so far
 * ("mamori" or "mamori cbor"), as error messages show it. */
int cli_dispatch(const char *group, const cli_cmd *cmds, size_t n, int argc, char **argv, const char *help);

/* Reports a getopt_long() failure of command cmd ("cose sign"): c is what
 * it returned (':' for a missing value when the option string starts with
 * ':', else '?'). Returns CLI_USAGE. */
int cli_bad_option(const char *cmd, int c, char **argv);

/*
 * Options (cli_opts.c): a command describes its options in a table and
 * cli_parse_opts() reads them into the command's argument struct, so every
 * command parses and reports them alike.
 */

/* What an option does (cli_opt.kind). */
enum {
    CLI_OPT_STR,  /* const char *: the value (a later one wins) */
    CLI_OPT_BOOL, /* bool: set (no value) */
    CLI_OPT_BITS, /* unsigned: the entry's bits or'ed in (no value) */
    CLI_OPT_LIST, /* cli_list: one more value, at most the entry's max */
    CLI_OPT_FN,   /* the entry's fn checks and stores the value */
};

/* The values of an option that may be repeated. */
#define CLI_LIST_MAX 16
typedef struct cli_list {
    const char *v[CLI_LIST_MAX];
    size_t n;
} cli_list;

/* Value i of an option given once for all keys or once per key (NULL when
 * not given). */
const char *cli_list_get(const cli_list *l, size_t i);

typedef struct cli_opt {
    const char *name; /* long name, without "--" */
    char letter;      /* one-letter form, or 0 */
    uint8_t kind;     /* CLI_OPT_* */
    uint8_t max;      /* CLI_OPT_LIST: most values (at most CLI_LIST_MAX) */
    unsigned bits;    /* CLI_OPT_BITS */
    size_t offset;    /* of the field in the argument struct */
    /* CLI_OPT_FN: returns a CLI code, having printed why when not CLI_OK. */
    int (*fn)(void *args, const char *value);
} cli_opt;

/* Table entries; T is the type of the command's argument struct. */
#define CLI_STR(name, letter, T, field)                                                                                \
    {                                                                                                                  \
        name, letter, CLI_OPT_STR, 0, 0, offsetof(T, field), NULL                                                      \
    }
#define CLI_BOOL(name, letter, T, field)                                                                               \
    {                                                                                                                  \
        name, letter, CLI_OPT_BOOL, 0, 0, offsetof(T, field), NULL                                                     \
    }
#define CLI_BITS(name, T, field, bits)                                                                                 \
    {                                                                                                                  \
        name, 0, CLI_OPT_BITS, 0, bits, offsetof(T, field), NULL                                                       \
    }
#define CLI_LIST(name, letter, T, field, max)                                                                          \
    {                                                                                                                  \
        name, letter, CLI_OPT_LIST, max, 0, offsetof(T, field), NULL                                                   \
    }
#define CLI_FN(name, fn)                                                                                               \
    {                                                                                                                  \
        name, 0, CLI_OPT_FN, 0, 0, 0, fn                                                                               \
    }

/* A command's options. */
typedef struct cli_opts {
    const char *cmd;  /* "cose sign", as messages name the command */
    const char *help; /* printed by -h and --help */
    const cli_opt *opts;
    size_t n;
} cli_opts;

/* The one option of the commands that show a file: --json, into a bool
 * (the whole argument struct). */
extern const cli_opt cli_json_opt[1];

/* What cli_parse_opts() returns when it printed the help. */
#define CLI_HELP (-1)

/* Reads the options of argv into args (getopt_long: optind is the first
 * operand afterwards). Returns CLI_OK, CLI_HELP, or CLI_USAGE (or what an
 * entry's fn returned) having printed why: an unknown option, a missing
 * value, a list given too often. */
int cli_parse_opts(const cli_opts *spec, void *args, int argc, char **argv);

/* The one input file of a command, read whole. */
typedef struct cli_input {
    const char *path;
    uint8_t *data; /* the caller frees it */
    size_t len;
} cli_input;

/* cli_parse_opts(), then the one operand, a file read into *in (as
 * cli_read_input(): hexadecimal text when hex, the command's --hex flag,
 * is set; hex may be NULL); usage says what is wrong when there is not
 * exactly one operand ("expected one input file"). */
int cli_parse_input(const cli_opts *spec, void *args, int argc, char **argv, const char *usage, const bool *hex,
                    cli_input *in);

/* Prints "mamori: CMD: why (see 'mamori CMD --help')"; returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads a text option as bytes of at most CLI_KID_MAX (a kid). */
int cli_parse_kid(const char *opt, const char *value, uint8_t *kid, size_t *len);

/* True when s is "--help" or "-h". */
int cli_is_help(const char *s);

/*
 * JSON output (jansson), for the commands that take --json.
 */
struct json_t;

/* Prints j to standard output (two-space indent, keys in insertion order,
 * a final newline) and releases it. Returns CLI_OK or CLI_IOERR. */
int cli_json_print(struct json_t *j);

/* A new JSON string holding b in lowercase hex (NULL when out of memory). */
struct json_t *cli_json_hex(mm_bytes b);

/* Prints b as lowercase hex on f. */
void cli_print_hex(FILE *f, mm_bytes b);

/* Standard output for people, with the indentation of the current line
 * (the annotated diagnostic notation of 'cose show' and 'suit show');
 * failed records a write error. */
typedef struct cli_out {
    unsigned indent;
    bool failed;
} cli_out;

void cli_out_put(cli_out *o, const char *s);
/* A line break and the indentation. */
void cli_out_newline(cli_out *o);
/* b as h'...'. */
void cli_out_hex(cli_out *o, mm_bytes b);
/* One item in diagnostic notation; flags are mm_edn_opts flags
 * (MM_EDN_INDENT, MM_EDN_NESTED), and each line the printer starts is
 * indented. */
void cli_out_edn(cli_out *o, mm_bytes item, unsigned flags);

/*
 * Algorithms: the one table of COSE algorithm names and numbers the commands
 * share (cli_algs.c).
 */

/* What an algorithm is for (bits, so an option can accept several). */
enum {
    CLI_ALG_SIGN = 1u << 0,   /* COSE_Sign1 / COSE_Sign signature */
    CLI_ALG_MAC = 1u << 1,    /* COSE_Mac0 HMAC */
    CLI_ALG_AEAD = 1u << 2,   /* content encryption */
    CLI_ALG_KW = 1u << 3,     /* AES key wrap of the CEK */
    CLI_ALG_ECDH = 1u << 4,   /* ECDH-ES / ECDH-SS recipients */
    CLI_ALG_DIRECT = 1u << 5, /* the recipient's key is the CEK */
    CLI_ALG_HASH = 1u << 6,
    CLI_ALG_CTR = 1u << 7,     /* AES-CTR (no integrity) */
    CLI_ALG_HPKE = 1u << 8,    /* COSE-HPKE Integrated Encryption: a COSE_Encrypt0 to one public key */
    CLI_ALG_HPKE_KE = 1u << 9, /* COSE-HPKE Key Encryption: COSE_Encrypt recipients */
};
#define CLI_ALG_RECIPIENT (CLI_ALG_KW | CLI_ALG_ECDH | CLI_ALG_DIRECT | CLI_ALG_HPKE | CLI_ALG_HPKE_KE)

typedef struct cli_alg {
    const char *name; /* as the IANA registry spells it */
    int32_t id;
    unsigned kind;   /* CLI_ALG_* */
    uint16_t bits;   /* symmetric key size it needs (0: any or not symmetric) */
    uint8_t derives; /* 1 when the recipient shares or derives the CEK (direct, ECDH + HKDF): one recipient only */
} cli_alg;

/* The entry of a name (ASCII case ignored) or number, or NULL. */
const cli_alg *cli_alg_find(const char *name);
const cli_alg *cli_alg_by_id(int32_t id);

/* The name of alg, or NULL when the table does not know it. */
const char *cli_alg_name(int64_t alg);

/* Parses an --alg style option value that must be one of kinds; prints
 * "mamori: OPT: ..." with the accepted names and returns CLI_USAGE when it is
 * not. */
int cli_alg_parse(const char *opt, const char *value, unsigned kinds, int32_t *alg);

/* The algorithm of kind a key is used with when none is asked for: its own
 * restriction if it has one of that kind, else the usual one for its type,
 * curve or size (ES256 for P-256, EdDSA, PS256/PS384/PS512 for 2048/3072/
 * 4096-bit RSA, HS256, A128GCM, A128KW, direct for a content key as a
 * recipient, ECDH-ES+A128KW...). 0 when the key cannot serve that kind. */
int32_t cli_default_alg(const mm_key *key, unsigned kind);

/* Names of key types and curves, or NULL when unknown. */
const char *cli_kty_name(int64_t kty);
const char *cli_crv_name(int64_t crv);
/* The curve of a name (ASCII case ignored), 0 when unknown. */
int32_t cli_crv_find(const char *name);

/*
 * Keys: every command reads key files through this one loader (cli_keys.c).
 */

/* Longest kid the CLI keeps from a COSE_Key or takes on the command line. */
#define CLI_KID_MAX 256

/* Most keys read from one COSE_KeySet. */
#define CLI_KEYSET_MAX 64

typedef struct cli_key {
    mm_key key;
    const char *form; /* "PEM", "DER" or "COSE_Key" */
    const char *kind; /* "private key", "public key", "certificate", "COSE_Key", "COSE_KeySet member" */
    uint8_t kid[CLI_KID_MAX];
    size_t kid_len; /* a COSE_Key's kid; 0 for PEM and DER */
} cli_key;

/* cli_load_key() flags. */
#define CLI_KEY_PRIVATE 0x1u /* the command needs private or secret material */

/* Reads a key file in any form the CLI knows, told apart by its content:
 * PEM (private key, public key or certificate), DER (the same three), a
 * COSE_Key, or a COSE_KeySet (the first member that fits). alg, when not 0,
 * selects a key that may be used with it (the key is not restricted
 * further). Private keys are imported extractable, so their parts can be
 * shown or written. Prints "mamori: PATH: why" and returns its exit code on
 * failure (66 unreadable, 65 not a key, a key that does not fit alg, or a
 * public key where a private one is needed); the caller frees a loaded key
 * with cli_key_free(). */
int cli_load_key(const char *path, int32_t alg, unsigned flags, cli_key *out);

/* As cli_load_key(), for commands that try every key of a file: *keys (an
 * array the caller frees with cli_free_keys()) gets the n >= 1 keys with
 * what flags ask for. */
int cli_load_keys(const char *path, unsigned flags, cli_key **keys, size_t *n);
void cli_free_keys(cli_key *keys, size_t n);

/* Reads every key in data (one for PEM, DER and COSE_Key, each member of a
 * COSE_KeySet) into keys[0..cap); *n gets the count. Errors as
 * cli_load_key(); on failure nothing is left to free. */
int cli_parse_keys(const char *path, mm_bytes data, cli_key *keys, size_t cap, size_t *n);

/* Releases what a loaded key holds (safe on a zeroed one). */
void cli_key_free(cli_key *k);

/* Describes a key for messages: "P-256 EC2 key", "256-bit symmetric key". */
void cli_key_describe(const mm_key *key, char *buf, size_t cap);

/*
 * HSS-LMS keys (cli_lms.c): the signer's stateful private key files, and
 * public keys as COSE_Key carries them.
 */

/* True when data starts like an HSS-LMS private key file. */
bool cli_lms_is_state(mm_bytes data);
/* Opens the HSS-LMS private key file at path for signing. */
int cli_lms_open(const char *path, cli_key *out);
/* Imports an HSS-LMS public key from COSE_Key parts (x). */
int cli_lms_import_public(const char *path, const mm_key_parts *parts, const char *what, mm_key *out);
/* 'mamori key gen --alg HSS-LMS': writes the private key file at path and
 * gives the public key. lms, ots (names, one or one per level) and levels
 * may be NULL for the defaults. */
int cli_lms_keygen(const char *lms, const char *ots, const char *levels, const char *path, bool force, mm_key *pub_out);
/* What 'mamori key show' adds for an HSS-LMS key: parameter sets and, for a
 * private key, the signatures it has left. */
void cli_lms_show_text(const mm_key *key);
void cli_lms_show_json(const mm_key *key, struct json_t *o);

/* Reads an optional file (path NULL: an empty view and nothing to free). */
int cli_read_optional(const char *path, uint8_t **data, size_t *len);

/* a, b and c one after the other in a new string the caller frees (NULL
 * when out of memory): a file's path from a folder or a name and an
 * ending. */
char *cli_concat(const char *a, const char *b, const char *c);

int cmd_cbor(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_cose(int argc, char **argv);
int cmd_eat(int argc, char **argv);
int cmd_scitt(int argc, char **argv);
int cmd_suit(int argc, char **argv);
int cmd_ts(int argc, char **argv);
int cmd_verifier(int argc, char **argv);

/* mamori cbor encode (cbor_encode.c). */
int cbor_encode(int argc, char **argv);

/* mamori cose show (cose_show.c). */
int cose_show(int argc, char **argv);

/* mamori scitt show (scitt_show.c). */
int scitt_show(int argc, char **argv);

/* mamori scitt register and consistency: the client of a Transparency
 * Service (scitt_client.c). */
int scitt_register(int argc, char **argv);
int scitt_consistency(int argc, char **argv);

/* mamori suit create and mamori suit sign (cmd_suit_create.c,
 * cmd_suit_sign.c): argv[0] is "create" or "sign". */
int suit_cmd_create(int argc, char **argv);
int suit_cmd_sign(int argc, char **argv);

/* The kinds of COSE message the commands tell apart. */
typedef enum cli_cose_type {
    CLI_COSE_UNKNOWN = 0,
    CLI_COSE_SIGN1,
    CLI_COSE_SIGN,
    CLI_COSE_MAC0,
    CLI_COSE_MAC,
    CLI_COSE_ENCRYPT0,
    CLI_COSE_ENCRYPT,
    CLI_COSE_SIGN1_OR_MAC0, /* untagged: the same shape */
    CLI_COSE_SIGN_OR_ENCRYPT,
} cli_cose_type;

/* What msg is, from its tag or, untagged, its shape (field count, the type
 * of the last field) and the algorithm it names. */
cli_cose_type cli_cose_classify(mm_bytes msg);

/* "COSE_Sign1" ... */
const char *cli_cose_type_name(cli_cose_type t);

/* Prints "mamori: what: byte N: <strerror> (CODE)" for a decode failure and
 * returns CLI_DATAERR. */
int cli_fail_decode(const char *what, mm_err e, size_t off);

#endif
