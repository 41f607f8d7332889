/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SUIT name tables (see mamori/suit_names.h): one sorted table per
 * registry, taken from the CDDL of the manifest (-37), update management
 * (-14), trust domains (-11) and firmware encryption (-24) drafts.
 */
#include <string.h>

#include "mamori/suit_names.h"

#define COND MM_SUIT_F_CONDITION
#define SEV  MM_SUIT_F_SEVERABLE

static const mm_suit_name envelope[] = {
    {1, "delegation", MM_SUIT_K_CBOR, 0}, /* trust domains: wrapped [+ [+ wrapped CWT]] */
    {2, "authentication-wrapper", MM_SUIT_K_AUTH, 0},
    {3, "manifest", MM_SUIT_K_MANIFEST, 0},
    {14, "coswid", MM_SUIT_K_CBOR, 0},
    {15, "dependency-resolution", MM_SUIT_K_SEQUENCE, 0},
    {16, "payload-fetch", MM_SUIT_K_SEQUENCE, 0},
    {18, "candidate-verification", MM_SUIT_K_SEQUENCE, 0},
    {20, "install", MM_SUIT_K_SEQUENCE, 0},
    {23, "text", MM_SUIT_K_TEXT, 0},
};

static const mm_suit_name manifest[] = {
    {1, "manifest-version", MM_SUIT_K_UINT, 0},
    {2, "manifest-sequence-number", MM_SUIT_K_UINT, 0},
    {3, "common", MM_SUIT_K_COMMON, 0},
    {4, "reference-uri", MM_SUIT_K_TSTR, 0},
    {5, "manifest-component-id", MM_SUIT_K_COMPONENT_ID, 0},
    {6, "set-version", MM_SUIT_K_VERSION, 0},
    {7, "validate", MM_SUIT_K_SEQUENCE, 0},
    {8, "load", MM_SUIT_K_SEQUENCE, 0},
    {9, "invoke", MM_SUIT_K_SEQUENCE, 0},
    {14, "coswid", MM_SUIT_K_CBOR, SEV},
    {15, "dependency-resolution", MM_SUIT_K_SEQUENCE, SEV},
    {16, "payload-fetch", MM_SUIT_K_SEQUENCE, SEV},
    /* The trust-domains CDDL lists it among the envelope's severable members
     * only; an envelope member is only ever a severed manifest member. */
    {18, "candidate-verification", MM_SUIT_K_SEQUENCE, SEV},
    {20, "install", MM_SUIT_K_SEQUENCE, SEV},
    {23, "text", MM_SUIT_K_TEXT, SEV},
    {24, "uninstall", MM_SUIT_K_SEQUENCE, 0},
};

static const mm_suit_name common[] = {
    {1, "dependencies", MM_SUIT_K_DEPENDENCIES, 0},
    {2, "components", MM_SUIT_K_COMPONENTS, 0},
    {4, "shared-sequence", MM_SUIT_K_SEQUENCE, 0},
};

static const mm_suit_name dependency[] = {
    {1, "dependency-prefix", MM_SUIT_K_COMPONENT_ID, 0},
};

static const mm_suit_name command[] = {
    {1, "condition-vendor-identifier", MM_SUIT_K_POLICY, COND},
    {2, "condition-class-identifier", MM_SUIT_K_POLICY, COND},
    {3, "condition-image-match", MM_SUIT_K_POLICY, COND},
    {4, "condition-use-before", MM_SUIT_K_POLICY, COND},
    {5, "condition-component-slot", MM_SUIT_K_POLICY, COND},
    {6, "condition-check-content", MM_SUIT_K_POLICY, COND},
    {7, "condition-dependency-integrity", MM_SUIT_K_POLICY, COND},
    {8, "condition-is-dependency", MM_SUIT_K_POLICY, COND},
    {11, "directive-process-dependency", MM_SUIT_K_POLICY, 0},
    {12, "directive-set-component-index", MM_SUIT_K_INDEX, 0},
    {14, "condition-abort", MM_SUIT_K_POLICY, COND},
    {15, "directive-try-each", MM_SUIT_K_TRY_EACH, 0},
    {18, "directive-write", MM_SUIT_K_POLICY, 0},
    {19, "directive-set-parameters", MM_SUIT_K_PARAMS, 0},
    {20, "directive-override-parameters", MM_SUIT_K_PARAMS, 0},
    {21, "directive-fetch", MM_SUIT_K_POLICY, 0},
    {22, "directive-copy", MM_SUIT_K_POLICY, 0},
    {23, "directive-invoke", MM_SUIT_K_POLICY, 0},
    {24, "condition-device-identifier", MM_SUIT_K_POLICY, COND},
    {25, "condition-image-not-match", MM_SUIT_K_POLICY, COND},
    {26, "condition-minimum-battery", MM_SUIT_K_POLICY, COND},
    {27, "condition-update-authorized", MM_SUIT_K_POLICY, COND},
    {28, "condition-version", MM_SUIT_K_POLICY, COND},
    {29, "directive-wait", MM_SUIT_K_POLICY, 0},
    {31, "directive-swap", MM_SUIT_K_POLICY, 0},
    {32, "directive-run-sequence", MM_SUIT_K_SEQUENCE, 0},
    {33, "directive-unlink", MM_SUIT_K_POLICY, 0},
    {34, "directive-override-multiple", MM_SUIT_K_MULTIPLE, 0},
    {35, "directive-copy-params", MM_SUIT_K_COPY_PARAMS, 0},
};

