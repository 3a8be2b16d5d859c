/*
 * capmap_native.c — the SIGBUS-driven growth engine behind CapMap.Mapping.MappedFile.
 *
 * READ THIS FIRST.  This file is the one place in CapMap where a mistake kills the process.
 * Code that runs inside the signal handler (everything reachable from capmap_on_sigbus) must be
 * async-signal-safe:
 *   - no malloc/free, no stdio, no pthread mutexes, no locks that the interrupted code may hold;
 *   - only raw system calls (fstat, fstatfs, fallocate, ftruncate, madvise, mmap, sched_yield,
 *     sigaction, raise) and C11 atomics on static memory;
 *   - errno is saved on entry and restored on exit, because the interrupted code may be between a
 *     system call and its errno check;
 *   - no access to the mapped regions themselves (a nested SIGBUS on the same page would recurse).
 *
 * What it does
 * ------------
 * Managed code maps a huge range of address space MAP_SHARED over a file that starts empty (or
 * short).  A store to a page wholly past EOF makes the kernel raise SIGBUS (si_code BUS_ADRERR)
 * with si_addr = faulting address.  Our handler looks the address up in a lock-free registry of
 * mapped regions; if it belongs to one, it extends the file (fallocate, one chunk at a time) and
 * returns: the kernel then re-executes the faulting instruction, which now succeeds.
 *
 * A fault we cannot satisfy (disk full, quota, RLIMIT_FSIZE, I/O error, file truncated behind our
 * back) never loops and never kills: we record the error in the region's slot (first failure
 * wins), map a throwaway anonymous range over the faulting page .. end of region so the store
 * completes harmlessly, and return.  Managed code polls the slot's failure (capmap_failure) and
 * throws a typed exception.
 *
 * A fault that is not ours (address outside every active region, or not a BUS_ADRERR fault, or a
 * SIGBUS sent by kill()) is chained to the handler that was installed before us — normally the
 * .NET runtime's — exactly as if we were not there.
 *
 * Process-wide side effects (documented for users of the library):
 *   1. SIGBUS gets our handler (installed once, on first use, from managed code — i.e. after the
 *      .NET runtime has installed its own, which we then chain to).
 *   2. If SIGXFSZ is at SIG_DFL we catch it with a handler that does nothing.  Otherwise growing
 *      a file past RLIMIT_FSIZE would kill the whole process with SIGXFSZ; with the signal caught
 *      the growth call just fails with EFBIG, which we report.  A caught signal, not SIG_IGN:
 *      exec() keeps an ignored signal ignored in the new program but resets a caught one to
 *      SIG_DFL, so children started from this process (`ulimit -f 1; head -c 10000 ...`) are still
 *      stopped by SIGXFSZ as they expect.  Other code of this process that relied on SIGXFSZ
 *      killing it will now see EFBIG from write()/ftruncate() instead.
 *
 * Growth on real file systems
 * ---------------------------
 * Growth steps start small (CAPMAP_INITIAL_STEP_PAGES) and double with every growth up to the
 * region's chunk, so a small message allocates and prefaults a few pages and a large one still
 * gets large steps.  A step never asks for more than a fraction of the free space
 * (CAPMAP_FREE_SPACE_SHARE), so a nearly full disk is used in ever smaller steps instead of one
 * doomed chunk.  ext4 and XFS keep the blocks a failed fallocate had allocated before it ran out
 * of space (tmpfs rolls them back); extend_file gives them back, so a failure costs nothing.  Only
 * ranges whose blocks fallocate reserved are prefaulted: on a file system without fallocate
 * (ext2), prefaulting would write zero pages until the disk is full.  Every system call that can
 * be interrupted (fallocate on FUSE or NFS, ftruncate, madvise) is retried on EINTR a bounded
 * number of times (CAPMAP_EINTR_RETRIES): an interruption is not a failure of the message.
 */

/* fallocate(), MAP_ANONYMOUS, MAP_NORESERVE, MADV_* and struct statfs need the GNU extensions. */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define CAPMAP_EXPORT __attribute__((visibility("default")))

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14+; older headers lack it. */
#endif
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE 0x01
#endif
#ifndef FALLOC_FL_COLLAPSE_RANGE
#define FALLOC_FL_COLLAPSE_RANGE 0x08
#endif
#ifndef FALLOC_FL_INSERT_RANGE
#define FALLOC_FL_INSERT_RANGE 0x20
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE 0x02
#endif
#ifndef SEEK_DATA
#define SEEK_DATA 3
#endif

/* ------------------------------------------------------------------------------------------- */
/* Public constants.  Keep in sync with src/CapMap.Core/Platform/NativeMethods.cs.              */
/* ------------------------------------------------------------------------------------------- */

/* Number of regions that can be registered at once.  A fixed array keeps the handler free of
 * allocation and makes lookup a bounded linear scan (<= 1024 slots, each one cache line).  When it
 * is full, capmap_register returns CAPMAP_E_FULL and managed code throws RegistryFullException. */
#define CAPMAP_MAX_REGIONS 1024

/* Negative return codes of the API functions (never stored as a slot failure). */
#define CAPMAP_E_FULL          (-1) /* every slot is in use */
#define CAPMAP_E_INVAL         (-2) /* bad argument (null base, zero length, chunk not page multiple...) */
#define CAPMAP_E_NOT_INSTALLED (-3) /* capmap_install() was not called (or failed) */
#define CAPMAP_E_OVERLAP       (-4) /* range overlaps a region that is already registered */
#define CAPMAP_E_BADSLOT       (-5) /* slot id out of range, not active, or of an older registration */
#define CAPMAP_E_REPLACED      (-6) /* our SIGBUS handler is no longer the installed one */

/* Slot failure codes: 0 = healthy, > 0 = errno of the failing call, < 0 = one of these. */
#define CAPMAP_FAIL_TRUNCATED     (-100) /* file is shorter than what we grew it to: truncated externally */
#define CAPMAP_FAIL_UNRESOLVED    (-101) /* fault inside the file kept recurring and no MADV_POPULATE_WRITE to ask why */
#define CAPMAP_FAIL_READ_PAST_EOF (-102) /* access past EOF of a region registered read-only */

/* Region flags for capmap_register. */
#define CAPMAP_REGION_READONLY 0x1 /* fd is read-only: never grow; a fault past EOF is a failure */
#define CAPMAP_REGION_POPULATE 0x2 /* after growing a chunk in the handler, prefault it writable */

/* Slot phases.  A slot's `state` word holds  generation << 2 | phase  (see CAPMAP_MAX_GENERATION),
 * so that one CAS checks both "is it active" and "is it still the registration this id names". */
enum { SLOT_FREE = 0, SLOT_CLAIMED = 1, SLOT_ACTIVE = 2, SLOT_RETIRING = 3 };
#define PHASE(state) ((state) & 3)
#define GENERATION(state) ((state) >> 2)
#define STATE(gen, phase) (((gen) << 2) | (phase))

/* An in-file fault (page inside the current file size) normally means another thread grew the
 * file between our fault and our lock; the retried access then succeeds.  Only without
 * MADV_POPULATE_WRITE (kernel < 5.14) can we not tell a race from a real page-allocation failure;
 * then we allow this many consecutive faults on the same page before declaring failure. */
#define CAPMAP_INFILE_RETRY_LIMIT 1024u

/* First growth step of a region, in pages (capped at its chunk); each growth doubles the step up
 * to the chunk.  16 pages: a message of a few records stays within one or two steps. */
#define CAPMAP_INITIAL_STEP_PAGES 16u

/* A growth step asks for at most 1/CAPMAP_FREE_SPACE_SHARE of the free space (never less than a
 * page): a message's lanes and its last checkpoint share what is left, and the step shrinks
 * geometrically as the disk fills instead of failing whole. */
#define CAPMAP_FREE_SPACE_SHARE 4u

/* How often an interrupted system call (EINTR) is retried before the interruption is reported.
 * Bounded so that a signal storm cannot hold the growth lock forever; each retry is one system
 * call, and a file system that interrupts this often is not making progress anyway. */
