/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fetching a URI as a stream (libcurl): file://, http:// and https://
 * only, no redirects, a size cap, and every chunk handed to the processor's
 * sink as it arrives, so nothing is held in memory.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "posixdev.h"

typedef struct fetch_state {
    const mm_suit_sink *sink;
    mm_err err;
    uint64_t bytes;
} fetch_state;

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *user)
{
    fetch_state *f = user;
    size_t n = size * nmemb;
    f->err = f->sink->write(f->sink->ctx, mm_bytes_make(ptr, n));
    if (f->err != MM_OK) {
        return 0; /* stops the transfer: CURLE_WRITE_ERROR */
    }
    f->bytes += n;
    return n;
}

mm_err pd_fetch(mm_posixdev *d, mm_bytes uri, const mm_suit_sink *sink)
{
    char *url = malloc(uri.len + 1);
    if (url == NULL) {
        return pd_fail(d, MM_ERR_PLATFORM, "out of memory");
    }
    memcpy(url, uri.ptr, uri.len);
    url[uri.len] = '\0';
    if (strlen(url) != uri.len) {
        free(url);
        return pd_fail(d, MM_ERR_PLATFORM, "fetch: a URI with a NUL byte");
    }
    CURL *c = curl_easy_init();
    if (c == NULL) {
        free(url);
        return pd_fail(d, MM_ERR_PLATFORM, "fetch: cannot start libcurl");
    }
    fetch_state f = {sink, MM_OK, 0};
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "file,http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)d->fetch_max);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &f);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    mm_err e = MM_OK;
    if (f.err != MM_OK) {
        e = f.err; /* the processor refused the bytes (more than the image size) */
        pd_fail(d, e, "fetch %s: refused after %llu bytes", url, (unsigned long long)f.bytes);
    } else if (rc != CURLE_OK) {
        e = pd_fail(d, MM_ERR_PLATFORM, "fetch %s: %s", url, errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc));
    } else {
        pd_event(d, MM_POSIXDEV_FETCHED, 0, url, f.bytes, 0, 0);
    }
    free(url);
    return e;
}
