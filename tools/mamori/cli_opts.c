/* SPDX-License-Identifier: Apache-2.0 */
/* Command-line options: each command describes its options in a table of
 * cli_opt, and this one parser reads them with getopt_long(3) into the
 * command's argument struct, with the same messages for every command. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const cli_opt cli_json_opt[1] = {{"json", 0, CLI_OPT_BOOL, 0, 0, 0, NULL}};

/* Most options one command takes. */
#define MAX_OPTS 32

/* The value getopt_long() returns for option i of a table. */
#define LONG_VAL(i) (256 + (int)(i))

static int store(const cli_opts *spec, const cli_opt *o, void *args, const char *value)
{
    char *field = (char *)args + o->offset;
    switch (o->kind) {
    case CLI_OPT_STR:
        memcpy(field, &value, sizeof value);
        return CLI_OK;
    case CLI_OPT_BOOL: {
        bool set = true;
        memcpy(field, &set, sizeof set);
        return CLI_OK;
    }
    case CLI_OPT_BITS: {
        unsigned bits;
        memcpy(&bits, field, sizeof bits);
        bits |= o->bits;
        memcpy(field, &bits, sizeof bits);
        return CLI_OK;
    }
    case CLI_OPT_LIST: {
        cli_list *l = (cli_list *)(void *)field;
        size_t max = o->max != 0 && o->max < CLI_LIST_MAX ? o->max : CLI_LIST_MAX;
        if (l->n == max) {
            char name[64];
            snprintf(name, sizeof name, "--%s", o->name);
            return cli_fail(CLI_USAGE, name, "given more than %zu times", max);
        }
        l->v[l->n++] = value;
        return CLI_OK;
    }
    case CLI_OPT_FN:
        return o->fn(args, value);
    default:
        return cli_fail(CLI_SOFTWARE, spec->cmd, "option '--%s' has no kind", o->name);
    }
}

static bool takes_value(const cli_opt *o) { return o->kind != CLI_OPT_BOOL && o->kind != CLI_OPT_BITS; }

int cli_parse_opts(const cli_opts *spec, void *args, int argc, char **argv)
{
    if (spec->n > MAX_OPTS) {
        return cli_fail(CLI_SOFTWARE, spec->cmd, "more than %d options", MAX_OPTS);
    }
    /* A leading ':' makes getopt report a missing value apart, and print
     * nothing itself; -h and --help come with every command. */
    struct option longs[MAX_OPTS + 2];
    char shorts[2 * MAX_OPTS + 3];
    size_t ns = 0;
    shorts[ns++] = ':';
    for (size_t i = 0; i < spec->n; i++) {
        const cli_opt *o = &spec->opts[i];
        longs[i] = (struct option){o->name, takes_value(o) ? required_argument : no_argument, NULL, LONG_VAL(i)};
        if (o->letter != 0) {
            shorts[ns++] = o->letter;
            if (takes_value(o)) {
                shorts[ns++] = ':';
            }
        }
    }
    shorts[ns++] = 'h';
    shorts[ns] = '\0';
    longs[spec->n] = (struct option){"help", no_argument, NULL, 'h'};
    longs[spec->n + 1] = (struct option){NULL, 0, NULL, 0};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        const cli_opt *o = NULL;
        if (c >= LONG_VAL(0) && c < LONG_VAL(spec->n)) {
            o = &spec->opts[c - LONG_VAL(0)];
        }
        for (size_t i = 0; o == NULL && c != ':' && c != '?' && i < spec->n; i++) {
            o = spec->opts[i].letter == c ? &spec->opts[i] : NULL;
        }
        if (o == NULL && c == 'h') {
            fputs(spec->help, stdout);
            return CLI_HELP;
        }
        if (o == NULL) {
            return cli_bad_option(spec->cmd, c, argv);
        }
        int rc = store(spec, o, args, optarg);
        if (rc != CLI_OK) {
            return rc;
        }
    }
    return CLI_OK;
}

int cli_parse_input(const cli_opts *spec, void *args, int argc, char **argv, const char *usage, const bool *hex,
                    cli_input *in)
{
    memset(in, 0, sizeof *in);
    int rc = cli_parse_opts(spec, args, argc, argv);
    if (rc != CLI_OK) {
        return rc;
    }
    if (argc - optind != 1) {
        return cli_usage(spec->cmd, "%s", usage);
    }
    in->path = argv[optind];
    return cli_read_input(in->path, hex != NULL && *hex, &in->data, &in->len);
}

int cli_bad_option(const char *cmd, int c, char **argv)
{
    const char *opt = argv[optind - 1];
    if (c == ':') {
        return cli_usage(cmd, "option '%s' needs a value", opt);
    }
    return cli_usage(cmd, "unknown option '%s'", opt);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cli_fail(CLI_USAGE, cmd, "%s (see 'mamori %s --help')", msg, cmd);
}

const char *cli_list_get(const cli_list *l, size_t i) { return l->n == 0 ? NULL : l->n == 1 ? l->v[0] : l->v[i]; }
