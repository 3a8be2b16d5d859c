# Test schema for the object layer (ObjectMessageWriter/Reader, FieldPath): nested paths, unions, groups.
@0xe2b4c6d8f0a1b3c5;

struct Rec {
  id @0 :UInt32;
  name @1 :Text;
}

struct Detail {
  note @0 :Text;
  samples @1 :List(Rec);
}

struct Report {
  records @0 :List(Rec);
  detail @1 :Detail;
  union {
    label @2 :Text;
    hosts @3 :List(Rec);
  }
  meta :group {
    owner @4 :Text;
    version @5 :UInt32;
  }
}