#define CAPMAP_EINTR_RETRIES 64

/* Slot ids handed to managed code are  generation * CAPMAP_MAX_REGIONS + index.  The generation of
 * a slot grows by one at every registration (wrapping inside [1, CAPMAP_MAX_GENERATION]), so an id
 * kept by mistake after its unregister names no slot instead of whatever registration reuses the
 * index.  INT_MAX / 1024 generations per slot before an id can repeat. */
#define CAPMAP_MAX_GENERATION (0x7fffffff / CAPMAP_MAX_REGIONS)

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14+, like MADV_POPULATE_WRITE. */
#endif

/* ------------------------------------------------------------------------------------------- */
/* Registry                                                                                     */
/* ------------------------------------------------------------------------------------------- */

/*
 * One registered region.  Every field is _Atomic so that the handler's racy reads are defined
 * behaviour; the protocol below makes them consistent.
 *
 * Lifecycle / memory-ordering protocol:
 *   register:   CAS state (g, FREE)->(g+1, CLAIMED) (owns the slot, new generation), write all
 *               fields (relaxed), store state (g+1, ACTIVE) (release), return id (g+1)*1024+index.
 *   handler:    load state == ACTIVE (acquire) and address in [base, base+length) (cheap filter),
 *               fetch_add in_use (seq_cst), re-load state (seq_cst): if still ACTIVE, re-read
 *               base/length — they now belong to a registration that cannot be retired until we
 *               decrement in_use — and re-check the address.  Decrement in_use when done.
 *   unregister: CAS state (g, ACTIVE)->(g, RETIRING) (seq_cst) with g taken from the id, spin
 *               until in_use == 0 (seq_cst), clear fields, store (g, FREE) (release).
 *   API calls:  slot_enter_id pins the slot, then checks the generation: pinned, it is final.
 * INVARIANT: an id names one registration only.  A stale id (kept after its unregister) fails
 * every call with CAPMAP_E_BADSLOT and reads as a healthy empty slot; it never reaches the
 * registration that reuses its index.
 * The seq_cst increment/load pair against the seq_cst store/load pair is the Dekker pattern:
 * either the handler sees RETIRING (and backs off), or unregister sees in_use > 0 (and waits).
 * So after capmap_unregister returns no handler is inside the slot and none will enter it for
 * that registration: managed code may munmap and close the fd.
 * The re-read after the in_use increment also defeats ABA (slot retired and re-registered for a
 * different range between our filter and our increment).
 */
typedef struct capmap_slot {
    _Atomic int state;           /* STATE(generation, phase); generation changes only on FREE->CLAIMED */
    _Atomic int in_use;          /* handlers / API calls currently working on this slot */
    _Atomic int grow_lock;       /* spin-lock, held only across the growth system calls */
    _Atomic int failure;         /* 0 healthy; first failure wins (CAS from 0) */
    _Atomic int fd;
    _Atomic int flags;           /* CAPMAP_REGION_* */
    _Atomic int page_wise;       /* 1 after a chunk could not be allocated (ENOSPC/EDQUOT/EFBIG):
                                    from then on faults grow the file one page at a time, so the
                                    last free blocks are used without retrying a doomed chunk */
    _Atomic uintptr_t base;      /* start of the reserved mapping */
    _Atomic uint64_t length;     /* reserved bytes (growth never goes past this) */
    _Atomic uint64_t chunk;      /* largest growth step in bytes, multiple of the page size */
    _Atomic uint64_t step;       /* current growth step: starts at CAPMAP_INITIAL_STEP_PAGES pages,
                                    doubles at every growth up to `chunk` (under the growth lock) */
    _Atomic uint64_t committed;  /* file size we have grown the file to; only grows, except via
                                    capmap_set_length / capmap_collapse (explicit, locked) */
    _Atomic uint64_t faults;     /* SIGBUS faults handled in this region */
    _Atomic uint32_t infile_unresolved; /* in-file faults since the file last grew, counted only
                                       where MADV_POPULATE_* cannot tell us why (kernel < 5.14).
                                       INVARIANT: it is reset by growth alone, never by a fault, so
                                       two threads stuck on two different pages add up instead of
                                       resetting each other: the bound holds for any number of
                                       threads and pages. */
} __attribute__((aligned(64))) capmap_slot; /* one cache line-ish each: no false sharing of locks */

static capmap_slot g_slots[CAPMAP_MAX_REGIONS];

/* Slots [0, g_high_water) may be non-FREE; the handler scans only those.  Never decreases. */
static _Atomic int g_high_water;

/* 0 = not installed, 1 = installing, 2 = installed OK, 3 = install failed. */
static _Atomic int g_install_state;
static _Atomic int g_install_errno;

/* The SIGBUS disposition that was in place before ours; written once before our handler is
 * installed and read-only afterwards. */
static struct sigaction g_prev_sigbus;
static _Atomic int g_sigxfsz_changed; /* 1 if we switched SIGXFSZ from SIG_DFL to our no-op handler */

static uint64_t g_page_size = 4096; /* set at install from sysconf (not signal-safe, so not later) */

/* ------------------------------------------------------------------------------------------- */
/* Small helpers (all async-signal-safe)                                                        */
/* ------------------------------------------------------------------------------------------- */

static inline uint64_t round_down(uint64_t v, uint64_t unit) { return v - (v % unit); }

static inline uint64_t round_up(uint64_t v, uint64_t unit)
{
    uint64_t r = v % unit;
    return r == 0 ? v : v + (unit - r);
}

static void slot_lock(capmap_slot *s)
{
    /* Test-and-test-and-set.  The holder only runs a few system calls, so spinning is short;
     * sched_yield() (a plain system call, signal-safe) keeps two threads on two cores from
     * burning a core each while a fallocate runs.
     * Never taken by a thread that already holds it: nothing under the lock touches region
     * memory, so no SIGBUS can arrive on the holder's thread for this slot. */
    for (;;) {
        if (atomic_exchange_explicit(&s->grow_lock, 1, memory_order_acquire) == 0)
            return;
        unsigned spins = 0;
        while (atomic_load_explicit(&s->grow_lock, memory_order_relaxed) != 0) {
            if (++spins > 100) {
                sched_yield();
                spins = 0;
            }
        }
    }
}

static void slot_unlock(capmap_slot *s) { atomic_store_explicit(&s->grow_lock, 0, memory_order_release); }

/* Record the first failure of a slot; later failures keep the first (the root cause). */
static void record_failure(capmap_slot *s, int code)
{
    int expected = 0;
    if (code == 0)
        code = EIO; /* never record "success" as a failure */
    atomic_compare_exchange_strong(&s->failure, &expected, code);
}

static void atomic_max_u64(_Atomic uint64_t *p, uint64_t v)
{
    uint64_t cur = atomic_load(p);
    while (cur < v && !atomic_compare_exchange_weak(p, &cur, v)) {
    }
}

/* Enter a slot for work (handler or API).  Returns 1 if the slot is ACTIVE and now pinned
 * (in_use incremented; caller must slot_leave), 0 otherwise. */
static int slot_enter(capmap_slot *s)
{
    atomic_fetch_add(&s->in_use, 1); /* seq_cst: see protocol comment */
    if (PHASE(atomic_load(&s->state)) != SLOT_ACTIVE) {
        atomic_fetch_sub(&s->in_use, 1);
        return 0;
    }
    return 1;
}

static void slot_leave(capmap_slot *s) { atomic_fetch_sub_explicit(&s->in_use, 1, memory_order_release); }

/* The slot an id names, or NULL when the id is malformed or belongs to an older registration of
 * the slot.  Only a hint unless the slot is pinned: see slot_enter_id. */
static capmap_slot *slot_by_id(int id)
{
    if (id < 0)
        return NULL;
    capmap_slot *s = &g_slots[id % CAPMAP_MAX_REGIONS];
    if (GENERATION(atomic_load(&s->state)) != id / CAPMAP_MAX_REGIONS)
        return NULL;
    return s;
}

