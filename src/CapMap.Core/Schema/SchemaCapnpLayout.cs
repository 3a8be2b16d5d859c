namespace CapMap.Schema;

/// <summary>
/// Field positions of the structs in Cap'n Proto's own <c>schema.capnp</c>
/// (shipped by libcapnp-dev as <c>capnp/schema.capnp</c>; file id 0xa93fc509624c72d9).
/// The numbers were taken from <c>capnp compile -ocapnp capnp/schema.capnp</c>, which annotates each field
/// with <c>bits[a, b)</c> or <c>ptr[i]</c>. Data offsets here are in units of the field's own size, exactly
/// like <c>Field.slot.offset</c> (bit offset for Bool, byte offset for 8-bit values, 16-bit units for
/// 16-bit values and so on); pointer offsets are pointer-section indexes.
/// </summary>
internal static class SchemaCapnpLayout
{
    /// <summary><c>struct CodeGeneratorRequest @0xbfc546f6210ad7ce  # 0 bytes, 4 ptrs</c></summary>
    internal static class CodeGeneratorRequest
    {
        public const int NodesPtr = 0;            // nodes @0 :List(Node)              ptr[0]
        public const int RequestedFilesPtr = 1;   // requestedFiles @1 :List(RequestedFile) ptr[1]
        public const int CapnpVersionPtr = 2;     // capnpVersion @2 :CapnpVersion     ptr[2]
        public const int SourceInfoPtr = 3;       // sourceInfo @3 :List(Node.SourceInfo) ptr[3]
    }

    /// <summary><c>struct CodeGeneratorRequest.RequestedFile  # 8 bytes, 2 ptrs</c></summary>
    internal static class RequestedFile
    {
        public const int IdU64 = 0;               // id @0 :UInt64        bits[0, 64)
        public const int FilenamePtr = 0;         // filename @1 :Text    ptr[0]
        public const int ImportsPtr = 1;          // imports @2 :List(Import) ptr[1]
    }

    /// <summary><c>struct CodeGeneratorRequest.RequestedFile.Import  # 8 bytes, 1 ptrs</c></summary>
    internal static class Import
    {
        public const int IdU64 = 0;               // id @0 :UInt64        bits[0, 64)
        public const int NamePtr = 0;             // name @1 :Text        ptr[0]
    }

    /// <summary><c>struct CapnpVersion  # 8 bytes, 0 ptrs</c></summary>
    internal static class CapnpVersion
    {
        public const int MajorU16 = 0;            // major @0 :UInt16     bits[0, 16)
        public const int MinorU8 = 2;             // minor @1 :UInt8      bits[16, 24)
        public const int MicroU8 = 3;             // micro @2 :UInt8      bits[24, 32)
    }

    /// <summary><c>struct Node @0xe682ab4cf923a417  # 40 bytes, 6 ptrs</c></summary>
    internal static class Node
    {
        public const int IdU64 = 0;                       // id @0 :UInt64                       bits[0, 64)
        public const int DisplayNamePtr = 0;              // displayName @1 :Text                ptr[0]
        public const int DisplayNamePrefixLengthU32 = 2;  // displayNamePrefixLength @2 :UInt32  bits[64, 96)
        public const int ScopeIdU64 = 2;                  // scopeId @3 :UInt64                  bits[128, 192)
        public const int ParametersPtr = 5;               // parameters @32 :List(Parameter)     ptr[5]
        public const int IsGenericBit = 288;              // isGeneric @33 :Bool                 bits[288, 289)
        public const int NestedNodesPtr = 1;              // nestedNodes @4 :List(NestedNode)    ptr[1]
        public const int AnnotationsPtr = 2;              // annotations @5 :List(Annotation)    ptr[2]
        public const int WhichU16 = 6;                    // union tag                           bits[96, 112)

        public const ushort WhichFile = 0;
        public const ushort WhichStruct = 1;
        public const ushort WhichEnum = 2;
        public const ushort WhichInterface = 3;
        public const ushort WhichConst = 4;
        public const ushort WhichAnnotation = 5;

        // struct :group
        public const int StructDataWordCountU16 = 7;          // dataWordCount @7 :UInt16          bits[112, 128)
        public const int StructPointerCountU16 = 12;          // pointerCount @8 :UInt16           bits[192, 208)
        public const int StructPreferredListEncodingU16 = 13; // preferredListEncoding @9          bits[208, 224)
        public const int StructIsGroupBit = 224;              // isGroup @10 :Bool                 bits[224, 225)
        public const int StructDiscriminantCountU16 = 15;     // discriminantCount @11 :UInt16     bits[240, 256)
        public const int StructDiscriminantOffsetU32 = 8;     // discriminantOffset @12 :UInt32    bits[256, 288)
        public const int StructFieldsPtr = 3;                 // fields @13 :List(Field)           ptr[3]

        // enum :group
        public const int EnumEnumerantsPtr = 3;               // enumerants @14 :List(Enumerant)   ptr[3]

        // interface :group
        public const int InterfaceMethodsPtr = 3;             // methods @15 :List(Method)         ptr[3]
        public const int InterfaceSuperclassesPtr = 4;        // superclasses @31                  ptr[4]

        // const :group
        public const int ConstTypePtr = 3;                    // type @16 :Type                    ptr[3]
        public const int ConstValuePtr = 4;                   // value @17 :Value                  ptr[4]

