#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "CSystemShims.h"
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <pthread.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif
#include <sched.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

int64_t shims_statfs_type(const char *path) {
    struct statfs s;
    if (statfs(path, &s) != 0) return -(int64_t)errno;
    return (int64_t)(unsigned long)s.f_type;
}

int64_t shims_statfs_block_size(const char *path) {
    struct statfs s;
    if (statfs(path, &s) != 0) return -(int64_t)errno;
    return (int64_t)s.f_bsize;
}

int32_t shims_gettid(void) { return (int32_t)syscall(SYS_gettid); }

int32_t shims_pin_current_thread(int32_t cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int32_t shims_current_cpu(void) {
    int cpu = sched_getcpu();
    return cpu >= 0 ? cpu : -errno;
}

int32_t shims_set_current_thread_name(const char *name) { return pthread_setname_np(pthread_self(), name); }

int64_t shims_current_thread_timer_slack(void) {
#if defined(__linux__)
    int rc = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    return rc >= 0 ? (int64_t)rc : -(int64_t)errno;
#else
    return -(int64_t)ENOTSUP;
#endif
}

int32_t shims_set_current_thread_timer_slack(uint64_t nanoseconds) {
#if defined(__linux__)
    return prctl(PR_SET_TIMERSLACK, (unsigned long)nanoseconds, 0, 0, 0) == 0 ? 0 : errno;
#else
    (void)nanoseconds;
    return ENOTSUP;
#endif
}

void shims_spin_iterations(int32_t iterations) {
    for (int32_t i = 0; i < iterations; i++) __asm__ __volatile__("nop");
}

void shims_cpu_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

volatile sig_atomic_t shims_termination_flag = 0;

static void shims_on_termination(int signal_number) {
    (void)signal_number;
    shims_termination_flag = 1;
}

int shims_install_termination_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = shims_on_termination;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGINT, &action, NULL) != 0 || sigaction(SIGTERM, &action, NULL) != 0) return -errno;
    /* A process started from a thread that blocks them (a dispatch worker, a test runner) inherits that mask:
       unblock them here, so one already pending is delivered now and later ones reach this thread. */
    sigset_t termination;
    sigemptyset(&termination);
    sigaddset(&termination, SIGINT);
    sigaddset(&termination, SIGTERM);
    int rc = pthread_sigmask(SIG_UNBLOCK, &termination, NULL);
    return rc == 0 ? 0 : -rc;
}

