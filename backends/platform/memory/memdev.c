/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The in-memory SUIT device (mamori/suit_memdev.h): components in caller
 * buffers, candidates staged beside them, everything else a field of the
 * struct. Device-safe like the core: no allocation, no stdio, no globals.
 */
#include <string.h>

#include "mamori/suit_memdev.h"

static mm_memdev *dev_of(void *user) { return (mm_memdev *)user; }

/* The component the manifest's index was mapped to, or NULL. */
static mm_memdev_component *comp_of(mm_memdev *dev, const mm_suit_component *c)
{
    if (c->index >= MM_SUIT_MAX_COMPONENTS || dev->map[c->index] < 0) {
        return NULL;
    }
    return &dev->comps[dev->map[c->index]];
}

static mm_err component_check(void *user, const mm_suit_component *c)
{
    mm_memdev *dev = dev_of(user);
    if (c->index >= MM_SUIT_MAX_COMPONENTS) {
        return MM_ERR_UNSUPPORTED;
    }
    for (size_t i = 0; i < dev->n_comps; i++) {
        if (mm_bytes_equal(dev->comps[i].id, c->id)) {
            dev->map[c->index] = (int8_t)i;
            return MM_OK;
        }
    }
    dev->map[c->index] = -1;
    return MM_ERR_UNSUPPORTED;
}

static mm_err identity(void *user, const mm_suit_component *c, mm_suit_identity kind, mm_bytes value, bool pen,
                       bool *match)
{
    (void)c;
    mm_memdev *dev = dev_of(user);
    size_t k = (size_t)kind - 1;
    *match = false;
    if (k >= 3 || pen) {
        return MM_OK; /* this device has UUIDs only */
    }
    for (size_t i = 0; i < dev->n_ids[k]; i++) {
        *match = *match || mm_bytes_equal(dev->ids[k][i], value);
    }
    return MM_OK;
}

/* What a component reads as: its candidate while one is staged. */
static mm_bytes visible(const mm_memdev_component *m, bool *exists)
{
    *exists = m->staged || m->exists;
    return m->staged ? mm_bytes_make(m->cand, m->cand_len) : mm_bytes_make(m->data, m->len);
}