        // annotation :group
        public const int AnnotationTypePtr = 3;               // type @18 :Type                    ptr[3]
        public const int AnnotationTargetsFirstBit = 112;     // targetsFile @19 .. targetsAnnotation @30: bits[112, 124)
        public const int AnnotationTargetCount = 12;
    }

    /// <summary><c>struct Node.NestedNode  # 8 bytes, 1 ptrs</c></summary>
    internal static class NestedNode
    {
        public const int NamePtr = 0;             // name @0 :Text        ptr[0]
        public const int IdU64 = 0;               // id @1 :UInt64        bits[0, 64)
    }

    /// <summary><c>struct Field @0x9aad50a41f4af45f  # 24 bytes, 4 ptrs</c></summary>
    internal static class Field
    {
        public const int NamePtr = 0;                     // name @0 :Text                     ptr[0]
        public const int CodeOrderU16 = 0;                // codeOrder @1 :UInt16              bits[0, 16)
        public const int AnnotationsPtr = 1;              // annotations @2 :List(Annotation)  ptr[1]
        public const int DiscriminantValueU16 = 1;        // discriminantValue @3 :UInt16 = 65535  bits[16, 32)
        public const ushort NoDiscriminant = 0xFFFF;      // Field.noDiscriminant
        public const int WhichU16 = 4;                    // union tag                         bits[64, 80)
        public const ushort WhichSlot = 0;
        public const ushort WhichGroup = 1;

        // slot :group
        public const int SlotOffsetU32 = 1;               // offset @4 :UInt32                 bits[32, 64)
        public const int SlotTypePtr = 2;                 // type @5 :Type                     ptr[2]
        public const int SlotDefaultValuePtr = 3;         // defaultValue @6 :Value            ptr[3]
        public const int SlotHadExplicitDefaultBit = 128; // hadExplicitDefault @10 :Bool      bits[128, 129)

        // group :group
        public const int GroupTypeIdU64 = 2;              // typeId @7 :UInt64                 bits[128, 192)

        // ordinal :group
        public const int OrdinalWhichU16 = 5;             // union tag                         bits[80, 96)
        public const ushort OrdinalImplicit = 0;
        public const ushort OrdinalExplicit = 1;
        public const int OrdinalExplicitU16 = 6;          // explicit @9 :UInt16               bits[96, 112)
    }

    /// <summary><c>struct Enumerant  # 8 bytes, 2 ptrs</c></summary>
    internal static class Enumerant
    {
        public const int NamePtr = 0;             // name @0 :Text                     ptr[0]
        public const int CodeOrderU16 = 0;        // codeOrder @1 :UInt16              bits[0, 16)
        public const int AnnotationsPtr = 1;      // annotations @2 :List(Annotation)  ptr[1]
    }

    /// <summary><c>struct Method  # 24 bytes, 5 ptrs</c></summary>
    internal static class Method
    {
        public const int NamePtr = 0;             // name @0 :Text                     ptr[0]
        public const int CodeOrderU16 = 0;        // codeOrder @1 :UInt16              bits[0, 16)
        public const int ParamStructTypeU64 = 1;  // paramStructType @2 :UInt64        bits[64, 128)
        public const int ResultStructTypeU64 = 2; // resultStructType @3 :UInt64       bits[128, 192)
    }

    /// <summary><c>struct Type @0xd07378ede1f9cc60  # 24 bytes, 1 ptrs</c></summary>
    internal static class Type
    {
        public const int WhichU16 = 0;            // union tag                         bits[0, 16); tags 0..18 = TypeKind
        public const int ListElementTypePtr = 0;  // list.elementType @14 :Type        ptr[0]
        public const int TypeIdU64 = 1;           // enum/struct/interface.typeId      bits[64, 128)
        public const int BrandPtr = 0;            // enum/struct/interface.brand       ptr[0]
        public const int AnyPointerWhichU16 = 4;  // anyPointer union tag              bits[64, 80)
        public const int MaxTag = 18;
    }

    /// <summary><c>struct Value @0xce23dcd2d7b00c9b  # 16 bytes, 1 ptrs</c></summary>
    internal static class Value
    {
        public const int WhichU16 = 0;            // union tag                         bits[0, 16); tags 0..18 line up with Type's
        public const int BoolBit = 16;            // bool @1                           bits[16, 17)
        public const int Int8Byte = 2;            // int8 @2 / uint8 @6                bits[16, 24)
        public const int Int16U16 = 1;            // int16 @3 / uint16 @7 / enum @15   bits[16, 32)
        public const int Int32U32 = 1;            // int32 @4 / uint32 @8 / float32 @10 bits[32, 64)
        public const int Int64U64 = 1;            // int64 @5 / uint64 @9 / float64 @11 bits[64, 128)
        public const int PointerPtr = 0;          // text/data/list/struct/anyPointer  ptr[0]
    }

    /// <summary><c>struct Annotation  # 8 bytes, 2 ptrs</c></summary>
    internal static class Annotation
    {
        public const int IdU64 = 0;               // id @0 :UInt64                     bits[0, 64)
        public const int ValuePtr = 0;            // value @1 :Value                   ptr[0]
        public const int BrandPtr = 1;            // brand @2 :Brand                   ptr[1]
    }
}
