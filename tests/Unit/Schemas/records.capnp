# The shape tests/TestWriter (and MappedMessageBuilderTests.BuildRecords) write without a schema: root pointer 0 is
# the label, pointer 1 the streamed list; Record has id in data word 0, name and tags in pointers 0 and 1.
@0xb2c13cd99028fd8d;

struct Record {
  id @0 :Int64;
  name @1 :Text;
  tags @2 :List(Text);
}

struct Root {
  label @0 :Text;
  records @1 :List(Record);
}
