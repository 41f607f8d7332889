/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Components as files under the device folder. Every path is walked from
 * the folder's descriptor one segment at a time, never following a symbolic
 * link (O_NOFOLLOW, *at() calls), and every segment is checked first, so a
 * component identifier cannot reach outside the folder (update management,
 * security considerations). Candidates are staged in DIR/.suit-staging and
 * renamed into place on commit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posixdev.h"

/* A segment usable as a file name as it is. */
static bool safe_text(mm_bytes s)
{
    if (s.len == 0 || s.len > 64 || s.ptr[0] == '.') {
        return false;
    }
    for (size_t i = 0; i < s.len; i++) {
        uint8_t c = s.ptr[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* Appends a segment's file name to out ("0x" and hex unless safe text). */
static bool append_segment(char *out, size_t cap, size_t *len, mm_bytes seg)
{
    size_t need = (*len != 0 ? 1 : 0) + (safe_text(seg) ? seg.len : 2 + 2 * seg.len);
    if (*len + need + 1 > cap || seg.len > 128) {
        return false;
    }
    if (*len != 0) {
        out[(*len)++] = '/';
    }
    if (safe_text(seg)) {
        memcpy(out + *len, seg.ptr, seg.len);
        *len += seg.len;
    } else {
        static const char digits[] = "0123456789abcdef";
        out[(*len)++] = '0';
        out[(*len)++] = 'x';
        for (size_t i = 0; i < seg.len; i++) {
            out[(*len)++] = digits[seg.ptr[i] >> 4];
            out[(*len)++] = digits[seg.ptr[i] & 15];
        }
    }
    out[*len] = '\0';
    return true;
}

/* The segments of an encoded identifier. */
static mm_err segments(mm_bytes id, mm_bytes *seg, size_t *n)
{
    mm_cbor_dec d;
    size_t count;
    if (mm_cbor_dec_init(&d, id, 0) != MM_OK || mm_cbor_enter_array(&d, &count) != MM_OK || count > PD_MAX_SEGMENTS) {
        return MM_ERR_UNSUPPORTED;
    }
    for (size_t i = 0; i < count; i++) {
        if (mm_cbor_get_bstr(&d, &seg[i]) != MM_OK) {
            return MM_ERR_UNSUPPORTED;
        }
    }
    *n = count;
    return MM_OK;
}

/* A relative path of safe segments ("a/b/c"), not reserved for the device. */
static bool path_ok(const char *p)
{
    if (p[0] == '\0' || p[0] == '/' || strcmp(p, "device.json") == 0) {
        return false;
    }
    for (const char *s = p; *s != '\0';) {
        const char *e = strchr(s, '/');
        size_t n = e != NULL ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.') || s[0] == '.') {
            return false;
        }
        s += n + (e != NULL ? 1 : 0);
    }
    return true;
}

mm_err pd_path_of(const mm_posixdev *d, mm_bytes id, char *out, size_t cap, const pd_component **conf)
{
    mm_bytes seg[PD_MAX_SEGMENTS];
    size_t n;
    *conf = NULL;
    if (segments(id, seg, &n) != MM_OK || n == 0) {
        return MM_ERR_UNSUPPORTED;
    }
    size_t skip = 0; /* segments the entry's own name stands for */
    size_t len = 0;
    out[0] = '\0';
    if (!d->any_component) {
        for (size_t i = 0; i < d->n_comps && *conf == NULL; i++) {
            const pd_component *c = &d->comps[i];
            mm_bytes cs[PD_MAX_SEGMENTS];
            size_t cn;
            if (segments(mm_bytes_make(c->id, c->id_len), cs, &cn) != MM_OK || cn > n || (!c->prefix && cn != n)) {
                continue;
            }
            bool match = true;
            for (size_t k = 0; k < cn && match; k++) {
                match = mm_bytes_equal(cs[k], seg[k]);
            }
            if (match) {
                *conf = c;
                skip = c->file != NULL ? cn : 0;
            }
        }
        if (*conf == NULL) {
            return MM_ERR_UNSUPPORTED;
        }
        if ((*conf)->file != NULL) {
            int w = snprintf(out, cap, "%s", (*conf)->file);
            if (w < 0 || (size_t)w >= cap) {
                return MM_ERR_UNSUPPORTED;
            }
            len = (size_t)w;
        }
    }
    for (size_t k = skip; k < n; k++) {
        if (!append_segment(out, cap, &len, seg[k])) {
            return MM_ERR_UNSUPPORTED;
        }
    }
    return path_ok(out) ? MM_OK : MM_ERR_UNSUPPORTED;
}

mm_err pd_map(mm_posixdev *d, const mm_suit_component *c)
{
    if (c->index >= MM_SUIT_MAX_COMPONENTS) {
        return MM_ERR_UNSUPPORTED;
    }
    pd_slot *s = &d->slots[c->index];
    memset(s, 0, sizeof *s);
    s->fd = -1;
    mm_err e = pd_path_of(d, c->id, s->path, sizeof s->path, &s->conf);
    if (e != MM_OK) {
        return pd_fail(d, e, "component %u is not one this device has", c->index);
    }
    s->mapped = true;
    return MM_OK;
}

/* The folder holding path's last segment, opened by walking from the device
 * folder (creating folders when create); *leaf points at the last segment. */
static int open_parent(mm_posixdev *d, const char *path, bool create, const char **leaf)
{
    int fd = dup(d->dirfd);
    const char *s = path;
    for (const char *e = strchr(s, '/'); fd >= 0 && e != NULL; s = e + 1, e = strchr(s, '/')) {
        char name[PD_PATH_MAX];
        memcpy(name, s, (size_t)(e - s));
        name[e - s] = '\0';
        int next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0 && errno == ENOENT && create && mkdirat(fd, name, 0755) == 0) {
            next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        int err = errno;
        close(fd);
        errno = err;
        fd = next;
    }
    *leaf = s;
    return fd;
}

static int open_staging(mm_posixdev *d)
{
    if (mkdirat(d->dirfd, PD_STAGING, 0700) != 0 && errno != EEXIST) {
        return -1;
    }
    return openat(d->dirfd, PD_STAGING, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static void candidate_name(uint32_t comp, char name[16]) { snprintf(name, 16, "%u", comp); }

int pd_open_visible(mm_posixdev *d, uint32_t comp)
{
    const pd_slot *s = &d->slots[comp];
    char name[16];
    const char *leaf = name;
    int dir;
    if (s->staged) {
        candidate_name(comp, name);
        dir = open_staging(d);
    } else {
        dir = open_parent(d, s->path, false, &leaf);
    }
    if (dir < 0) {
        return -1;
    }
    /* A symbolic link component is read as its target text: opened with
     * O_PATH so it is not followed. */
    int fd = openat(dir, leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ELOOP) {
        fd = openat(dir, leaf, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    }
    int err = errno;
    close(dir);
    errno = err;
    return fd;
}

/* Permission bits of SUIT_meta_permissions: traverse-exec (0), create-write
 * (1), list-read (2), as x, w, r. */
static unsigned rwx(uint64_t bits) { return (bits & 4 ? 4u : 0u) | (bits & 2 ? 2u : 0u) | (bits & 1 ? 1u : 0u); }

/* The first value of a permission map (the owner's or the group's). */
static bool first_permission(mm_cbor_dec *dec, uint64_t *bits)
{
    size_t n;
    if (mm_cbor_enter_map(dec, &n) != MM_OK || n == 0 || mm_cbor_skip(dec) != MM_OK ||
        mm_cbor_get_uint(dec, bits) != MM_OK) {
        return false;
    }
    return mm_cbor_exit(dec) == MM_OK;
}

/* File type and mode from component metadata (validated by the processor). */
static void read_metadata(mm_bytes md, int *type, unsigned *mode)
{
    *type = 1;
    *mode = 0;
    mm_cbor_dec dec;
    size_t n;
    if (md.len == 0 || mm_cbor_dec_init(&dec, md, 0) != MM_OK || mm_cbor_enter_map(&dec, &n) != MM_OK) {
        return;
    }
    uint64_t def = 0, user = 6, group = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        uint64_t key;
        uint64_t v = 0;
        if (mm_cbor_get_uint(&dec, &key) != MM_OK) {
            return;
        }
        bool ok = true;
        if (key == 1 || key == 5) {
            ok = mm_cbor_get_uint(&dec, &v) == MM_OK;
            if (key == 5) {
                *type = (int)v;
            } else {
                def = v;
                any = true;
            }
        } else if (key == 2 || key == 3) {
            ok = first_permission(&dec, key == 2 ? &user : &group);
            any = true;
        } else {
            ok = mm_cbor_skip(&dec) == MM_OK;
        }
        if (!ok) {
            return;
        }
    }
    if (any) {
        *mode = rwx(user) << 6 | rwx(group) << 3 | rwx(def);
    }
}

mm_err pd_stage_begin(mm_posixdev *d, uint32_t comp, mm_bytes metadata)
{
    pd_slot *s = &d->slots[comp];
    char name[16];
    candidate_name(comp, name);
    int dir = open_staging(d);
    if (dir < 0) {
        return pd_fail(d, MM_ERR_PLATFORM, "%s: %s", PD_STAGING, strerror(errno));
    }
    if (s->fd >= 0) {
        close(s->fd);
    }
    s->fd = openat(dir, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    int err = errno;
    close(dir);
    if (s->fd < 0) {
        return pd_fail(d, MM_ERR_PLATFORM, "%s/%s: %s", PD_STAGING, name, strerror(err));
    }
    read_metadata(metadata, &s->type, &s->mode);
    s->staged = true;
    return MM_OK;
}

mm_err pd_stage_write(mm_posixdev *d, uint32_t comp, mm_bytes chunk)
{
    pd_slot *s = &d->slots[comp];
    while (chunk.len > 0) {
        ssize_t w = write(s->fd, chunk.ptr, chunk.len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return pd_fail(d, MM_ERR_PLATFORM, "writing %s's candidate: %s", s->path, strerror(errno));
        }
        chunk.ptr += w;
        chunk.len -= (size_t)w;
    }
    return MM_OK;
}

static void drop_candidate(mm_posixdev *d, uint32_t comp)
{
    char name[16];
    candidate_name(comp, name);
    int dir = open_staging(d);
    if (dir >= 0) {
        unlinkat(dir, name, 0);
        close(dir);
    }
    d->slots[comp].staged = false;
}

mm_err pd_stage_end(mm_posixdev *d, uint32_t comp, bool ok)
{
    pd_slot *s = &d->slots[comp];
    bool synced = s->fd >= 0 && fsync(s->fd) == 0;
    int err = errno;
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    if (!ok || !synced) {
        drop_candidate(d, comp);
        return ok ? pd_fail(d, MM_ERR_PLATFORM, "%s's candidate: %s", s->path, strerror(err)) : MM_OK;
    }
    return MM_OK;
}

/* Copies what fd reads into a new staging file tmp. */
static mm_err copy_to(mm_posixdev *d, int fd, int staging, const char *tmp)
{
    int out = openat(staging, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) {
        return pd_fail(d, MM_ERR_PLATFORM, "%s/%s: %s", PD_STAGING, tmp, strerror(errno));
    }
    uint8_t buf[8192];
    ssize_t r;
    mm_err e = MM_OK;
    while ((r = read(fd, buf, sizeof buf)) > 0 && e == MM_OK) {
        if (write(out, buf, (size_t)r) != r) {
            e = pd_fail(d, MM_ERR_PLATFORM, "%s/%s: %s", PD_STAGING, tmp, strerror(errno));
        }
    }
    if (e == MM_OK && (r < 0 || fsync(out) != 0)) {
        e = pd_fail(d, MM_ERR_PLATFORM, "swap: %s", strerror(errno));
    }
    close(out);
    return e;
}

mm_err pd_swap(mm_posixdev *d, uint32_t a, uint32_t b)
{
    int fa = pd_open_visible(d, a);
    int fb = pd_open_visible(d, b);
    int staging = open_staging(d);
    mm_err e = MM_OK;
    if (fa < 0 || fb < 0 || staging < 0) {
        e = pd_fail(d, MM_ERR_PLATFORM, "swap: both components must hold an image (%s)", strerror(errno));
    }
    char ta[24];
    char tb[24];
    snprintf(ta, sizeof ta, "%u.swap", a);
    snprintf(tb, sizeof tb, "%u.swap", b);
    /* a's content becomes b's candidate and b's a's, through temporary files
     * so that neither is read after being replaced. */
    if (e == MM_OK) {
        e = copy_to(d, fa, staging, tb);
    }
    if (e == MM_OK) {
        e = copy_to(d, fb, staging, ta);
    }
    char na[16];
    char nb[16];
    candidate_name(a, na);
    candidate_name(b, nb);
    if (e == MM_OK && (renameat(staging, ta, staging, na) != 0 || renameat(staging, tb, staging, nb) != 0)) {
        e = pd_fail(d, MM_ERR_PLATFORM, "swap: %s", strerror(errno));
    }
    if (e == MM_OK) {
        d->slots[a].staged = d->slots[b].staged = true;
        d->slots[a].type = d->slots[b].type = 1;
    }
    if (fa >= 0) {
        close(fa);
    }
    if (fb >= 0) {
        close(fb);
    }
    if (staging >= 0) {
        close(staging);
    }
    return e;
}

/* A symbolic link's target inside the device folder: an absolute target is
 * made relative to the link's folder; ".." is never allowed. */
static bool link_target(const char *link_path, const char *target, char *out, size_t cap)
{
    size_t depth = 0;
    for (const char *p = link_path; *p != '\0'; p++) {
        depth += *p == '/';
    }
    const char *rest = target[0] == '/' ? target + 1 : target;
    if (!path_ok(rest)) {
        return false;
    }
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; target[0] == '/' && i < depth; i++) {
        int w = snprintf(out + len, cap - len, "../");
        if (w != 3) {
            return false;
        }
        len += 3;
    }
    int w = snprintf(out + len, cap - len, "%s", rest);
    return w >= 0 && (size_t)w < cap - len;
}

static mm_err install_one(mm_posixdev *d, uint32_t comp, int staging)
{
    pd_slot *s = &d->slots[comp];
    char name[16];
    candidate_name(comp, name);
    const char *leaf;
    int parent = open_parent(d, s->path, true, &leaf);
    if (parent < 0) {
        return pd_fail(d, MM_ERR_PLATFORM, "%s: %s", s->path, strerror(errno));
    }
    struct stat st;
    mm_err e = MM_OK;
    uint64_t size = 0;
    if (fstatat(staging, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        size = (uint64_t)st.st_size;
    }
    if (s->type == 2) {
        if (mkdirat(parent, leaf, s->mode != 0 ? s->mode : 0755) != 0 &&
            !(errno == EEXIST && fstatat(parent, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))) {
            e = pd_fail(d, MM_ERR_PLATFORM, "%s: %s", s->path, strerror(errno));
        }
        unlinkat(staging, name, 0);
    } else if (s->type == 3) {
        char target[PD_PATH_MAX];
        char rel[PD_PATH_MAX];
        int fd = openat(staging, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        ssize_t n = fd >= 0 ? read(fd, target, sizeof target - 1) : -1;
        if (fd >= 0) {
            close(fd);
        }
        target[n > 0 ? n : 0] = '\0';
        if (n <= 0 || memchr(target, '\0', (size_t)n) != NULL || !link_target(s->path, target, rel, sizeof rel)) {
            e = pd_fail(d, MM_ERR_VERIFY, "%s: link target outside the device", s->path);
        } else if ((unlinkat(parent, leaf, 0) != 0 && errno != ENOENT) || symlinkat(rel, parent, leaf) != 0) {
            e = pd_fail(d, MM_ERR_PLATFORM, "%s: %s", s->path, strerror(errno));
        }
        unlinkat(staging, name, 0);
    } else {
        if (renameat(staging, name, parent, leaf) != 0) {
            e = pd_fail(d, MM_ERR_PLATFORM, "%s: %s", s->path, strerror(errno));
        } else {
            /* Candidates are private while staged; installed, they get the
             * metadata's permissions or the usual ones. */
            fchmodat(parent, leaf, s->mode != 0 ? s->mode : 0644, 0);
        }
    }
    fsync(parent);
    close(parent);
    if (e == MM_OK) {
        s->staged = false;
        pd_event(d, MM_POSIXDEV_INSTALLED, comp, s->path, size, 0, s->type);
    }
    return e;
}

mm_err pd_commit(mm_posixdev *d)
{
    int staging = open_staging(d);
    if (staging < 0) {
        return pd_fail(d, MM_ERR_PLATFORM, "%s: %s", PD_STAGING, strerror(errno));
    }
    mm_err e = MM_OK;
    for (uint32_t i = 0; i < MM_SUIT_MAX_COMPONENTS && e == MM_OK; i++) {
        if (d->slots[i].staged) {
            e = install_one(d, i, staging);
        }
    }
    fsync(d->dirfd);
    close(staging);
    return e;
}

void pd_discard(mm_posixdev *d)
{
    for (uint32_t i = 0; i < MM_SUIT_MAX_COMPONENTS; i++) {
        if (d->slots[i].fd >= 0) {
            close(d->slots[i].fd);
            d->slots[i].fd = -1;
        }
        if (d->slots[i].staged) {
            drop_candidate(d, i);
        }
    }
}

mm_err pd_visible_path(mm_posixdev *d, uint32_t comp, char *out, size_t cap)
{
    const pd_slot *s = &d->slots[comp];
    int n = s->staged ? snprintf(out, cap, "%s/%s/%u", d->dir, PD_STAGING, comp)
                      : snprintf(out, cap, "%s/%s", d->dir, s->path);
    return n > 0 && (size_t)n < cap ? MM_OK : MM_ERR_TOO_LARGE;
}
