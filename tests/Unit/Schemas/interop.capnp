# Interop test schema for CapMap: every field type, unions, groups, defaults, nesting, imports.
@0xb4efe89d7e9b1dc8;

using Common = import "common.capnp";

enum Color {
  red @0;
  green @1;
  blue @2;
  alpha @3;
}

struct AllTypes {
  voidField @0 :Void;
  boolField @1 :Bool;
  int8Field @2 :Int8;
  int16Field @3 :Int16;
  int32Field @4 :Int32;
  int64Field @5 :Int64;
  uInt8Field @6 :UInt8;
  uInt16Field @7 :UInt16;
  uInt32Field @8 :UInt32;
  uInt64Field @9 :UInt64;
  float32Field @10 :Float32;
  float64Field @11 :Float64;
  textField @12 :Text;
  dataField @13 :Data;
  enumField @14 :Color;
  structField @15 :Inner;

  voidList @16 :List(Void);
  boolList @17 :List(Bool);
  int8List @18 :List(Int8);
  uInt16List @19 :List(UInt16);
  int32List @20 :List(Int32);
  float32List @21 :List(Float32);
  int64List @22 :List(Int64);
  float64List @23 :List(Float64);
  textList @24 :List(Text);
  dataList @25 :List(Data);
  structList @26 :List(Inner);
  int32ListList @27 :List(List(Int32));
  enumList @28 :List(Color);

  # Fields with explicit, non-zero defaults.
  defaultBool @29 :Bool = true;
  defaultInt8 @30 :Int8 = -5;
  defaultInt16 @31 :Int16 = -1234;
  defaultInt32 @32 :Int32 = 123456;
  defaultInt64 @33 :Int64 = -9000000000;
  defaultUInt8 @34 :UInt8 = 200;
  defaultUInt16 @35 :UInt16 = 60000;
  defaultUInt32 @36 :UInt32 = 4000000000;
  defaultUInt64 @37 :UInt64 = 18000000000000000000;
  defaultFloat32 @38 :Float32 = 1.5;
  defaultFloat64 @39 :Float64 = -2.25e10;
  defaultEnum @40 :Color = blue;
  defaultText @41 :Text = "hello default";
  defaultData @42 :Data = 0x"01 02 fe ff";
  defaultStruct @43 :Inner = (id = 7, name = "seven", tags = ["a", "b"]);
  defaultInt32List @44 :List(Int32) = [1, -2, 3];

  # Unnamed union: members of several kinds, including a struct and a Void.
  union {
    unsetChoice @45 :Void;
    choiceInt @46 :Int32;
    choiceText @47 :Text;
    choiceStruct @48 :Inner;
    choiceFloat @49 :Float64;
  }

  # Named union.
  shape :union {
    circle @50 :Float64;
    square @51 :Float32;
    nothing @52 :Void;
    label @53 :Text;
  }

  # Plain group.
  location :group {
    lat @54 :Float64;
    lon @55 :Float64;
    name @56 :Text;
  }

  # Named group containing a union.
  settings :group {
    verbose @57 :Bool;
    mode :union {
      auto @58 :Void;
      manual @59 :UInt32;
      scheduled @60 :Text;
    }
  }

  # Imported types.
  point @61 :Common.Point;
  shade @62 :Common.Shade = dark;
  points @63 :List(Common.Point);

  struct Inner {
    id @0 :UInt32;
    name @1 :Text;
    tags @2 :List(Text);
    color @3 :Color = green;
    deep @4 :Deep;

    struct Deep {
      level @0 :UInt8;
      flag @1 :Bool = true;
    }
  }

  const answer :Int32 = 42;
}

struct Record $note("one streamed record") {
  id @0 :UInt64;
  value @1 :Float64;
  name @2 :Text $note("record name");
  flag @3 :Bool;
}

struct Batch {
  records @0 :List(Record);
  label @1 :Text;
  count @2 :UInt64;

  # Shares its short name with AllTypes.Inner.Deep (ambiguous-name tests).
  struct Deep {
    note @0 :Text;
  }
}

const defaultLabel :Text = "batch";

annotation note(struct, field) :Text;

# Schema evolution: older versions of Record/Batch, and a primitive list upgraded to a struct list.
struct RecordV0 {
  id @0 :UInt64;
}

struct BatchV0 {
  records @0 :List(RecordV0);
}

struct Wrapped {
  value @0 :Int32;
  text @1 :Text;
}

struct ListsV0 {
  values @0 :List(Int32);
  names @1 :List(Text);
}

struct ListsV1 {
  values @0 :List(Wrapped);
  names @1 :List(Wrapped);
}
