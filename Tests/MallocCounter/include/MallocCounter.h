#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H
#include <stdint.h>

/// Number of heap allocations (malloc, calloc, realloc, memalign, aligned_alloc, posix_memalign,
/// valloc, pvalloc) made by the calling thread since it started. Tests take the difference of two reads.
uint64_t malloc_counter_thread_allocations(void);

/// Allocations made by all threads since the process started (relaxed, for coarse checks only).
uint64_t malloc_counter_process_allocations(void);

#endif
