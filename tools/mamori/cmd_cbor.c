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

/* What show and check take. */
typedef struct cbor_args {
    bool hex, compact, no_nested, sequence, quiet;
    unsigned flags; /* check: MM_CBOR_* */
    unsigned depth;
} cbor_args;

static int set_depth(void *args, const char *value) { return parse_depth(value, &((cbor_args *)args)->depth); }

static mm_err write_stdout(void *user, const char *text, size_t len)
{
    (void)user;
    return fwrite(text, 1, len, stdout) == len ? MM_OK : MM_ERR_PLATFORM;
}

static int cbor_show(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_BOOL("hex", 0, cbor_args, hex),
        CLI_BOOL("compact", 0, cbor_args, compact),
        CLI_BOOL("no-nested", 0, cbor_args, no_nested),
        CLI_BOOL("sequence", 0, cbor_args, sequence),
        CLI_FN("max-depth", set_depth),
    };
    static const cli_opts spec = {"cbor show", show_help, opts, sizeof opts / sizeof opts[0]};
    cbor_args a = {false, false, false, false, false, 0, MM_CBOR_MAX_NESTING};
    cli_input in;
    int rc = cli_parse_input(&spec, &a, argc, argv, "expected one input file", &a.hex, &in);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    mm_edn_opts eo = {(a.compact ? 0u : MM_EDN_INDENT) | (a.no_nested ? 0u : MM_EDN_NESTED),
                      MM_CBOR_ALLOW_INDEF | (a.sequence ? MM_CBOR_SEQUENCE : 0u), 2, a.depth};
    size_t off = 0;
    mm_err e = mm_cbor_edn(mm_bytes_make(in.data, in.len), &eo, write_stdout, NULL, &off);
    free(in.data);
    if (e == MM_ERR_PLATFORM) {
        return cli_fail(CLI_IOERR, "standard output", "write failed");
    }
    if (e != MM_OK) {
        fputc('\n', stdout);
        fflush(stdout);
        return cli_fail_decode(in.path, e, off);
    }
    fputc('\n', stdout);
    if (fflush(stdout) != 0) {
        return cli_fail(CLI_IOERR, "standard output", "write failed");
    }
    return CLI_OK;
}

static int cbor_check(int argc, char **argv)
{
    static const cli_opt opts[] = {
        CLI_BITS("deterministic", cbor_args, flags, MM_CBOR_DETERMINISTIC),
        CLI_BITS("utf8", cbor_args, flags, MM_CBOR_CHECK_UTF8),
        CLI_BITS("sequence", cbor_args, flags, MM_CBOR_SEQUENCE),
        CLI_BOOL("hex", 0, cbor_args, hex),
        CLI_FN("max-depth", set_depth),
        CLI_BOOL("quiet", 'q', cbor_args, quiet),
    };
    static const cli_opts spec = {"cbor check", check_help, opts, sizeof opts / sizeof opts[0]};
    cbor_args a = {false, false, false, false, false, 0, MM_CBOR_DEFAULT_NESTING};
    cli_input in;
    int rc = cli_parse_input(&spec, &a, argc, argv, "expected one input file", &a.hex, &in);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    unsigned flags = a.flags;
    if ((flags & MM_CBOR_DETERMINISTIC) == 0) {
        flags |= MM_CBOR_ALLOW_INDEF;
    }
    mm_cbor_dec dec;
    mm_err e = mm_cbor_dec_init(&dec, mm_bytes_make(in.data, in.len), flags);
    if (e == MM_OK) {
        e = mm_cbor_dec_set_max_depth(&dec, a.depth);
    }
    while (e == MM_OK && mm_cbor_dec_offset(&dec) < in.len) {
        e = mm_cbor_skip(&dec);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&dec);
    }
    size_t off = 0;
    (void)mm_cbor_dec_error(&dec, &off);
    free(in.data);
    if (e != MM_OK) {
        return a.quiet ? CLI_CHECK_FAILED
                       : cli_fail(CLI_CHECK_FAILED, in.path, "byte %zu: %s (%s)", off, mm_strerror(e), mm_errname(e));
    }
    if (!a.quiet) {
        printf("%s: ok (%zu bytes%s)\n", in.path, in.len,
               (flags & MM_CBOR_DETERMINISTIC) != 0 ? ", deterministic" : "");
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
