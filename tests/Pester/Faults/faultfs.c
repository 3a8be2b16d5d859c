/*
 * faultfs.c — a tiny FUSE file system for tests/Pester/FileErrorCauses.Tests.ps1 that makes two causes of
 * file errors real on a kernel that cannot make them otherwise: EDQUOT (no CONFIG_QUOTA) and EIO (no device-mapper
 * to fail a disk).
 *
 * It is a passthrough over a backing directory (every operation is the same system call on the file of the same
 * name under `backing`), except for two rules the test chooses with mount options:
 *
 *   quota=BYTES  The files of the mount may grow by BYTES in all, as a user's block quota would let them.  Every
 *                operation that makes a file longer (write past the end, fallocate past the end, truncate to a
 *                larger size) is charged what it adds; truncating to a smaller size and unlinking give it back.
 *                An operation that would go over fails with EDQUOT and changes nothing, as ext4 does.  Files that
 *                were in the backing directory before the mount are free: only growth is charged.  0 = no quota.
 *   eio=NAMES    Reading a file whose last path component is one of NAMES (separated by ':') fails with EIO, as
 *                a failing disk does.  The
 *                kernel asks for the data with FUSE reads both for read(2) and for page faults of a mapping
 *                (the page cache of a FUSE file is filled by the file system), so this reaches mmap readers.
 *
 * Everything CapMap does to a message file must work here as on a disk file: open/create with O_EXCL and
 * O_NOFOLLOW (the kernel resolves the path with lookups and getattr, so O_NOFOLLOW needs nothing of ours),
 * flock (not implemented here on purpose: the kernel then keeps flock locks locally, which is all one machine
 * needs), fallocate (mode 0 and PUNCH_HOLE|KEEP_SIZE pass through; anything the backing file system refuses, such
 * as COLLAPSE_RANGE on tmpfs, fails with its errno), ftruncate, fstat, statfs, shared writable mmap (no direct_io,
 * so the kernel's page cache backs the mapping), rename and unlink.
 *
 * Build: gcc -Wall -O2 faultfs.c $(pkg-config --cflags --libs fuse3) -o faultfs   (Debian: libfuse3-dev)
 * Run:   faultfs MOUNTPOINT -o backing=DIR[,quota=BYTES][,eio=NAME[:NAME...]]   (returns once mounted)
 * Stop:  fusermount3 -u MOUNTPOINT
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* The mount options of the two rules and the backing directory; parsed once, read-only afterwards. */
static struct {
    char *backing;
    unsigned long long quota; /* bytes the files may grow by in all; 0 = no quota */
    char *eio;                /* ':'-separated file names whose reads fail with EIO; NULL = none */
} config;

static const struct fuse_opt option_spec[] = {
    {"backing=%s", offsetof(typeof(config), backing), 0},
    {"quota=%llu", offsetof(typeof(config), quota), 0},
    {"eio=%s", offsetof(typeof(config), eio), 0},
    FUSE_OPT_END,
};

/* The backing directory, opened once: every path of the mount is resolved relative to it with the *at calls. */
static int backing_fd = -1;

/* Bytes charged to the quota so far.  libfuse runs operations on several threads, so the charge and the
 * operation it pays for happen under one lock: two writers cannot both fit in the last free bytes. */
static pthread_mutex_t quota_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long charged;

/* A mount path ("/a/b") as a path relative to backing_fd ("a/b"; "." for the root). */
static const char *relative(const char *path)
{
    while (*path == '/')
        path++;
    return *path ? path : ".";
}

static int is_eio_file(const char *path)
{
    if (config.eio == NULL)
        return 0;
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t length = strlen(name);
    for (const char *entry = config.eio; *entry != '\0';) {
        size_t entry_length = strcspn(entry, ":");
        if (entry_length == length && strncmp(entry, name, length) == 0)
            return 1;
        entry += entry_length + (entry[entry_length] == ':');
    }
    return 0;
}

/* Runs a size-changing operation under the quota: `new_end` is the size the file would have at least afterwards.
 * Growth past the quota fails with -EDQUOT before the operation runs; otherwise the operation runs and, if it
 * succeeded, the quota is charged (or credited) the change of the file's real size.  Returns 0 or -errno. */
typedef int (*sized_operation)(int fd, void *args);

