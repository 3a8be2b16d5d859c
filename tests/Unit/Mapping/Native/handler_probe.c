/*
 * handler_probe.c — a child process for tests/Unit/Mapping/HandlerHardeningTests.cs.
 *
 * Each scenario puts the SIGBUS handler of libcapmap_native.so in a situation a .NET test host cannot
 * survive or cannot create (no runtime handler before ours, a replaced handler, a kernel without
 * MADV_POPULATE_*, an ENOMEM from the prefault), and reports through its exit status and one line on
 * stdout.  The C# test compiles this file against the library it ships and asserts on the outcome.
 *
 *   handler_probe mceerr-ao        exit by SIGBUS expected (an asynchronous memory error is not swallowed)
 *   handler_probe ign-siginfo      exit 0 expected (SIG_IGN saved with SA_SIGINFO is not called)
 *   handler_probe replaced         exit 0 expected (registration refused with CAPMAP_E_REPLACED)
 *   handler_probe populate-enomem  exit 0 expected (eager growth succeeds although the prefault says ENOMEM)
 *   handler_probe no-populate DIR  exit 0 expected (two threads on two unbackable pages end in a failure)
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int capmap_install(void);
int capmap_register(void *base, uint64_t length, int fd, uint64_t chunk, uint64_t committed, int flags);
int capmap_grow(int slot, uint64_t want, uint64_t need, int populate);
int capmap_failure(int slot);

#define CAPMAP_E_REPLACED (-6)
#define ADVICE_POPULATE_READ 22
#define ADVICE_POPULATE_WRITE 23

static void die(const char *what)
{
    printf("error %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(2);
}

/* Make madvise(MADV_POPULATE_READ/WRITE) fail with `err`, as an older kernel (EINVAL) or a kernel out of
 * memory (ENOMEM) would.  Every other system call is untouched. */
static void fail_populate_with(int err)
{
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_madvise, 0, 4),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ADVICE_POPULATE_WRITE, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ADVICE_POPULATE_READ, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { .len = sizeof filter / sizeof filter[0], .filter = filter };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
        die("seccomp");
}

/* Installs SIG_IGN (ignore != 0) or foreign_handler for SIGBUS, with SA_SIGINFO either way: sigaction
 * accepts the flag with SIG_IGN too, and stores it. */
static void foreign_handler(int sig, siginfo_t *si, void *ctx);

static void set_sigbus(int ignore)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (ignore)
        sa.sa_handler = SIG_IGN;
    else
        sa.sa_sigaction = foreign_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGBUS, &sa, NULL) != 0)
        die("sigaction");
}

static void install(void)
{
    int rc = capmap_install();
    if (rc != 0) {
        errno = rc;
        die("capmap_install");
    }
}

/* A BUS_MCEERR_AO signal (the kernel found a bad page this process has not touched) sent the way the
 * kernel would.  With SIG_DFL before us, the only right outcome is death by SIGBUS. */
static int mceerr_ao(void)
{
    install();
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGBUS;
    si.si_code = BUS_MCEERR_AO;
    si.si_addr = (void *)0x1000;
    if (syscall(SYS_rt_sigqueueinfo, getpid(), SIGBUS, &si) != 0)
        die("rt_sigqueueinfo");
    printf("survived an asynchronous SIGBUS\n");
    return 0;
}

/* SIG_IGN saved together with SA_SIGINFO: sigaction accepts it.  A kill()-sent SIGBUS must then be ignored. */
static int ign_siginfo(void)
{
    set_sigbus(1);
    install();
    if (kill(getpid(), SIGBUS) != 0)
        die("kill");
    printf("ignored\n");
    return 0;
}

static void foreign_handler(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)si, (void)ctx;
    _exit(42); /* a library's handler that never chains */
}

static int replaced(void)
{
    install();
    set_sigbus(0);
    long page = sysconf(_SC_PAGESIZE);
    void *base = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        die("mmap");
    int rc = capmap_register(base, (uint64_t)page, 0, (uint64_t)page, 0, 0);
    printf("register %d\n", rc);
    return rc == CAPMAP_E_REPLACED ? 0 : 1;
}

static int temp_file(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/probe-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0)
        die("mkstemp");
    unlink(path);
    return fd;
}

static int populate_enomem(void)
{
    install();
    fail_populate_with(ENOMEM);
    const uint64_t reserve = 1u << 20;
    int fd = temp_file("/tmp");
    void *base = mmap(NULL, reserve, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED)
        die("mmap");
    int slot = capmap_register(base, reserve, fd, 65536, 0, 0);
    if (slot < 0) {
        printf("register %d\n", slot);
        return 2;
    }
    int rc = capmap_grow(slot, reserve, 4096, 1);
    printf("grow %d failure %d\n", rc, capmap_failure(slot));
    return rc == 0 && capmap_failure(slot) == 0 ? 0 : 1;
}

struct toucher {
    volatile char *page;
    pthread_barrier_t *start;
};

static void *touch(void *arg)
{
    struct toucher *t = arg;
    pthread_barrier_wait(t->start); /* both threads fault at once, so their faults interleave */
    t->page[0] = 1; /* faults until the handler gives up on the page and maps a throwaway one */
    return NULL;
}

/* `dir` is a small tmpfs the parent mounted.  Fill it, then map a sparse file on it: its pages lie inside the
 * file but can never be allocated.  Without MADV_POPULATE_* the handler cannot ask why they fault; two threads
 * on two such pages must still end in a recorded failure, not retry forever. */
static int no_populate(const char *dir)
{
    install();
    int filler = temp_file(dir);
    static char block[65536];
    memset(block, 'x', sizeof block);
    while (write(filler, block, sizeof block) > 0) {
    }
    if (errno != ENOSPC)
        die("fill");
    const uint64_t size = 1u << 20;
    int fd = temp_file(dir);
    if (ftruncate(fd, (off_t)size) != 0)
        die("ftruncate");
    char *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED)
        die("mmap");
    int slot = capmap_register(base, size, fd, 65536, size, 0);
    if (slot < 0) {
        printf("register %d\n", slot);
        return 2;
    }
    fail_populate_with(EINVAL);
    long page = sysconf(_SC_PAGESIZE);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    struct toucher a = { base + 10 * page, &start }, b = { base + 20 * page, &start };
    pthread_t ta, tb;
    if (pthread_create(&ta, NULL, touch, &a) != 0 || pthread_create(&tb, NULL, touch, &b) != 0)
        die("pthread_create");
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    printf("failure %d\n", capmap_failure(slot));
    return capmap_failure(slot) != 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2 && strcmp(argv[1], "mceerr-ao") == 0)
        return mceerr_ao();
    if (argc >= 2 && strcmp(argv[1], "ign-siginfo") == 0)
        return ign_siginfo();
    if (argc >= 2 && strcmp(argv[1], "replaced") == 0)
        return replaced();
    if (argc >= 2 && strcmp(argv[1], "populate-enomem") == 0)
        return populate_enomem();
    if (argc >= 3 && strcmp(argv[1], "no-populate") == 0)
        return no_populate(argv[2]);
    fprintf(stderr, "usage: handler_probe mceerr-ao|ign-siginfo|replaced|populate-enomem|no-populate DIR\n");
    return 2;
}
