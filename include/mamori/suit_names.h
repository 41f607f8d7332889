/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori SUIT names: the one table of the numbers a SUIT manifest uses and
 * the names people use for them.
 *
 * Every map key, command code and enumerated value of the SUIT manifest
 * (draft-ietf-suit-manifest), its update-management extension
 * (draft-ietf-suit-update-management), trust domains
 * (draft-ietf-suit-trust-domains) and firmware encryption
 * (draft-ietf-suit-firmware-encryption) has one entry here: its number, its
 * name, and what its value (or, for a command, its argument) holds. Tools read
 * names in descriptions (`mamori suit create`) and print them
 * (`mamori suit show`) from this table, and a processor can ask it what a
 * command's argument is.
 *
 * A name is the CDDL name without "suit-" and, inside a group whose keys are
 * known from their place, without the group's prefix: commands keep
 * "condition-" and "directive-" (both share one number space), parameters
 * drop "suit-parameter-", text keys "suit-text-", wait events
 * "suit-wait-event-", component metadata "suit-meta-", comparison types
 * "suit-condition-version-comparison-", file types "suit-filetype-".
 * Underscores of the CDDL become hyphens ("write_attr_ex" is
 * "write-attr-ex"). Examples: "condition-image-match", "image-digest",
 * "component-description", "time-of-day", "lesser-equal".
 *
 * Constant data only: no allocation, no state.
 */
#ifndef MAMORI_SUIT_NAMES_H
#define MAMORI_SUIT_NAMES_H

#include "mamori/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* CBOR tags of the SUIT envelope and of a bare manifest. */
#define MM_SUIT_TAG_ENVELOPE 107
#define MM_SUIT_TAG_MANIFEST 1070

/* The two envelope members every envelope has. */
#define MM_SUIT_ENVELOPE_AUTH     2 /* authentication-wrapper */
#define MM_SUIT_ENVELOPE_MANIFEST 3 /* manifest */

/* The groups of numbers, each its own number space. */
typedef enum mm_suit_reg {
    MM_SUIT_REG_ENVELOPE = 0,       /* SUIT_Envelope members (integer keys) */
    MM_SUIT_REG_MANIFEST = 1,       /* SUIT_Manifest members */
    MM_SUIT_REG_COMMON = 2,         /* SUIT_Common members */
    MM_SUIT_REG_DEPENDENCY = 3,     /* SUIT_Dependency_Metadata members */
    MM_SUIT_REG_COMMAND = 4,        /* conditions and directives */
    MM_SUIT_REG_PARAMETER = 5,      /* SUIT_Parameters */
    MM_SUIT_REG_TEXT = 6,           /* SUIT_Text_Keys: about the whole manifest */
    MM_SUIT_REG_COMPONENT_TEXT = 7, /* SUIT_Text_Component_Keys */
    MM_SUIT_REG_WAIT_EVENT = 8,     /* SUIT_Wait_Events */
    MM_SUIT_REG_METADATA = 9,       /* SUIT_Component_Metadata members */
    MM_SUIT_REG_COMPARISON = 10,    /* SUIT_Condition_Version_Comparison_Types */
    MM_SUIT_REG_FILE_TYPE = 11,     /* SUIT_Filetype */
    MM_SUIT_REG_REPORT_BIT = 12,    /* bits of SUIT_Rep_Policy */
    MM_SUIT_REG_PERMISSION_BIT = 13 /* bits of SUIT_meta_permissions */
} mm_suit_reg;

#define MM_SUIT_REG_COUNT 14

/* What an entry's value holds (a command's: its argument). "wrapped" means
 * a byte string holding one encoded item (CDDL "bstr .cbor"). */
