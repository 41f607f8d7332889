/* SPDX-License-Identifier: Apache-2.0 */
/* Shared CLI plumbing: errors, exit codes, reading and atomically writing
 * files, subcommand dispatch. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "mamori/cbor.h"

int cli_fail(int code, const char *what, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (what != NULL) {
        fprintf(stderr, "mamori: %s: %s\n", what, msg);
    } else {
        fprintf(stderr, "mamori: %s\n", msg);
    }
    return code;
}

int cli_exit_for(mm_err err)
{
    switch (mm_err_class(err)) {
    case 0:
        return CLI_OK;
    case 1:
    case 2:
    case 4:
        return err == MM_ERR_BUFFER_TOO_SMALL ? CLI_SOFTWARE : CLI_DATAERR;
    case 3:
        return CLI_CHECK_FAILED;
    case 5:
        return CLI_IOERR;
    default:
        return CLI_SOFTWARE;
    }
}

int cli_is_help(const char *s) { return strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0; }

int cli_read_file(const char *path, uint8_t **data, size_t *len)
{
    int use_stdin = strcmp(path, "-") == 0;
    FILE *f = use_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        return cli_fail(CLI_NOINPUT, path, "%s", strerror(errno));
    }
    size_t cap = 0;
    size_t n = 0;
    uint8_t *buf = NULL;
    int rc = CLI_OK;
    for (;;) {
        if (n == cap) {
            if (cap == CLI_MAX_INPUT) {
                /* Full: one more byte means the input is over the limit. */
                if (fgetc(f) != EOF) {
                    rc = cli_fail(CLI_DATAERR, path, "input larger than %zu bytes", (size_t)CLI_MAX_INPUT);
                }
                break;
            }
            size_t ncap = cap == 0 ? 65536 : cap * 2 > CLI_MAX_INPUT ? CLI_MAX_INPUT : cap * 2;
            uint8_t *nb = realloc(buf, ncap);
            if (nb == NULL) {
                rc = cli_fail(CLI_SOFTWARE, path, "out of memory");
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                rc = cli_fail(CLI_IOERR, path, "read failed: %s", strerror(errno));
            }
            break;
        }
    }
    if (!use_stdin) {
        fclose(f);
    }
    if (rc != CLI_OK) {
        free(buf);
        return rc;
    }
    *data = buf;
    *len = n;
    return CLI_OK;
}

int cli_read_input(const char *path, int hex, uint8_t **data, size_t *len)
{
    int rc = cli_read_file(path, data, len);
    if (rc != CLI_OK || !hex) {
        return rc;
    }
    mm_buf out = mm_buf_make(*data, *len);
    size_t off = 0;
    /* Decoding in place is safe: output never overtakes input (2 chars/byte). */
    mm_err e = mm_hex_decode(mm_bytes_make(*data, *len), MM_TEXT_SKIP_SPACE, &out, &off);
    if (e != MM_OK) {
        free(*data);
        *data = NULL;
        return cli_fail(CLI_DATAERR, path, "not hexadecimal text at character %zu", off);
    }
    *len = out.len;
    return CLI_OK;
}

static int fsync_dir_of(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        strcpy(dir, ".");
    } else if (slash == path) {
        strcpy(dir, "/");
    } else {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir) {
            return -1;
        }
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        return -1;
    }
    int r = fsync(fd);
    close(fd);
    return r;
}

int cli_write_file(const char *path, const uint8_t *data, size_t len, unsigned mode)
{
    return cli_write_file_ex(path, data, len, mode, 0);
}

int cli_write_file_ex(const char *path, const uint8_t *data, size_t len, unsigned mode, unsigned flags)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            return cli_fail(CLI_IOERR, "standard output", "%s", strerror(errno));
        }
        return CLI_OK;
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (tmp == NULL) {
        return cli_fail(CLI_SOFTWARE, path, "out of memory");
    }
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int rc = cli_fail(CLI_CANTCREAT, path, "%s", strerror(errno));
        free(tmp);
        return rc;
    }
    int rc = CLI_OK;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            rc = cli_fail(CLI_IOERR, path, "write failed: %s", strerror(errno));
            break;
        }
        off += (size_t)w;
    }
    if (rc == CLI_OK && fchmod(fd, (mode_t)mode) != 0) {
        rc = cli_fail(CLI_IOERR, path, "chmod failed: %s", strerror(errno));
    }
    if (rc == CLI_OK && fsync(fd) != 0) {
        rc = cli_fail(CLI_IOERR, path, "fsync failed: %s", strerror(errno));
    }
    if (close(fd) != 0 && rc == CLI_OK) {
        rc = cli_fail(CLI_IOERR, path, "close failed: %s", strerror(errno));
    }
    bool no_clobber = (flags & CLI_WRITE_NO_CLOBBER) != 0;
    if (rc == CLI_OK) {
        /* link() never replaces an existing file: the complete file appears
         * under path, or nothing does. */
        if (no_clobber ? link(tmp, path) != 0 : rename(tmp, path) != 0) {
            rc = no_clobber && errno == EEXIST ? cli_fail(CLI_CANTCREAT, path, "file exists (use --force to overwrite)")
                                               : cli_fail(CLI_CANTCREAT, path, "%s", strerror(errno));
        }
    }
    if (rc != CLI_OK || no_clobber) {
        unlink(tmp);
    }
    if (rc == CLI_OK && fsync_dir_of(path) != 0) {
        rc = cli_fail(CLI_IOERR, path, "fsync of the folder failed: %s", strerror(errno));
    }
    free(tmp);
    return rc;
}

