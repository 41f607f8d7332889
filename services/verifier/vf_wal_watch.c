/* SPDX-License-Identifier: Apache-2.0 */
/* Watching a WAL database's wal-index header (vf_wal_watch.h). */
#include "vf_wal_watch.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define WAL_INDEX_VERSION 3007000u /* iVersion, the header's first word */
#define MAP_LEN           4096u    /* the headers and the checkpoint info fit */

bool vf_wal_watch_open(vf_wal_watch *w, const char *db_path)
{
    w->map = NULL;
    w->len = 0;
    char shm[4096];
    if (snprintf(shm, sizeof shm, "%s-shm", db_path) >= (int)sizeof shm) {
        return false;
    }
    int fd = open(shm, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    struct stat st;
    void *map = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size >= (off_t)MAP_LEN) {
        map = mmap(NULL, MAP_LEN, PROT_READ, MAP_SHARED, fd, 0);
    }
    close(fd);
    if (map == MAP_FAILED) {
        return false;
    }
    uint32_t version;
    memcpy(&version, map, sizeof version);
    if (version != WAL_INDEX_VERSION) {
        munmap(map, MAP_LEN);
        return false;
    }
    w->map = map;
    w->len = MAP_LEN;
    return true;
}

void vf_wal_watch_read(const vf_wal_watch *w, uint8_t out[VF_WAL_HDR])
{
    /* Another process writes the mapping: the copy must not be served from
     * an earlier read, so it goes through volatile bytes, then a fence
     * orders the reads that depend on it (the version row) after it. */
    const volatile uint8_t *p = w->map;
    for (size_t i = 0; i < VF_WAL_HDR; i++) {
        out[i] = p[i];
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
}

void vf_wal_watch_close(vf_wal_watch *w)
{
    if (w->map != NULL) {
        munmap(w->map, w->len);
    }
    w->map = NULL;
    w->len = 0;
}