/* Pin the slot named by `id` (slot_enter) and check the generation again while pinned: a pinned
 * ACTIVE slot cannot be unregistered and re-registered, so the check is now final.  Returns the
 * pinned slot (caller must slot_leave) or NULL. */
static capmap_slot *slot_enter_id(int id)
{
    capmap_slot *s = slot_by_id(id);
    if (s == NULL || !slot_enter(s))
        return NULL;
    if (GENERATION(atomic_load(&s->state)) != id / CAPMAP_MAX_REGIONS) {
        slot_leave(s);
        return NULL;
    }
    return s;
}

/*
 * When a prefault fails with EFAULT the kernel only tells us "this access would SIGBUS", not why.
 * For a page inside the file that means the filesystem could not allocate the page (ENOSPC,
 * EDQUOT) or read it (EIO).  fstatfs is a plain system call; a file system with no free blocks
 * for us means ENOSPC, anything else is reported as EIO.
 */
static int classify_populate_failure(int fd, int err)
{
    if (err != EFAULT)
        return err; /* ENOMEM, EIO, ... are already meaningful */
    struct statfs sfs;
    if (fstatfs(fd, &sfs) == 0 && sfs.f_bavail == 0)
        return ENOSPC;
    return EIO;
}

/* ------------------------------------------------------------------------------------------- */
/* Interrupted system calls.  Each wrapper is one raw system call in a bounded loop (signal-safe): */
/* on FUSE or NFS a fallocate can be interrupted by any signal the process receives, and that must */
/* not fail a healthy message.  All return 0 or errno.                                           */
/* ------------------------------------------------------------------------------------------- */

static int fallocate_retry(int fd, int mode, uint64_t off, uint64_t len)
{
    for (int attempt = 0;; attempt++) {
        if (fallocate(fd, mode, (off_t)off, (off_t)len) == 0)
            return 0;
        if (errno != EINTR || attempt >= CAPMAP_EINTR_RETRIES)
            return errno;
    }
}

static int ftruncate_retry(int fd, uint64_t size)
{
    for (int attempt = 0;; attempt++) {
        if (ftruncate(fd, (off_t)size) == 0)
            return 0;
        if (errno != EINTR || attempt >= CAPMAP_EINTR_RETRIES)
            return errno;
    }
}

static int madvise_retry(uintptr_t addr, uint64_t len, int advice)
{
    for (int attempt = 0;; attempt++) {
        if (madvise((void *)addr, (size_t)len, advice) == 0)
            return 0;
        if (errno != EINTR || attempt >= CAPMAP_EINTR_RETRIES)
            return errno;
    }
}

/* ------------------------------------------------------------------------------------------- */
/* Growing the file                                                                             */
/* ------------------------------------------------------------------------------------------- */

/* 1 if [from, to) holds no data (SEEK_DATA finds none before `to`), else 0.  A file system
 * without SEEK_DATA reports every byte as data, so the answer errs towards "data", which only
 * ever means "do not punch".  Moves the descriptor's file offset, which nothing uses: the file is
 * read and written through the mapping alone. */
static int range_is_hole(int fd, uint64_t from, uint64_t to)
{
    off_t data = lseek(fd, (off_t)from, SEEK_DATA);
    if (data < 0)
        return errno == ENXIO; /* no data at or after `from` */
    return (uint64_t)data >= to;
}

/*
 * Give back what a failed extend_file of [off, end) kept.  ext4 and XFS keep the blocks a
 * fallocate allocated before it ran out of space (tmpfs rolls them back), so one failed step
 * could take every free block of a nearly full disk and leave it full.
 *   - Past the old end of file the blocks belong to nobody.  ftruncate to the old size frees
 *     them (ext4 truncates preallocated blocks even when the size does not change) and undoes
 *     the size change of a partial mode-0 fallocate; the punch does the same for a file system
 *     that keeps blocks past EOF across a same-size truncate (XFS).
 *   - Inside the file only a range that was a hole before the call is punched again: anything
 *     else may hold data.
 * Best effort: a failure here leaves blocks allocated, it never loses data.
 */
static void release_kept(int fd, uint64_t off, uint64_t end, uint64_t cur_size, int was_hole)
{
    const int punch = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
    if (end > cur_size) {
        (void)ftruncate_retry(fd, cur_size);
        uint64_t past = off > cur_size ? off : cur_size;
        (void)fallocate_retry(fd, punch, past, end - past);
    }
    if (was_hole)
        (void)fallocate_retry(fd, punch, off, (end < cur_size ? end : cur_size) - off);
}

/*
 * Allocate the blocks of [off, off+len) and make the file at least off+len long; never shrinks
 * it, and holes before `off` stay holes.  Returns 0 or errno; EOPNOTSUPP / ENOSYS when the file
 * system has no fallocate (ext2, some network file systems), and then nothing changed.
 *
 * Allocation uses FALLOC_FL_KEEP_SIZE and lengthens the file only once every block is there: a
 * mode-0 fallocate on ext4 raises the size extent by extent, so another thread could store into
 * a page that vanishes again when a failure gives the blocks back.  On failure (ENOSPC, EDQUOT,
 * EFBIG from the lengthening ftruncate, ...) every block the call kept is given back, so the
 * file and the free space are exactly as before.
 */
static int reserve_blocks(int fd, uint64_t off, uint64_t len, uint64_t cur_size)
{
    const uint64_t end = off + len;
    const int was_hole = off < cur_size && range_is_hole(fd, off, end < cur_size ? end : cur_size);
    int err = fallocate_retry(fd, FALLOC_FL_KEEP_SIZE, off, len);
    if (err == EOPNOTSUPP) /* a file system may know mode 0 only */
        err = fallocate_retry(fd, 0, off, len);
    if (err == EOPNOTSUPP || err == ENOSYS)
        return err;
    if (err == 0 && end > cur_size)
        err = ftruncate_retry(fd, end);
    if (err != 0)
        release_kept(fd, off, end, cur_size, was_hole);
    return err;
}

/*
 * reserve_blocks, or where the file system has no fallocate, lengthen the file (ftruncate, never
 * downwards).  Returns 0 or errno.  *reserved says whether blocks were really allocated: pages of
 * a file that was only lengthened get blocks when first written (and may fail then), so they must
 * not be prefaulted.
 */
static int extend_file(int fd, uint64_t off, uint64_t len, uint64_t cur_size, int *reserved)
{
    const uint64_t end = off + len;
    int err = reserve_blocks(fd, off, len, cur_size);
    *reserved = err == 0;
    if (err == EOPNOTSUPP || err == ENOSYS)
        return end <= cur_size ? 0 : ftruncate_retry(fd, end);
    return err;
}

/* The growth step to use now: the slot's step, but at most a share of the free space and at least
 * one page.  A file system that reports no size at all (f_blocks == 0: some FUSE and network file
 * systems) is not capped; it would otherwise grow page by page. */
static uint64_t current_step(capmap_slot *s, int fd)
{
    uint64_t step = atomic_load(&s->step);
    struct statfs sfs;
    if (fstatfs(fd, &sfs) == 0 && sfs.f_blocks > 0) {
        const uint64_t unit = sfs.f_frsize > 0 ? (uint64_t)sfs.f_frsize : (uint64_t)sfs.f_bsize;
        const uint64_t share = round_down((uint64_t)sfs.f_bavail * unit / CAPMAP_FREE_SPACE_SHARE, g_page_size);
        if (share < step)
            step = share;
    }
    return step < g_page_size ? g_page_size : step;
}

/* After a growth: the next step is twice as large, up to the chunk.  Under the growth lock. */
static void double_step(capmap_slot *s)
{
    const uint64_t chunk = atomic_load(&s->chunk);
    const uint64_t step = atomic_load(&s->step);
    atomic_store(&s->step, step >= chunk / 2 ? chunk : step * 2);
}

/*
 * Grow the file of slot `s` so that byte range [start, end) exists.  Caller holds the growth
 * lock.  `st_size` is the size just read by fstat.  On ENOSPC/EDQUOT/EFBIG for a multi-page
 * range we retry with just the page(s) [min_start, min_end) so that a disk or size limit is used
 * up to the last page before we report failure (the failed range gave its blocks back, see
 * extend_file).  Returns 0 or errno; updates committed and doubles the step.  *reserved as in
 * extend_file, for the range that was grown.
 */
