/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Invoking a component: the program device.json names for it, run with
 * execve(2) and its fixed arguments ("{file}" is the component's file), an
 * empty environment, no shell. Its exit status is the outcome; a program
 * that outlives the device's invoke-timeout is killed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "posixdev.h"

/* Waits for pid at most timeout seconds; the exit status, or -1 when it
 * had to be killed. */
static int wait_for(pid_t pid, unsigned timeout)
{
    struct timespec tick = {0, 10000000L}; /* 10 ms */
    for (unsigned long waited = 0;; waited += 10) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        }
        if (r < 0 && errno != EINTR) {
            return -1;
        }
        if (waited >= (unsigned long)timeout * 1000) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        nanosleep(&tick, NULL);
    }
}

mm_err pd_invoke(mm_posixdev *d, uint32_t comp)
{
    const pd_slot *s = &d->slots[comp];
    const pd_component *c = s->conf;
    if (c == NULL || c->argv == NULL) {
        /* Nothing to run on this simulated device: the invocation is
         * recorded, as a bootloader would hand over. */
        pd_event(d, MM_POSIXDEV_INVOKED, comp, "", 0, 0, 0);
        return MM_OK;
    }
    char file[PD_PATH_MAX + 64];
    if (pd_visible_path(d, comp, file, sizeof file) != MM_OK) {
        return pd_fail(d, MM_ERR_TOO_LARGE, "invoke: path too long");
    }
    char **argv = calloc(c->argc + 1, sizeof *argv);
    if (argv == NULL) {
        return pd_fail(d, MM_ERR_PLATFORM, "out of memory");
    }
    for (size_t i = 0; i < c->argc; i++) {
        argv[i] = strcmp(c->argv[i], "{file}") == 0 ? file : c->argv[i];
    }
    char *envp[] = {NULL};
    if (argv[0] == NULL) {
        free(argv);
        return pd_fail(d, MM_ERR_PLATFORM, "invoke: no program");
    }
    fflush(NULL); /* what the caller printed comes before the program's output */
    pid_t pid = fork();
    if (pid == 0) {
        execve(argv[0], argv, envp);
        _exit(127);
    }
    free(argv);
    if (pid < 0) {
        return pd_fail(d, MM_ERR_PLATFORM, "invoke %s: %s", c->argv[0], strerror(errno));
    }
    int status = wait_for(pid, d->invoke_timeout);
    pd_event(d, MM_POSIXDEV_INVOKED, comp, c->argv[0], 0, status, 0);
    if (status == -1) {
        return pd_fail(d, MM_ERR_PLATFORM, "invoke %s: killed after %u s", c->argv[0], d->invoke_timeout);
    }
    if (status != 0) {
        return pd_fail(d, MM_ERR_PLATFORM, "invoke %s: exit status %d", c->argv[0], status);
    }
    return MM_OK;
}
