/*
 * aeron_shm_frames_spec.c - shared/anchors/aeron_c/aeron_shm_frames.c (the C prototype of our frame path) with
 * three switches that give it, piece by piece, the memory layout the tensor-pool spec (v1.1) prescribes and the
 * prototype leaves out, so the cost of each can be measured in C, without our code:
 *   off=64   payload slots start 64 bytes into the pool, after its superblock (spec §9: 64 + index * stride),
 *            instead of on a page boundary;
 *   desc=44  the descriptor carries 44 bytes (the SBE FrameDescriptor with its message header), so its Aeron frame
 *            is 96 bytes and straddles cache lines, instead of 32 bytes (one 64-byte frame);
 *   hdr=1    a 256-byte slot header per slot with a seqlock commit word: the producer stores WRITING before the
 *            copy and the header fields then COMMITTED (release) after it; the consumer loads the commit word
 *            (acquire) and fields before reading the payload and re-checks the word after (spec §8.2, §8.3).
 * Everything else is the prototype's: a standalone C driver, descriptors and 8-byte releases over aeron:ipc.
 *   aeron_shm_frames_spec consumer|producer dir=... pool=/name bytes=N slots=4 read=full [off=64 desc=44 hdr=1]
 * Run by scripts/compare-frames-layout.sh.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <stdatomic.h>

#include "aeron_api.h"

static int g_argc; static char **g_argv;
static const char *opt_s(const char *key, const char *def)
{
    size_t kl = strlen(key);
    for (int i = 2; i < g_argc; i++)
        if (0 == strncmp(g_argv[i], key, kl) && '=' == g_argv[i][kl]) return g_argv[i] + kl + 1;
    return def;
}
static long long opt_i(const char *key, long long def) { const char *v = opt_s(key, NULL); return v ? atoll(v) : def; }
static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
#define CHECK(x) do { if ((x) < 0) { fprintf(stderr, "%s:%d %s failed: %s\n", __FILE__, __LINE__, #x, aeron_errmsg()); exit(2); } } while (0)

typedef struct { int64_t seq; int32_t slot; int32_t pad; int64_t len; int64_t t_pub_ns; char extra[12]; } desc_t;
static size_t g_desc_len = 32; static int g_hdr = 0; static size_t g_off = 0; static int64_t g_torn = 0;

static aeron_t *client_start(const char *dir)
{
    aeron_context_t *ctx = NULL; aeron_t *c = NULL;
    CHECK(aeron_context_init(&ctx)); CHECK(aeron_context_set_dir(ctx, dir));
    CHECK(aeron_init(&c, ctx)); CHECK(aeron_start(c));
    return c;
}
static aeron_exclusive_publication_t *add_xpub(aeron_t *c, int32_t stream)
{
    aeron_async_add_exclusive_publication_t *a = NULL; aeron_exclusive_publication_t *p = NULL; int rc;
    CHECK(aeron_async_add_exclusive_publication(&a, c, "aeron:ipc", stream));
    while (0 == (rc = aeron_async_add_exclusive_publication_poll(&p, a))) usleep(100);
    CHECK(rc);
    return p;
}
static aeron_subscription_t *add_sub(aeron_t *c, int32_t stream)
{
    aeron_async_add_subscription_t *a = NULL; aeron_subscription_t *s = NULL; int rc;
    CHECK(aeron_async_add_subscription(&a, c, "aeron:ipc", stream, NULL, NULL, NULL, NULL));
    while (0 == (rc = aeron_async_add_subscription_poll(&s, a))) usleep(100);
    CHECK(rc);
    return s;
}
static void offer(aeron_exclusive_publication_t *p, const void *buf, size_t len)
{
    int64_t r;
    while ((r = aeron_exclusive_publication_offer(p, buf, len, NULL, NULL)) < 0)
        if (r == AERON_PUBLICATION_CLOSED || r == AERON_PUBLICATION_ERROR) { fprintf(stderr, "offer: %" PRId64 "\n", r); exit(3); }
}
static int cmp_i64(const void *a, const void *b) { int64_t x = *(const int64_t *)a, y = *(const int64_t *)b; return (x > y) - (x < y); }

/* ---------------------------------------------------------------- consumer */
typedef struct
{
    uint8_t *pool; size_t stride; size_t slots; int read; aeron_exclusive_publication_t *rel;
    int64_t n, sum; int done; int64_t *lat_desc, *lat_done; int64_t cap;
} cons_t;

