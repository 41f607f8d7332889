/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori SUIT in-memory device: a platform for the SUIT processor whose
 * components are caller-provided buffers, for tests, fuzzing and benchmarks.
 *
 * Model
 * -----
 * One caller-allocated mm_memdev holds everything: the components (each an
 * identifier, a buffer for its content and one for its candidate), the
 * device's identities, URIs it can fetch (content in caller memory), the
 * anti-rollback counters, a clock, a battery, an authorisation policy, and
 * a log of what the processor asked for (writes, commits, discards,
 * invocations, every command's event). Nothing is allocated and nothing
 * global is written; like the SQLite VFS it is a struct of callbacks with a
 * user pointer (mm_memdev_platform()).
 *
 * A component written by the processor gets a candidate (its candidate
 * buffer); reads see the candidate while one is staged; commit copies each
 * candidate into its content buffer, discard forgets them.
 *
 * Measured digests: a real device may measure its images itself (a boot ROM,
 * a secure element) and report digests. mm_memdev_claim() makes this device
 * report `digest` for any content equal to `content`, which lets the
 * manifest specification's examples, whose image digests are sample patterns
 * with no known preimage, run to the end. Other contents are hashed for
 * real with the crypto backend given to mm_memdev_init().
 */
#ifndef MAMORI_SUIT_MEMDEV_H
#define MAMORI_SUIT_MEMDEV_H

#include "mamori/suit.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MM_MEMDEV_MAX_IDS      4  /* identifiers of each kind */
#define MM_MEMDEV_MAX_URIS     8  /* URIs the device can fetch */
#define MM_MEMDEV_MAX_CLAIMS   8  /* measured digests */
#define MM_MEMDEV_MAX_EVENTS   64 /* events kept (the first ones) */
#define MM_MEMDEV_MAX_COUNTERS 4

typedef struct mm_memdev_component {
    mm_bytes id;   /* encoded SUIT_Component_Identifier this component answers to */
    uint8_t *data; /* content storage, cap bytes */
    size_t cap;
    size_t len;
    bool exists;
    uint8_t *cand; /* candidate storage, cand_cap bytes */
    size_t cand_cap;
    size_t cand_len;
    bool staged;
    uint64_t slot;
    int64_t version[MM_SUIT_MAX_VERSION];
    size_t n_version;
    uint32_t invoked;   /* times invoked */
    uint32_t writes;    /* candidates opened */
    mm_bytes metadata;  /* the component metadata of the last write */
    mm_bytes last_args; /* invoke arguments of the last invocation */
} mm_memdev_component;

typedef struct mm_memdev_counter {
    uint8_t id[64]; /* encoded manifest-component-id (empty for the default counter) */
    size_t id_len;
    uint64_t value;
    bool used;
} mm_memdev_counter;

typedef struct mm_memdev {
    mm_suit_platform platform; /* &dev->platform: ops and user == dev */
    const mm_crypto *crypto;   /* for digests of unclaimed contents */
    mm_memdev_component comps[MM_SUIT_MAX_COMPONENTS];
    size_t n_comps;
    int8_t map[MM_SUIT_MAX_COMPONENTS]; /* manifest index -> component, set by component_check */
    mm_bytes ids[3][MM_MEMDEV_MAX_IDS]; /* vendor, class, device identifiers (UUID bytes) */
    size_t n_ids[3];
    struct {
        mm_bytes uri;
        mm_bytes content;
    } uris[MM_MEMDEV_MAX_URIS];
    size_t n_uris;
    struct {
        mm_bytes content;
        int32_t alg;
        mm_bytes digest;
    } claims[MM_MEMDEV_MAX_CLAIMS];
    size_t n_claims;
    mm_memdev_counter counters[MM_MEMDEV_MAX_COUNTERS];
    /* policy: absent ones make the conditions that need them unsupported */
    bool has_clock, has_battery, has_authorize;
    uint64_t now;           /* seconds since 1970 */
    uint64_t battery;       /* mWh */
    int64_t max_priority;   /* updates with priority <= this are authorised */
    int64_t power, network; /* wait events: satisfied when the state is at least the one asked */
    bool has_local_time;    /* local time of day / day of week known (else those waits are unsupported) */
    int64_t utc_offset;     /* seconds local time is ahead of UTC */
    /* what happened */
    uint32_t commits, discards, fetches, invokes;
    mm_suit_event events[MM_MEMDEV_MAX_EVENTS];
    size_t n_events;   /* events seen (may exceed the array) */
    mm_err fail_write; /* when not MM_OK: write() fails with it (a full flash) */
    bool no_view;      /* components are not readable in place: the processor reads them in chunks */
} mm_memdev;

/* Sets dev up empty, with crypto for digests. */
void mm_memdev_init(mm_memdev *dev, const mm_crypto *crypto);

/* Adds a component answering to id (encoded [* bstr]) with content storage
 * data[0..cap) and candidate storage cand[0..cand_cap). The views and
 * buffers must outlive dev's use. Returns its number, or -1 when full. */
int mm_memdev_add(mm_memdev *dev, mm_bytes id, uint8_t *data, size_t cap, uint8_t *cand, size_t cand_cap);

/* Sets a component's installed content (copied into its storage). */
MM_NODISCARD mm_err mm_memdev_set_content(mm_memdev *dev, int comp, mm_bytes content);

/* Adds an identifier of kind (MM_SUIT_ID_*) the device matches. */
MM_NODISCARD mm_err mm_memdev_add_id(mm_memdev *dev, mm_suit_identity kind, mm_bytes uuid);

/* Makes uri fetchable, serving content. */
MM_NODISCARD mm_err mm_memdev_add_uri(mm_memdev *dev, mm_bytes uri, mm_bytes content);

/* Reports digest (alg) as the measured digest of any component holding
 * exactly content (see the model above). */
MM_NODISCARD mm_err mm_memdev_claim(mm_memdev *dev, mm_bytes content, int32_t alg, mm_bytes digest);

/* Stores an anti-rollback counter for the manifest id (empty: default). */
MM_NODISCARD mm_err mm_memdev_set_counter(mm_memdev *dev, mm_bytes id, uint64_t value);

/* The stored counter, false when none. */
bool mm_memdev_get_counter(const mm_memdev *dev, mm_bytes id, uint64_t *value);

/* The platform to put in mm_suit_config. */
const mm_suit_platform *mm_memdev_platform(mm_memdev *dev);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_SUIT_MEMDEV_H */
