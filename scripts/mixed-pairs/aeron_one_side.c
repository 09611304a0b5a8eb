/*
 * aeron_one_side.c - one side of an aeron:ipc throughput pair on the real Aeron C client (the pyaeron wheel's
 * library), for mixed Swift/C pairs with `tp aeron throughput --role pub|sub` on one standalone driver.
 *
 *   aeron_one_side pub <aeron dir> <stream> <seconds> <claim: 1 | offer: 0> <length>
 *   aeron_one_side sub <aeron dir> <stream> <seconds>
 *
 * The loops are those of tp aeron throughput: the publisher claims (or offers) one exclusive-publication message
 * per iteration and publishes its count every 1024 messages; the subscriber polls 256 fragments and counts them.
 * Prints "result role=... msgs_per_s_median=N": the median of the per-second counts, first second dropped.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aeron_api.h"

#define CHECK(x) do { if ((x) < 0) { fprintf(stderr, "%s: %s\n", #x, aeron_errmsg()); exit(1); } } while (0)

static _Atomic int running = 1;
static _Atomic int64_t counted = 0;
static aeron_exclusive_publication_t *publication;
static aeron_subscription_t *subscription;
static int claim = 1;
static size_t length = 32;

static void *publish(void *arg)
{
    (void)arg;
    uint8_t buffer[4096];
    memset(buffer, 0xAB, sizeof buffer);
    int64_t sent = 0;
    while (atomic_load_explicit(&running, memory_order_relaxed))
    {
        int64_t result;
        if (claim)
        {
            aeron_buffer_claim_t buffer_claim;
            result = aeron_exclusive_publication_try_claim(publication, length, &buffer_claim);
            if (result > 0)
            {
                if (length >= 8) memcpy(buffer_claim.data, &sent, sizeof sent);
                aeron_buffer_claim_commit(&buffer_claim);
            }
        }
        else
        {
            if (length >= 8) memcpy(buffer, &sent, sizeof sent);
            result = aeron_exclusive_publication_offer(publication, buffer, length, NULL, NULL);
        }
        if (result > 0 && 0 == (++sent & 1023)) atomic_store_explicit(&counted, sent, memory_order_relaxed);
    }
    return NULL;
}

typedef struct { int64_t messages; char pad[64]; } tally_t;
static tally_t tally;

static void on_fragment(void *clientd, const uint8_t *buffer, size_t len, aeron_header_t *header)
{
    (void)buffer; (void)len; (void)header;
    ((tally_t *)clientd)->messages++;
}

static void *receive(void *arg)
{
    (void)arg;
    while (atomic_load_explicit(&running, memory_order_relaxed))
    {
        if (aeron_subscription_poll(subscription, on_fragment, &tally, 256) > 0)
            atomic_store_explicit(&counted, tally.messages, memory_order_relaxed);
    }
    return NULL;
}

static int compare(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 5 || (strcmp(argv[1], "pub") && strcmp(argv[1], "sub")))
    {
        fprintf(stderr, "usage: %s pub|sub <aeron dir> <stream> <seconds> [claim 1|0] [length]\n", argv[0]);
        return 2;
    }
    const char *role = argv[1];
    int32_t stream = atoi(argv[3]);
    int seconds = atoi(argv[4]);
    if (seconds < 2 || seconds > 60) { fprintf(stderr, "seconds: 2..60\n"); return 2; }
    if (argc > 5) claim = atoi(argv[5]);
    if (argc > 6) length = (size_t)atoi(argv[6]);
    if (length > 4096) { fprintf(stderr, "length: at most 4096\n"); return 2; }

    aeron_context_t *context;
    aeron_t *client;
    CHECK(aeron_context_init(&context));
    CHECK(aeron_context_set_dir(context, argv[2]));
    CHECK(aeron_init(&client, context));
    CHECK(aeron_start(client));
    pthread_t thread;
    int rc;
    if (!strcmp(role, "pub"))
    {
        aeron_async_add_exclusive_publication_t *pending;
        CHECK(aeron_async_add_exclusive_publication(&pending, client, "aeron:ipc", stream));
        while (0 == (rc = aeron_async_add_exclusive_publication_poll(&publication, pending))) sched_yield();
        CHECK(rc);
        for (int i = 0; !aeron_exclusive_publication_is_connected(publication); i++)
        {
            if (i > 60000) { fprintf(stderr, "no subscriber within 60 s\n"); return 1; }
            usleep(1000);
        }
        pthread_create(&thread, NULL, publish, NULL);
    }
    else
    {
        aeron_async_add_subscription_t *pending;
        CHECK(aeron_async_add_subscription(&pending, client, "aeron:ipc", stream, NULL, NULL, NULL, NULL));
        while (0 == (rc = aeron_async_add_subscription_poll(&subscription, pending))) sched_yield();
        CHECK(rc);
        for (int i = 0; !aeron_subscription_is_connected(subscription); i++)
        {
            if (i > 60000) { fprintf(stderr, "no publisher within 60 s\n"); return 1; }
            usleep(1000);
        }
        pthread_create(&thread, NULL, receive, NULL);
    }
    int64_t rates[60], last = 0;
    for (int s = 0; s < seconds; s++)
    {
        usleep(1000000);
        int64_t now = atomic_load(&counted);
        rates[s] = now - last;
        last = now;
    }
    atomic_store(&running, 0);
    pthread_join(thread, NULL);
    qsort(rates + 1, (size_t)(seconds - 1), sizeof(int64_t), compare);
    printf("result role=%s msgs_per_s_median=%" PRId64 "\n", role, rates[1 + (seconds - 1) / 2]);
    fflush(stdout);
    aeron_close(client);
    return 0;
}