typedef enum mm_suit_kind {
    MM_SUIT_K_NONE = 0,            /* an enumerated value or a bit: no value of its own */
    MM_SUIT_K_UINT = 1,            /* unsigned integer */
    MM_SUIT_K_INT = 2,             /* integer */
    MM_SUIT_K_BOOL = 3,            /* true or false */
    MM_SUIT_K_BSTR = 4,            /* byte string */
    MM_SUIT_K_TSTR = 5,            /* text string */
    MM_SUIT_K_UUID = 6,            /* byte string of 16 bytes (RFC 9562 UUID) */
    MM_SUIT_K_VENDOR_ID = 7,       /* UUID, or a CBOR PEN: tag 112 on a relative OID */
    MM_SUIT_K_DIGEST = 8,          /* wrapped SUIT_Digest [algorithm, bytes] */
    MM_SUIT_K_VERSION_MATCH = 9,   /* wrapped [comparison type, [+ int]] */
    MM_SUIT_K_WAIT_INFO = 10,      /* wrapped map of wait events (MM_SUIT_REG_WAIT_EVENT) */
    MM_SUIT_K_METADATA = 11,       /* wrapped map of component metadata (MM_SUIT_REG_METADATA) */
    MM_SUIT_K_ENCRYPTION = 12,     /* wrapped SUIT_Encryption_Info (COSE_Encrypt or COSE_Encrypt0) */
    MM_SUIT_K_POLICY = 13,         /* command argument: reporting policy (MM_SUIT_REG_REPORT_BIT) */
    MM_SUIT_K_INDEX = 14,          /* command argument: uint, true or [+ uint] */
    MM_SUIT_K_PARAMS = 15,         /* command argument: map of parameters */
    MM_SUIT_K_TRY_EACH = 16,       /* command argument: [2* wrapped sequence, ? nil] */
    MM_SUIT_K_SEQUENCE = 17,       /* wrapped command sequence */
    MM_SUIT_K_MULTIPLE = 18,       /* command argument: {+ uint => parameter map} */
    MM_SUIT_K_COPY_PARAMS = 19,    /* command argument: {+ uint => [+ parameter number]} */
    MM_SUIT_K_AUTH = 20,           /* wrapped SUIT_Authentication */
    MM_SUIT_K_MANIFEST = 21,       /* wrapped SUIT_Manifest */
    MM_SUIT_K_COMMON = 22,         /* wrapped SUIT_Common */
    MM_SUIT_K_COMPONENTS = 23,     /* [+ component identifier] */
    MM_SUIT_K_COMPONENT_ID = 24,   /* component identifier: [* bstr] */
    MM_SUIT_K_VERSION = 25,        /* wrapped [+ int] (a version) */
    MM_SUIT_K_TEXT = 26,           /* wrapped SUIT_Text_Map */
    MM_SUIT_K_CBOR = 27,           /* wrapped item of a type defined elsewhere (CoSWID, delegation chains) */
    MM_SUIT_K_DEPENDENCIES = 28,   /* {+ uint => dependency metadata (MM_SUIT_REG_DEPENDENCY)} */
    MM_SUIT_K_OTHER_DEVICE = 29,   /* [bstr, [+ version match]] */
    MM_SUIT_K_TIME = 30,           /* tag 1 on uint (seconds since the epoch) */
    MM_SUIT_K_PERMISSIONS = 31,    /* uint of permission bits (MM_SUIT_REG_PERMISSION_BIT) */
    MM_SUIT_K_PERMISSION_MAP = 32, /* {+ actor => permissions} */
    MM_SUIT_K_ACTOR = 33,          /* tag 37 on a UUID, bstr, tstr or int */
    MM_SUIT_K_FILE_TYPE = 34       /* uint (MM_SUIT_REG_FILE_TYPE) */
} mm_suit_kind;

/* Entry flags. */
#define MM_SUIT_F_SEVERABLE                                                                                            \
    0x1u                         /* manifest member that may be severed: its digest in the manifest, the               \
                                    member itself in the envelope under the same key */
#define MM_SUIT_F_CONDITION 0x2u /* command: a condition (else a directive) */

/* One entry. */
typedef struct mm_suit_name {
    int64_t key;
    const char *name; /* NUL-terminated */
    uint8_t kind;     /* mm_suit_kind */
    uint8_t flags;    /* MM_SUIT_F_* */
} mm_suit_name;

/* The entry of key in reg, or NULL when this build does not know it (or reg
 * is not a registry). */
const mm_suit_name *mm_suit_name_find(mm_suit_reg reg, int64_t key);

/* The entry named name (exact, case-sensitive) in reg, or NULL. */
const mm_suit_name *mm_suit_name_lookup(mm_suit_reg reg, mm_bytes name);

/* All entries of reg, in ascending key order; *n gets their count (0 and NULL
 * for an unknown reg). */
const mm_suit_name *mm_suit_names(mm_suit_reg reg, size_t *n);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_SUIT_NAMES_H */
