#ifndef C_SYSTEM_SHIMS_H
#define C_SYSTEM_SHIMS_H
#include <stdint.h>

/// statfs(2) f_type of the filesystem holding `path`, or -errno on failure.
int64_t shims_statfs_type(const char *path);
/// Block size (f_bsize) reported by statfs(2) for `path`, or -errno.
int64_t shims_statfs_block_size(const char *path);
/// Kernel thread id of the caller.
int32_t shims_gettid(void);
/// Pin the calling thread to one CPU; 0 or an errno.
int32_t shims_pin_current_thread(int32_t cpu);
/// Name the calling thread (15 chars max); 0 or an errno.
int32_t shims_set_current_thread_name(const char *name);
/// CPU relax hint for spin loops.
void shims_cpu_pause(void);

#endif