static int grow_locked(capmap_slot *s, int fd, uint64_t start, uint64_t end, uint64_t min_start,
                       uint64_t min_end, uint64_t st_size, int *reserved)
{
    int err = extend_file(fd, start, end - start, st_size, reserved);
    if ((err == ENOSPC || err == EDQUOT || err == EFBIG) && (min_start != start || min_end != end)) {
        atomic_store(&s->page_wise, 1);
        int err2 = extend_file(fd, min_start, min_end - min_start, st_size, reserved);
        if (err2 == 0) {
            end = min_end;
            err = 0;
        } else {
            err = err2; /* report why the minimal range failed */
        }
    }
    if (err != 0)
        return err;
    atomic_max_u64(&s->committed, end);
    atomic_store(&s->infile_unresolved, 0); /* progress: earlier in-file faults may have been races */
    double_step(s);
    return 0;
}

/*
 * Replace [page, end of region) with anonymous private memory so the faulting store (and every
 * later store past it) completes harmlessly.  The data already written below `page` stays
 * file-backed and visible.  The region is failed: managed code will throw on its next check.
 * Returns 1 if the fault is resolved, 0 if even the throwaway mapping failed (then the caller
 * chains the fault and the process dies — the kernel refused a single anonymous page).
 */
static int map_throwaway(capmap_slot *s, uintptr_t base, uint64_t length, uint64_t off)
{
    uintptr_t page = base + round_down(off, g_page_size);
    uint64_t tail = (base + length) - page;
    const int prot = PROT_READ | PROT_WRITE;
    const int fl = MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    if (mmap((void *)page, tail, prot, fl, -1, 0) != MAP_FAILED)
        return 1;
    /* Too many mappings or similar: try the single page. */
    if (mmap((void *)page, g_page_size, prot, fl, -1, 0) != MAP_FAILED)
        return 1;
    record_failure(s, ENOMEM);
    return 0;
}

/*
 * Resolve a SIGBUS at offset `off` of the pinned active slot `s`.
 * Returns 1 when the faulting access may be retried, 0 when the fault must be chained.
 */
static int handle_region_fault(capmap_slot *s, uintptr_t base, uint64_t length, uint64_t off)
{
    atomic_fetch_add_explicit(&s->faults, 1, memory_order_relaxed);

    if (atomic_load(&s->failure) != 0)
        return map_throwaway(s, base, length, off);

    const int fd = atomic_load_explicit(&s->fd, memory_order_relaxed);
    const int flags = atomic_load_explicit(&s->flags, memory_order_relaxed);
    const uint64_t page_off = round_down(off, g_page_size);

    int fail = 0;
    int infile = 0;
    uint64_t populate_start = 0, populate_end = 0;

    slot_lock(s);
    if (atomic_load(&s->failure) != 0) {
        fail = atomic_load(&s->failure);
    } else {
        struct stat st;
        if (fstat(fd, &st) != 0) {
            fail = errno;
        } else if ((uint64_t)st.st_size < atomic_load(&s->committed)) {
            /* Someone truncated the file under us.  Growing it again would silently zero the
             * pages that were cut off; refuse and report. */
            fail = CAPMAP_FAIL_TRUNCATED;
        } else if (off < (uint64_t)st.st_size) {
            infile = 1; /* handled below, outside the lock */
        } else if (flags & CAPMAP_REGION_READONLY) {
            fail = CAPMAP_FAIL_READ_PAST_EOF;
        } else {
            /* Past EOF: allocate the step holding the fault, [round_down(off, step),
             * round_up(off+1, step)) capped at the reservation, but never below the last page
             * of the file: the range is then all past EOF, so a failure can give back every
             * block it kept (extend_file).  While the step doubles from its first few pages, a
             * writer that fills the file in order doubles the file at every fault. */
            uint64_t min_end = page_off + g_page_size;
            if (min_end > length)
                min_end = length;
            uint64_t start = page_off, end = min_end; /* page-wise once a step failed */
            if (!atomic_load(&s->page_wise)) {
                const uint64_t step = current_step(s, fd);
                const uint64_t last_page = round_down((uint64_t)st.st_size, g_page_size);
                start = round_down(off, step);
                if (start < last_page)
                    start = last_page;
                end = round_up(off + 1, step);
                if (end > length)
                    end = length;
            }
            int reserved = 0;
            int err = grow_locked(s, fd, start, end, page_off, min_end, (uint64_t)st.st_size, &reserved);
            if (err != 0) {
                fail = err;
            } else if ((flags & CAPMAP_REGION_POPULATE) && reserved) {
                /* Only blocks the file system reserved are prefaulted: without fallocate each
                 * prefaulted page would take a block, up to a full disk, for pages never written. */
                populate_start = page_off;
                populate_end = atomic_load(&s->committed);
                if (populate_end > end)
                    populate_end = end;
            }
        }
    }
    if (fail != 0)
        record_failure(s, fail);
    slot_unlock(s);

    if (fail != 0)
        return map_throwaway(s, base, length, off);

    if (populate_end > populate_start) {
        /* Prefault the rest of the new step in one call: much cheaper than one page fault per
         * page.  Failure here is not fatal for this access (the page fault itself will tell). */
        (void)madvise_retry(base + populate_start, populate_end - populate_start, MADV_POPULATE_WRITE);
        return 1;
    }

    if (!infile)
        return 1;

    /* The page lies inside the file.  Either another thread grew the file after we faulted (the
     * retry will succeed), or the file system failed to provide the page (ENOSPC on a full
     * tmpfs, a hole on a full disk, EIO).  MADV_POPULATE_* distinguishes the two: it returns an
     * error instead of raising SIGBUS.  A read-only region asks for a readable page (a write
     * prefault of a PROT_READ mapping would fail for the wrong reason). */
    const int advice = (flags & CAPMAP_REGION_READONLY) ? MADV_POPULATE_READ : MADV_POPULATE_WRITE;
    int err = madvise_retry(base + page_off, g_page_size, advice);
    if (err == 0)
        return 1;
    if (err == EINVAL || err == EINTR || err == EAGAIN) {
        /* EINVAL: kernel without MADV_POPULATE_*.  EINTR (interrupted more than
         * CAPMAP_EINTR_RETRIES times) / EAGAIN: transient.  Let the access retry,
         * but bound the in-file faults between two growths (see infile_unresolved): a race costs
         * one fault per racing thread per growth, a page that can never be backed costs
         * CAPMAP_INFILE_RETRY_LIMIT faults in all, however many threads and pages take part. */
        if (atomic_fetch_add(&s->infile_unresolved, 1) + 1 <= CAPMAP_INFILE_RETRY_LIMIT)
            return 1;
        record_failure(s, CAPMAP_FAIL_UNRESOLVED);
        return map_throwaway(s, base, length, off);
    }
    if (err == EFAULT && !(flags & CAPMAP_REGION_READONLY)) {
        /* The page cannot be backed.  Ask the file system why by allocating its block: a full
         * XFS refuses a page while statfs still shows free blocks (they are held back for
         * metadata), so free space alone would call it an I/O error.  If the block can be had
         * after all (space was freed meanwhile), the access retries, bounded like a race. */
        int alloc = fallocate_retry(fd, FALLOC_FL_KEEP_SIZE, page_off, g_page_size);
        if (alloc == ENOSPC || alloc == EDQUOT) {
            record_failure(s, alloc);
            return map_throwaway(s, base, length, off);
        }
        if (alloc == 0 && atomic_fetch_add(&s->infile_unresolved, 1) + 1 <= CAPMAP_INFILE_RETRY_LIMIT)
            return 1;
    }
    record_failure(s, classify_populate_failure(fd, err));
    return map_throwaway(s, base, length, off);
}