static int under_quota(int fd, off_t new_end, sized_operation operation, void *args)
{
    struct stat before, after;
    int result = 0;
    pthread_mutex_lock(&quota_lock);
    if (fstat(fd, &before) != 0) {
        result = -errno;
    } else if (config.quota != 0 && new_end > before.st_size
               && charged + (unsigned long long)(new_end - before.st_size) > config.quota) {
        result = -EDQUOT;
    } else {
        result = operation(fd, args);
        if (result >= 0 && fstat(fd, &after) == 0) {
            if (after.st_size > before.st_size)
                charged += (unsigned long long)(after.st_size - before.st_size);
            else
                charged -= (unsigned long long)(before.st_size - after.st_size) < charged
                               ? (unsigned long long)(before.st_size - after.st_size) : charged;
        }
    }
    pthread_mutex_unlock(&quota_lock);
    return result;
}

static int ffs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
    int r = fi ? fstat((int)fi->fh, st) : fstatat(backing_fd, relative(path), st, AT_SYMLINK_NOFOLLOW);
    return r == 0 ? 0 : -errno;
}

static int ffs_readlink(const char *path, char *buf, size_t size)
{
    ssize_t n = readlinkat(backing_fd, relative(path), buf, size - 1);
    if (n < 0)
        return -errno;
    buf[n] = '\0';
    return 0;
}

static int ffs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t offset, struct fuse_file_info *fi,
                       enum fuse_readdir_flags flags)
{
    (void)offset; (void)fi; (void)flags;
    int fd = openat(backing_fd, relative(path), O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -errno;
    DIR *dir = fdopendir(fd);
    if (dir == NULL) {
        int e = errno;
        close(fd);
        return -e;
    }
    for (struct dirent *d; (d = readdir(dir)) != NULL;) {
        struct stat st = {.st_ino = d->d_ino, .st_mode = (mode_t)d->d_type << 12};
        if (fill(buf, d->d_name, &st, 0, 0) != 0)
            break;
    }
    closedir(dir);
    return 0;
}

static int ffs_mkdir(const char *path, mode_t mode) { return mkdirat(backing_fd, relative(path), mode) == 0 ? 0 : -errno; }
static int ffs_rmdir(const char *path) { return unlinkat(backing_fd, relative(path), AT_REMOVEDIR) == 0 ? 0 : -errno; }
static int ffs_symlink(const char *target, const char *path) { return symlinkat(target, backing_fd, relative(path)) == 0 ? 0 : -errno; }

/* Unlinking gives the file's bytes back to the quota (an approximation when other links remain; tests use none). */
static int ffs_unlink(const char *path)
{
    struct stat st;
    int have = fstatat(backing_fd, relative(path), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
    pthread_mutex_lock(&quota_lock);
    int r = unlinkat(backing_fd, relative(path), 0) == 0 ? 0 : -errno;
    if (r == 0 && have)
        charged -= (unsigned long long)st.st_size < charged ? (unsigned long long)st.st_size : charged;
    pthread_mutex_unlock(&quota_lock);
    return r;
}

static int ffs_rename(const char *from, const char *to, unsigned int flags)
{
    return renameat2(backing_fd, relative(from), backing_fd, relative(to), flags) == 0 ? 0 : -errno;
}

static int ffs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
    int r = fi ? fchmod((int)fi->fh, mode) : fchmodat(backing_fd, relative(path), mode, 0);
    return r == 0 ? 0 : -errno;
}

static int ffs_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
    int r = fi ? fchown((int)fi->fh, uid, gid) : fchownat(backing_fd, relative(path), uid, gid, AT_SYMLINK_NOFOLLOW);
    return r == 0 ? 0 : -errno;
}

static int ffs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
    int r = fi ? futimens((int)fi->fh, tv) : utimensat(backing_fd, relative(path), tv, AT_SYMLINK_NOFOLLOW);
    return r == 0 ? 0 : -errno;
}

static int do_ftruncate(int fd, void *args) { return ftruncate(fd, *(off_t *)args) == 0 ? 0 : -errno; }

/* truncate(2) and ftruncate(2) both arrive here (fi is set for the latter); growth is charged to the quota. */
static int ffs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
    int fd = fi ? (int)fi->fh : openat(backing_fd, relative(path), O_WRONLY | O_NOFOLLOW);
    if (fd < 0)
        return -errno;
    int r = under_quota(fd, size, do_ftruncate, &size);
    if (!fi)
        close(fd);
    return r;
}

/* The open flags reach the backing file as given, except O_CREAT/O_EXCL/O_TRUNC, which the kernel has already
 * dealt with (create below, or a truncate before the open). */
static int ffs_open(const char *path, struct fuse_file_info *fi)
{
    int fd = openat(backing_fd, relative(path), (fi->flags & ~(O_CREAT | O_EXCL | O_TRUNC)) | O_NOFOLLOW);
    if (fd < 0)
        return -errno;
    fi->fh = (uint64_t)fd;
    return 0;
}

