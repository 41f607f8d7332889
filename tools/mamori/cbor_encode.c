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

enum { OPT_HEX = 256, OPT_SEQUENCE };

int cbor_encode(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"hex", no_argument, NULL, OPT_HEX},
        {"sequence", no_argument, NULL, OPT_SEQUENCE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = "-";
    bool hex = false;
    unsigned flags = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case OPT_HEX:
            hex = true;
            break;
        case OPT_SEQUENCE:
            flags |= MM_EDN_READ_SEQUENCE;
            break;
        case 'h':
            fputs(encode_help, stdout);
            return CLI_OK;
        default:
            return cli_bad_option("cbor encode", c, argv);
        }
    }
    if (argc - optind != 1) {
        return cli_fail(CLI_USAGE, "cbor encode", "expected one input file (see 'mamori cbor encode --help')");
    }
    const char *path = argv[optind];
    uint8_t *text = NULL;
    size_t len = 0;
    int rc = cli_read_file(path, &text, &len);
    if (rc != CLI_OK) {
        return rc;
    }
    mm_buf size = mm_buf_make(NULL, 0);
    size_t off = 0;
    mm_err e = mm_cbor_from_edn(mm_bytes_make(text, len), flags, &size, &off);
    uint8_t *cbor = NULL;
    if (e == MM_ERR_BUFFER_TOO_SMALL) {
        cbor = malloc(size.len * (hex ? 3 : 1) + 1); /* the bytes, then their hex */
        mm_buf b = mm_buf_make(cbor, size.len);
        e = cbor == NULL ? MM_ERR_PLATFORM : mm_cbor_from_edn(mm_bytes_make(text, len), flags, &b, &off);
    }
    if (e != MM_OK) {
        rc = cli_fail(e == MM_ERR_PLATFORM ? CLI_SOFTWARE : CLI_DATAERR, path, "character %zu: %s (%s)", off,
                      mm_strerror(e), mm_errname(e));
    } else if (hex) {
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
                rc = cli_write_file(out, (const uint8_t *)line, h.len + 1, 0644);
                free(line);
            }
        }
    } else {
        rc = cli_write_file(out, cbor, size.len, 0644);
    }
    free(cbor);
    free(text);
    return rc;
}
