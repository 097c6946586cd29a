#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <unistd.h>
#include "CTagbenchSystem.h"

// The process a regular-expression search runs in (`RegexWorkerRunner`): stopping a search means
// ending this process, which only its parent does. So it is in a process group of its own (the
// terminal's Ctrl-C reaches the parent alone, which then ends it), takes no signal mask or
// handlers from its parent, and does not outlive it.

int tb_spawn_worker(const char *path, char *const argv[], char *const envp[], int channel, int *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    if (posix_spawn_file_actions_init(&actions) != 0) return -1;
    if (posix_spawnattr_init(&attributes) != 0) { posix_spawn_file_actions_destroy(&actions); return -1; }
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
    for (unsigned k = 0; k < sizeof signals / sizeof signals[0]; k++) sigaddset(&defaults, signals[k]);
    int failed = posix_spawn_file_actions_adddup2(&actions, channel, 0)
        || posix_spawn_file_actions_adddup2(&actions, channel, 1)
        || posix_spawnattr_setsigmask(&attributes, &none)
        || posix_spawnattr_setsigdefault(&attributes, &defaults)
        || posix_spawnattr_setpgroup(&attributes, 0)
        || posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    pid_t child = 0;
    if (!failed) failed = posix_spawn(&child, path, &actions, &attributes, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (failed) return -1;
    *pid = (int)child;
    return 0;
}

// The worker watches its parent on a thread of its own and ends when it is gone (its parent id
// changes: it was taken over by another process). Portable, unlike Linux's PR_SET_PDEATHSIG, and
// the search on the main thread need not look; 50 ms of delay do not matter.
static void *tb_watch_parent(void *argument) {
    int parent = (int)(intptr_t)argument;
    while (getppid() == parent) usleep(50 * 1000);
    _exit(0);
    return NULL;
}

int tb_die_with_parent(int parent) {
    if (getppid() != parent) return -1;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int failed = pthread_create(&thread, &attributes, tb_watch_parent, (void *)(intptr_t)parent);
    pthread_attr_destroy(&attributes);
    return failed ? -1 : 0;
}
