#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "CTagbenchShims.h"

typedef struct { void (*body)(void *); void *context; int idle; } tb_idle_job;

int tb_thread_id(void) { return (int)syscall(SYS_gettid); }

void tb_make_thread_idle(int thread) {
    // That thread only: SCHED_IDLE runs it when a core has nothing else to do; where that is
    // refused, the lowest nice value comes close.
    struct sched_param none = { 0 };
    if (sched_setscheduler(thread, SCHED_IDLE, &none) != 0) setpriority(PRIO_PROCESS, (id_t)thread, 19);
}

static void *tb_idle_main(void *argument) {
    tb_idle_job job = *(tb_idle_job *)argument;
    free(argument);
    if (job.idle) tb_make_thread_idle(tb_thread_id());
    job.body(job.context);
    return NULL;
}

static int tb_run_detached(void (*body)(void *), void *context, int idle) {
    tb_idle_job *job = malloc(sizeof *job);
    if (!job) return -1;
    job->body = body;
    job->context = context;
    job->idle = idle;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int failed = pthread_create(&thread, &attributes, tb_idle_main, job);
    pthread_attr_destroy(&attributes);
    if (failed) free(job);
    return failed;
}

int tb_run_when_idle(void (*body)(void *), void *context) { return tb_run_detached(body, context, 1); }

int tb_run_on_own_thread(void (*body)(void *), void *context) { return tb_run_detached(body, context, 0); }
