#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include "CTagbenchSystem.h"
#if defined(__linux__) && !defined(TB_PORTABLE)
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

// Threads for regular-expression searches (`WatchedSearch`): each on a thread of its own, so a
// search that never ends holds no thread of Dispatch's pool, and lowered to idle when abandoned.

typedef struct { void (*body)(void *); void *context; } tb_thread_job;

static void *tb_own_thread_main(void *argument) {
    tb_thread_job job = *(tb_thread_job *)argument;
    free(argument);
    job.body(job.context);
    return NULL;
}

int tb_run_on_own_thread(void (*body)(void *), void *context) {
    tb_thread_job *job = malloc(sizeof *job);
    if (!job) return -1;
    job->body = body;
    job->context = context;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int failed = pthread_create(&thread, &attributes, tb_own_thread_main, job);
    pthread_attr_destroy(&attributes);
    if (failed) free(job);
    return failed;
}

// A thread's own scheduling is Linux's (a kernel thread id, SCHED_IDLE); elsewhere, and in the
// portable build (TB_PORTABLE), an abandoned search keeps its priority.
#if defined(__linux__) && defined(SYS_gettid) && !defined(TB_PORTABLE)
int tb_thread_id(void) { return (int)syscall(SYS_gettid); }

void tb_make_thread_idle(int thread) {
    struct sched_param none = { 0 };
    if (sched_setscheduler(thread, SCHED_IDLE, &none) != 0) setpriority(PRIO_PROCESS, (id_t)thread, 19);
}
#else
int tb_thread_id(void) { return 0; }

void tb_make_thread_idle(int thread) { (void)thread; }
#endif
