# The shape of tests/Unit/Messages/ContinuationTests.cs: a root with fields of every kind besides the streamed
# list, so a message continued in the next one can be checked to carry all of them.
@0xc71d0871d2688daa;

struct Item {
  id @0 :Int64;
  name @1 :Text;
}

struct Meta {
  source @0 :Text;
  numbers @1 :List(Int32);
  tags @2 :List(Text);
}

struct Root {
  label @0 :Text;
  items @1 :List(Item);
  version @2 :UInt32;
  meta @3 :Meta;
  done @4 :List(Item);
}