int cli_dispatch(const char *group, const cli_cmd *cmds, size_t n, int argc, char **argv, const char *help)
{
    if (argc < 2) {
        fputs(help, stderr);
        return CLI_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        fputs(help, stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(argv[1], cmds[i].name) == 0) {
            return cmds[i].run(argc - 1, argv + 1);
        }
    }
    /* "mamori cbor" reports as "mamori: cbor: ...", "mamori" as "mamori: ...". */
    const char *what = strncmp(group, "mamori ", 7) == 0 ? group + 7 : NULL;
    const char *kind = argv[1][0] == '-' ? "option" : "command";
    return cli_fail(CLI_USAGE, what, "unknown %s '%s' (see '%s --help')", kind, argv[1], group);
}

int cli_read_optional(const char *path, uint8_t **data, size_t *len)
{
    if (path == NULL) {
        *data = NULL;
        *len = 0;
        return CLI_OK;
    }
    return cli_read_file(path, data, len);
}

char *cli_concat(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *p = malloc(n);
    if (p != NULL) {
        snprintf(p, n, "%s%s%s", a, b, c);
    }
    return p;
}

int cli_fail_decode(const char *what, mm_err e, size_t off)
{
    return cli_fail(CLI_DATAERR, what, "byte %zu: %s (%s)", off, mm_strerror(e), mm_errname(e));
}

void cli_out_put(cli_out *o, const char *s) { o->failed = o->failed || fputs(s, stdout) == EOF; }

void cli_out_newline(cli_out *o)
{
    cli_out_put(o, "\n");
    for (unsigned i = 0; i < o->indent; i++) {
        cli_out_put(o, " ");
    }
}

/* Writes the printer's text, indenting each line it starts. */
static mm_err out_write(void *user, const char *text, size_t len)
{
    cli_out *o = user;
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            o->failed = o->failed || fwrite(text + start, 1, i - start, stdout) != i - start;
            cli_out_newline(o);
            start = i + 1;
        }
    }
    o->failed = o->failed || fwrite(text + start, 1, len - start, stdout) != len - start;
    return o->failed ? MM_ERR_PLATFORM : MM_OK;
}

void cli_out_edn(cli_out *o, mm_bytes item, unsigned flags)
{
    mm_edn_opts eo = {flags, MM_CBOR_ALLOW_INDEF, 2, 0};
    if (mm_cbor_edn(item, &eo, out_write, o, NULL) != MM_OK) {
        o->failed = true;
    }
}

void cli_out_hex(cli_out *o, mm_bytes b)
{
    cli_out_put(o, "h'");
    cli_print_hex(stdout, b);
    cli_out_put(o, "'");
}

void cli_print_hex(FILE *f, mm_bytes b)
{
    for (size_t i = 0; i < b.len; i++) {
        fprintf(f, "%02x", b.ptr[i]);
    }
}

json_t *cli_json_hex(mm_bytes b)
{
    char *text = malloc(2 * b.len + 1);
    if (text == NULL) {
        return NULL;
    }
    mm_buf out = mm_buf_make(text, 2 * b.len);
    json_t *j = NULL;
    if (mm_hex_encode(b, &out) == MM_OK) {
        j = json_stringn(text, out.len);
    }
    free(text);
    return j;
}

int cli_json_print(json_t *j)
{
    if (j == NULL) {
        return cli_fail(CLI_SOFTWARE, NULL, "out of memory");
    }
    int r = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (r != 0 || fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
        return cli_fail(CLI_IOERR, "standard output", "write failed");
    }
    return CLI_OK;
}

int cli_parse_kid(const char *opt, const char *value, uint8_t *kid, size_t *len)
{
    mm_bytes b = mm_bytes_from_cstr(value); /* a kid is bytes: no NUL */
    if (b.len > CLI_KID_MAX) {
        return cli_fail(CLI_USAGE, opt, "longer than %d bytes", CLI_KID_MAX);
    }
    memcpy(kid, b.ptr, b.len);
    *len = b.len;
    return CLI_OK;
}
