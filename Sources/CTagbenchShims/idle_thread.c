#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "CTagbenchShims.h"

typedef struct { void (*body)(void *); void *context; } tb_idle_job;

static void *tb_idle_main(void *argument) {
    tb_idle_job job = *(tb_idle_job *)argument;
    free(argument);
    // This thread only: SCHED_IDLE runs it when a core has nothing else to do; where that is
    // refused, the lowest nice value comes close.
    struct sched_param none = { 0 };
    if (sched_setscheduler(0, SCHED_IDLE, &none) != 0) setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
    job.body(job.context);
    return NULL;
}

int tb_run_when_idle(void (*body)(void *), void *context) {
    tb_idle_job *job = malloc(sizeof *job);
    if (!job) return -1;
    job->body = body;
    job->context = context;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int failed = pthread_create(&thread, &attributes, tb_idle_main, job);
    pthread_attr_destroy(&attributes);
    if (failed) free(job);
    return failed;
}