static int ffs_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
    int fd = openat(backing_fd, relative(path), fi->flags | O_CREAT | O_NOFOLLOW, mode);
    if (fd < 0)
        return -errno;
    fi->fh = (uint64_t)fd;
    return 0;
}

static int ffs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
    if (is_eio_file(path))
        return -EIO;
    ssize_t n = pread((int)fi->fh, buf, size, off);
    return n >= 0 ? (int)n : -errno;
}

struct write_args { const char *buf; size_t size; off_t off; ssize_t written; };

static int do_pwrite(int fd, void *args)
{
    struct write_args *w = args;
    w->written = pwrite(fd, w->buf, w->size, w->off);
    return w->written >= 0 ? 0 : -errno;
}

/* Writes past the end are charged; the dirty pages of a shared mapping arrive here too, at writeback. */
static int ffs_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
    (void)path;
    struct write_args w = {buf, size, off, 0};
    int r = under_quota((int)fi->fh, off + (off_t)size, do_pwrite, &w);
    return r < 0 ? r : (int)w.written;
}

struct fallocate_args { int mode; off_t off, len; };

static int do_fallocate(int fd, void *args)
{
    struct fallocate_args *a = args;
    return fallocate(fd, a->mode, a->off, a->len) == 0 ? 0 : -errno;
}

/* mode 0 grows the file and is charged; KEEP_SIZE modes (PUNCH_HOLE) cannot grow it, and under_quota charges the
 * real change of size only, so they cost nothing.  Modes the backing file system refuses fail with its errno. */
static int ffs_fallocate(const char *path, int mode, off_t off, off_t len, struct fuse_file_info *fi)
{
    (void)path;
    struct fallocate_args a = {mode, off, len};
    return under_quota((int)fi->fh, (mode & FALLOC_FL_KEEP_SIZE) ? 0 : off + len, do_fallocate, &a);
}

static int ffs_statfs(const char *path, struct statvfs *st)
{
    (void)path;
    return fstatvfs(backing_fd, st) == 0 ? 0 : -errno;
}

static int ffs_flush(const char *path, struct fuse_file_info *fi)
{
    (void)path; (void)fi;
    return 0;
}

static int ffs_release(const char *path, struct fuse_file_info *fi)
{
    (void)path;
    close((int)fi->fh);
    return 0;
}

static int ffs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
    (void)path;
    int r = datasync ? fdatasync((int)fi->fh) : fsync((int)fi->fh);
    return r == 0 ? 0 : -errno;
}

static off_t ffs_lseek(const char *path, off_t off, int whence, struct fuse_file_info *fi)
{
    (void)path;
    off_t r = lseek((int)fi->fh, off, whence);
    return r >= 0 ? r : -errno;
}

/* Attribute and entry caches off: a size changed by one process (or by the backing file) is what the next fstat
 * of another sees, as on a local file system; CapMap compares sizes to tell a cut file from a failed read. */
static void *ffs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
    (void)conn;
    cfg->entry_timeout = 0;
    cfg->attr_timeout = 0;
    cfg->negative_timeout = 0;
    cfg->use_ino = 1;
    return NULL;
}

static const struct fuse_operations operations = {
    .init = ffs_init,
    .getattr = ffs_getattr,
    .readlink = ffs_readlink,
    .readdir = ffs_readdir,
    .mkdir = ffs_mkdir,
    .rmdir = ffs_rmdir,
    .symlink = ffs_symlink,
    .unlink = ffs_unlink,
    .rename = ffs_rename,
    .chmod = ffs_chmod,
    .chown = ffs_chown,
    .utimens = ffs_utimens,
    .truncate = ffs_truncate,
    .open = ffs_open,
    .create = ffs_create,
    .read = ffs_read,
    .write = ffs_write,
    .fallocate = ffs_fallocate,
    .statfs = ffs_statfs,
    .flush = ffs_flush,
    .release = ffs_release,
    .fsync = ffs_fsync,
    .lseek = ffs_lseek,
};

int main(int argc, char *argv[])
{
    struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
    if (fuse_opt_parse(&args, &config, option_spec, NULL) != 0)
        return 1;
    if (config.backing == NULL) {
        fprintf(stderr, "faultfs: -o backing=DIR is required\n");
        return 1;
    }
    backing_fd = open(config.backing, O_RDONLY | O_DIRECTORY);
    if (backing_fd < 0) {
        perror(config.backing);
        return 1;
    }
    /* fuse_main mounts, then (without -f) detaches into the background: the mount exists once this returns. */
    int r = fuse_main(args.argc, args.argv, &operations, NULL);
    fuse_opt_free_args(&args);
    return r;
}
