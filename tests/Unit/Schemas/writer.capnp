# Test schema for StructWriter: kinds interop.capnp does not cover (AnyPointer, interfaces, recursion, nested lists).
@0xd1c3f0a2b4e6a8c1;

interface Greeter {
  greet @0 (name :Text) -> (reply :Text);
}

struct Tree {
  label @0 :Text;
  children @1 :List(Tree);
  weights @2 :List(Float32);
}

struct Odd {
  any @0 :AnyPointer;
  cap @1 :Greeter;
  greeters @2 :List(Greeter);
  textListList @3 :List(List(Text));
  dataList @4 :List(Data);
  boolList @5 :List(Bool);
  uInt64List @6 :List(UInt64);
  int16List @7 :List(Int16);
  uInt32List @8 :List(UInt32);
  uInt8List @9 :List(UInt8);
  tree @10 :Tree;
  float32 @11 :Float32;
  flag @12 :Bool;
}
