/* SPDX-License-Identifier: Apache-2.0 */
/* Character classes shared by the text codecs of base (internal). */
#ifndef MM_BASE_TEXT_H
#define MM_BASE_TEXT_H

#include <stdbool.h>
#include <stdint.h>

static inline bool mm_text_is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

#endif
