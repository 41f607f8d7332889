/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori SUIT simulated device (host): a SUIT platform whose components are
 * files in a folder and whose identity, policy and anti-rollback counters
 * are in the folder's device.json (schema in docs/suit.md).
 *
 * Model
 * -----
 * mm_posixdev_open() reads DIR/device.json; mm_posixdev_platform() is the
 * platform to hand the processor. Components map to files under DIR: a
 * device.json entry may name the file, otherwise each segment of the
 * component identifier is a path segment (text made of letters, digits,
 * '.', '_' and '-'; anything else as "0x" and hex). Every operation walks
 * DIR with descriptor-relative calls that never follow a symbolic link, so
 * no identifier reaches outside DIR.
 *
 * Writes go to candidate files in DIR/.suit-staging, written and fsync'ed;
 * commit renames each over its component (file, directory or symbolic link
 * as the component metadata says), discard removes them. Fetch takes
 * file://, http:// and https:// URIs through libcurl, streamed into the
 * processor. Invoke runs the program device.json names for the component,
 * with execve and the fixed arguments listed there (the string "{file}"
 * stands for the component's file): never through a shell. Counters are
 * written back to device.json (temporary file, fsync, rename).
 *
 * Host code: allocates, uses stdio for files; never prints. What happened
 * (fetches, installed components, invocations) is kept for the caller to
 * show; mm_posixdev_error() says why the last failing callback failed.
 */
#ifndef MAMORI_SUIT_POSIXDEV_H
#define MAMORI_SUIT_POSIXDEV_H

#include "mamori/suit.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mm_posixdev mm_posixdev;

/* Opens the device in folder dir (which must hold device.json). Errors:
 * MM_ERR_PLATFORM (no folder, unreadable file), MM_ERR_SYNTAX (not JSON, or
 * not the schema: mm_posixdev_error() of the NULL device is not available,
 * so *why, when not NULL, gets the reason, why_len bytes at most). */
MM_NODISCARD mm_err mm_posixdev_open(const char *dir, mm_posixdev **out, char *why, size_t why_len);

/* Ends use; frees everything (staged candidates are removed). */
void mm_posixdev_close(mm_posixdev *dev);

/* The platform to put in mm_suit_config. */
const mm_suit_platform *mm_posixdev_platform(mm_posixdev *dev);

/* Why the last callback that failed failed ("" if none). */
const char *mm_posixdev_error(const mm_posixdev *dev);

/* What happened, kind by kind, for the caller to show. */
typedef enum mm_posixdev_event_kind {
    MM_POSIXDEV_FETCHED = 1,   /* name: the URI; size: bytes */
    MM_POSIXDEV_INSTALLED = 2, /* name: the file (relative to the folder); size: bytes; type: file type */
    MM_POSIXDEV_INVOKED = 3,   /* name: the program (or "" when none is configured); status: its exit status */
} mm_posixdev_event_kind;

typedef struct mm_posixdev_event {
    mm_posixdev_event_kind kind;
    uint32_t component; /* the manifest's component index */
    const char *name;
    uint64_t size;
    int status;
    int type; /* 1 file, 2 directory, 3 symbolic link */
} mm_posixdev_event;

/* The events so far, in order; *n gets their count. Valid until the next
 * call on dev. */
const mm_posixdev_event *mm_posixdev_events(const mm_posixdev *dev, size_t *n);

/* The file (relative to the folder) a component identifier maps to, into
 * out; MM_ERR_UNSUPPORTED when the device has no such component. */
MM_NODISCARD mm_err mm_posixdev_component_file(const mm_posixdev *dev, mm_bytes id, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_SUIT_POSIXDEV_H */
