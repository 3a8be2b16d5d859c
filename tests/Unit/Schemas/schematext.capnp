# What Get-CapnpSchema -AsText must write for explicit schemas beyond interop.capnp (SchemaTextInteropTests):
# generics, interfaces with inline and named parameter lists, annotations on every kind of declaration with
# Void, struct and list arguments, non-finite floats, struct and list constants, shadowed names, an import from
# Cap'n Proto's own include folder.
@0xc8d35b1e0f4a6e21;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("capmap::schematext");

using TopRange = Range;

annotation marker (*) :Void;
annotation label (struct, field, enum, enumerant, group, union, const, interface, annotation, file) :Text;
annotation range (field, param) :Range;
annotation tags (struct) :List(Text);

struct Range $marker {
  low @0 :Int32;
  high @1 :Int32 = 10;
}

struct Pair(Key, Value) $label("generic") {
  key @0 :Key;
  value @1 :Value;
  count @2 :UInt16;
}

enum Level $label("levels") {
  low @0 $label("the lowest");
  high @2;
  mid @1 $marker;
}

struct Shadow $tags(["a", "b"]) {
  # A nested Range shadows the top-level one: a reference to that must not resolve to this.
  struct Range {
    unit @0 :Text;
  }
  outer @0 :TopRange;
  inner @1 :Range;
  pair @2 :Pair(Text, Range);
  floats :group $label("floats") {
    posInf @3 :Float32 = inf;
    negInf @4 :Float64 = -inf;
    notANumber @5 :Float64 = nan;
    negZero @6 :Float64 = -0.0;
    tiny @7 :Float32 = 1.0e-40;
    third @8 :Float32 = 0.33333334;
  }
  choice :union $label("choice") {
    none @9 :Void $marker;
    level @10 :Level = mid;
    ranges @11 :List(List(TopRange)) = [[(low = 1)], [], [(high = 3), (low = -1, high = 0)]];
  }
  limit @12 :Int64 = -9223372036854775808 $range(low = -1, high = 1);
  levels @13 :List(Level) = [high, low];
  bytes @14 :Data = 0x"00ff7f";
}

interface Store $label("store") {
  get @0 (key :Text, range :TopRange = (low = 2) $range(high = 4)) -> (value :Data, level :Level);
  put @1 TopRange -> Shadow;
  nothing @2 () -> ();
}

interface NamedStore extends(Store) {
  list @0 () -> (keys :List(Text));
}

const defaultRange :Range = (low = -5, high = 5) $label("range");
const levelNames :List(Text) = ["low", "mid", "high"];
const half :Float32 = 0.5;