/* Find the active region holding `addr` and resolve the fault.  1 = handled, 0 = not ours. */
static int handle_fault(uintptr_t addr)
{
    int hw = atomic_load(&g_high_water);
    for (int i = 0; i < hw; i++) {
        capmap_slot *s = &g_slots[i];
        if (PHASE(atomic_load_explicit(&s->state, memory_order_acquire)) != SLOT_ACTIVE)
            continue;
        uintptr_t base = atomic_load_explicit(&s->base, memory_order_relaxed);
        uint64_t length = atomic_load_explicit(&s->length, memory_order_relaxed);
        if (addr < base || (uint64_t)(addr - base) >= length)
            continue;
        if (!slot_enter(s))
            continue;
        /* Pinned: re-read the fields of the registration we pinned (ABA guard). */
        base = atomic_load(&s->base);
        length = atomic_load(&s->length);
        if (addr < base || (uint64_t)(addr - base) >= length) {
            slot_leave(s);
            continue;
        }
        int r = handle_region_fault(s, base, length, (uint64_t)(addr - base));
        slot_leave(s);
        return r;
    }
    return 0;
}

/*
 * Pass a SIGBUS we do not own to whoever had SIGBUS before us.
 *   - previous SA_SIGINFO handler: call it with the same arguments (the .NET runtime's handler
 *     decides whether the fault is in managed code; if not it restores *its* predecessor and
 *     returns, so the fault re-raises).  It may also leave by restoring a context instead of
 *     returning; that is why we pin nothing while calling it and why we use SA_NODEFER (SIGBUS
 *     would otherwise stay blocked on this thread).
 *   - previous plain handler: call it.
 *   - SIG_DFL: restore the default action.  For a hardware fault, returning re-executes the
 *     faulting access and the kernel delivers SIGBUS with the default action (core dump) — the
 *     same result as if we had never been installed.  For a SIGBUS sent with kill() there is no
 *     re-execution, so we re-raise it.
 *   - SIG_IGN: a synchronous fault cannot be ignored (the kernel would kill the process anyway),
 *     so treat it like SIG_DFL; a kill()-sent SIGBUS is ignored as requested.
 * We deliberately do not apply the previous handler's sa_mask: if that handler leaves through a
 * context switch instead of returning, the extra blocked signals would stay blocked forever
 * (e.g. the runtime's thread-suspension signal).
 */
/*
 * True for the si_codes with which the kernel reports a fault of the interrupted instruction
 * itself: returning from the handler re-executes that instruction, which faults again.
 * BUS_MCEERR_AO ("action optional": memory the process has not touched went bad) is sent
 * asynchronously, like a kill(): there is no instruction to re-execute, so returning would
 * swallow the signal.  si_code <= 0 is a kill()/sigqueue()/tgkill() from user space.
 */
static int is_synchronous_fault(const siginfo_t *si)
{
    if (si == NULL)
        return 0;
    switch (si->si_code) {
    case BUS_ADRALN:
    case BUS_ADRERR:
    case BUS_OBJERR:
#ifdef BUS_MCEERR_AR
    case BUS_MCEERR_AR:
#endif
        return 1;
    default:
        return 0;
    }
}

/* True when the saved disposition is a function to call.  SIG_DFL and SIG_IGN are sentinel values
 * of the same union (0 and 1), whether or not SA_SIGINFO was set with them: sigaction() accepts
 * SA_SIGINFO together with SIG_IGN, and calling address 1 would be a crash of our own making. */
static int is_handler_function(const struct sigaction *p)
{
    return p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN;
}

static void chain_previous(int sig, siginfo_t *si, void *uctx)
{
    const struct sigaction *p = &g_prev_sigbus;
    const int is_fault = is_synchronous_fault(si);
    if (is_handler_function(p)) {
        if (p->sa_flags & SA_SIGINFO)
            p->sa_sigaction(sig, si, uctx);
        else
            p->sa_handler(sig);
        return;
    }
    if (p->sa_handler == SIG_IGN && !is_fault)
        return;
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    if (!is_fault)
        raise(sig);
}

/* The SIGBUS handler. */
static void capmap_on_sigbus(int sig, siginfo_t *si, void *uctx)
{
    const int saved_errno = errno;
    int handled = 0;
    /* Only kernel-generated "address does not exist" faults can be a mapping past EOF (or a
     * failed page allocation inside the file).  BUS_ADRALN (alignment) and BUS_MCEERR_*
     * (hardware memory errors) are never ours; neither is a kill()-sent SIGBUS (si_code <= 0,
     * si_addr meaningless). */
    if (si != NULL && si->si_code == BUS_ADRERR)
        handled = handle_fault((uintptr_t)si->si_addr);
    errno = saved_errno;
    if (handled)
        return; /* the kernel re-executes the faulting access, which now succeeds */
    chain_previous(sig, si, uctx);
    errno = saved_errno;
}

/* ------------------------------------------------------------------------------------------- */
/* Exported API (P/Invoke).  None of these run in signal context.                               */
/* ------------------------------------------------------------------------------------------- */

CAPMAP_EXPORT int capmap_handler_is_installed(void);

/* SIGXFSZ, caught instead of killing the process (see the process-wide note at the top): the
 * system call that passed RLIMIT_FSIZE then fails with EFBIG, which is reported as the message's
 * failure.  Nothing to do here, so nothing that could be unsafe. */
static void capmap_on_sigxfsz(int sig) { (void)sig; }

/*
 * Install the SIGBUS handler (idempotent, thread-safe) and catch SIGXFSZ with a no-op handler if
 * it is at SIG_DFL.  Must be called after the .NET runtime started (it is: from managed code on first
 * use), so that the runtime's handler is the one we chain to.  Returns 0 or errno.
 */
CAPMAP_EXPORT int capmap_install(void)
{
    int expected = 0;
    if (!atomic_compare_exchange_strong(&g_install_state, &expected, 1)) {
        while (atomic_load(&g_install_state) == 1)
            sched_yield();
        return atomic_load(&g_install_state) == 2 ? 0 : atomic_load(&g_install_errno);
    }

    long ps = sysconf(_SC_PAGESIZE);
    if (ps > 0)
        g_page_size = (uint64_t)ps;

    /* Read the current disposition first, so that g_prev_sigbus is complete before our handler
     * can ever run (reading it from the install call's oldact would leave a window in which a
     * fault on another thread sees it half written). */
    if (sigaction(SIGBUS, NULL, &g_prev_sigbus) != 0)
        goto fail;
    atomic_thread_fence(memory_order_seq_cst);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = capmap_on_sigbus;
    sigemptyset(&sa.sa_mask);
    /* SA_SIGINFO: we need si_addr/si_code.  SA_NODEFER: see chain_previous.  SA_RESTART: a
     * SIGBUS never interrupts a blocking call, but be polite anyway.  SA_ONSTACK only if the
     * previous handler used it: the handler we chain to then runs on the stack it expects. */
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_RESTART | (g_prev_sigbus.sa_flags & SA_ONSTACK);
    if (sigaction(SIGBUS, &sa, NULL) != 0)
        goto fail;

    /* SIGXFSZ: see the process-wide note at the top of this file.  Caught, not SIG_IGN: an
     * ignored signal stays ignored across exec, so every child would lose SIGXFSZ too.
     * SA_RESTART: the signal arrives during the one call that passed the limit, which fails
     * with EFBIG either way; no other call should see EINTR because of it. */
    struct sigaction xf;
    if (sigaction(SIGXFSZ, NULL, &xf) == 0 && !(xf.sa_flags & SA_SIGINFO) && xf.sa_handler == SIG_DFL) {
        struct sigaction noop;
        memset(&noop, 0, sizeof noop);
        noop.sa_handler = capmap_on_sigxfsz;
        noop.sa_flags = SA_RESTART;
        sigemptyset(&noop.sa_mask);
        if (sigaction(SIGXFSZ, &noop, NULL) == 0)
            atomic_store(&g_sigxfsz_changed, 1);
    }

    atomic_store(&g_install_state, 2);
    return 0;

fail:
    atomic_store(&g_install_errno, errno);
    atomic_store(&g_install_state, 3);
    return atomic_load(&g_install_errno);
}

