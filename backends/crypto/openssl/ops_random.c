/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Random bytes from OpenSSL's DRBG (seeded by the operating system), in
 * chunks its int length can hold.
 */
#include <limits.h>

#include <openssl/rand.h>

#include "internal.h"

mm_err mo_random(uint8_t *out, size_t len)
{
    while (len > 0) {
        size_t n = len < (size_t)INT_MAX ? len : (size_t)INT_MAX;
        if (RAND_bytes(out, (int)n) != 1) {
            return MM_ERR_PLATFORM;
        }
        out += n;
        len -= n;
    }
    return MM_OK;
}
