/*
 * aeron_pong_timed.c - a pong on the real Aeron C client, the same as the C harness's (shared/anchors/aeron_c,
 * aeron_ipc_bench pingpong role=pong: subscription on stream 1002, exclusive publication on 1003, busy-poll with a
 * fragment limit of 10, offer retried until it succeeds), timed the way `tp aeron pong --timing` times ours:
 *   forward  the clock (CLOCK_MONOTONIC) when the handler starts minus the ping's stamp (its first 8 bytes);
 *   echo     rdtsc cycles from just after that clock read to the end of the successful offer.
 * The round trip minus both is the return hop. Prints one `timing ...` line in tp's format when it exits: after
 * count=N messages, or on the C ping's stop stamp (-1).
 *   aeron_pong_timed dir=/dev/shm/aeron-x count=300000
 * timing=0 leaves the clock, rdtsc and sample stores out (the harness's pong again). One change to the pong's path,
 * for the placement experiments in the Aeron client README (session 9):
 *   variant=lfence-before-offer | lfence-after-offer | pause-before-offer   in the handler
 *   variant=pause-when-idle | lfence-when-idle                                after every empty poll
 *   idle-nops=N                                                               N turns of a nop loop after every empty poll
 * Built and run by scripts/pingpong-placement-sweep.sh with TIMING=1, or for its C variant (C_ALT_ARGS).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aeron_api.h"

#define CHECK(x) do { if ((x) < 0) { fprintf(stderr, "%s:%d %s failed: %s\n", __FILE__, __LINE__, #x, aeron_errmsg()); exit(2); } } while (0)

static int g_argc; static char **g_argv;
enum variant { NONE, LFENCE_BEFORE_OFFER, LFENCE_AFTER_OFFER, PAUSE_BEFORE_OFFER, PAUSE_WHEN_IDLE, LFENCE_WHEN_IDLE };
static int g_timing = 1, g_idle_nops = 0; static enum variant g_variant = NONE;
static const char *opt_s(const char *key, const char *def)
{
    size_t kl = strlen(key);
    for (int i = 1; i < g_argc; i++)
        if (0 == strncmp(g_argv[i], key, kl) && '=' == g_argv[i][kl]) return g_argv[i] + kl + 1;
    return def;
}
static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
static inline uint64_t cycles(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

typedef struct
{
    aeron_exclusive_publication_t *pub;
    int stop;
    int64_t n, cap, first_ns;
    uint64_t first_cycles;
    int64_t *forward;
    uint64_t *echo;
} pong_t;

static void handler(void *clientd, const uint8_t *buffer, size_t length, aeron_header_t *header)
{
    (void)header;
    pong_t *p = clientd;
    if (g_variant == LFENCE_BEFORE_OFFER) __asm__ volatile("lfence");
    if (g_variant == PAUSE_BEFORE_OFFER) __asm__ volatile("pause");
    int64_t now = g_timing ? now_ns() : 0;
    uint64_t start = g_timing ? cycles() : 0;
    int64_t stamp = 0;
    if (length >= 8) memcpy(&stamp, buffer, 8);
    if (stamp == -1) p->stop = 1;
    int64_t r;
    while ((r = aeron_exclusive_publication_offer(p->pub, buffer, length, NULL, NULL)) < 0)
        if (r == AERON_PUBLICATION_CLOSED || r == AERON_PUBLICATION_ERROR) { p->stop = 1; return; }
    if (g_variant == LFENCE_AFTER_OFFER) __asm__ volatile("lfence");
    uint64_t end = g_timing ? cycles() : 0;
    if (p->n == 0) { p->first_ns = now; p->first_cycles = start; }
    if (g_timing && p->n < p->cap) { p->forward[p->n] = length >= 8 ? now - stamp : 0; p->echo[p->n] = end - start; }
    p->n++;
}

static int cmp_i64(const void *a, const void *b) { int64_t x = *(const int64_t *)a, y = *(const int64_t *)b; return (x > y) - (x < y); }
static int cmp_u64(const void *a, const void *b) { uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b; return (x > y) - (x < y); }

int main(int argc, char **argv)
{
    g_argc = argc; g_argv = argv;
    const char *dir = opt_s("dir", "/dev/shm/aeron-anchors");
    long count = atol(opt_s("count", "0"));
    g_timing = atoi(opt_s("timing", "1")) != 0;
    g_idle_nops = atoi(opt_s("idle-nops", "0"));
    static const char *const names[] = { "none", "lfence-before-offer", "lfence-after-offer", "pause-before-offer",
                                         "pause-when-idle", "lfence-when-idle" };
    const char *variant = opt_s("variant", "none");
    int known = 0;
    for (int v = 0; v < (int)(sizeof names / sizeof names[0]); v++)
        if (0 == strcmp(variant, names[v])) { g_variant = (enum variant)v; known = 1; }
    if (!known || g_idle_nops < 0) { fprintf(stderr, "variant=%s idle-nops=%d: unknown variant or negative count\n", variant, g_idle_nops); return 2; }
    aeron_context_t *ctx = NULL; aeron_t *client = NULL;
    CHECK(aeron_context_init(&ctx)); CHECK(aeron_context_set_dir(ctx, dir));
    CHECK(aeron_init(&client, ctx)); CHECK(aeron_start(client));
    aeron_async_add_subscription_t *as = NULL; aeron_subscription_t *sub = NULL; int rc;
    CHECK(aeron_async_add_subscription(&as, client, "aeron:ipc", 1002, NULL, NULL, NULL, NULL));
    while (0 == (rc = aeron_async_add_subscription_poll(&sub, as))) usleep(100);
    CHECK(rc);
    aeron_async_add_exclusive_publication_t *ap = NULL; pong_t p = { 0 };
    CHECK(aeron_async_add_exclusive_publication(&ap, client, "aeron:ipc", 1003));
    while (0 == (rc = aeron_async_add_exclusive_publication_poll(&p.pub, ap))) usleep(100);
    CHECK(rc);
    p.cap = count > 0 ? count : 1 << 20;
    p.forward = calloc((size_t)p.cap, sizeof(int64_t));
    p.echo = calloc((size_t)p.cap, sizeof(uint64_t));
    printf("pong ready\n"); fflush(stdout);
    while (!p.stop && (count == 0 || p.n < count))
    {
        if (aeron_subscription_poll(sub, handler, &p, 10) > 0) continue;
        if (g_variant == PAUSE_WHEN_IDLE) __asm__ volatile("pause");
        if (g_variant == LFENCE_WHEN_IDLE) __asm__ volatile("lfence");
        for (int k = 0; k < g_idle_nops; k++) __asm__ volatile("nop");
    }
    double cycles_per_ns = (double)(cycles() - p.first_cycles) / (double)(now_ns() - p.first_ns);
    int64_t kept = p.n < p.cap ? p.n : p.cap, skip = kept / 10, m = kept - skip;
    printf("pong done echoed=%" PRId64 "\n", p.n);
    if (g_timing && m > 0)
    {
        qsort(p.forward + skip, (size_t)m, sizeof(int64_t), cmp_i64);
        qsort(p.echo + skip, (size_t)m, sizeof(uint64_t), cmp_u64);
#define AT(a, q) (a)[skip + (int64_t)((double)(m - 1) * (q))]
        printf("timing messages=%" PRId64 " forward_ns p50=%" PRId64 " p99=%" PRId64 " echo_cycles p50=%" PRIu64 " p99=%" PRIu64
            " echo_ns p50=%.0f p99=%.0f cycles_per_ns=%.3f\n", m, AT(p.forward, 0.5), AT(p.forward, 0.99),
            AT(p.echo, 0.5), AT(p.echo, 0.99), (double)AT(p.echo, 0.5) / cycles_per_ns, (double)AT(p.echo, 0.99) / cycles_per_ns,
            cycles_per_ns);
    }
    fflush(stdout);
    _exit(0);
}
