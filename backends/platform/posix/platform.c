/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The simulated device as a SUIT platform: the callbacks, each a thin
 * adapter onto config.c, files.c, fetch.c and invoke.c; and its life
 * (open, close, what happened, why something failed).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "posixdev.h"

static mm_posixdev *dev_of(void *user) { return (mm_posixdev *)user; }

mm_err pd_fail(mm_posixdev *d, mm_err err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->error, sizeof d->error, fmt, ap);
    va_end(ap);
    return err;
}

void pd_event(mm_posixdev *d, mm_posixdev_event_kind kind, uint32_t comp, const char *name, uint64_t size, int status,
              int type)
{
    mm_posixdev_event *grown = realloc(d->events, (d->n_events + 1) * sizeof *grown);
    if (grown != NULL) {
        d->events = grown;
    }
    char **names = realloc(d->names, (d->n_events + 1) * sizeof *names);
    if (names != NULL) {
        d->names = names;
    }
    char *copy = strdup(name);
    if (grown == NULL || names == NULL || copy == NULL) {
        free(copy);
        return; /* the record is lost, not the operation */
    }
    mm_posixdev_event ev = {kind, comp, copy, size, status, type};
    d->names[d->n_events] = copy;
    d->events[d->n_events++] = ev;
}

static const pd_slot *slot(mm_posixdev *d, const mm_suit_component *c)
{
    return c->index < MM_SUIT_MAX_COMPONENTS && d->slots[c->index].mapped ? &d->slots[c->index] : NULL;
}

static mm_err component_check(void *user, const mm_suit_component *c) { return pd_map(dev_of(user), c); }

static mm_err identity(void *user, const mm_suit_component *c, mm_suit_identity kind, mm_bytes value, bool pen,
                       bool *match)
{
    (void)c;
    mm_posixdev *d = dev_of(user);
    size_t k = (size_t)kind - 1;
    *match = false;
    for (size_t i = 0; !pen && k < 3 && i < d->n_ids[k]; i++) {
        *match = *match || mm_bytes_equal(mm_bytes_make(d->ids[k][i], 16), value);
    }
    return MM_OK;
}

/* Opens what component c reads as (its candidate, else its file): *fd, or
 * -1 for a component never written. */
static mm_err open_content(mm_posixdev *d, const mm_suit_component *c, int *fd)
{
    if (slot(d, c) == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    *fd = pd_open_visible(d, c->index);
    if (*fd < 0 && errno != ENOENT) {
        return pd_fail(d, MM_ERR_PLATFORM, "%s: %s", d->slots[c->index].path, strerror(errno));
    }
    return MM_OK;
}

static mm_err size_of(void *user, const mm_suit_component *c, bool *exists, uint64_t *size)
{
    mm_posixdev *d = dev_of(user);
    int fd;
    *exists = false;
    *size = 0;
    mm_err e = open_content(d, c, &fd);
    if (e != MM_OK || fd < 0) {
        return e;
    }
    *exists = true;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        *size = (uint64_t)st.st_size;
    }
    close(fd);
    return MM_OK;
}

static mm_err read_at(void *user, const mm_suit_component *c, uint64_t offset, uint8_t *buf, size_t len, size_t *got)
{
    mm_posixdev *d = dev_of(user);
    int fd;
    *got = 0;
    mm_err e = open_content(d, c, &fd);
    if (e != MM_OK || fd < 0) {
        return e;
    }
    struct stat st;
    ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? pread(fd, buf, len, (off_t)offset) : 0;
    int err = errno;
    close(fd);
    if (n < 0) {
        return pd_fail(d, MM_ERR_PLATFORM, "%s: %s", d->slots[c->index].path, strerror(err));
    }
    *got = (size_t)n;
    return MM_OK;
}

static mm_err write_begin(void *user, const mm_suit_component *c, const mm_suit_write_info *info)
{
    mm_posixdev *d = dev_of(user);
    return slot(d, c) == NULL ? MM_ERR_UNSUPPORTED : pd_stage_begin(d, c->index, info->metadata);
}

static mm_err write_chunk(void *user, const mm_suit_component *c, mm_bytes chunk)
{
    mm_posixdev *d = dev_of(user);
    return slot(d, c) == NULL ? MM_ERR_UNSUPPORTED : pd_stage_write(d, c->index, chunk);
}

static mm_err write_end(void *user, const mm_suit_component *c, bool ok)
{
    mm_posixdev *d = dev_of(user);
    return slot(d, c) == NULL ? MM_ERR_UNSUPPORTED : pd_stage_end(d, c->index, ok);
}