static const mm_suit_name parameter[] = {
    {1, "vendor-identifier", MM_SUIT_K_VENDOR_ID, 0},
    {2, "class-identifier", MM_SUIT_K_UUID, 0},
    {3, "image-digest", MM_SUIT_K_DIGEST, 0},
    {4, "use-before", MM_SUIT_K_UINT, 0},
    {5, "component-slot", MM_SUIT_K_UINT, 0},
    {12, "strict-order", MM_SUIT_K_BOOL, 0},
    {13, "soft-failure", MM_SUIT_K_BOOL, 0},
    {14, "image-size", MM_SUIT_K_UINT, 0},
    {18, "content", MM_SUIT_K_BSTR, 0},
    {19, "encryption-info", MM_SUIT_K_ENCRYPTION, 0},
    {21, "uri", MM_SUIT_K_TSTR, 0},
    {22, "source-component", MM_SUIT_K_UINT, 0},
    {23, "invoke-args", MM_SUIT_K_BSTR, 0},
    {24, "device-identifier", MM_SUIT_K_UUID, 0},
    {25, "fetch-arguments", MM_SUIT_K_BSTR, 0},
    {26, "minimum-battery", MM_SUIT_K_UINT, 0},
    {27, "update-priority", MM_SUIT_K_INT, 0},
    {28, "version", MM_SUIT_K_VERSION_MATCH, 0},
    {29, "wait-info", MM_SUIT_K_WAIT_INFO, 0},
    {30, "component-metadata", MM_SUIT_K_METADATA, 0},
};

static const mm_suit_name text[] = {
    {1, "manifest-description", MM_SUIT_K_TSTR, 0},
    {2, "update-description", MM_SUIT_K_TSTR, 0},
    {3, "manifest-json-source", MM_SUIT_K_TSTR, 0},
    {4, "manifest-yaml-source", MM_SUIT_K_TSTR, 0},
};

static const mm_suit_name component_text[] = {
    {1, "vendor-name", MM_SUIT_K_TSTR, 0},           {2, "model-name", MM_SUIT_K_TSTR, 0},
    {3, "vendor-domain", MM_SUIT_K_TSTR, 0},         {4, "model-info", MM_SUIT_K_TSTR, 0},
    {5, "component-description", MM_SUIT_K_TSTR, 0}, {6, "component-version", MM_SUIT_K_TSTR, 0},
    {7, "version-required", MM_SUIT_K_TSTR, 0},      {8, "current-version", MM_SUIT_K_TSTR, 0},
};

static const mm_suit_name wait_event[] = {
    {1, "authorization", MM_SUIT_K_INT, 0},
    {2, "power", MM_SUIT_K_INT, 0},
    {3, "network", MM_SUIT_K_INT, 0},
    {4, "other-device-version", MM_SUIT_K_OTHER_DEVICE, 0},
    {5, "time", MM_SUIT_K_UINT, 0},
    {6, "time-of-day", MM_SUIT_K_UINT, 0},
    {7, "day-of-week", MM_SUIT_K_UINT, 0},
    {8, "time-of-day-utc", MM_SUIT_K_UINT, 0},
    {9, "day-of-week-utc", MM_SUIT_K_UINT, 0},
};

