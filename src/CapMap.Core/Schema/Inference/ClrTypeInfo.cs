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

    /// <summary>Most collections nested in one description: as deep as a schema's List types may nest.</summary>
    public const int MaxNesting = SchemaBudget.MaxNesting;

    /// <summary>Parses the text form written by <see cref="ToString"/>.</summary>
    /// <remarks>
    /// The text comes from a file, so it is parsed in one pass without recursion or substrings: time is linear in
    /// its length and nesting deeper than <see cref="MaxNesting"/> is refused before anything is built.
    /// The form nests linearly (an argument holds no parenthesis), so it is the heads separated by '(' followed by
    /// exactly as many ')' as there were '('.
    /// </remarks>
    /// <exception cref="SchemaBudgetException">The text nests deeper than <see cref="MaxNesting"/>.</exception>
    /// <exception cref="CapnpSchemaException">The text is not in that form.</exception>
    public static ClrTypeInfo Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var heads = new List<Range>();
        int start = 0;
        while (true)
        {
            int open = text.IndexOfAny(Parentheses, start);
            if (open < 0 || text[open] == ')')
            {
                heads.Add(start..(open < 0 ? text.Length : open));
                start = open < 0 ? text.Length : open;
                break;
            }
            heads.Add(start..open);
            if (heads.Count > MaxNesting)
                throw new SchemaBudgetException($"A CapMap .NET type description nests collections deeper than {MaxNesting} levels.");
            start = open + 1;
        }
        int closing = text.Length - start;
        if (closing != heads.Count - 1 || text.AsSpan(start).ContainsAnyExcept(')'))
            throw new CapnpSchemaException($"'{Shorten(text)}' is not a CapMap .NET type description (unbalanced parenthesis).");

        ClrTypeInfo? element = null;
        for (int i = heads.Count - 1; i >= 0; i--)
            element = ParseHead(text, text[heads[i]], element);
        return element!;
    }

    private static readonly char[] Parentheses = ['(', ')'];

    private static ClrTypeInfo ParseHead(string text, string head, ClrTypeInfo? element)
    {
        int colon = head.IndexOf(':');
        string kindText = colon < 0 ? head : head[..colon];
        if (!Enum.TryParse(kindText, ignoreCase: false, out ClrKind kind) || !Enum.IsDefined(kind))
            throw new CapnpSchemaException($"'{Shorten(text)}' is not a CapMap .NET type description (unknown kind '{Shorten(kindText)}').");
        try
        {
            return new ClrTypeInfo(kind, colon < 0 ? null : head[(colon + 1)..], element);
        }
        catch (ArgumentException e)
        {
            throw new CapnpSchemaException($"'{Shorten(text)}' is not a CapMap .NET type description: {e.Message}", e);
        }
    }

    // A hostile description can be megabytes long; an error message quotes its start.
    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
