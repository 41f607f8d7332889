/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the files of the simulated device share (not installed): the device
 * as read from device.json (config.c), components mapped to files under
 * the folder and staged candidates (files.c), fetching (fetch.c), invoking
 * (invoke.c); platform.c joins them into the SUIT platform.
 */
#ifndef MM_POSIXDEV_H
#define MM_POSIXDEV_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "mamori/suit_posixdev.h"

#define PD_MAX_IDS      8  /* identifiers of each kind */
#define PD_MAX_SEGMENTS 16 /* segments of a component identifier */
#define PD_PATH_MAX     1024
#define PD_STAGING      ".suit-staging"

struct json_t;

/* A component device.json declares. */
typedef struct pd_component {
    uint8_t *id; /* encoded SUIT_Component_Identifier */
    size_t id_len;
    bool prefix; /* also every component whose identifier starts with this one */
    char *file;  /* its file, or NULL for the name derived from the identifier */
    bool has_slot;
    uint64_t slot;
    size_t n_version;
    int64_t version[MM_SUIT_MAX_VERSION];
    char **argv; /* program to invoke, and its fixed arguments (NULL: none) */
    size_t argc;
} pd_component;

/* What a manifest component is on this device, while a procedure runs. */
typedef struct pd_slot {
    bool mapped;
    char path[PD_PATH_MAX]; /* relative to the folder */
    const pd_component *conf;
    bool staged;   /* a candidate is in the staging folder */
    int type;      /* of the candidate: 1 file, 2 directory, 3 symbolic link */
    unsigned mode; /* permission bits from the metadata, 0 for the default */
    int fd;        /* the candidate while it is written, else -1 */
} pd_slot;

struct mm_posixdev {
    mm_suit_platform platform;
    char *dir;  /* absolute */
    char *name; /* as the caller gave it, for messages */
    int dirfd;
    struct json_t *doc; /* device.json, counters written back into it */
    uint8_t ids[3][PD_MAX_IDS][16];
    size_t n_ids[3];
    pd_component *comps;
    size_t n_comps;
    bool any_component; /* device.json lists none: every component exists */
    bool has_time, has_local, has_battery, has_authorize;
    uint64_t time;
    int64_t utc_offset;
    uint64_t battery;
    int64_t authorized;
    int64_t power, network;
    uint64_t fetch_max;
    unsigned invoke_timeout;
    pd_slot slots[MM_SUIT_MAX_COMPONENTS];
    mm_posixdev_event *events;
    char **names; /* the events' names, owned */
    size_t n_events;
    char error[512];
};

/* Records why a callback failed and returns err. */
mm_err pd_fail(mm_posixdev *d, mm_err err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Adds an event (name copied). */
void pd_event(mm_posixdev *d, mm_posixdev_event_kind kind, uint32_t comp, const char *name, uint64_t size, int status,
              int type);

/* config.c: reads device.json into d; writes the counters back. */
mm_err pd_config_load(mm_posixdev *d, char *why, size_t why_len);
void pd_config_free(mm_posixdev *d);
mm_err pd_counter_get(mm_posixdev *d, mm_bytes id, bool *present, uint64_t *value);
mm_err pd_counter_set(mm_posixdev *d, mm_bytes id, uint64_t value);

/* files.c: the component a manifest component is (sets its slot), and file
 * operations under the folder. */
mm_err pd_map(mm_posixdev *d, const mm_suit_component *c);
/* Opens the component's current content for reading (the candidate while
 * one is staged); -1 with errno ENOENT when it has none. */
int pd_open_visible(mm_posixdev *d, uint32_t comp);
mm_err pd_stage_begin(mm_posixdev *d, uint32_t comp, mm_bytes metadata);
mm_err pd_stage_write(mm_posixdev *d, uint32_t comp, mm_bytes chunk);
mm_err pd_stage_end(mm_posixdev *d, uint32_t comp, bool ok);
mm_err pd_swap(mm_posixdev *d, uint32_t a, uint32_t b);
mm_err pd_commit(mm_posixdev *d);
void pd_discard(mm_posixdev *d);
/* The file a component identifier maps to (config entry or derived). */
mm_err pd_path_of(const mm_posixdev *d, mm_bytes id, char *out, size_t cap, const pd_component **conf);
/* The absolute path of a component's current content, for a program. */
mm_err pd_visible_path(mm_posixdev *d, uint32_t comp, char *out, size_t cap);

/* fetch.c */
mm_err pd_fetch(mm_posixdev *d, mm_bytes uri, const mm_suit_sink *sink);

/* invoke.c */
mm_err pd_invoke(mm_posixdev *d, uint32_t comp);

#endif
