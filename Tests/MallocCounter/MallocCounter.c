// Interposes the allocator entry points of glibc so tests can prove that a hot path allocates nothing.
// Each call forwards to glibc's __libc_* implementation and bumps a counter for the calling thread.
// The counter is initial-exec TLS so reading or bumping it never allocates itself.
#define _GNU_SOURCE
#include "MallocCounter.h"
#include <errno.h>
#include <stddef.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

static __thread uint64_t thread_allocations __attribute__((tls_model("initial-exec")));
static uint64_t process_allocations;

static inline void count(void) {
    thread_allocations++;
    __atomic_fetch_add(&process_allocations, 1, __ATOMIC_RELAXED);
}

uint64_t malloc_counter_thread_allocations(void) { return thread_allocations; }
uint64_t malloc_counter_process_allocations(void) { return __atomic_load_n(&process_allocations, __ATOMIC_RELAXED); }

void *malloc(size_t size) { count(); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { count(); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { count(); return __libc_realloc(p, size); }
void *memalign(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }
void *valloc(size_t size) { count(); return __libc_valloc(size); }
void *pvalloc(size_t size) { count(); return __libc_pvalloc(size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    count();
    void *p = __libc_memalign(alignment, size);
    if (p == NULL) return ENOMEM;
    *out = p;
    return 0;
}