static mm_err swap(void *user, const mm_suit_component *a, const mm_suit_component *b)
{
    mm_posixdev *d = dev_of(user);
    return slot(d, a) == NULL || slot(d, b) == NULL ? MM_ERR_UNSUPPORTED : pd_swap(d, a->index, b->index);
}

static mm_err commit(void *user) { return pd_commit(dev_of(user)); }

static void discard(void *user) { pd_discard(dev_of(user)); }

static mm_err fetch(void *user, mm_bytes uri, mm_bytes args, const mm_suit_sink *sink)
{
    (void)args; /* fetch arguments mean nothing to this device */
    return pd_fetch(dev_of(user), uri, sink);
}

static mm_err invoke(void *user, const mm_suit_component *c, mm_bytes args)
{
    (void)args; /* the program's arguments are the device's, never the manifest's */
    mm_posixdev *d = dev_of(user);
    return slot(d, c) == NULL ? MM_ERR_UNSUPPORTED : pd_invoke(d, c->index);
}

static mm_err slot_of(void *user, const mm_suit_component *c, uint64_t *out)
{
    mm_posixdev *d = dev_of(user);
    const pd_slot *s = slot(d, c);
    if (s == NULL || s->conf == NULL || !s->conf->has_slot) {
        return pd_fail(d, MM_ERR_UNSUPPORTED, "component %u: device.json gives no slot", c->index);
    }
    *out = s->conf->slot;
    return MM_OK;
}

static mm_err component_version(void *user, const mm_suit_component *c, int64_t *parts, size_t cap, size_t *n)
{
    mm_posixdev *d = dev_of(user);
    const pd_slot *s = slot(d, c);
    if (s == NULL || s->conf == NULL || s->conf->n_version == 0 || s->conf->n_version > cap) {
        return pd_fail(d, MM_ERR_UNSUPPORTED, "component %u: device.json gives no version", c->index);
    }
    memcpy(parts, s->conf->version, s->conf->n_version * sizeof parts[0]);
    *n = s->conf->n_version;
    return MM_OK;
}

static mm_err counter_get(void *user, mm_bytes id, bool *present, uint64_t *value)
{
    return pd_counter_get(dev_of(user), id, present, value);
}

static mm_err counter_set(void *user, mm_bytes id, uint64_t value) { return pd_counter_set(dev_of(user), id, value); }

/* The simulated clock from device.json, else the host's. */
static uint64_t clock_now(const mm_posixdev *d) { return d->has_time ? d->time : (uint64_t)time(NULL); }

static mm_err now(void *user, uint64_t *seconds)
{
    *seconds = clock_now(dev_of(user));
    return MM_OK;
}

static mm_err battery(void *user, uint64_t *mwh)
{
    mm_posixdev *d = dev_of(user);
    *mwh = d->battery;
    return d->has_battery ? MM_OK : pd_fail(d, MM_ERR_UNSUPPORTED, "device.json gives no battery-mwh");
}

static mm_err authorize(void *user, int64_t priority, bool *ok)
{
    mm_posixdev *d = dev_of(user);
    *ok = priority <= d->authorized;
    return d->has_authorize ? MM_OK : pd_fail(d, MM_ERR_UNSUPPORTED, "device.json gives no authorized-priority");
}

/* Seconds since midnight and days since Sunday (1970-01-01 was a Thursday). */
static void clock_parts(int64_t t, uint64_t *tod, uint64_t *dow)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    *tod = (uint64_t)(t - days * 86400);
    *dow = (uint64_t)(((days + 4) % 7 + 7) % 7);
}

/* This device cannot wait: an event that does not hold now refuses the
 * update, which is offered again later (update management section 4.5). */