static mm_err size_of(void *user, const mm_suit_component *c, bool *exists, uint64_t *size)
{
    mm_memdev_component *m = comp_of(dev_of(user), c);
    if (m == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    *size = visible(m, exists).len;
    return MM_OK;
}

static mm_err read_at(void *user, const mm_suit_component *c, uint64_t offset, uint8_t *buf, size_t len, size_t *got)
{
    mm_memdev_component *m = comp_of(dev_of(user), c);
    if (m == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    bool exists;
    mm_bytes v = visible(m, &exists);
    *got = 0;
    if (offset < v.len) {
        size_t n = v.len - (size_t)offset < len ? v.len - (size_t)offset : len;
        memcpy(buf, v.ptr + offset, n);
        *got = n;
    }
    return MM_OK;
}

static mm_err view(void *user, const mm_suit_component *c, mm_bytes *content)
{
    mm_memdev *dev = dev_of(user);
    mm_memdev_component *m = comp_of(dev, c);
    if (m == NULL || dev->no_view) {
        return MM_ERR_UNSUPPORTED;
    }
    bool exists;
    *content = visible(m, &exists);
    return MM_OK;
}

static mm_err digest(void *user, const mm_suit_component *c, int32_t alg, uint64_t len, uint8_t out[MM_HASH_MAX],
                     size_t *out_len)
{
    mm_memdev *dev = dev_of(user);
    mm_memdev_component *m = comp_of(dev, c);
    if (m == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    bool exists;
    mm_bytes v = visible(m, &exists);
    if (len > v.len) {
        return MM_ERR_PLATFORM;
    }
    v.len = (size_t)len;
    for (size_t i = 0; i < dev->n_claims; i++) {
        if (dev->claims[i].alg == alg && mm_bytes_equal(dev->claims[i].content, v)) {
            memcpy(out, dev->claims[i].digest.ptr, dev->claims[i].digest.len);
            *out_len = dev->claims[i].digest.len;
            return MM_OK;
        }
    }
    return mm_hash(dev->crypto, alg, v, out, out_len);
}

static mm_err write_begin(void *user, const mm_suit_component *c, const mm_suit_write_info *info)
{
    mm_memdev_component *m = comp_of(dev_of(user), c);
    if (m == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    m->staged = true;
    m->cand_len = 0;
    m->writes++;
    m->metadata = info->metadata;
    return MM_OK;
}

static mm_err write_chunk(void *user, const mm_suit_component *c, mm_bytes chunk)
{
    mm_memdev *dev = dev_of(user);
    mm_memdev_component *m = comp_of(dev, c);
    if (m == NULL || !m->staged) {
        return MM_ERR_STATE;
    }
    if (dev->fail_write != MM_OK) {
        return dev->fail_write;
    }
    if (chunk.len > m->cand_cap - m->cand_len) {
        return MM_ERR_PLATFORM; /* the slot is full */
    }
    memcpy(m->cand + m->cand_len, chunk.ptr, chunk.len);
    m->cand_len += chunk.len;
    return MM_OK;
}

static mm_err write_end(void *user, const mm_suit_component *c, bool ok)
{
    mm_memdev_component *m = comp_of(dev_of(user), c);
    if (m == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    if (!ok) {
        m->staged = false;
        m->cand_len = 0;
    }
    return MM_OK;
}

static mm_err swap(void *user, const mm_suit_component *a, const mm_suit_component *b)
{
    mm_memdev *dev = dev_of(user);
    mm_memdev_component *ma = comp_of(dev, a);
    mm_memdev_component *mb = comp_of(dev, b);
    if (ma == NULL || mb == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    bool ea;
    bool eb;
    mm_bytes va = visible(ma, &ea);
    mm_bytes vb = visible(mb, &eb);
    if (!ea || !eb || va.len > mb->cand_cap || vb.len > ma->cand_cap) {
        return MM_ERR_PLATFORM;
    }
    /* In place, byte by byte, so either side may already be a candidate. */
    size_t n = va.len > vb.len ? va.len : vb.len;
    for (size_t i = 0; i < n; i++) {
        uint8_t x = i < va.len ? va.ptr[i] : 0;
        uint8_t y = i < vb.len ? vb.ptr[i] : 0;
        if (i < vb.len) {
            ma->cand[i] = y;
        }
        if (i < va.len) {
            mb->cand[i] = x;
        }
    }
    size_t la = va.len;
    ma->cand_len = vb.len;
    mb->cand_len = la;
    ma->staged = mb->staged = true;
    return MM_OK;
}

static mm_err commit(void *user)
{
    mm_memdev *dev = dev_of(user);
    for (size_t i = 0; i < dev->n_comps; i++) {
        mm_memdev_component *m = &dev->comps[i];
        if (m->staged && m->cand_len > m->cap) {
            return MM_ERR_PLATFORM;
        }
    }
    for (size_t i = 0; i < dev->n_comps; i++) {
        mm_memdev_component *m = &dev->comps[i];
        if (m->staged) {
            memcpy(m->data, m->cand, m->cand_len);
            m->len = m->cand_len;
            m->exists = true;
            m->staged = false;
        }
    }
    dev->commits++;
    return MM_OK;
}

static void discard(void *user)
{
    mm_memdev *dev = dev_of(user);
    for (size_t i = 0; i < dev->n_comps; i++) {
        dev->comps[i].staged = false;
        dev->comps[i].cand_len = 0;
    }
    dev->discards++;
}

static mm_err fetch(void *user, mm_bytes uri, mm_bytes args, const mm_suit_sink *sink)
{
    (void)args;
    mm_memdev *dev = dev_of(user);
    for (size_t i = 0; i < dev->n_uris; i++) {
        if (mm_bytes_equal(dev->uris[i].uri, uri)) {
            dev->fetches++;
            /* In two chunks, so the processor sees a stream. */
            mm_bytes all = dev->uris[i].content;
            size_t half = all.len / 2;
            mm_err e = sink->write(sink->ctx, mm_bytes_make(all.ptr, half));
            return e != MM_OK ? e : sink->write(sink->ctx, mm_bytes_make(all.ptr + half, all.len - half));
        }
    }
    return MM_ERR_PLATFORM; /* 404 */
}

static mm_err invoke(void *user, const mm_suit_component *c, mm_bytes args)
{
    mm_memdev *dev = dev_of(user);
    mm_memdev_component *m = comp_of(dev, c);
    if (m == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    m->invoked++;
    m->last_args = args;
    dev->invokes++;
    return MM_OK;
}

static mm_err slot(void *user, const mm_suit_component *c, uint64_t *out)
{
    mm_memdev_component *m = comp_of(dev_of(user), c);
    if (m == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    *out = m->slot;
    return MM_OK;
}

static mm_err component_version(void *user, const mm_suit_component *c, int64_t *parts, size_t cap, size_t *n)
{
    mm_memdev_component *m = comp_of(dev_of(user), c);
    if (m == NULL || m->n_version > cap) {
        return MM_ERR_UNSUPPORTED;
    }
    memcpy(parts, m->version, m->n_version * sizeof parts[0]);
    *n = m->n_version;
    return MM_OK;
}

/* The slot of the counter for id, or -1. */
static int counter_find(const mm_memdev *dev, mm_bytes id)
{
    for (int i = 0; i < MM_MEMDEV_MAX_COUNTERS; i++) {
        const mm_memdev_counter *k = &dev->counters[i];
        if (k->used && mm_bytes_equal(mm_bytes_make(k->id, k->id_len), id)) {
            return i;
        }
    }
    return -1;
}

mm_err mm_memdev_set_counter(mm_memdev *dev, mm_bytes id, uint64_t value)
{
    int at = counter_find(dev, id);
    for (int i = 0; at < 0 && i < MM_MEMDEV_MAX_COUNTERS; i++) {
        if (!dev->counters[i].used) {
            at = i;
        }
    }
    if (at < 0 || id.len > sizeof dev->counters[at].id) {
        return MM_ERR_TOO_LARGE;
    }
    mm_memdev_counter *k = &dev->counters[at];
    if (!k->used) {
        k->used = true;
        k->id_len = id.len;
        if (id.len != 0) {
            memcpy(k->id, id.ptr, id.len);
        }
    }
    k->value = value;
    return MM_OK;
}

bool mm_memdev_get_counter(const mm_memdev *dev, mm_bytes id, uint64_t *value)
{
    int at = counter_find(dev, id);
    if (at >= 0) {
        *value = dev->counters[at].value;
    }
    return at >= 0;
}

static mm_err counter_get(void *user, mm_bytes id, bool *present, uint64_t *value)
{
    *present = mm_memdev_get_counter(dev_of(user), id, value);
    return MM_OK;
}

static mm_err counter_set(void *user, mm_bytes id, uint64_t value)
{
    return mm_memdev_set_counter(dev_of(user), id, value);
}

static mm_err now(void *user, uint64_t *seconds)
{
    mm_memdev *dev = dev_of(user);
    *seconds = dev->now;
    return dev->has_clock ? MM_OK : MM_ERR_UNSUPPORTED;
}

static mm_err battery(void *user, uint64_t *mwh)
{
    mm_memdev *dev = dev_of(user);
    *mwh = dev->battery;
    return dev->has_battery ? MM_OK : MM_ERR_UNSUPPORTED;
}

static mm_err authorize(void *user, int64_t priority, bool *ok)
{
    mm_memdev *dev = dev_of(user);
    *ok = priority <= dev->max_priority;
    return dev->has_authorize ? MM_OK : MM_ERR_UNSUPPORTED;
}

#define DAY 86400u

/* Time of day (seconds since midnight) and day of week (0 = Sunday; 1970-01-01
 * was a Thursday) of t seconds since the epoch. */
static void clock_parts(int64_t t, uint64_t *tod, uint64_t *dow)
{
    int64_t days = t >= 0 ? t / DAY : (t - (DAY - 1)) / DAY;
    *tod = (uint64_t)(t - days * DAY);
    *dow = (uint64_t)(((days + 4) % 7 + 7) % 7);
}

/* Events this device can tell: authorisation (as update-authorized), power
 * and network states, the clock (a time to reach, a time of day to be past,
 * a day of week to be on, in UTC or, with local time set, local); other
 * devices' versions are unsupported. */
static mm_err wait_for(void *user, const mm_suit_component *c, const mm_suit_wait *w)
{
    (void)c;
    mm_memdev *dev = dev_of(user);
    unsigned clock = MM_SUIT_WAIT_TIME | MM_SUIT_WAIT_TOD_UTC | MM_SUIT_WAIT_DOW_UTC;
    unsigned local = MM_SUIT_WAIT_TIME_OF_DAY | MM_SUIT_WAIT_DAY_OF_WEEK;
    if ((w->present & MM_SUIT_WAIT_OTHER_DEVICE) != 0 || ((w->present & (clock | local)) != 0 && !dev->has_clock) ||
        ((w->present & local) != 0 && !dev->has_local_time)) {
        return MM_ERR_UNSUPPORTED;
    }
    uint64_t tod_utc;
    uint64_t dow_utc;
    uint64_t tod;
    uint64_t dow;
    clock_parts((int64_t)dev->now, &tod_utc, &dow_utc);
    clock_parts((int64_t)dev->now + dev->utc_offset, &tod, &dow);
    bool ok = true;
    if ((w->present & MM_SUIT_WAIT_AUTHORIZATION) != 0) {
        ok = ok && dev->has_authorize && w->authorization <= dev->max_priority;
    }
    if ((w->present & MM_SUIT_WAIT_POWER) != 0) {
        ok = ok && dev->power >= w->power;
    }
    if ((w->present & MM_SUIT_WAIT_NETWORK) != 0) {
        ok = ok && dev->network >= w->network;
    }
    if ((w->present & MM_SUIT_WAIT_TIME) != 0) {
        ok = ok && dev->now >= w->time;
    }
    if ((w->present & MM_SUIT_WAIT_TIME_OF_DAY) != 0) {
        ok = ok && tod >= w->time_of_day;
    }
    if ((w->present & MM_SUIT_WAIT_TOD_UTC) != 0) {
        ok = ok && tod_utc >= w->time_of_day_utc;
    }
    if ((w->present & MM_SUIT_WAIT_DAY_OF_WEEK) != 0) {
        ok = ok && dow == w->day_of_week;
    }
    if ((w->present & MM_SUIT_WAIT_DOW_UTC) != 0) {
        ok = ok && dow_utc == w->day_of_week_utc;
    }
    /* A device that cannot wait refuses now; the update is offered again
     * later (update management section 4.5 allows aborting). */
    return ok ? MM_OK : MM_ERR_CONDITION;
}

static void record(void *user, const mm_suit_event *ev)
{
    mm_memdev *dev = dev_of(user);
    if (dev->n_events < MM_MEMDEV_MAX_EVENTS) {
        dev->events[dev->n_events] = *ev;
    }
    dev->n_events++;
}

static const mm_suit_platform_ops memdev_ops = {
    MM_SUIT_PLATFORM_V1, component_check, identity,    size_of, read_at, view,      NULL, /* digest: only with claims
                                                                                             (below) */
    write_begin,         write_chunk,     write_end,   swap,    commit,  discard,   fetch,    invoke, slot,
    component_version,   counter_get,     counter_set, now,     battery, authorize, wait_for, record,
};

/* The same with the device measuring digests itself. */
static const mm_suit_platform_ops memdev_ops_measured = {
    MM_SUIT_PLATFORM_V1, component_check, identity,    size_of, read_at, view,      digest,   write_begin,
    write_chunk,         write_end,       swap,        commit,  discard, fetch,     invoke,   slot,
    component_version,   counter_get,     counter_set, now,     battery, authorize, wait_for, record,
};

void mm_memdev_init(mm_memdev *dev, const mm_crypto *crypto)
{
    memset(dev, 0, sizeof *dev);
    dev->crypto = crypto;
    memset(dev->map, -1, sizeof dev->map);
    dev->platform.ops = &memdev_ops;
    dev->platform.user = dev;
}

int mm_memdev_add(mm_memdev *dev, mm_bytes id, uint8_t *data, size_t cap, uint8_t *cand, size_t cand_cap)
{
    if (dev->n_comps == MM_SUIT_MAX_COMPONENTS) {
        return -1;
    }
    mm_memdev_component *m = &dev->comps[dev->n_comps];
    memset(m, 0, sizeof *m);
    m->id = id;
    m->data = data;
    m->cap = cap;
    m->cand = cand;
    m->cand_cap = cand_cap;
    return (int)dev->n_comps++;
}

mm_err mm_memdev_set_content(mm_memdev *dev, int comp, mm_bytes content)
{
    if (comp < 0 || (size_t)comp >= dev->n_comps || content.len > dev->comps[comp].cap) {
        return MM_ERR_INVALID_ARG;
    }
    mm_memdev_component *m = &dev->comps[comp];
    if (content.len != 0) {
        memcpy(m->data, content.ptr, content.len);
    }
    m->len = content.len;
    m->exists = true;
    return MM_OK;
}

mm_err mm_memdev_add_id(mm_memdev *dev, mm_suit_identity kind, mm_bytes uuid)
{
    size_t k = (size_t)kind - 1;
    if (k >= 3 || dev->n_ids[k] == MM_MEMDEV_MAX_IDS) {
        return MM_ERR_INVALID_ARG;
    }
    dev->ids[k][dev->n_ids[k]++] = uuid;
    return MM_OK;
}

mm_err mm_memdev_add_uri(mm_memdev *dev, mm_bytes uri, mm_bytes content)
{
    if (dev->n_uris == MM_MEMDEV_MAX_URIS) {
        return MM_ERR_TOO_LARGE;
    }
    dev->uris[dev->n_uris].uri = uri;
    dev->uris[dev->n_uris].content = content;
    dev->n_uris++;
    return MM_OK;
}

mm_err mm_memdev_claim(mm_memdev *dev, mm_bytes content, int32_t alg, mm_bytes digest_bytes)
{
    if (dev->n_claims == MM_MEMDEV_MAX_CLAIMS || digest_bytes.len > MM_HASH_MAX) {
        return MM_ERR_TOO_LARGE;
    }
    dev->claims[dev->n_claims].content = content;
    dev->claims[dev->n_claims].alg = alg;
    dev->claims[dev->n_claims].digest = digest_bytes;
    dev->n_claims++;
    dev->platform.ops = &memdev_ops_measured;
    return MM_OK;
}

const mm_suit_platform *mm_memdev_platform(mm_memdev *dev) { return &dev->platform; }
