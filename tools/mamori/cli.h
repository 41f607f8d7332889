/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the subcommands of the mamori CLI share: exit codes, one-line errors,
 * reading inputs and writing outputs safely. The CLI is the only part of
 * mamori that prints for people.
 */
#ifndef MAMORI_CLI_H
#define MAMORI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/base.h"

/* Exit codes: 0 success, 1 a check failed, sysexits(3) for the rest. */
enum {
    CLI_OK = 0,
    CLI_CHECK_FAILED = 1,
    CLI_USAGE = 64,     /* EX_USAGE: bad command line */
    CLI_DATAERR = 65,   /* EX_DATAERR: input is malformed */
    CLI_NOINPUT = 66,   /* EX_NOINPUT: input file missing or unreadable */
    CLI_SOFTWARE = 70,  /* EX_SOFTWARE: internal error */
    CLI_CANTCREAT = 73, /* EX_CANTCREAT: cannot create an output file */
    CLI_IOERR = 74,     /* EX_IOERR: read or write failed */
};

/* Largest input file the CLI reads (inputs are whole-file CBOR documents). */
#define CLI_MAX_INPUT ((size_t)256 << 20)

/* A subcommand: argv[0] is the subcommand's own name. */
typedef int (*cli_cmd_fn)(int argc, char **argv);

typedef struct cli_cmd {
    const char *name;
    cli_cmd_fn run;
    const char *summary;
} cli_cmd;

/* Prints "mamori: what: why" on stderr and returns code. */
int cli_fail(int code, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Exit code for a library error: malformed input -> CLI_DATAERR, a refused
 * check -> CLI_CHECK_FAILED, limits and unsupported input -> CLI_DATAERR,
 * platform -> CLI_IOERR, misuse -> CLI_SOFTWARE. */
int cli_exit_for(mm_err err);

/* Reads a whole file ("-" is standard input) into a buffer the caller frees;
 * prints the error and returns its exit code on failure. */
int cli_read_file(const char *path, uint8_t **data, size_t *len);

/* Reads input as binary, or with hex set as hexadecimal text (white space
 * ignored). Same contract as cli_read_file(). */
int cli_read_input(const char *path, int hex, uint8_t **data, size_t *len);

/* Writes data to path atomically (temporary file, fsync, rename, fsync of the
 * folder), so a reader never sees a partial file; "-" is standard output.
 * mode is the new file's permission bits. */
int cli_write_file(const char *path, const uint8_t *data, size_t len, unsigned mode);

/* Dispatches argv[1] to a command of the table; prints the group's help for
 * --help / -h / help or no argument. group is the command line so far
 * ("mamori" or "mamori cbor"), as error messages show it. */
int cli_dispatch(const char *group, const cli_cmd *cmds, size_t n, int argc, char **argv, const char *help);

/* True when s is "--help" or "-h". */
int cli_is_help(const char *s);

int cmd_cbor(int argc, char **argv);

#endif
