/*
 * interrupt_shim.c — LD_PRELOAD fault injection for the EINTR test (InterruptedGrowthTests).
 *
 * A FUSE or NFS file system lets a signal interrupt fallocate (and ftruncate): the call fails with
 * EINTR and has to be made again.  This shim makes that happen on every call that grows, cuts,
 * populates or collapses a CapMap file: each such call fails with EINTR CAPMAP_SHIM_INTERRUPTS
 * times in a row before it is let through.  Only calls on files under $CAPMAP_SHIM_DIR are
 * interrupted (the runtime's own descriptors are left alone), and madvise only for
 * MADV_POPULATE_WRITE (the GC's madvise calls are left alone).  At exit it prints how many calls
 * it interrupted, so the test can tell that the injection took place at all.
 */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static _Atomic long interrupted_fallocate, interrupted_ftruncate, interrupted_madvise;
static _Atomic int streak; /* interruptions of the call being made right now (calls are serialised by the test) */

static int interrupts_wanted(void)
{
    const char *n = getenv("CAPMAP_SHIM_INTERRUPTS");
    return n != NULL ? atoi(n) : 3;
}

/* 1 if fd names a file under $CAPMAP_SHIM_DIR.  Called from CapMap's SIGBUS handler too, so only
 * async-signal-safe calls: the path is formatted by hand, not with snprintf. */
static int is_test_file(int fd)
{
    const char *dir = getenv("CAPMAP_SHIM_DIR");
    char link[32] = "/proc/self/fd/", digits[12], target[4096];
    if (dir == NULL || fd < 0)
        return 0;
    int count = 0;
    do {
        digits[count++] = (char)('0' + fd % 10);
        fd /= 10;
    } while (fd > 0);
    size_t at = strlen(link);
    while (count > 0)
        link[at++] = digits[--count];
    link[at] = '\0';
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return 0;
    target[n] = '\0';
    return strncmp(target, dir, strlen(dir)) == 0;
}

/* 1 (and errno = EINTR) while this call still has interruptions to take; resets for the next call. */
static int interrupt(_Atomic long *counter)
{
    if (atomic_load(&streak) < interrupts_wanted()) {
        atomic_fetch_add(&streak, 1);
        atomic_fetch_add(counter, 1);
        errno = EINTR;
        return 1;
    }
    atomic_store(&streak, 0);
    return 0;
}

int fallocate(int fd, int mode, off_t offset, off_t len)
{
    static int (*real)(int, int, off_t, off_t);
    if (real == NULL)
        real = (int (*)(int, int, off_t, off_t))dlsym(RTLD_NEXT, "fallocate");
    if (is_test_file(fd) && interrupt(&interrupted_fallocate))
        return -1;
    return real(fd, mode, offset, len);
}

int ftruncate(int fd, off_t length)
{
    static int (*real)(int, off_t);
    if (real == NULL)
        real = (int (*)(int, off_t))dlsym(RTLD_NEXT, "ftruncate");
    if (is_test_file(fd) && interrupt(&interrupted_ftruncate))
        return -1;
    return real(fd, length);
}

int madvise(void *addr, size_t len, int advice)
{
    static int (*real)(void *, size_t, int);
    if (real == NULL)
        real = (int (*)(void *, size_t, int))dlsym(RTLD_NEXT, "madvise");
    if (advice == MADV_POPULATE_WRITE && interrupt(&interrupted_madvise))
        return -1;
    return real(addr, len, advice);
}

__attribute__((destructor)) static void report(void)
{
    fprintf(stderr, "interrupted fallocate %ld ftruncate %ld madvise %ld\n", atomic_load(&interrupted_fallocate),
            atomic_load(&interrupted_ftruncate), atomic_load(&interrupted_madvise));
}
