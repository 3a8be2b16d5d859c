// reference.c++ — the reference C++ Cap'n Proto writer for docs/benchmarks.md (workload 1 "Core").
//
// Builds the same Batch as bench/CapMap.Bench (same deterministic generator, record i is a pure function
// of i) with capnp::MallocMessageBuilder, then writes it with capnp::writeMessageToFd: the usual way a C++
// program produces a big Cap'n Proto file. With fsync=1 it fsyncs the file after writing.
//
//   reference <file> <records> <fsync 0|1> [payloadBytes=8] [firstSegmentWords]
// With firstSegmentWords large enough for the whole message, the result is the compact one-segment
// encoding (near pointers only) that CapMap's message bytes are compared with.
// prints one JSON line with build_s, finish_s (writeMessageToFd [+ fsync]), wall_s, peak_rss_mib (VmHWM)
// and peak_anon_rss_mib (RssAnon sampled every 5 ms by a thread and at the end of the build).
#include "bench.capnp.h"
#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/string.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <thread>
#include <unistd.h>
#include <vector>

static long statusKb(const char* key) {
  FILE* f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = 0;
  size_t n = strlen(key);
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, key, n) == 0) { kb = atol(line + n); break; }
  if (f) fclose(f);
  return kb;
}

static std::atomic<long> peakAnonKb{0};
static void sampleAnon() {
  long anon = statusKb("RssAnon:");
  long seen = peakAnonKb.load();
  while (anon > seen && !peakAnonKb.compare_exchange_weak(seen, anon)) {}
}

// The generator (keep in step with bench/CapMap.Bench/Generator.cs).
static inline uint64_t mix(uint64_t x) {
  uint64_t z = x + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

int main(int argc, char** argv) {
  if (argc < 4) { fprintf(stderr, "usage: reference <file> <records> <fsync 0|1> [payloadBytes]\n"); return 2; }
  const char* path = argv[1];
  long long records = atoll(argv[2]);
  bool doFsync = atoi(argv[3]) != 0;
  int payloadBytes = argc > 4 ? atoi(argv[4]) : 8;

  std::atomic<bool> stop{false};
  std::thread sampler([&] {
    while (!stop.load()) { sampleAnon(); std::this_thread::sleep_for(std::chrono::milliseconds(5)); }
  });

  auto t0 = std::chrono::steady_clock::now();
  unsigned firstSegmentWords = argc > 5 ? static_cast<unsigned>(atoll(argv[5])) : capnp::SUGGESTED_FIRST_SEGMENT_WORDS;
  capnp::MallocMessageBuilder message(firstSegmentWords);
  auto batch = message.initRoot<Batch>();
  batch.setName("bench");
  auto list = batch.initRecords(static_cast<unsigned>(records));
  char text[32];
  std::vector<kj::byte> payload(payloadBytes);
  for (long long i = 0; i < records; i++) {
    uint64_t h = mix(static_cast<uint64_t>(i));
    auto r = list[static_cast<unsigned>(i)];
    r.setId(static_cast<uint64_t>(i));
    r.setTimestamp(1700000000000LL + i * 1000);
    r.setCount(static_cast<int32_t>(h & 0x7fffffff));
    r.setKind(static_cast<Kind>(i % 4));
    r.setValue(i * 0.25);
    int n = snprintf(text, sizeof text, "rec-%lld", i);
    r.setName(capnp::Text::Reader(text, n));
    for (int k = 0; k < payloadBytes; k++)
      payload[k] = static_cast<kj::byte>(static_cast<kj::byte>(h >> (8 * (k & 7))) + (k >> 3));
    r.setPayload(capnp::Data::Reader(payload.data(), payload.size()));
    auto tags = r.initTags(1);
    n = snprintf(text, sizeof text, "t%lld", i % 100);
    tags.set(0, capnp::Text::Reader(text, n));
    switch (i % 3) {
      case 1: r.setCode(static_cast<uint32_t>(h >> 32)); break;
      case 2:
        n = snprintf(text, sizeof text, "L%lld", i % 1000);
        r.setLabel(capnp::Text::Reader(text, n));
        break;
      default: r.setNone(); break;
    }
  }
  auto t1 = std::chrono::steady_clock::now();
  sampleAnon();

  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) { perror("open"); return 1; }
  capnp::writeMessageToFd(fd, message);
  if (doFsync && fsync(fd) != 0) { perror("fsync"); return 1; }
  close(fd);
  auto t2 = std::chrono::steady_clock::now();
  sampleAnon();
  stop = true;
  sampler.join();

  long long bytes = 0;
  for (auto segment : message.getSegmentsForOutput()) bytes += segment.size() * 8;
  bytes += ((message.getSegmentsForOutput().size() + 2) & ~size_t(1)) * 4;
  double build = std::chrono::duration<double>(t1 - t0).count();
  double finish = std::chrono::duration<double>(t2 - t1).count();
  printf("{\"tool\":\"cpp\",\"fsync\":%s,\"records\":%lld,\"payload_bytes\":%d,\"bytes\":%lld,\"segments\":%zu,"
         "\"build_s\":%.4f,\"finish_s\":%.4f,\"wall_s\":%.4f,\"peak_rss_mib\":%.1f,\"peak_anon_rss_mib\":%.1f}\n",
         doFsync ? "true" : "false", records, payloadBytes, bytes, message.getSegmentsForOutput().size(),
         build, finish, build + finish, statusKb("VmHWM:") / 1024.0, peakAnonKb.load() / 1024.0);
  fflush(stdout);
  // Like any program that is done: exit without freeing (the heap teardown is not part of the work).
  _exit(0);
}
