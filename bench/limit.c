/*
 * limit.c — what the hardware and kernel allow (docs/benchmarks.md, workload 2 "The limit").
 *
 * Writes <bytes> bytes into a new file through a MAP_SHARED mapping the way the fastest possible mapped
 * writer would: fallocate the whole size up front, prefault it writable with MADV_POPULATE_WRITE (one call
 * per 64 MiB chunk, as CapMap grows), then fill it with a cheap non-zero pattern (8-byte stores). No
 * message logic at all. With fsync=1 it msyncs and fsyncs at the end, like a flushed Complete.
 *
 *   limit <file> <bytes> <fsync 0|1>
 * prints one JSON line: {"tool":"limit","bytes":...,"wall_s":...,"peak_rss_mib":...,"peak_anon_rss_mib":...}
 */
#define _GNU_SOURCE 1
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0) { kb = atol(line + n); break; }
    if (f) fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    if (argc < 4) { fprintf(stderr, "usage: limit <file> <bytes> <fsync 0|1>\n"); return 2; }
    const char *path = argv[1];
    uint64_t bytes = strtoull(argv[2], NULL, 10);
    int do_fsync = atoi(argv[3]);
    const uint64_t chunk = 64ull << 20;
    bytes = (bytes + 4095) & ~4095ull;

    double t0 = now();
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) { perror("open"); return 1; }
    if (fallocate(fd, 0, 0, (off_t)bytes) != 0) { perror("fallocate"); return 1; }
    uint8_t *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) { perror("mmap"); return 1; }
    long peak_anon = 0;
    for (uint64_t off = 0; off < bytes; off += chunk) {
        uint64_t len = bytes - off < chunk ? bytes - off : chunk;
        if (madvise(base + off, len, MADV_POPULATE_WRITE) != 0) { perror("madvise(MADV_POPULATE_WRITE)"); return 1; }
        uint64_t *w = (uint64_t *)(base + off);
        for (uint64_t i = 0; i < len / 8; i++) w[i] = (off / 8 + i) * 0x9e3779b97f4a7c15ull;
        long anon = status_kb("RssAnon:");
        if (anon > peak_anon) peak_anon = anon;
    }
    if (do_fsync) {
        if (msync(base, bytes, MS_SYNC) != 0) { perror("msync"); return 1; }
        if (fsync(fd) != 0) { perror("fsync"); return 1; }
    }
    munmap(base, bytes);
    close(fd);
    double wall = now() - t0;
    printf("{\"tool\":\"limit\",\"fsync\":%s,\"bytes\":%llu,\"wall_s\":%.4f,\"peak_rss_mib\":%.1f,\"peak_anon_rss_mib\":%.1f}\n",
           do_fsync ? "true" : "false", (unsigned long long)bytes, wall, status_kb("VmHWM:") / 1024.0, peak_anon / 1024.0);
    return 0;
}