/*
 * Describe the installed state: bit 0 = handler installed, bit 1 = previous SIGBUS disposition
 * was a handler (we chain to it), bit 2 = previous was SIG_DFL, bit 3 = we catch SIGXFSZ
 * (it was at SIG_DFL), bit 4 = our handler runs on the alternate signal stack.
 */
CAPMAP_EXPORT int capmap_install_info(void)
{
    if (atomic_load(&g_install_state) != 2)
        return 0;
    int info = 1;
    if (is_handler_function(&g_prev_sigbus))
        info |= 2;
    else if (g_prev_sigbus.sa_handler == SIG_DFL)
        info |= 4;
    if (atomic_load(&g_sigxfsz_changed))
        info |= 8;
    if (g_prev_sigbus.sa_flags & SA_ONSTACK)
        info |= 16;
    return info;
}

CAPMAP_EXPORT int capmap_capacity(void) { return CAPMAP_MAX_REGIONS; }

/* Number of slots currently not FREE (diagnostics and tests). */
CAPMAP_EXPORT int capmap_active_count(void)
{
    int n = 0, hw = atomic_load(&g_high_water);
    for (int i = 0; i < hw; i++)
        if (PHASE(atomic_load(&g_slots[i].state)) != SLOT_FREE)
            n++;
    return n;
}

/*
 * Register [base, base+length) as a growing mapping of `fd`.  `chunk` is the largest growth
 * step (multiple of the page size; steps start at a few pages and double up to it), `committed` the current file size (what the file already is: 0
 * for a new file), flags CAPMAP_REGION_*.  Returns the slot id (>= 0) or CAPMAP_E_*.
 * Any thread, any time; the caller keeps fd open and the range mapped until capmap_unregister
 * returned.
 */
CAPMAP_EXPORT int capmap_register(void *base, uint64_t length, int fd, uint64_t chunk, uint64_t committed, int flags)
{
    if (atomic_load(&g_install_state) != 2)
        return CAPMAP_E_NOT_INSTALLED;
    /* A region is only safe while faults reach our handler.  A library that installed its own
     * SIGBUS handler after us, without chaining, would turn the next growth fault into a crash
     * far from its cause; refuse here, where the caller can still report it.  (A replacement
     * that does chain to us is refused too: sigaction cannot tell the two apart.) */
    if (!capmap_handler_is_installed())
        return CAPMAP_E_REPLACED;
    uintptr_t b = (uintptr_t)base;
    if (b == 0 || length == 0 || fd < 0 || chunk == 0 || chunk % g_page_size != 0 ||
        b % g_page_size != 0 || length % g_page_size != 0 || b + length < b)
        return CAPMAP_E_INVAL;

    /* Overlap check against active regions: a sanity check (two registrations of one address
     * would make the lookup ambiguous).  Racy against a concurrent register of an overlapping
     * range, which can only happen if the caller mapped the same addresses twice. */
    int hw = atomic_load(&g_high_water);
    for (int i = 0; i < hw; i++) {
        capmap_slot *o = &g_slots[i];
        if (PHASE(atomic_load(&o->state)) != SLOT_ACTIVE)
            continue;
        uintptr_t ob = atomic_load(&o->base);
        uint64_t ol = atomic_load(&o->length);
        if (b < ob + ol && ob < b + length)
            return CAPMAP_E_OVERLAP;
    }

    for (int i = 0; i < CAPMAP_MAX_REGIONS; i++) {
        capmap_slot *s = &g_slots[i];
        int expected = atomic_load(&s->state);
        if (PHASE(expected) != SLOT_FREE)
            continue;
        /* A new generation as the slot is claimed: ids of the previous registration stop naming
         * this slot from here on. */
        const int gen = GENERATION(expected) % CAPMAP_MAX_GENERATION + 1;
        if (!atomic_compare_exchange_strong(&s->state, &expected, STATE(gen, SLOT_CLAIMED)))
            continue;
        /* The slot is ours; no handler looks at a CLAIMED slot. */
        atomic_store_explicit(&s->base, b, memory_order_relaxed);
        atomic_store_explicit(&s->length, length, memory_order_relaxed);
        atomic_store_explicit(&s->fd, fd, memory_order_relaxed);
        atomic_store_explicit(&s->flags, flags, memory_order_relaxed);
        atomic_store_explicit(&s->page_wise, 0, memory_order_relaxed);
        atomic_store_explicit(&s->chunk, chunk, memory_order_relaxed);
        const uint64_t first_step = CAPMAP_INITIAL_STEP_PAGES * g_page_size;
        atomic_store_explicit(&s->step, first_step < chunk ? first_step : chunk, memory_order_relaxed);
        atomic_store_explicit(&s->committed, committed, memory_order_relaxed);
        atomic_store_explicit(&s->failure, 0, memory_order_relaxed);
        atomic_store_explicit(&s->faults, 0, memory_order_relaxed);
        atomic_store_explicit(&s->infile_unresolved, 0, memory_order_relaxed);
        atomic_store_explicit(&s->grow_lock, 0, memory_order_relaxed);

        /* Publish the high-water mark before the slot becomes visible as ACTIVE. */
        int cur = atomic_load(&g_high_water);
        while (cur < i + 1 && !atomic_compare_exchange_weak(&g_high_water, &cur, i + 1)) {
        }
        atomic_store_explicit(&s->state, STATE(gen, SLOT_ACTIVE), memory_order_release);
        return gen * CAPMAP_MAX_REGIONS + i;
    }
    return CAPMAP_E_FULL;
}

/*
 * Unregister a slot.  Waits until no handler (and no API call) is working inside it; after it
 * returns the handler ignores the region, so the caller may munmap and close the fd.  Returns 0
 * or CAPMAP_E_BADSLOT.
 */
CAPMAP_EXPORT int capmap_unregister(int slot)
{
    capmap_slot *s = slot_by_id(slot);
    if (s == NULL)
        return CAPMAP_E_BADSLOT;
    /* One CAS on generation and phase together: it retires exactly the registration `slot`
     * names, never a later one that reuses the index. */
    const int gen = slot / CAPMAP_MAX_REGIONS;
    int expected = STATE(gen, SLOT_ACTIVE);
    if (!atomic_compare_exchange_strong(&s->state, &expected, STATE(gen, SLOT_RETIRING)))
        return CAPMAP_E_BADSLOT;
    unsigned spins = 0;
    while (atomic_load(&s->in_use) != 0) {
        if (++spins > 100)
            sched_yield();
    }
    atomic_store_explicit(&s->base, 0, memory_order_relaxed);
    atomic_store_explicit(&s->length, 0, memory_order_relaxed);
    atomic_store_explicit(&s->fd, -1, memory_order_relaxed);
    atomic_store_explicit(&s->state, STATE(gen, SLOT_FREE), memory_order_release);
    return 0;
}

/*
 * Prefault [from, to) of a grown range writable (managed calls only, never the handler).  A kernel
 * without MADV_POPULATE_WRITE (EINVAL) or a transient EAGAIN (or EINTR past the retries) is not a failure: the first
 * touch will fault the pages in.  Anything else is recorded as the slot's failure and returned.
 */
static int populate_range(capmap_slot *s, int fd, uintptr_t base, uint64_t from, uint64_t to)
{
    int err = madvise_retry(base + from, to - from, MADV_POPULATE_WRITE);
    if (err == 0)
        return 0;
    /* ENOMEM: no memory to prefault right now, which is the kernel declining advice, not the
     * file failing — the handler ignores the same error (the first touch faults the page in, or
     * fails and tells us why). */
    if (err == EINVAL || err == EINTR || err == EAGAIN || err == ENOMEM)
        return 0;
    int fail = classify_populate_failure(fd, err);
    record_failure(s, fail);
    return fail;
}

/*
 * Entry of the growth calls made from managed code: pins the slot (so unregister waits for us) and
 * refuses a slot that already failed.  Returns the pinned slot, or NULL with *fail set to
 * CAPMAP_E_BADSLOT or the recorded failure (then nothing is pinned).
 */
