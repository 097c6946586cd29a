#ifndef CTAGBENCH_SYSTEM_H
#define CTAGBENCH_SYSTEM_H
// Process and operating-system code: POSIX, with Linux-only tuning where Linux has it (none with
// TB_PORTABLE) and a portable fallback.

/// Starts writing `length` bytes of `fd` from `offset` to disk without waiting (Linux's
/// `sync_file_range`): a later `fsync` then has only the rest to wait for. Nothing elsewhere or
/// with TB_PORTABLE.
void tb_start_writeback(int fd, long long offset, long long length);

/// Swaps the names `a` and `b` (both must exist) in one step, so that neither name is ever
/// missing; 0, or the errno of a failure: ENOSYS where the system or the file system cannot
/// (not Linux, TB_PORTABLE, a file system without it).
int tb_exchange_names(const char *a, const char *b);

/// Records a temporary file being written, removed if SIGTERM or SIGINT ends the process before
/// it is renamed or removed (the signals' default actions stay, run after it); returns a slot
/// for `tb_temp_unregister`, or -1 when it cannot be recorded.
int tb_temp_register(const char *path);

/// Forgets a temporary file recorded by `tb_temp_register` (renamed or removed).
void tb_temp_unregister(int slot);

/// From here to the matching `tb_defer_signals_end`, SIGINT and SIGTERM (where they have their
/// default action) are noted, not acted on: `tb_deferred_signal` says which came (0: none), and
/// the end raises it again with its default action. Calls nest; the outermost pair counts.
void tb_defer_signals_begin(void);
/// The signal noted since `tb_defer_signals_begin`, or 0.
int tb_deferred_signal(void);
/// Gives SIGINT and SIGTERM back their actions and raises a signal that was noted.
void tb_defer_signals_end(void);

/// Starts `path` with `argv` and `envp`, its standard input and output both the socket `channel`,
/// in a process group of its own, no signal blocked and default handlers; 0 and the process id in
/// `pid`, or -1.
int tb_spawn_worker(const char *path, char *const argv[], char *const envp[], int channel, int *pid);

/// Ends this process when its parent, `parent`, is gone (watched on a thread); -1 if it is
/// already gone or no thread could be made.
int tb_die_with_parent(int parent);

/// Runs body(context) on a new detached thread of its own (work that may never end must not hold
/// a thread of a shared pool). Returns 0, or an error when no thread could be made.
int tb_run_on_own_thread(void (*body)(void *), void *context);
/// The calling thread's kernel id (0 where there is none to use: not Linux, or TB_PORTABLE).
int tb_thread_id(void);
/// Lets thread `thread` (a kernel id) run only when a core is otherwise idle (SCHED_IDLE; else
/// the lowest priority); nothing for 0.
void tb_make_thread_idle(int thread);

#endif
