/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the diagnostic notation reader (mm_cbor_from_edn): any
 * text, as one item and as a sequence. What it accepts must be well-formed
 * CBOR, sized exactly by a dry run and by a short buffer, and printed by mm_cbor_edn then read again it must come
 * back as the same bytes. Errors point inside the text.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "mamori/cbor.h"

static void one(mm_bytes text, unsigned flags)
{
    mm_buf dry = mm_buf_make(NULL, 0);
    size_t off = SIZE_MAX;
    mm_err e = mm_cbor_from_edn(text, flags, &dry, &off);
    if (e != MM_ERR_BUFFER_TOO_SMALL) {
        FUZZ_REQUIRE(e != MM_OK || dry.len == 0);
        FUZZ_REQUIRE(e == MM_OK || off <= text.len);
        return;
    }
    uint8_t *out = fuzz_alloc(dry.len);
    mm_buf b = mm_buf_make(out, dry.len);
    FUZZ_REQUIRE(mm_cbor_from_edn(text, flags, &b, &off) == MM_OK);
    FUZZ_REQUIRE(b.len == dry.len);
    if (dry.len > 1) {
        uint8_t *small = fuzz_alloc(dry.len - 1);
        mm_buf sb = mm_buf_make(small, dry.len - 1);
        FUZZ_REQUIRE(mm_cbor_from_edn(text, flags, &sb, &off) == MM_ERR_BUFFER_TOO_SMALL && sb.len == dry.len);
        free(small);
    }
    unsigned cbor_flags = (flags & MM_EDN_READ_SEQUENCE) != 0 ? MM_CBOR_SEQUENCE : 0;
    mm_bytes cbor = mm_bytes_make(out, b.len);
    FUZZ_REQUIRE(mm_cbor_check(cbor, cbor_flags, NULL) == MM_OK || b.len == 0);
    /* Printed and read back: the same bytes (a sequence one item at a
     * time is what the printer writes, comma-separated). */
    mm_buf tsize = mm_buf_make(NULL, 0);
    mm_edn_opts o = {0, cbor_flags, 0, MM_CBOR_MAX_NESTING};
    if (b.len != 0 && mm_cbor_edn_buf(cbor, &o, &tsize, NULL) == MM_ERR_BUFFER_TOO_SMALL) {
        char *printed = (char *)fuzz_alloc(tsize.len);
        mm_buf tb = mm_buf_make(printed, tsize.len);
        FUZZ_REQUIRE(mm_cbor_edn_buf(cbor, &o, &tb, NULL) == MM_OK);
        uint8_t *back = fuzz_alloc(b.len);
        mm_buf bb = mm_buf_make(back, b.len);
        FUZZ_REQUIRE(mm_cbor_from_edn(mm_bytes_make(printed, tb.len), flags, &bb, NULL) == MM_OK);
        FUZZ_REQUIRE(bb.len == b.len && memcmp(back, out, b.len) == 0);
        free(back);
        free(printed);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *in = fuzz_dup(data, size);
    one(mm_bytes_make(in, size), 0);
    one(mm_bytes_make(in, size), MM_EDN_READ_SEQUENCE);
    free(in);
    return 0;
}
