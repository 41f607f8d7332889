/* SPDX-License-Identifier: Apache-2.0 */
/* mamori cbor encode: diagnostic notation (EDN) to CBOR. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mamori/cbor.h"

static const char encode_help[] = "usage: mamori cbor encode [options] FILE|-\n"
                                  "\n"
                                  "Reads diagnostic notation (RFC 8949 section 8, RFC 8610 Appendix G) from\n"
                                  "FILE (- for standard input) and writes the CBOR it describes, in preferred\n"
                                  "serialization with map entries in the order written: integers, floats,\n"
                                  "\"text\", 'bytes', h'hex', b64'base64', strings joined by juxtaposition or\n"
                                  "+, arrays, maps, tags N(...), <<embedded CBOR>>, true, false, null,\n"
                                  "undefined, simple(N), / comments / and # comments. Encoding indicators\n"
                                  "(_ and _0.._3) are refused: the output is always preferred.\n"
                                  "\n"
                                  "options:\n"
                                  "  -o, --out FILE  where the CBOR goes (default: standard output)\n"
                                  "  --hex           write hexadecimal text (and a newline) instead of binary\n"
                                  "  --sequence      the text is a CBOR sequence: items separated by commas\n"
                                  "  -h, --help      show this help\n"
                                  "\n"
                                  "Exit status: 0 written, 65 the text is not valid notation (the error and\n"
                                  "its character offset on stderr), 64 usage, 66, 73 and 74 file errors.\n";

typedef struct encode_args {
    const char *out;
    bool hex;
    unsigned flags;
} encode_args;

int cbor_encode(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_STR("out", 'o', encode_args, out),
        CLI_BOOL("hex", 0, encode_args, hex),
        CLI_BITS("sequence", encode_args, flags, MM_EDN_READ_SEQUENCE),
    };
    static const cli_opts spec = {"cbor encode", encode_help, opts, sizeof opts / sizeof opts[0]};
    encode_args a = {"-", false, 0};
    cli_input in;
    int rc = cli_parse_input(&spec, &a, argc, argv, "expected one input file", NULL, &in);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    const char *path = in.path;
    mm_bytes text = mm_bytes_make(in.data, in.len);
    mm_buf size = mm_buf_make(NULL, 0);
    size_t off = 0;
    mm_err e = mm_cbor_from_edn(text, a.flags, &size, &off);
    uint8_t *cbor = NULL;
    if (e == MM_ERR_BUFFER_TOO_SMALL) {
        cbor = malloc(size.len * (a.hex ? 3 : 1) + 1); /* the bytes, then their hex */
        mm_buf b = mm_buf_make(cbor, size.len);
        e = cbor == NULL ? MM_ERR_PLATFORM : mm_cbor_from_edn(text, a.flags, &b, &off);
    }
    if (e != MM_OK) {
        rc = cli_fail(e == MM_ERR_PLATFORM ? CLI_SOFTWARE : CLI_DATAERR, path, "character %zu: %s (%s)", off,
                      mm_strerror(e), mm_errname(e));
    } else if (a.hex) {
        /* The hex text after the bytes, in the same buffer. */
        mm_buf h = mm_buf_make(cbor + size.len, size.len * 2 + 1);
        if (mm_hex_encode(mm_bytes_make(cbor, size.len), &h) != MM_OK) {
            rc = cli_fail(CLI_SOFTWARE, path, "cannot write hex");
        } else {
            char *line = malloc(h.len + 1);
            if (line == NULL) {
                rc = cli_fail(CLI_SOFTWARE, path, "out of memory");
            } else {
                memcpy(line, h.ptr, h.len);
                line[h.len] = '\n';
                rc = cli_write_file(a.out, (const uint8_t *)line, h.len + 1, 0644);
                free(line);
            }
        }
    } else {
        rc = cli_write_file(a.out, cbor, size.len, 0644);
    }
    free(cbor);
    free(in.data);
    return rc;
}
