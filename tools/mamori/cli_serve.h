/* SPDX-License-Identifier: Apache-2.0 */
/* What the commands that run a service share (`mamori verifier serve`;
 * `mamori ts serve` does the same steps): signals taken by one waiting
 * thread, the URL clients use, the ready file a script or test waits for. */
#ifndef MAMORI_CLI_SERVE_H
#define MAMORI_CLI_SERVE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Blocks SIGINT and SIGTERM (to be taken by cli_serve_wait()) and ignores
 * SIGPIPE. Call before any service thread starts, so every thread inherits
 * the mask. */
void cli_serve_signals(sigset_t *set);

/* The URL clients use: scheme, the host of listen ("host:port" or
 * "[v6]:port") and the port the service got. */
void cli_serve_url(const char *listen, bool https, uint16_t port, char *url, size_t cap);

/* Writes "URL\n" to path atomically, so a reader never sees part of it.
 * Returns a CLI exit code (the error printed). */
int cli_serve_ready(const char *path, const char *url);

/* Waits for SIGINT or SIGTERM (blocked by cli_serve_signals()); returns
 * the signal. */
int cli_serve_wait(const sigset_t *set);

#endif
