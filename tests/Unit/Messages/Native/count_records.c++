// count_records.c++ — a reader CapMap did not write, for LargeMessageTests: libcapnp's FlatArrayMessageReader
// walks a file of messages (the stream framing) without a schema (AnyStruct), and in every message reads the
// root's Text at pointer 0 and the List(Struct) at pointer <listPointer>. Each element's data word 0 must be its
// index across the whole file and data word <checkWord> its complement, so every record is read and counted.
//
//   count_records <file> <listPointer> <checkWord>
// prints "message <i> offset <bytes> records <n> label <text>" per message, then "total <messages> <records> bad <n>".
#include <capnp/any.h>
#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 4) { fprintf(stderr, "usage: count_records <file> <listPointer> <checkWord>\n"); return 2; }
  unsigned listPointer = (unsigned)atoi(argv[2]);
  unsigned checkWord = (unsigned)atoi(argv[3]);
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) { perror(argv[1]); return 2; }
  void* mapped = mmap(nullptr, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  if (mapped == MAP_FAILED) { perror("mmap"); return 2; }
  madvise(mapped, (size_t)st.st_size, MADV_SEQUENTIAL);

  const capnp::word* begin = reinterpret_cast<const capnp::word*>(mapped);
  kj::ArrayPtr<const capnp::word> rest(begin, (size_t)st.st_size / sizeof(capnp::word));
  capnp::ReaderOptions options;
  options.traversalLimitInWords = UINT64_MAX;  // one list is gigabytes
  uint64_t messages = 0, records = 0, bad = 0;
  while (rest.size() > 0) {
    capnp::FlatArrayMessageReader reader(rest, options);
    auto root = reader.getRoot<capnp::AnyStruct>();
    auto pointers = root.getPointerSection();
    if (pointers.size() <= listPointer) { fprintf(stderr, "message %" PRIu64 ": the root has no pointer %u\n", messages, listPointer); return 1; }
    auto label = pointers[0].getAs<capnp::Text>();
    auto list = pointers[listPointer].getAs<capnp::AnyList>().as<capnp::List<capnp::AnyStruct>>();
    for (auto element : list) {
      auto data = element.getDataSection();
      uint64_t id = 0, check = 0;
      if (data.size() > checkWord * 8) {
        memcpy(&id, data.begin(), 8);
        memcpy(&check, data.begin() + checkWord * 8, 8);
      }
      if (id != records || check != ~id) bad++;
      records++;
    }
    printf("message %" PRIu64 " offset %td records %u label %s\n", messages, (rest.begin() - begin) * (ptrdiff_t)sizeof(capnp::word), list.size(), label.cStr());
    messages++;
    rest = kj::arrayPtr(reader.getEnd(), rest.end());
  }
  printf("total %" PRIu64 " %" PRIu64 " bad %" PRIu64 "\n", messages, records, bad);
  return 0;
}
