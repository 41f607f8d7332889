/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The private state of an HSS/LMS key: its parameter sets, the file that
 * holds it (fixed layout, big-endian, SHA-256 checksum; docs/lms.md), and
 * the atomic, durable file writes the one-time-key rule rests on.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "signer_internal.h"

mm_err ls_params_make(uint32_t levels, const uint32_t *lms_type, const uint32_t *ots_type, ls_params *p)
{
    memset(p, 0, sizeof *p);
    if (levels < 1 || levels > MM_LMS_MAX_LEVELS) {
        return MM_ERR_INVALID_ARG;
    }
    unsigned bits = 0;
    for (uint32_t i = 0; i < levels; i++) {
        mm_err e = lms_types(lms_type[i], ots_type[i], &p->lms[i], &p->ots[i]);
        if (e != MM_OK) {
            return mm_lms_type(lms_type[i]) == NULL || mm_lms_ots_type(ots_type[i]) == NULL ? e : MM_ERR_INVALID_ARG;
        }
        /* Child seeds are derived with the parent's hash: one hash and
         * size for the whole key (as SP 800-208 asks). */
        if (i > 0 && (p->lms[i]->hash_alg != p->lms[0]->hash_alg || p->lms[i]->m != p->lms[0]->m)) {
            return MM_ERR_INVALID_ARG;
        }
        bits += p->lms[i]->h;
    }
    if (bits > 63) {
        return MM_ERR_INVALID_ARG; /* the index is a uint64_t; 2^63 signatures is beyond any use */
    }
    p->levels = levels;
    p->hash_alg = p->lms[0]->hash_alg;
    p->n = p->lms[0]->m;
    p->total = UINT64_C(1) << bits;
    p->pub_len = 4 + mm_lms_lms_pub_len(p->lms[0]);
    p->sig_len = 4;
    unsigned below = bits;
    for (uint32_t i = 0; i < levels; i++) {
        below -= p->lms[i]->h;
        p->below[i] = below;
        p->sig_len += mm_lms_lms_sig_len(p->lms[i], p->ots[i]);
        if (i > 0) {
            p->sig_len += mm_lms_lms_pub_len(p->lms[i]);
        }
    }
    return MM_OK;
}

/* Offsets of the state file. */
enum {
    OFF_MAGIC = 0,
    OFF_VERSION = 8,
    OFF_LEVELS = 12,
    OFF_TYPES = 16,
    OFF_SEED = 80,
    OFF_I = 112,
    OFF_NEXT = 128,
    OFF_TOTAL = 136,
    OFF_PUB = 144,
    OFF_SUM = 204,
};
_Static_assert(OFF_SUM + 32 == LS_FILE_LEN, "state file layout");

/* The first bytes of every state file. */
static const uint8_t ls_magic[8] = {'M', 'M', 'L', 'M', 'S', 'P', 'R', 'V'};

static void put_u64(uint8_t *p, uint64_t v)
{
    lms_put_u32(p, (uint32_t)(v >> 32));
    lms_put_u32(p + 4, (uint32_t)v);
}

static uint64_t get_u64(const uint8_t *p) { return (uint64_t)lms_get_u32(p) << 32 | lms_get_u32(p + 4); }

static mm_err checksum(const mm_crypto *c, const uint8_t *data, uint8_t out[32])
{
    uint8_t digest[MM_HASH_MAX];
    size_t len = 0;
    mm_err e = mm_hash(c, MM_ALG_SHA256, mm_bytes_make(data, OFF_SUM), digest, &len);
    if (e == MM_OK) {
        memcpy(out, digest, 32);
    }
    return e;
}

mm_err ls_state_encode(const mm_crypto *c, const ls_state *s, uint8_t out[LS_FILE_LEN])
{
    memset(out, 0, LS_FILE_LEN);
    memcpy(out + OFF_MAGIC, ls_magic, sizeof ls_magic);
    lms_put_u32(out + OFF_VERSION, LS_VERSION);
    lms_put_u32(out + OFF_LEVELS, s->p.levels);
    for (uint32_t i = 0; i < s->p.levels; i++) {
        lms_put_u32(out + OFF_TYPES + (size_t)8 * i, s->p.lms[i]->type);
        lms_put_u32(out + OFF_TYPES + (size_t)8 * i + 4, s->p.ots[i]->type);
    }
    memcpy(out + OFF_SEED, s->seed, s->p.n);
    memcpy(out + OFF_I, s->I, MM_LMS_I_LEN);
    put_u64(out + OFF_NEXT, s->next);
    put_u64(out + OFF_TOTAL, s->p.total);
    memcpy(out + OFF_PUB, s->pub, s->p.pub_len);
    return checksum(c, out, out + OFF_SUM);
}

static bool all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

