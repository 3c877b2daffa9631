/*
 * test_process.c - the library inside a host process's life: fork while its worker
 * threads exist, a second copy loaded with dlopen and unloaded with dlclose while its
 * workers live, and exit while other threads are inside calls.
 *
 * The worker threads outlive calls (they wait for the next job), so each of these is a
 * way a host could pull the ground from under them: a forked child has none of its
 * parent's threads, dlclose would unmap their code (the library is linked -z nodelete so
 * that it stays), and exit tears the process down around them.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exports.h"
#include "support.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LC_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(LC_ASAN)
#define LC_ASAN 1
#endif
#ifdef LC_ASAN
/* Under AddressSanitizer two of these checks cannot run: a second copy of an instrumented
 * library cannot be loaded (its globals would be registered twice), and LeakSanitizer's
 * check at exit counts the memory of threads still inside calls as leaked. They run in
 * the plain build; here the fork checks run. */
#endif

enum { N = 1 << 20 }; /* large enough for the parallel paths */

static float *x, *y;

/* The MSE sum of x and y on the calling process's library: the reference value. */
static float mse_sum(int threads) {
    float out = -1;
    losscore_set_num_threads(threads, NULL);
    losscore_status s = losscore_mse_loss_f32(x, y, NULL, N, LOSSCORE_REDUCTION_SUM, &out, NULL, NULL, NULL);
    return s == LOSSCORE_OK ? out : -1;
}

/* Runs `child` in a forked process with a 20 s alarm and returns its exit status (128 +
 * signal if it died). */
static int in_child(int (*child)(void)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(20);
        _exit(child());
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static float parent_value;

static int child_computes(void) {
    /* Parallel calls in the child: it has no worker threads yet, only the parent's
     * memory of them; a deadlock would end in the alarm, a crash in a signal. */
    for (int threads = 2; threads <= 4; threads++)
        if (mse_sum(threads) != parent_value) return 1;
    return mse_sum(1) == parent_value ? 0 : 2;
}

static void test_fork(void) {
    parent_value = mse_sum(2); /* the workers now exist and wait */
    CHECK(parent_value > 0, "mse_loss SUM over %d elements failed: %s", N, losscore_last_error());
    int st = in_child(child_computes);
    CHECK(st == 0, "a child forked after the workers started: exit status %d (1/2: wrong result, 142: hung, "
                   "128+n: signal n)", st);
    CHECK(mse_sum(2) == parent_value, "the parent computes as before after the fork");
}

/* A second copy of the library (a copy of its file under another name, so that dlopen
 * loads it again), used and closed while its workers live, three times over. */
static void test_dlopen_dlclose(void) {
    Dl_info info;
    if (!dladdr((void *)losscore_version, &info) || !info.dli_fname) {
        CHECK(0, "dladdr cannot find the library's file");
        return;
    }
    char copy[] = "/tmp/losscore-copy-XXXXXX";
    int fd = mkstemp(copy);
    FILE *src = fopen(info.dli_fname, "rb");
    FILE *dst = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!src || !dst) {
        CHECK(0, "cannot copy %s", info.dli_fname);
        if (src) fclose(src);
        if (dst) fclose(dst);
        return;
    }
    char buf[1 << 16];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, src)) > 0) fwrite(buf, 1, got, dst);
    fclose(src);
    fclose(dst);
    typedef losscore_status (*mse_fn)(const float *, const float *, const float *, size_t, losscore_reduction, float *,
                                       const float *, float *, losscore_error *);
    typedef losscore_status (*threads_fn)(int32_t, losscore_error *);
    for (int round = 0; round < 3; round++) {
        void *lib = dlopen(copy, RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            CHECK(0, "dlopen(%s): %s", copy, dlerror());
            break;
        }
        mse_fn mse = (mse_fn)dlsym(lib, "losscore_mse_loss_f32");
        threads_fn set_threads = (threads_fn)dlsym(lib, "losscore_set_num_threads");
        float out = -1;
        if (mse && set_threads) {
            set_threads(2, NULL);
            mse(x, y, NULL, N, LOSSCORE_REDUCTION_SUM, &out, NULL, NULL, NULL);
        }
        CHECK(out == parent_value, "round %d: the dlopen'ed copy gives %g, expected %g", round, out, parent_value);
        CHECK(dlclose(lib) == 0, "round %d: dlclose: %s", round, dlerror());
        usleep(1000); /* the copy's workers are still polling for their next job */
    }
    unlink(copy);
    CHECK(mse_sum(2) == parent_value, "the linked library computes as before after the copies were closed");
}

/* exit() while other threads are inside parallel calls: the process ends with the status
 * it asked for, without a crash or a hang (static destructors run under the calls). */
static void *caller(void *arg) {
    (void)arg;
    for (;;) mse_sum(2);
    return NULL;
}

static int child_exits_during_calls(void) {
    pthread_t t[3];
    for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, caller, NULL);
    usleep(20000);
    exit(7);
}

static void test_exit_during_calls(void) {
    int st = in_child(child_exits_during_calls);
    CHECK(st == 7, "exit(7) while three threads are in calls: exit status %d (128+n: signal n)", st);
}

int main(void) {
    x = malloc(N * sizeof *x), y = malloc(N * sizeof *y);
    rng_state = 31;
    for (size_t i = 0; i < N; i++) x[i] = (float)rng_uniform(-2, 2), y[i] = (float)rng_uniform(-2, 2);
    test_fork();
#ifndef LC_ASAN
    test_dlopen_dlclose();
    test_exit_during_calls();
#else
    (void)test_dlopen_dlclose, (void)test_exit_during_calls;
#endif
    losscore_set_num_threads(0, NULL);
    free(x), free(y);
    return lc_summary();
}