static void on_desc(void *clientd, const uint8_t *buffer, size_t length, aeron_header_t *header)
{
    (void)length; (void)header;
    cons_t *c = clientd;
    desc_t d = {0}; memcpy(&d, buffer, length < sizeof d ? length : sizeof d);
    if (d.seq < 0) { c->done = 1; offer(c->rel, &d.seq, sizeof d.seq); return; }
    int64_t t_rx = now_ns();
    _Atomic uint64_t *h = (_Atomic uint64_t *)(c->pool + 4096 + c->stride * c->slots + 256 * (size_t)d.slot);
    uint64_t c1 = 0;
    if (g_hdr) {
        c1 = atomic_load_explicit(h, memory_order_acquire);
        volatile uint64_t f1 = ((volatile uint64_t *)h)[1], f2 = ((volatile uint64_t *)h)[3]; (void)f1; (void)f2;
        if (c1 != ((uint64_t)d.seq << 1)) g_torn++;
    }
    const uint64_t *w = (const uint64_t *)(c->pool + g_off + c->stride * (size_t)d.slot);
    uint64_t acc = 0;
    if (c->read == 'f') { uint64_t a = 0, b = 0, e = 0, f = 0; size_t n = (size_t)d.len / 8, i = 0;
        for (; i + 4 <= n; i += 4) { a += w[i]; b += w[i + 1]; e += w[i + 2]; f += w[i + 3]; } acc = a + b + e + f; }
    else if (c->read == 'p') { for (size_t i = 0; i < (size_t)d.len / 8; i += 512) acc += w[i]; }
    else acc = w[0];
    c->sum += (int64_t)acc;
    if (g_hdr) { atomic_thread_fence(memory_order_acquire); if (atomic_load_explicit(h, memory_order_relaxed) != c1) g_torn++; }
    int64_t t_done = now_ns();
    if (c->n < c->cap) { c->lat_desc[c->n] = t_rx - d.t_pub_ns; c->lat_done[c->n] = t_done - d.t_pub_ns; }
    c->n++;
    offer(c->rel, &d.seq, sizeof d.seq);
}

static int consumer(const char *dir)
{
    size_t bytes = (size_t)opt_i("bytes", 4194304), slots = (size_t)opt_i("slots", 4);
    size_t stride = (bytes + 4095) / 4096 * 4096;
    const char *pool = opt_s("pool", "/anchors-frames");
    shm_unlink(pool);
    int fd = shm_open(pool, O_CREAT | O_RDWR, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)(stride * slots + 256 * slots + 4096)) < 0) { perror("shm"); return 1; }
    uint8_t *p = mmap(NULL, stride * slots + 256 * slots + 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memset(p, 0, stride * slots + 256 * slots + 4096);
    aeron_t *cl = client_start(dir);
    cons_t c = { 0 };
    c.pool = p; c.stride = stride; c.slots = slots; c.read = opt_s("read", "full")[0];
    c.cap = 4000000; /* latency samples kept: the first 4M frames */
    c.lat_desc = malloc(sizeof(int64_t) * (size_t)c.cap); c.lat_done = malloc(sizeof(int64_t) * (size_t)c.cap);
    int32_t stream = (int32_t)opt_i("stream", 2001);
    aeron_subscription_t *s = add_sub(cl, stream);
    c.rel = add_xpub(cl, stream + 1);
    printf("consumer ready\n"); fflush(stdout);
    while (!c.done) aeron_subscription_poll(s, on_desc, &c, 10);
    int64_t n = c.n < c.cap ? c.n : c.cap;
    /* drop the first 10% (warm-up) */
    int64_t k0 = n / 10, m = n - k0;
    qsort(c.lat_desc + k0, (size_t)m, sizeof(int64_t), cmp_i64);
    qsort(c.lat_done + k0, (size_t)m, sizeof(int64_t), cmp_i64);
#define P(a, q) (a)[k0 + (int64_t)((double)(m - 1) * (q))]
    printf("CONSUMER frames=%" PRId64 " desc_latency_ns p50=%" PRId64 " p99=%" PRId64 " p99.9=%" PRId64
        " consumed_latency_ns p50=%" PRId64 " p99=%" PRId64 " p99.9=%" PRId64 " sum=%" PRId64 " torn=%" PRId64 "\n",
        c.n, P(c.lat_desc, 0.5), P(c.lat_desc, 0.99), P(c.lat_desc, 0.999),
        P(c.lat_done, 0.5), P(c.lat_done, 0.99), P(c.lat_done, 0.999), c.sum & 0xffff, g_torn);
    fflush(stdout);
    shm_unlink(pool);
    usleep(200000); /* let the producer read the final ack before our publication goes away */
    aeron_close(cl);
    return 0;
}

/* ---------------------------------------------------------------- producer */
static void on_release(void *clientd, const uint8_t *buffer, size_t length, aeron_header_t *header)
{
    (void)buffer; (void)length; (void)header;
    (*(int64_t *)clientd)++;
}

