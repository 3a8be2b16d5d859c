// flat_reader.c++ — Cap'n Proto's own C++ reader over a mapped file, for CarriedSchemaReaderTests.
//
// Maps <message file> read-only and reads every message of the stream in turn with
// capnp::FlatArrayMessageReader straight from the mapping (no copy, no framing code of ours), as a C++ program
// that mmaps a file it was given would. Each root is decoded with the dynamic API by the schema of
// <request.bin> (a CodeGeneratorRequest: `capnp compile -o- schema.capnp`, e.g. of Get-CapnpSchema -AsText)
// and printed as one line of JSON by capnp's JsonCodec, the encoder `capnp convert binary:json` uses.
// The stream ends where `capnp convert` and CapMap's MessageStream end it: at the end of the file, or at
// bytes whose segment table declares an empty first segment (slack; no writer makes such a message).
//
//   flat_reader <request.bin> <RootType> <message file>
#include <capnp/compat/json.h>
#include <capnp/dynamic.h>
#include <capnp/message.h>
#include <capnp/schema-loader.h>
#include <capnp/schema.capnp.h>
#include <capnp/serialize.h>
#include <kj/array.h>
#include <kj/debug.h>
#include <kj/string.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int openOrDie(const char* path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) { perror(path); exit(2); }
  return fd;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: flat_reader <request.bin> <RootType> <message file>\n");
    return 2;
  }
  capnp::SchemaLoader loader;
  uint64_t rootId = 0;
  {
    int fd = openOrDie(argv[1]);
    capnp::StreamFdMessageReader request(fd);
    auto nodes = request.getRoot<capnp::schema::CodeGeneratorRequest>().getNodes();
    for (auto node : nodes) loader.load(node);
    // The root by the name inside its file ("Batch", "AllTypes.Inner"), as capnp convert takes it.
    for (auto node : nodes) {
      auto name = node.getDisplayName();
      const char* colon = std::strchr(name.cStr(), ':');
      if (node.isStruct() && !node.getStruct().getIsGroup() && colon != nullptr && std::string(colon + 1) == argv[2])
        rootId = node.getId();
    }
    close(fd);
  }
  if (rootId == 0) { fprintf(stderr, "no struct named %s in %s\n", argv[2], argv[1]); return 2; }
  auto rootSchema = loader.get(rootId).asStruct();

  int fd = openOrDie(argv[3]);
  struct stat st;
  if (fstat(fd, &st) != 0) { perror("fstat"); return 2; }
  size_t bytes = static_cast<size_t>(st.st_size);
  if (bytes % sizeof(capnp::word) != 0) { fprintf(stderr, "%s is not a whole number of words\n", argv[3]); return 3; }
  void* map = mmap(nullptr, bytes, PROT_READ, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED) { perror("mmap"); return 2; }
  close(fd);

  const capnp::word* at = static_cast<const capnp::word*>(map);
  const capnp::word* end = at + bytes / sizeof(capnp::word);
  capnp::ReaderOptions options;
  options.traversalLimitInWords = UINT64_MAX / 16;
  capnp::JsonCodec json;
  while (end - at >= 1) {
    uint32_t table[2];
    memcpy(table, at, sizeof table);
    if (table[1] == 0) break;  // an empty first segment: slack after the last message
    capnp::FlatArrayMessageReader reader(kj::arrayPtr(at, end), options);
    auto text = json.encode(reader.getRoot<capnp::DynamicStruct>(rootSchema));
    fwrite(text.cStr(), 1, text.size(), stdout);
    fputc('\n', stdout);
    at = reader.getEnd();
  }
  munmap(map, bytes);
  return 0;
}
