@0xc3a1f0e2b4d59687;

# The benchmark record (docs/benchmarks.md). One shape for every workload: the C# core bench, the C++
# reference (bench/cpp/reference.c++) and the PowerShell export/import comparison.

enum Kind {
  alpha @0;
  beta @1;
  gamma @2;
  delta @3;
}

struct Record {
  id @0 :UInt64;
  timestamp @1 :Int64;
  count @2 :Int32;
  kind @3 :Kind;
  value @4 :Float64;
  name @5 :Text;
  payload @6 :Data;
  tags @7 :List(Text);
  union {
    none @8 :Void;
    code @9 :UInt32;
    label @10 :Text;
  }
}

struct Batch {
  name @0 :Text;
  records @1 :List(Record);
}
