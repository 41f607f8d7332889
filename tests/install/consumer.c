/* SPDX-License-Identifier: Apache-2.0 */
/* An outside program built against an installed mamori: encodes a map,
 * decodes it back and prints it in diagnostic notation. */
#include <stdio.h>

#include <mamori/cbor.h>

int main(void)
{
    uint8_t buf[64];
    mm_cbor_enc enc;
    size_t len;
    mm_cbor_enc_init(&enc, buf, sizeof buf);
    mm_cbor_open_map(&enc);
    mm_cbor_put_cstr(&enc, "b");
    mm_cbor_put_uint(&enc, 2);
    mm_cbor_put_cstr(&enc, "a");
    mm_cbor_put_uint(&enc, 1);
    mm_cbor_close(&enc, NULL);
    if (mm_cbor_enc_finish(&enc, &len) != MM_OK) {
        return 1;
    }
    char text[64];
    mm_buf out = mm_buf_make(text, sizeof text - 1);
    if (mm_cbor_edn_buf(mm_bytes_make(buf, len), NULL, &out, NULL) != MM_OK) {
        return 1;
    }
    text[out.len] = '\0';
    puts(text);
    return 0;
}
