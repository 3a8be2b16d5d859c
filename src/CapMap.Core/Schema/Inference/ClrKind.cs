using System.Text;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Schema.Inference;

/// <summary>
/// What kind of .NET value a field held when the schema was inferred: a plain value of the type table (a
/// <see cref="Scalar"/>, told apart by its row), a collection, a dictionary or an object (see
/// docs/object-conversion.md, "Schema inference and the type table").
/// </summary>
public enum ClrKind
{
    /// <summary>Read back as the plain Cap'n Proto value (a schema CapMap did not infer, or nothing recorded).</summary>
    None = 0,
    /// <summary>A plain value of one row of the type table (bool, int, DateTime, Guid, an enum ...), named by the row.</summary>
    Scalar,
    /// <summary>A <c>T[]</c>: a List of the element.</summary>
    Array,
    /// <summary>A <c>List&lt;T&gt;</c>: a List of the element.</summary>
    List,
    /// <summary>Any other sequence (e.g. PowerShell's <c>object[]</c>): read back as <c>object[]</c>.</summary>
    Sequence,
    /// <summary>
    /// A dictionary as a struct with a field per key: a record that is itself a dictionary, and dictionary-valued
    /// properties of files written before <see cref="Map"/> existed; <see cref="ClrTypeInfo.Argument"/> <c>Ordered</c> for ordered ones.
    /// </summary>
    Dictionary,
    /// <summary>An object with properties: a struct; <see cref="ClrTypeInfo.Argument"/> is the type name it had.</summary>
    Object,
    /// <summary>
    /// A record that was a plain value piped on its own (a number, a string, a date ...): the record struct keeps
    /// it in its one field <c>Value</c> (whose own info names the row), and CapMap reads the value itself back.
    /// Only on the element of the records list; records inferred before this kind existed say <see cref="Object"/>.
    /// </summary>
    Plain,
    /// <summary>
    /// A dictionary below the record (a property's value, a list's element, a map's value): a list of entries,
    /// <c>List(Entry)</c> with <c>Entry</c> a struct <c>{ key :Text; value :V }</c>, so each value keeps exactly its
    /// own keys in their order. <see cref="ClrTypeInfo.Argument"/> <c>Ordered</c> for an OrderedDictionary (read back
    /// as one); any other dictionary reads back as a Hashtable.
    /// </summary>
    Map,
    /// <summary>
    /// Values of several kinds (an Int32 here, a string or an object there): a struct that is nothing but an
    /// unnamed union with one member per kind seen, each member with its own info; the value is the active member's,
    /// read back as that member's kind. On the records list's element, the records were objects of several .NET
    /// types, one member struct per type name.
    /// </summary>
    Union,
    /// <summary>
    /// The properties of an object (or a record) that are not fields of its struct, because few of its objects had
    /// them (see <see cref="SparseProperties"/>): a list of entries, <c>List(Entry)</c> with <c>Entry</c> a struct
    /// <c>{ key :Text; value :V; position :UInt32 }</c> (<see cref="PropertyEntry"/>). Each object keeps exactly its
    /// own such properties; <c>position</c> is the property's place among the object's properties, so they come
    /// back in the order the object had them.
    /// </summary>
    Properties,
}