static capmap_slot *enter_healthy_slot(int slot, int *fail)
{
    capmap_slot *s = slot_enter_id(slot);
    if (s == NULL) {
        *fail = CAPMAP_E_BADSLOT;
        return NULL;
    }
    *fail = atomic_load(&s->failure);
    if (*fail != 0) {
        slot_leave(s);
        return NULL;
    }
    return s;
}

/*
 * What an eager-growth call (capmap_grow, capmap_commit_range) reads of its slot on entry.  The
 * descriptor, the reservation's length and the mapping's base are set at register and cleared only
 * by unregister, which waits until no call has the slot pinned: one load each, on entry, serves the
 * whole call.
 */
typedef struct growth_call {
    capmap_slot *slot; /* pinned: the call ends with slot_leave(slot) */
    int fd;
    uint64_t length;   /* reserved bytes: growth never goes past this */
    uintptr_t base;    /* start of the mapping, for the prefault */
} growth_call;

/*
 * Entry of the eager-growth calls: pins a healthy slot (enter_healthy_slot) and loads what the call
 * needs of it into *call.  Returns 0 with the slot pinned, or CAPMAP_E_BADSLOT or the recorded failure
 * with nothing pinned (then *call is not to be used).  Only atomic loads and the pin: safe in a signal
 * handler like the rest of this file, although only managed threads call it.
 */
static int enter_growth_call(int slot, growth_call *call)
{
    int fail = 0;
    call->slot = enter_healthy_slot(slot, &fail);
    if (call->slot == NULL)
        return fail;
    call->fd = atomic_load(&call->slot->fd);
    call->length = atomic_load(&call->slot->length);
    call->base = atomic_load(&call->slot->base);
    return 0;
}

/*
 * EAGER growth: make the file `want` bytes (capped at the reservation and at the current growth
 * step past the file's end, see current_step) — or, if that much cannot be allocated
 * (ENOSPC/EDQUOT/EFBIG), at least `need` bytes — using the same locked path as the handler, then
 * optionally prefault the newly reserved range writable with MADV_POPULATE_WRITE (ignored where
 * unsupported; skipped where the file system has no fallocate).  Returns 0, a positive errno or a CAPMAP_FAIL_* code; a failure is
 * recorded in the slot (first failure wins) and returned by every later call.
 */
CAPMAP_EXPORT int capmap_grow(int slot, uint64_t want, uint64_t need, int populate)
{
    growth_call c;
    int fail = enter_growth_call(slot, &c);
    if (fail != 0)
        return fail;
    uint64_t target = round_up(want, g_page_size);
    if (target > c.length)
        target = c.length;
    uint64_t minimum = round_up(need, g_page_size);
    if (minimum > target)
        minimum = target;
    uint64_t before = 0;
    int reserved = 0;

    slot_lock(c.slot);
    before = atomic_load(&c.slot->committed);
    if (target > before) {
        struct stat st;
        if (atomic_load(&c.slot->flags) & CAPMAP_REGION_READONLY)
            fail = EBADF;
        else if (fstat(c.fd, &st) != 0)
            fail = errno;
        else if ((uint64_t)st.st_size < before)
            fail = CAPMAP_FAIL_TRUNCATED;
        else if ((uint64_t)st.st_size >= target)
            atomic_max_u64(&c.slot->committed, target); /* already long enough (e.g. reopened file) */
        else {
            const uint64_t size = (uint64_t)st.st_size;
            /* In proportion: at most one step past the end, unless the caller needs more now. */
            const uint64_t step_end = size + current_step(c.slot, c.fd);
            if (target > step_end)
                target = step_end > minimum ? step_end : minimum;
            if (size >= minimum) {
                /* Enough for the caller; try for the rest but do not fail if it is not there. */
                atomic_max_u64(&c.slot->committed, size);
                (void)grow_locked(c.slot, c.fd, size, target, size, target, size, &reserved);
            } else {
                fail = grow_locked(c.slot, c.fd, size, target, size, minimum, size, &reserved);
            }
        }
        target = atomic_load(&c.slot->committed) < target ? atomic_load(&c.slot->committed) : target;
    }
    if (fail != 0)
        record_failure(c.slot, fail);
    slot_unlock(c.slot);

    if (fail == 0 && populate && reserved && target > before)
        fail = populate_range(c.slot, c.fd, c.base, round_down(before, g_page_size), target);
    slot_leave(c.slot);
    return fail;
}

/*
 * EAGER growth of one lane: allocate the blocks of [offset, offset+len) (page-rounded, capped at
 * the reservation and at one growth step unless `need` asks for more) with fallocate mode 0, which extends the size when the range passes EOF and
 * leaves every hole before `offset` a hole.  A message with a streaming list grows two lanes with
 * a reserved gap between them; capmap_grow would allocate the whole gap, this does not.  Same
 * lock, same truncation check and failure recording as the handler.  Optionally prefaults the
 * range.  If the whole range cannot be allocated (ENOSPC/EDQUOT/EFBIG) but `need` < `len`, settles
 * for [offset, offset+need) — a lane asks for a chunk ahead, but must not fail while the bytes it
 * actually writes still fit.  `*committed_end` (may be NULL) receives the end actually allocated.
 * Prefaults only what the file system reserved (see extend_file).
 * Returns 0, a positive errno or a CAPMAP_FAIL_* code.
 */
CAPMAP_EXPORT int capmap_commit_range(int slot, uint64_t offset, uint64_t len, uint64_t need, int populate,
                                      uint64_t *committed_end)
{
    growth_call c;
    int fail = enter_growth_call(slot, &c);
    if (fail != 0)
        return fail;
    uint64_t start = round_down(offset, g_page_size);
    uint64_t end = round_up(offset + len, g_page_size);
    if (end > c.length)
        end = c.length;
    uint64_t min_end = round_up(offset + (need < len ? need : len), g_page_size);
    if (min_end > end)
        min_end = end;
    if (committed_end != NULL)
        *committed_end = offset + len;
    if (start >= end) {
        slot_leave(c.slot);
        return 0;
    }

    int reserved = 0;
    slot_lock(c.slot);
    struct stat st;
    if (atomic_load(&c.slot->flags) & CAPMAP_REGION_READONLY)
        fail = EBADF;
    else if (fstat(c.fd, &st) != 0)
        fail = errno;
    else if ((uint64_t)st.st_size < atomic_load(&c.slot->committed))
        fail = CAPMAP_FAIL_TRUNCATED;
    else {
        /* In proportion: one step ahead at most, but never less than the caller needs. */
        const uint64_t step_end = start + current_step(c.slot, c.fd);
        if (end > step_end) {
            end = step_end > min_end ? step_end : min_end;
            if (committed_end != NULL)
                *committed_end = end;
        }
        fail = extend_file(c.fd, start, end - start, (uint64_t)st.st_size, &reserved);
        if ((fail == ENOSPC || fail == EDQUOT || fail == EFBIG) && min_end > start && min_end < end) {
            int fail2 = extend_file(c.fd, start, min_end - start, (uint64_t)st.st_size, &reserved);
            if (fail2 == 0) {
                end = min_end;
                if (committed_end != NULL)
                    *committed_end = min_end;
            }
            fail = fail2; /* on failure: why even the minimal range failed */
        }
        if (fail == 0) {
            atomic_max_u64(&c.slot->committed, end);
            double_step(c.slot);
        }
    }
    if (fail != 0)
        record_failure(c.slot, fail);
    slot_unlock(c.slot);

    if (fail == 0 && populate && reserved)
        fail = populate_range(c.slot, c.fd, c.base, start, end);
    slot_leave(c.slot);
    return fail;
}

/*
 * Reserve the blocks of [offset, offset+len) if the file system can, for a caller that has another
 * way when it cannot (MappedFile.TryAllocateRange): unlike capmap_commit_range, a refusal is an
 * answer, not the message's failure, so nothing is recorded.  Same lock, and a failed allocation
 * gives back the blocks it took (glibc's posix_fallocate would leave them to a nearly full ext4 or
 * XFS, and on ext2 would write zeros instead).  Returns 0 or errno: ENOSPC/EDQUOT/EFBIG, EOPNOTSUPP
 * (no fallocate), CAPMAP_FAIL_TRUNCATED, or the slot's recorded failure.
 */