mm_err ls_state_decode(const mm_crypto *c, const uint8_t *in, size_t len, ls_state *s)
{
    memset(s, 0, sizeof *s);
    if (len != LS_FILE_LEN || memcmp(in + OFF_MAGIC, ls_magic, sizeof ls_magic) != 0) {
        return MM_ERR_BAD_KEY;
    }
    if (lms_get_u32(in + OFF_VERSION) != LS_VERSION) {
        return MM_ERR_UNSUPPORTED;
    }
    uint8_t sum[32];
    mm_err e = checksum(c, in, sum);
    if (e != MM_OK) {
        return e;
    }
    if (!mm_ct_equal(sum, in + OFF_SUM, sizeof sum)) {
        return MM_ERR_BAD_KEY; /* damaged: never guess at a counter */
    }
    uint32_t levels = lms_get_u32(in + OFF_LEVELS);
    uint32_t lms[MM_LMS_MAX_LEVELS] = {0};
    uint32_t ots[MM_LMS_MAX_LEVELS] = {0};
    for (uint32_t i = 0; i < levels && i < MM_LMS_MAX_LEVELS; i++) {
        lms[i] = lms_get_u32(in + OFF_TYPES + (size_t)8 * i);
        ots[i] = lms_get_u32(in + OFF_TYPES + (size_t)8 * i + 4);
    }
    if (ls_params_make(levels, lms, ots, &s->p) != MM_OK) {
        return MM_ERR_BAD_KEY;
    }
    memcpy(s->seed, in + OFF_SEED, s->p.n);
    memcpy(s->I, in + OFF_I, MM_LMS_I_LEN);
    s->next = get_u64(in + OFF_NEXT);
    memcpy(s->pub, in + OFF_PUB, s->p.pub_len);
    /* What the parameters say must agree with the rest of the file. */
    mm_lms_info info;
    bool ok = get_u64(in + OFF_TOTAL) == s->p.total && s->next <= s->p.total &&
              all_zero(in + OFF_SEED + s->p.n, LS_SEED_MAX - s->p.n) &&
              all_zero(in + OFF_PUB + s->p.pub_len, MM_LMS_PUB_MAX - s->p.pub_len) &&
              all_zero(in + OFF_TYPES + (size_t)8 * levels, (size_t)8 * (MM_LMS_MAX_LEVELS - levels)) &&
              mm_lms_pub_decode(mm_bytes_make(s->pub, s->p.pub_len), 0, &info) == MM_OK && info.levels == levels &&
              info.level[0].lms_type == s->p.lms[0]->type && info.level[0].ots_type == s->p.ots[0]->type &&
              memcmp(info.level[0].I.ptr, s->I, MM_LMS_I_LEN) == 0;
    if (!ok) {
        mm_wipe(s, sizeof *s);
        return MM_ERR_BAD_KEY;
    }
    return MM_OK;
}

mm_err ls_file_read(const char *path, size_t max, uint8_t **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT ? MM_ERR_MISSING_FIELD : MM_ERR_PLATFORM;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 || (uint64_t)st.st_size > max) {
        close(fd);
        return S_ISREG(st.st_mode) ? MM_ERR_TOO_LARGE : MM_ERR_PLATFORM;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *buf = malloc(size + 1);
    size_t got = 0;
    while (buf != NULL && got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    if (buf == NULL || got != size) {
        free(buf);
        return MM_ERR_PLATFORM;
    }
    *data = buf;
    *len = size;
    return MM_OK;
}

mm_err ls_state_read(const mm_crypto *c, const char *path, ls_state *s)
{
    uint8_t *data;
    size_t len;
    mm_err e = ls_file_read(path, 4096, &data, &len);
    if (e == MM_ERR_MISSING_FIELD) {
        return MM_ERR_PLATFORM; /* no such file */
    }
    if (e == MM_ERR_TOO_LARGE) {
        return MM_ERR_BAD_KEY;
    }
    if (e != MM_OK) {
        return e;
    }
    e = ls_state_decode(c, data, len, s);
    mm_wipe(data, len);
    free(data);
    return e;
}

static bool write_all(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        p += w;
        len -= (size_t)w;
    }
    return true;
}

/* Syncs the folder of path, so a rename or link in it is durable. */
static bool sync_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (slash == NULL) {
        memcpy(dir, ".", 2);
    } else if (slash == path) {
        memcpy(dir, "/", 2);
    } else {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir) {
            return false;
        }
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

mm_err ls_file_write(const char *path, const uint8_t *data, size_t len, unsigned flags)
{
    char tmp[4200];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp) {
        return MM_ERR_INVALID_ARG;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return MM_ERR_PLATFORM;
    }
    bool ok = write_all(fd, data, len) && ((flags & LS_WRITE_DURABLE) == 0 || fsync(fd) == 0);
    ok = close(fd) == 0 && ok;
    mm_err e = MM_OK;
    if (ok && (flags & LS_WRITE_NO_CLOBBER) != 0) {
        /* link() never replaces: an existing key stays, even in a race. */
        if (link(tmp, path) != 0) {
            e = errno == EEXIST ? MM_ERR_STATE : MM_ERR_PLATFORM;
        }
        unlink(tmp);
    } else if (ok) {
        if (rename(tmp, path) != 0) {
            e = MM_ERR_PLATFORM;
        }
    } else {
        e = MM_ERR_PLATFORM;
    }
    if (e != MM_OK || !ok) {
        unlink(tmp);
    }
    if (e == MM_OK && (flags & LS_WRITE_DURABLE) != 0 && !sync_folder(path)) {
        e = MM_ERR_PLATFORM;
    }
    return e;
}
