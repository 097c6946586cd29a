#include <signal.h>
#include <string.h>
#include "CTagbenchSystem.h"

// SIGINT and SIGTERM, while an export runs, are noted instead of ending the process at once:
// the export stops at the next document, removes what it staged, and the signal is then raised
// again with its default action. Only signals left at their default action are taken over (the
// REPL's own Ctrl-C handler stays).
static const int tb_signals[2] = {SIGINT, SIGTERM};
static struct sigaction tb_saved[2];
static int tb_taken[2];
// Begun and ended by exports, which may run on several threads at once (tests): counted atomically.
static int tb_depth;
static volatile sig_atomic_t tb_pending;

static void tb_note_signal(int sig) { tb_pending = sig; }

void tb_defer_signals_begin(void) {
    if (__atomic_fetch_add(&tb_depth, 1, __ATOMIC_SEQ_CST) > 0) return;
    tb_pending = 0;
    for (int i = 0; i < 2; i++) {
        tb_taken[i] = 0;
        if (sigaction(tb_signals[i], NULL, &tb_saved[i]) != 0 || tb_saved[i].sa_handler != SIG_DFL) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = tb_note_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        if (sigaction(tb_signals[i], &action, NULL) == 0) tb_taken[i] = 1;
    }
}

int tb_deferred_signal(void) { return tb_pending; }

void tb_defer_signals_end(void) {
    if (__atomic_sub_fetch(&tb_depth, 1, __ATOMIC_SEQ_CST) > 0) return;
    for (int i = 0; i < 2; i++) {
        if (tb_taken[i]) sigaction(tb_signals[i], &tb_saved[i], NULL);
        tb_taken[i] = 0;
    }
    int sig = tb_pending;
    tb_pending = 0;
    if (sig != 0) raise(sig);
}