CAPMAP_EXPORT int capmap_try_reserve(int slot, uint64_t offset, uint64_t len)
{
    int fail = 0;
    capmap_slot *s = enter_healthy_slot(slot, &fail);
    if (s == NULL)
        return fail;
    const int fd = atomic_load(&s->fd);
    slot_lock(s);
    struct stat st;
    if (fstat(fd, &st) != 0)
        fail = errno;
    else if ((uint64_t)st.st_size < atomic_load(&s->committed))
        fail = CAPMAP_FAIL_TRUNCATED;
    else if ((fail = reserve_blocks(fd, offset, len, (uint64_t)st.st_size)) == 0)
        atomic_max_u64(&s->committed, offset + len > (uint64_t)st.st_size ? offset + len : (uint64_t)st.st_size);
    slot_unlock(s);
    slot_leave(s);
    return fail;
}

/*
 * Final cut (or explicit resize): ftruncate the file to `bytes` under the growth lock and make
 * `committed` equal to it — the one place where committed goes down.  Must not race with
 * writers of the region (the caller's contract).  Returns 0 or errno.
 */
CAPMAP_EXPORT int capmap_set_length(int slot, uint64_t bytes)
{
    capmap_slot *s = slot_enter_id(slot);
    if (s == NULL)
        return CAPMAP_E_BADSLOT;
    int err = 0;
    slot_lock(s);
    err = ftruncate_retry(atomic_load(&s->fd), bytes);
    if (err == 0) {
        /* A cut (a message completed down to its data, then the next one opened after it) starts the
         * steps again from the first: otherwise each message of a file whose records change shape, one
         * message per change, grew and prefaulted a step twice the last, up to the whole chunk. */
        if (bytes < atomic_load(&s->committed)) {
            const uint64_t first_step = CAPMAP_INITIAL_STEP_PAGES * g_page_size;
            const uint64_t chunk = atomic_load(&s->chunk);
            atomic_store(&s->step, first_step < chunk ? first_step : chunk);
        }
        atomic_store(&s->committed, bytes);
    }
    slot_unlock(s);
    slot_leave(s);
    return err;
}

/*
 * Shift the blocks of the file from `off` on by `len` without copying a byte: mode
 * FALLOC_FL_COLLAPSE_RANGE removes [off, off+len) (what follows moves down), FALLOC_FL_INSERT_RANGE
 * puts a hole of `len` bytes at `off` (what follows moves up).  ext4 and XFS do both by rewriting
 * extents; the kernel writes back the dirty pages from `off` on and drops them from the page cache,
 * so every shared mapping of the file sees the shifted content at its next touch.  Both values must be
 * multiples of the file system block size and `off` must lie inside the file; tmpfs refuses.
 *
 * Runs under the growth lock, so no fault of this region grows the file in the middle of the shift,
 * and sets committed to the new file size (the shift changes it by exactly `len`).  Not called from
 * the signal handler: the caller stops writing the region first (its contract).  Returns 0 or errno
 * (EOPNOTSUPP: the file system cannot; EINVAL: unaligned or outside the file).
 */
static int shift_range(int slot, int mode, uint64_t off, uint64_t len)
{
    capmap_slot *s = slot_enter_id(slot);
    if (s == NULL)
        return CAPMAP_E_BADSLOT;
    int err = 0;
    int fd = atomic_load(&s->fd);
    slot_lock(s);
    err = fallocate_retry(fd, mode, off, len);
    if (err == 0) {
        struct stat st;
        if (fstat(fd, &st) == 0)
            atomic_store(&s->committed, (uint64_t)st.st_size);
        else
            err = errno;
    }
    slot_unlock(s);
    slot_leave(s);
    return err;
}

/* Remove [off, off+len) from the middle of the file (finish closing a gap); see shift_range. */
CAPMAP_EXPORT int capmap_collapse(int slot, uint64_t off, uint64_t len)
{
    return shift_range(slot, FALLOC_FL_COLLAPSE_RANGE, off, len);
}

/* Open a hole of len bytes at off, moving what follows up (a streaming list outgrew its room while
 * the lanes after it hold data); see shift_range. */
CAPMAP_EXPORT int capmap_insert(int slot, uint64_t off, uint64_t len)
{
    return shift_range(slot, FALLOC_FL_INSERT_RANGE, off, len);
}

/* Slot queries.  Return 0 for an inactive slot or an id of an older registration. */
CAPMAP_EXPORT int capmap_failure(int slot)
{
    capmap_slot *s = slot_by_id(slot);
    return s == NULL ? 0 : atomic_load(&s->failure);
}

/* Address of the slot's failure code, for readers that poll it after every object they read: one
 * plain load instead of a call.  Static memory, valid for the life of the process; it describes
 * this registration until capmap_unregister(slot) returns (the caller stops reading it then).
 * NULL for an inactive slot. */
CAPMAP_EXPORT const _Atomic int *capmap_failure_address(int slot)
{
    capmap_slot *s = slot_by_id(slot);
    return s == NULL ? NULL : &s->failure;
}

/* 1 if the installed SIGBUS disposition is still our handler, 0 if something replaced it. */
CAPMAP_EXPORT int capmap_handler_is_installed(void)
{
    struct sigaction cur;
    if (sigaction(SIGBUS, NULL, &cur) != 0)
        return 0;
    return (cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == capmap_on_sigbus;
}

CAPMAP_EXPORT uint64_t capmap_fault_count(int slot)
{
    capmap_slot *s = slot_by_id(slot);
    return s == NULL ? 0 : atomic_load(&s->faults);
}

CAPMAP_EXPORT uint64_t capmap_committed(int slot)
{
    capmap_slot *s = slot_by_id(slot);
    return s == NULL ? 0 : atomic_load(&s->committed);
}

/* The step the next growth of the slot would take (current_step: the doubling step, capped by the
 * free space; one page once a step failed), for writers that commit ranges ahead themselves
 * (Eager lanes that grow downwards, which capmap_commit_range cannot shorten for them).  0 for an
 * inactive slot. */
CAPMAP_EXPORT uint64_t capmap_growth_step(int slot)
{
    capmap_slot *s = slot_enter_id(slot);
    if (s == NULL)
        return 0;
    uint64_t step = atomic_load(&s->page_wise) ? g_page_size : current_step(s, atomic_load(&s->fd));
    slot_leave(s);
    return step;
}

/* fallocate(fd, mode, off, len) → 0 or errno (EINTR retried).  Mono.Posix only has posix_fallocate (mode 0
 * semantics, and glibc may emulate it by writing zeros); the probe needs the real call with
 * flags (KEEP_SIZE, COLLAPSE_RANGE). */
CAPMAP_EXPORT int capmap_fallocate(int fd, int mode, uint64_t off, uint64_t len)
{
    return fallocate_retry(fd, mode, off, len);
}

/* collapse_range(fd, off, len) on an unregistered fd → 0 or errno. */
CAPMAP_EXPORT int capmap_collapse_range(int fd, uint64_t off, uint64_t len)
{
    return capmap_fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, off, len);
}

/* madvise(addr, len, MADV_POPULATE_WRITE) → 0 or errno (EINVAL: kernel older than 5.14).
 * Mono.Posix predates this advice value. */
CAPMAP_EXPORT int capmap_populate_write(void *addr, uint64_t len)
{
    return madvise_retry((uintptr_t)addr, len, MADV_POPULATE_WRITE);
}

/* statfs f_type of the file system holding fd (0 or errno).  Mono.Posix exposes statvfs, which
 * has no file system type. */
CAPMAP_EXPORT int capmap_fs_type(int fd, int64_t *type)
{
    struct statfs sfs;
    if (fstatfs(fd, &sfs) != 0)
        return errno;
    *type = (int64_t)sfs.f_type;
    return 0;
}