static int producer(const char *dir)
{
    size_t bytes = (size_t)opt_i("bytes", 4194304), slots = (size_t)opt_i("slots", 4);
    size_t stride = (bytes + 4095) / 4096 * 4096;
    const char *pool = opt_s("pool", "/anchors-frames");
    const char *wmode = opt_s("write", "copy");
    double secs = (double)opt_i("secs", 5);
    int fd = shm_open(pool, O_RDWR, 0600);
    if (fd < 0) { perror("shm_open"); return 1; }
    uint8_t *p = mmap(NULL, stride * slots + 256 * slots + 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memset(p, 0, stride * slots + 256 * slots + 4096); /* fault in our mapping */
    uint8_t *src = aligned_alloc(4096, stride);
    for (size_t i = 0; i < stride; i++) src[i] = (uint8_t)(i * 131u);
    aeron_t *cl = client_start(dir);
    int32_t stream = (int32_t)opt_i("stream", 2001);
    aeron_exclusive_publication_t *pub = add_xpub(cl, stream);
    aeron_subscription_t *rel = add_sub(cl, stream + 1);
    while (!aeron_exclusive_publication_is_connected(pub) || !aeron_subscription_is_connected(rel)) usleep(1000);
    int64_t released = 0, seq = 0, seq0 = 0;
    int64_t t0 = now_ns(), tw = 0, tend = 0;
    const int64_t warm = 500000000LL;
    /* rate=N: one frame every 1e9/N ns, the producer spinning on the clock (and its releases) in between, so the
       descriptor latency is the hand-off's and not queueing behind the previous frame's read; 0: flat out. */
    const int64_t period = opt_i("rate", 0) > 0 ? 1000000000LL / opt_i("rate", 0) : 0;
    int64_t next_due = t0;
    for (;;)
    {
        if (period) { while (now_ns() < next_due) aeron_subscription_poll(rel, on_release, &released, 10); next_due += period; }
        while (seq - released >= (int64_t)slots) aeron_subscription_poll(rel, on_release, &released, 10);
        size_t slot = (size_t)seq % slots;
        uint8_t *dst = p + g_off + stride * slot;
        _Atomic uint64_t *h = (_Atomic uint64_t *)(p + 4096 + stride * slots + 256 * slot);
        if (g_hdr) { atomic_store_explicit(h, ((uint64_t)seq << 1) | 1, memory_order_relaxed); atomic_thread_fence(memory_order_release); }
        if (wmode[0] == 'c') memcpy(dst, src, bytes);
        *(int64_t *)dst = seq;
        int64_t t_pub = now_ns();
        if (g_hdr) { ((volatile uint64_t *)h)[1] = (uint64_t)seq; ((volatile uint64_t *)h)[2] = (uint64_t)t_pub; ((volatile uint64_t *)h)[3] = bytes;
                     atomic_store_explicit(h, (uint64_t)seq << 1, memory_order_release); }
        desc_t d = { seq, (int32_t)slot, 0, (int64_t)bytes, t_pub, {0} };
        offer(pub, &d, g_desc_len);
        seq++;
        aeron_subscription_poll(rel, on_release, &released, 10);
        int64_t t = now_ns();
        if (!tw && t - t0 >= warm) { tw = t; seq0 = seq; }
        if (tw && t - tw >= (int64_t)(secs * 1e9)) { tend = t; break; }
    }
    while (released < seq) aeron_subscription_poll(rel, on_release, &released, 10);
    desc_t stop = { -1, 0, 0, 0, 0, {0} };
    offer(pub, &stop, g_desc_len);
    int64_t t_stop = now_ns();
    while (released < seq + 1 && now_ns() - t_stop < 2000000000LL) aeron_subscription_poll(rel, on_release, &released, 10);
    double fps = (double)(seq - seq0) / ((double)(tend - tw) / 1e9);
    printf("RESULT aeron_shm_frames bytes=%zu slots=%zu write=%s read=%s rate=%lld fps=%.1f GiBps=%.3f per_frame_us=%.2f\n",
        bytes, slots, wmode, opt_s("read", "?"), opt_i("rate", 0), fps, fps * (double)bytes / (1024.0 * 1024 * 1024), 1e6 / fps);
    fflush(stdout);
    aeron_close(cl);
    return 0;
}

int main(int argc, char **argv)
{
    g_argc = argc; g_argv = argv;
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *dir = opt_s("dir", "/dev/shm/aeron-anchors");
    g_desc_len = (size_t)opt_i("desc", 32); g_hdr = (int)opt_i("hdr", 0); g_off = (size_t)opt_i("off", 0);
    if (g_desc_len < 32 || g_desc_len > sizeof(desc_t) || g_off > 4096 - 64 || g_off % 8) {
        fprintf(stderr, "desc must be 32..%zu, off a multiple of 8 below 4032\n", sizeof(desc_t));
        return 2;
    }
    if (argc > 1 && !strcmp(argv[1], "consumer")) return consumer(dir);
    if (argc > 1 && !strcmp(argv[1], "producer")) return producer(dir);
    fprintf(stderr, "usage: %s consumer|producer key=value...\n", argv[0]);
    return 1;
}
