# Test schema for the CapMap cmdlets: an operations log. Record has every kind of field the cmdlets map
# (integers, floats, Text, enum, Data, List(Text), a nested struct, a group and an unnamed union).
@0x86581993f455a586;

enum Severity {
  debug @0;
  info @1;
  warning @2;
  error @3;
  critical @4;
}

struct Host {
  name @0 :Text;
  port @1 :UInt16;
}

struct Record {
  id @0 :UInt64;
  pid @1 :Int32;
  cpu @2 :Float64;
  ratio @3 :Float32;
  priority @4 :UInt8;
  name @5 :Text;
  severity @6 :Severity;
  payload @7 :Data;
  tags @8 :List(Text);
  host @9 :Host;
  location :group {
    region @10 :Text;
    rack @11 :Int16;
  }
  union {
    none @12 :Void;
    exitCode @13 :Int32;
    message @14 :Text;
  }
  ok @15 :Bool;
}

# The usual root: one list of records plus a few header fields.
struct Batch {
  source @0 :Text;
  createdUnix @1 :Int64;
  records @2 :List(Record);
}

# A root with two struct lists and a struct field: -Field must be given.
struct Report {
  title @0 :Text;
  primary @1 :Host;
  records @2 :List(Record);
  hosts @3 :List(Host);
  detail @4 :Detail;
  meta :group {
    owner @5 :Text;
    version @6 :UInt32;
  }
}

# Nested path target: Report.detail.samples.
struct Detail {
  note @0 :Text;
  samples @1 :List(Host);
}
