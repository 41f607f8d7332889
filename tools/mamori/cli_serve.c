/* SPDX-License-Identifier: Apache-2.0 */
/* Running a service from the CLI (cli_serve.h). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_serve.h"

void cli_serve_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

void cli_serve_url(const char *listen, bool https, uint16_t port, char *url, size_t cap)
{
    const char *colon = strrchr(listen, ':');
    int host_len = colon != NULL ? (int)(colon - listen) : (int)strlen(listen);
    snprintf(url, cap, "%s://%.*s:%u", https ? "https" : "http", host_len, listen, port);
}

int cli_serve_ready(const char *path, const char *url)
{
    char line[600];
    int n = snprintf(line, sizeof line, "%s\n", url);
    if (n < 0 || (size_t)n >= sizeof line) {
        return cli_fail(CLI_SOFTWARE, path, "the URL is too long");
    }
    return cli_write_file(path, (const uint8_t *)line, (size_t)n, 0644);
}

int cli_serve_wait(const sigset_t *set)
{
    int sig = 0;
    while (sigwait(set, &sig) != 0) {
        /* interrupted: wait again */
    }
    return sig;
}
