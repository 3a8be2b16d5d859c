using System.Text;

namespace CapMap.Schema.Inference;

/// <summary>
/// The .NET kind a field's values had when the schema was inferred: it decides how a value is written into its
/// Cap'n Proto type and which .NET type it is read back as (see docs/object-conversion.md, "Schema inference and
/// the type table").
/// </summary>
public enum ClrKind
{
    /// <summary>Read back as the plain Cap'n Proto value (a schema CapMap did not infer, or nothing recorded).</summary>
    None = 0,
    /// <summary>bool as Bool.</summary>
    Boolean,
    /// <summary>sbyte as Int8.</summary>
    SByte,
    /// <summary>byte as UInt8.</summary>
    Byte,
    /// <summary>short as Int16.</summary>
    Int16,
    /// <summary>ushort as UInt16.</summary>
    UInt16,
    /// <summary>int as Int32.</summary>
    Int32,
    /// <summary>uint as UInt32.</summary>
    UInt32,
    /// <summary>long as Int64.</summary>
    Int64,
    /// <summary>ulong as UInt64.</summary>
    UInt64,
    /// <summary>float as Float32.</summary>
    Single,
    /// <summary>double as Float64.</summary>
    Double,
    /// <summary>Text in invariant culture, exact (keeps the scale: <c>1.50</c>).</summary>
    Decimal,
    /// <summary>string as Text.</summary>
    String,
    /// <summary>Text of one UTF-16 unit.</summary>
    Char,
    /// <summary>Int64 ticks (100 ns) since 1970-01-01T00:00:00Z; <see cref="ClrTypeInfo.Argument"/> is the DateTimeKind to read back as.</summary>
    DateTime,
    /// <summary>Text in the round-trip form <c>2024-05-01T10:00:00.0000000+02:00</c> (keeps the offset).</summary>
    DateTimeOffset,
    /// <summary>Int64 ticks (100 ns).</summary>
    TimeSpan,
    /// <summary>Data of 16 bytes in RFC 4122 (big-endian) order.</summary>
    Guid,
    /// <summary>Text (<c>1.2.3.4</c>).</summary>
    Version,
    /// <summary>Text: the original string of the URI (relative ones too).</summary>
    Uri,
    /// <summary>Text (<c>192.168.1.20</c>, <c>fe80::1</c>).</summary>
    IPAddress,
    /// <summary>Text: the enum's name (<c>ToString()</c>, so <c>[Flags]</c> give <c>"A, B"</c>); <see cref="ClrTypeInfo.Argument"/> is the enum's type.</summary>
    Enum,
    /// <summary>byte[] as Data.</summary>
    Bytes,
    /// <summary>A <c>T[]</c>: a List of the element.</summary>
    Array,
    /// <summary>A <c>List&lt;T&gt;</c>: a List of the element.</summary>
    List,
    /// <summary>Any other sequence (e.g. PowerShell's <c>object[]</c>): read back as <c>object[]</c>.</summary>
    Sequence,
    /// <summary>A dictionary (hashtable): a struct with a field per key; <see cref="ClrTypeInfo.Argument"/> <c>Ordered</c> for ordered ones.</summary>
    Dictionary,
    /// <summary>An object with properties: a struct; <see cref="ClrTypeInfo.Argument"/> is the type name it had.</summary>
    Object,
}

/// <summary>
/// What a field held in .NET: a <see cref="ClrKind"/>, an optional argument (enum type, DateTimeKind, object type
/// name) and, for collections, the element's info. Stored in the schema as the text of a <c>$clrType</c>
/// annotation in the form <c>Kind</c>, <c>Kind:Argument</c> or <c>Kind(Element)</c>
/// (e.g. <c>DateTime:Local</c>, <c>List(Guid)</c>, <c>Enum:System.IO.FileAttributes, System.Private.CoreLib</c>).
/// </summary>
public sealed record ClrTypeInfo
{
    /// <summary>Creates the info.</summary>
    public ClrTypeInfo(ClrKind kind, string? argument = null, ClrTypeInfo? element = null)
    {
        if (argument is not null && (argument.Contains('(') || argument.Contains(')')))
            throw new ArgumentException("A ClrTypeInfo argument must not contain parentheses.", nameof(argument));
        bool isCollection = kind is ClrKind.Array or ClrKind.List or ClrKind.Sequence;
        if ((element is not null) != isCollection)
            throw new ArgumentException($"Array, List and Sequence need an element, other kinds have none (kind {kind}).", nameof(element));
        Kind = kind;
        Argument = argument;
        Element = element;
    }

    /// <summary>The kind.</summary>
    public ClrKind Kind { get; }

    /// <summary>Enum type name, DateTimeKind, dictionary flavour or object type name; null if none.</summary>
    public string? Argument { get; }

    /// <summary>Element info of an Array, List or Sequence; null otherwise.</summary>
    public ClrTypeInfo? Element { get; }

    /// <summary>The text form stored in the schema.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Kind.ToString());
        if (Argument is not null) sb.Append(':').Append(Argument);
        if (Element is not null) sb.Append('(').Append(Element).Append(')');
        return sb.ToString();
    }

    /// <summary>Parses the text form written by <see cref="ToString"/>.</summary>
    /// <exception cref="CapnpSchemaException">The text is not in that form.</exception>
    public static ClrTypeInfo Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ClrTypeInfo? element = null;
        string head = text;
        int open = text.IndexOf('(');
        if (open >= 0)
        {
            if (!text.EndsWith(')'))
                throw new CapnpSchemaException($"'{text}' is not a CapMap .NET type description (unbalanced parenthesis).");
            element = Parse(text[(open + 1)..^1]);
            head = text[..open];
        }
        int colon = head.IndexOf(':');
        string kindText = colon < 0 ? head : head[..colon];
        if (!Enum.TryParse(kindText, ignoreCase: false, out ClrKind kind) || !Enum.IsDefined(kind))
            throw new CapnpSchemaException($"'{text}' is not a CapMap .NET type description (unknown kind '{kindText}').");
        try
        {
            return new ClrTypeInfo(kind, colon < 0 ? null : head[(colon + 1)..], element);
        }
        catch (ArgumentException e)
        {
            throw new CapnpSchemaException($"'{text}' is not a CapMap .NET type description: {e.Message}", e);
        }
    }
}
