# Demo schema: a snapshot of the process table (tools/Demo.ps1).
@0xfeb3d272b9ee247e;

struct Snapshot {
  host @0 :Text;
  takenUnix @1 :Int64;
  processes @2 :List(Process);
}

struct Process {
  pid @0 :Int32;
  name @1 :Text;
  cpuSeconds @2 :Float64;
  workingSet @3 :UInt64;
  threads @4 :UInt32;
  priority @5 :Priority;
  started :union {
    unknown @6 :Void;
    unix @7 :Int64;
  }
}

enum Priority {
  normal @0;
  high @1;
  low @2;
}
