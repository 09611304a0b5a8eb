#ifndef C_SYSTEM_SHIMS_H
#define C_SYSTEM_SHIMS_H
#include <signal.h>
#include <stdint.h>

/// statfs(2) f_type of the filesystem holding `path`, or -errno on failure.
int64_t shims_statfs_type(const char *path);
/// Block size (f_bsize) reported by statfs(2) for `path`, or -errno.
int64_t shims_statfs_block_size(const char *path);
/// Kernel thread id of the caller.
int32_t shims_gettid(void);
/// Pin the calling thread to one CPU; 0 or an errno.
int32_t shims_pin_current_thread(int32_t cpu);
/// The CPU the calling thread runs on right now (sched_getcpu), or -errno.
int32_t shims_current_cpu(void);
/// Name the calling thread (15 chars max); 0 or an errno.
int32_t shims_set_current_thread_name(const char *name);
/// Linux timer slack of the calling thread (how far the kernel may delay its timed sleeps to batch wake-ups;
/// 50 µs by default); threads it creates afterwards inherit it. 0 or an errno (ENOTSUP off Linux).
int32_t shims_set_current_thread_timer_slack(uint64_t nanoseconds);
/// The calling thread's timer slack in nanoseconds, or -errno.
int64_t shims_current_thread_timer_slack(void);
/// CPU relax hint for spin loops.
void shims_cpu_pause(void);

/// Runs `iterations` turns of a loop holding one `nop` (two turns per cycle here, ~0.15 ns each, plus ~1.2 ns for the
/// call): a delay of a few nanoseconds that, unlike `pause`, neither hints the core nor stalls dispatch for ~24 ns.
/// Out of line on purpose: the same loop inlined into a pong's poll loop measured slower in the slow placement
/// (ShortSpinIdleStrategy's documentation).
void shims_spin_iterations(int32_t iterations);

/// Asks for the cache line holding `address` in a writable state (x86-64 `prefetchw`; a no-op on CPUs without
/// it and on other architectures). A hint only: never faults, changes no memory. Inline so a hot path pays one
/// instruction, not a call.
static inline void shims_prefetch_for_write(const void *address) {
#if defined(__x86_64__)
    __asm__ volatile("prefetchw (%0)" : : "r"(address));
#else
    (void)address;
#endif
}

/// Asks for the cache line holding `address` for reading (`prefetcht0`): brings the line and its page
/// translation close without taking the line away from other cores that read it. A hint only.
static inline void shims_prefetch_for_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// A cycle count for timing spans of a few hundred cycles inside a spin loop (x86-64 `rdtsc`, AArch64
/// `cntvct_el0`, else 0): a clock_gettime pair costs ~40 ns and would itself move the span it measures. Not
/// serializing, so loads and stores around it may still be in flight: approximate by a few dozen cycles.
static inline uint64_t shims_cycle_counter(void) {
#if defined(__x86_64__)
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return ((uint64_t)high << 32) | low;
#elif defined(__aarch64__)
    uint64_t value;
    __asm__ volatile("mrs %0, cntvct_el0" : "=r"(value));
    return value;
#else
    return 0;
#endif
}

/// Installs a SIGINT/SIGTERM handler that only records the request (async-signal-safe), with sigaction, so no
/// signal is lost between the default disposition and the handler, and unblocks both in the calling thread (a
/// blocked mask inherited from the parent would otherwise hold them pending forever). Returns 0, or -errno.
int shims_install_termination_handler(void);
/// Set by the handler of shims_install_termination_handler.
extern volatile sig_atomic_t shims_termination_flag;
/// 1 once SIGINT or SIGTERM arrived after shims_install_termination_handler, else 0 (inline: role loops poll it).
static inline int shims_termination_requested(void) { return shims_termination_flag != 0; }

#endif