static const mm_suit_name metadata[] = {
    {1, "default-permissions", MM_SUIT_K_PERMISSIONS, 0},
    {2, "user-permissions", MM_SUIT_K_PERMISSION_MAP, 0},
    {3, "group-permissions", MM_SUIT_K_PERMISSION_MAP, 0},
    {4, "role-permissions", MM_SUIT_K_PERMISSION_MAP, 0},
    {5, "file-type", MM_SUIT_K_FILE_TYPE, 0},
    {6, "modification-time", MM_SUIT_K_TIME, 0},
    {7, "creation-time", MM_SUIT_K_TIME, 0},
    {8, "creator", MM_SUIT_K_ACTOR, 0},
};

static const mm_suit_name comparison[] = {
    {1, "greater", MM_SUIT_K_NONE, 0},      {2, "greater-equal", MM_SUIT_K_NONE, 0}, {3, "equal", MM_SUIT_K_NONE, 0},
    {4, "lesser-equal", MM_SUIT_K_NONE, 0}, {5, "lesser", MM_SUIT_K_NONE, 0},
};

static const mm_suit_name file_type[] = {
    {1, "regular", MM_SUIT_K_NONE, 0},
    {2, "directory", MM_SUIT_K_NONE, 0},
    {3, "symlink", MM_SUIT_K_NONE, 0},
};

static const mm_suit_name report_bit[] = {
    {0, "send-record-on-success", MM_SUIT_K_NONE, 0},
    {1, "send-record-on-failure", MM_SUIT_K_NONE, 0},
    {2, "send-sysinfo-success", MM_SUIT_K_NONE, 0},
    {3, "send-sysinfo-failure", MM_SUIT_K_NONE, 0},
};

static const mm_suit_name permission_bit[] = {
    {0, "traverse-exec", MM_SUIT_K_NONE, 0}, {1, "create-write", MM_SUIT_K_NONE, 0},
    {2, "list-read", MM_SUIT_K_NONE, 0},     {3, "createdir-append", MM_SUIT_K_NONE, 0},
    {4, "read-attr", MM_SUIT_K_NONE, 0},     {5, "read-perm", MM_SUIT_K_NONE, 0},
    {6, "change-perm", MM_SUIT_K_NONE, 0},   {7, "change-owner", MM_SUIT_K_NONE, 0},
    {8, "write-attr", MM_SUIT_K_NONE, 0},    {9, "recurse-delete", MM_SUIT_K_NONE, 0},
    {10, "delete", MM_SUIT_K_NONE, 0},       {11, "sync", MM_SUIT_K_NONE, 0},
    {12, "read-attr-ex", MM_SUIT_K_NONE, 0}, {13, "write-attr-ex", MM_SUIT_K_NONE, 0},
};

typedef struct table {
    const mm_suit_name *entries;
    size_t n;
} table;

#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* Indexed by mm_suit_reg. */
static const table tables[MM_SUIT_REG_COUNT] = {
    {envelope, COUNT(envelope)},
    {manifest, COUNT(manifest)},
    {common, COUNT(common)},
    {dependency, COUNT(dependency)},
    {command, COUNT(command)},
    {parameter, COUNT(parameter)},
    {text, COUNT(text)},
    {component_text, COUNT(component_text)},
    {wait_event, COUNT(wait_event)},
    {metadata, COUNT(metadata)},
    {comparison, COUNT(comparison)},
    {file_type, COUNT(file_type)},
    {report_bit, COUNT(report_bit)},
    {permission_bit, COUNT(permission_bit)},
};

const mm_suit_name *mm_suit_names(mm_suit_reg reg, size_t *n)
{
    if ((unsigned)reg >= MM_SUIT_REG_COUNT) {
        *n = 0;
        return NULL;
    }
    *n = tables[reg].n;
    return tables[reg].entries;
}

const mm_suit_name *mm_suit_name_find(mm_suit_reg reg, int64_t key)
{
    size_t n;
    const mm_suit_name *t = mm_suit_names(reg, &n);
    /* Tables are short (at most 29 entries): a scan beats a search here. */
    for (size_t i = 0; i < n; i++) {
        if (t[i].key == key) {
            return &t[i];
        }
    }
    return NULL;
}

const mm_suit_name *mm_suit_name_lookup(mm_suit_reg reg, mm_bytes name)
{
    size_t n;
    const mm_suit_name *t = mm_suit_names(reg, &n);
    for (size_t i = 0; i < n && name.ptr != NULL; i++) {
        if (strlen(t[i].name) == name.len && memcmp(t[i].name, name.ptr, name.len) == 0) {
            return &t[i];
        }
    }
    return NULL;
}