static mm_err wait_for(void *user, const mm_suit_component *c, const mm_suit_wait *w)
{
    (void)c;
    mm_posixdev *d = dev_of(user);
    if ((w->present & MM_SUIT_WAIT_OTHER_DEVICE) != 0) {
        return pd_fail(d, MM_ERR_UNSUPPORTED, "wait: other devices' versions are unknown here");
    }
    if ((w->present & (MM_SUIT_WAIT_TIME_OF_DAY | MM_SUIT_WAIT_DAY_OF_WEEK)) != 0 && !d->has_local) {
        return pd_fail(d, MM_ERR_UNSUPPORTED, "wait: local time needs utc-offset in device.json");
    }
    uint64_t t = clock_now(d);
    uint64_t tod, dow, tod_utc, dow_utc;
    clock_parts((int64_t)t, &tod_utc, &dow_utc);
    clock_parts((int64_t)t + d->utc_offset, &tod, &dow);
    const char *unmet = NULL;
    if ((w->present & MM_SUIT_WAIT_AUTHORIZATION) != 0 && !(d->has_authorize && w->authorization <= d->authorized)) {
        unmet = "authorisation";
    } else if ((w->present & MM_SUIT_WAIT_POWER) != 0 && d->power < w->power) {
        unmet = "power";
    } else if ((w->present & MM_SUIT_WAIT_NETWORK) != 0 && d->network < w->network) {
        unmet = "network";
    } else if ((w->present & MM_SUIT_WAIT_TIME) != 0 && t < w->time) {
        unmet = "time";
    } else if (((w->present & MM_SUIT_WAIT_TIME_OF_DAY) != 0 && tod < w->time_of_day) ||
               ((w->present & MM_SUIT_WAIT_TOD_UTC) != 0 && tod_utc < w->time_of_day_utc)) {
        unmet = "time of day";
    } else if (((w->present & MM_SUIT_WAIT_DAY_OF_WEEK) != 0 && dow != w->day_of_week) ||
               ((w->present & MM_SUIT_WAIT_DOW_UTC) != 0 && dow_utc != w->day_of_week_utc)) {
        unmet = "day of week";
    }
    return unmet == NULL ? MM_OK : pd_fail(d, MM_ERR_CONDITION, "wait: %s not reached", unmet);
}

static const mm_suit_platform_ops posixdev_ops = {
    MM_SUIT_PLATFORM_V1,
    component_check,
    identity,
    size_of,
    read_at,
    NULL, /* view: files are read */
    NULL, /* digest: read and hashed by the processor */
    write_begin,
    write_chunk,
    write_end,
    swap,
    commit,
    discard,
    fetch,
    invoke,
    slot_of,
    component_version,
    counter_get,
    counter_set,
    now,
    battery,
    authorize,
    wait_for,
    NULL, /* record: the caller watches the processor */
};

mm_err mm_posixdev_open(const char *dir, mm_posixdev **out, char *why, size_t why_len)
{
    *out = NULL;
    mm_posixdev *d = calloc(1, sizeof *d);
    if (d == NULL) {
        return MM_ERR_PLATFORM;
    }
    for (size_t i = 0; i < MM_SUIT_MAX_COMPONENTS; i++) {
        d->slots[i].fd = -1;
    }
    d->dir = realpath(dir, NULL);
    d->name = strdup(dir);
    d->dirfd = d->dir != NULL ? open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (d->dirfd < 0 || d->name == NULL) {
        snprintf(why, why_len, "%s: %s", dir, strerror(errno));
        free(d->dir);
        free(d->name);
        free(d);
        return MM_ERR_PLATFORM;
    }
    mm_err e = pd_config_load(d, why, why_len);
    if (e == MM_OK && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(why, why_len, "cannot start libcurl");
        e = MM_ERR_PLATFORM;
    }
    if (e != MM_OK) {
        mm_posixdev_close(d);
        return e;
    }
    d->platform.ops = &posixdev_ops;
    d->platform.user = d;
    *out = d;
    return MM_OK;
}

void mm_posixdev_close(mm_posixdev *d)
{
    if (d == NULL) {
        return;
    }
    if (d->platform.ops != NULL) {
        pd_discard(d);
        curl_global_cleanup();
    }
    for (size_t i = 0; i < d->n_events; i++) {
        free(d->names[i]);
    }
    free(d->names);
    free(d->events);
    pd_config_free(d);
    if (d->dirfd >= 0) {
        unlinkat(d->dirfd, PD_STAGING, AT_REMOVEDIR);
        close(d->dirfd);
    }
    free(d->dir);
    free(d->name);
    free(d);
}

const mm_suit_platform *mm_posixdev_platform(mm_posixdev *d) { return &d->platform; }

const char *mm_posixdev_error(const mm_posixdev *d) { return d->error; }

const mm_posixdev_event *mm_posixdev_events(const mm_posixdev *d, size_t *n)
{
    *n = d->n_events;
    return d->events;
}

mm_err mm_posixdev_component_file(const mm_posixdev *d, mm_bytes id, char *out, size_t cap)
{
    const pd_component *conf;
    return pd_path_of(d, id, out, cap, &conf);
}
