/* SPDX-License-Identifier: Apache-2.0 */
/* mamori cbor: show CBOR as diagnostic notation, check well-formedness. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mamori/cbor.h"

static const char cbor_help[] = "usage: mamori cbor <command> [<args>]\n"
                                "\n"
                                "commands:\n"
                                "  show    print a CBOR item (or sequence) in diagnostic notation\n"
                                "  check   check that input is well-formed (and deterministic) CBOR\n"
                                "  encode  write the CBOR that diagnostic notation describes\n"
                                "\n"
                                "Run 'mamori cbor <command> --help' for a command's options.\n";

static const char show_help[] = "usage: mamori cbor show [options] FILE|-\n"
                                "\n"
                                "Prints the CBOR data item in FILE (- for standard input) in diagnostic\n"
                                "notation (RFC 8949 section 8), one item per line and indented. Byte\n"
                                "strings that hold one encoded CBOR container are opened and shown as\n"
                                "<< ... >>.\n"
                                "\n"
                                "options:\n"
                                "  --hex          input is hexadecimal text (white space ignored)\n"
                                "  --compact      print on one line\n"
                                "  --no-nested    show every byte string as h'...'\n"
                                "  --sequence     input is a CBOR sequence (RFC 8742)\n"
                                "  --max-depth N  nesting limit (default 32)\n"
                                "  -h, --help     show this help\n"
                                "\n"
                                "Exit status: 0 printed, 65 input is not well-formed CBOR (the error and\n"
                                "its byte offset on stderr), 64 usage, 66 and 74 file errors.\n";

static const char check_help[] = "usage: mamori cbor check [options] FILE|-\n"
                                 "\n"
                                 "Checks that FILE (- for standard input) holds exactly one well-formed\n"
                                 "CBOR data item (RFC 8949 section 3, Appendix F).\n"
                                 "\n"
                                 "options:\n"
                                 "  --deterministic  also require core deterministic encoding (RFC 8949\n"
                                 "                   section 4.2.1): shortest heads and floats, sorted\n"
                                 "                   unique map keys, definite lengths, preferred bignums\n"
                                 "  --utf8           also require text strings to be valid UTF-8\n"
                                 "  --sequence       input is a CBOR sequence (RFC 8742)\n"
                                 "  --hex            input is hexadecimal text (white space ignored)\n"
                                 "  --max-depth N    nesting limit (default 16)\n"
                                 "  -q, --quiet      print nothing, only set the exit status\n"
                                 "  -h, --help       show this help\n"
                                 "\n"
                                 "Exit status: 0 the input passes, 1 it does not (the reason and byte offset\n"
                                 "on stderr), 64 usage, 66 and 74 file errors.\n";

enum { OPT_HEX = 256, OPT_COMPACT, OPT_NO_NESTED, OPT_SEQUENCE, OPT_MAX_DEPTH, OPT_DETERMINISTIC, OPT_UTF8 };

static int parse_depth(const char *s, unsigned *out)
{
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || *end != '\0' || v == 0 || v > MM_CBOR_MAX_NESTING) {
        return cli_fail(CLI_USAGE, "--max-depth", "expected a number from 1 to %d, got '%s'", MM_CBOR_MAX_NESTING, s);
    }
    *out = (unsigned)v;
    return CLI_OK;
}

static mm_err write_stdout(void *user, const char *text, size_t len)
{
    (void)user;
    return fwrite(text, 1, len, stdout) == len ? MM_OK : MM_ERR_PLATFORM;
}

static int cbor_show(int argc, char **argv)
{
    static const struct option opts[] = {
        {"hex", no_argument, NULL, OPT_HEX},
        {"compact", no_argument, NULL, OPT_COMPACT},
        {"no-nested", no_argument, NULL, OPT_NO_NESTED},
        {"sequence", no_argument, NULL, OPT_SEQUENCE},
        {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int hex = 0;
    mm_edn_opts eo = {MM_EDN_INDENT | MM_EDN_NESTED, MM_CBOR_ALLOW_INDEF, 2, MM_CBOR_MAX_NESTING};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_HEX:
            hex = 1;
            break;
        case OPT_COMPACT:
            eo.flags &= ~MM_EDN_INDENT;
            break;
        case OPT_NO_NESTED:
            eo.flags &= ~MM_EDN_NESTED;
            break;
        case OPT_SEQUENCE:
            eo.dec_flags |= MM_CBOR_SEQUENCE;
            break;
        case OPT_MAX_DEPTH:
            if (parse_depth(optarg, &eo.max_depth) != CLI_OK) {
                return CLI_USAGE;
            }
            break;
        case 'h':
            fputs(show_help, stdout);
            return CLI_OK;
        default:
            return cli_fail(CLI_USAGE, "cbor show", "unknown option '%s' (see 'mamori cbor show --help')",
                            argv[optind - 1]);
        }
    }
    if (argc - optind != 1) {
        return cli_fail(CLI_USAGE, "cbor show", "expected one input file (see 'mamori cbor show --help')");
    }
    const char *path = argv[optind];
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = cli_read_input(path, hex, &data, &len);
    if (rc != CLI_OK) {
        return rc;
    }
    size_t off = 0;
    mm_err e = mm_cbor_edn(mm_bytes_make(data, len), &eo, write_stdout, NULL, &off);
    free(data);
    if (e == MM_ERR_PLATFORM) {
        return cli_fail(CLI_IOERR, "standard output", "write failed");
    }
    if (e != MM_OK) {
        fputc('\n', stdout);
        fflush(stdout);
        return cli_fail(CLI_DATAERR, path, "byte %zu: %s (%s)", off, mm_strerror(e), mm_errname(e));
    }
    fputc('\n', stdout);
    if (fflush(stdout) != 0) {
        return cli_fail(CLI_IOERR, "standard output", "write failed");
    }
    return CLI_OK;
}

static int cbor_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"deterministic", no_argument, NULL, OPT_DETERMINISTIC},
        {"utf8", no_argument, NULL, OPT_UTF8},
        {"sequence", no_argument, NULL, OPT_SEQUENCE},
        {"hex", no_argument, NULL, OPT_HEX},
        {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int hex = 0;
    int quiet = 0;
    unsigned flags = 0;
    unsigned depth = MM_CBOR_DEFAULT_NESTING;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DETERMINISTIC:
            flags |= MM_CBOR_DETERMINISTIC;
            break;
        case OPT_UTF8:
            flags |= MM_CBOR_CHECK_UTF8;
            break;
        case OPT_SEQUENCE:
            flags |= MM_CBOR_SEQUENCE;
            break;
        case OPT_HEX:
            hex = 1;
            break;
        case OPT_MAX_DEPTH:
            if (parse_depth(optarg, &depth) != CLI_OK) {
                return CLI_USAGE;
            }
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(check_help, stdout);
            return CLI_OK;
        default:
            return cli_fail(CLI_USAGE, "cbor check", "unknown option '%s' (see 'mamori cbor check --help')",
                            argv[optind - 1]);
        }
    }
    if (argc - optind != 1) {
        return cli_fail(CLI_USAGE, "cbor check", "expected one input file (see 'mamori cbor check --help')");
    }
    const char *path = argv[optind];
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = cli_read_input(path, hex, &data, &len);
    if (rc != CLI_OK) {
        return rc;
    }
    if ((flags & MM_CBOR_DETERMINISTIC) == 0) {
        flags |= MM_CBOR_ALLOW_INDEF;
    }
    mm_cbor_dec dec;
    mm_err e = mm_cbor_dec_init(&dec, mm_bytes_make(data, len), flags);
    if (e == MM_OK) {
        e = mm_cbor_dec_set_max_depth(&dec, depth);
    }
    while (e == MM_OK && mm_cbor_dec_offset(&dec) < len) {
        e = mm_cbor_skip(&dec);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&dec);
    }
    size_t off = 0;
    (void)mm_cbor_dec_error(&dec, &off);
    free(data);
    if (e != MM_OK) {
        return quiet ? CLI_CHECK_FAILED
                     : cli_fail(CLI_CHECK_FAILED, path, "byte %zu: %s (%s)", off, mm_strerror(e), mm_errname(e));
    }
    if (!quiet) {
        printf("%s: ok (%zu bytes%s)\n", path, len, (flags & MM_CBOR_DETERMINISTIC) != 0 ? ", deterministic" : "");
    }
    return CLI_OK;
}

int cmd_cbor(int argc, char **argv)
{
    static const cli_cmd cmds[] = {
        {"show", cbor_show, "print in diagnostic notation"},
        {"check", cbor_check, "check well-formedness"},
        {"encode", cbor_encode, "diagnostic notation to CBOR"},
    };
    return cli_dispatch("mamori cbor", cmds, sizeof cmds / sizeof cmds[0], argc, argv, cbor_help);
}
