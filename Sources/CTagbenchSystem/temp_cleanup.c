#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include "CTagbenchSystem.h"

// Temporary files being written, removed by a SIGTERM or SIGINT that ends the process, so an
// interrupted save leaves none behind. A slot is claimed by setting its flag after the path is
// copied in; the handler only reads flagged slots (unlink is async-signal-safe).
#define TB_TEMP_SLOTS 16
static char temp_paths[TB_TEMP_SLOTS][4096];
static atomic_int temp_used[TB_TEMP_SLOTS];
static struct sigaction previous_term, previous_int;
static atomic_int installed;

static void tb_temp_signal(int sig) {
    struct sigaction *previous = sig == SIGTERM ? &previous_term : &previous_int;
    if (previous->sa_handler == SIG_IGN) return;
    if (previous->sa_handler != SIG_DFL) {
        // Someone else handles it (the REPL's Ctrl-C stops a command, not the process): the save
        // goes on, and its file must stay.
        if (previous->sa_flags & SA_SIGINFO) return;
        previous->sa_handler(sig);
        return;
    }
    for (int i = 0; i < TB_TEMP_SLOTS; i++) {
        if (atomic_load(&temp_used[i]) == 1) unlink(temp_paths[i]);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void tb_install(int sig, struct sigaction *previous) {
    struct sigaction current;
    if (sigaction(sig, NULL, &current) != 0 || current.sa_handler == tb_temp_signal) return;
    *previous = current;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = tb_temp_signal;
    sigemptyset(&action.sa_mask);
    sigaction(sig, &action, NULL);
}

int tb_temp_register(const char *path) {
    if (strlen(path) >= sizeof temp_paths[0]) return -1;
    tb_install(SIGTERM, &previous_term);
    tb_install(SIGINT, &previous_int);
    // A process started with these signals blocked (as a parent's thread may pass them on)
    // would never see them: the thread saving takes them, so they can end it.
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGTERM);
    sigaddset(&both, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &both, NULL);
    for (int i = 0; i < TB_TEMP_SLOTS; i++) {
        int expected = 0;
        // 2: claimed, path being copied (the handler skips it); 1: in use.
        if (atomic_compare_exchange_strong(&temp_used[i], &expected, 2)) {
            strcpy(temp_paths[i], path);
            atomic_store(&temp_used[i], 1);
            return i;
        }
    }
    return -1;
}

void tb_temp_unregister(int slot) {
    if (slot >= 0 && slot < TB_TEMP_SLOTS) atomic_store(&temp_used[slot], 0);
}
