using System.Text;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Schema.Inference;

/// <summary>
/// What a field held in .NET: a <see cref="ClrKind"/>, an optional argument (enum type, DateTimeKind, object type
/// name) and, for collections, the element's info. Stored in the schema as the text of a <c>$clrType</c>
/// annotation in the form <c>Kind</c>, <c>Kind:Argument</c> or <c>Kind(Element)</c>
/// (e.g. <c>DateTime:Local</c>, <c>List(Guid)</c>, <c>Enum:System.IO.FileAttributes, System.Private.CoreLib</c>).
/// </summary>
public sealed record ClrTypeInfo
{
    /// <summary>Creates the info of a collection, dictionary or object (scalars: <see cref="Scalar"/>).</summary>
    public ClrTypeInfo(ClrKind kind, string? argument = null, ClrTypeInfo? element = null)
    {
        if (kind == ClrKind.Scalar)
            throw new ArgumentException("A scalar's info is made from its row's name (ClrTypeInfo.Scalar).", nameof(kind));
        CheckArgument(argument);
        bool isCollection = kind is ClrKind.Array or ClrKind.List or ClrKind.Sequence;
        if ((element is not null) != isCollection)
            throw new ArgumentException($"Array, List and Sequence need an element, other kinds have none (kind {kind}).", nameof(element));
        Kind = kind;
        Name = kind.ToString();
        Argument = argument;
        Element = element;
    }

    internal ClrTypeInfo(ClrTypeRow row, string? argument = null)
    {
        CheckArgument(argument);
        Kind = ClrKind.Scalar;
        Name = row.Name;
        Row = row;
        Argument = argument;
    }

    /// <summary>The info of a plain value of the type table row <paramref name="name"/> (<c>Int32</c>, <c>DateTime</c>, <c>Enum</c> ...).</summary>
    /// <exception cref="ArgumentException">The table has no row of that name.</exception>
    public static ClrTypeInfo Scalar(string name, string? argument = null)
    {
        var row = ClrTypeTable.Find(name) ?? throw new ArgumentException($"The type table has no row '{name}'.", nameof(name));
        return argument is null ? row.Info : new ClrTypeInfo(row, argument);
    }

    private static void CheckArgument(string? argument)
    {
        if (argument is not null && (argument.Contains('(') || argument.Contains(')')))
            throw new ArgumentException("A ClrTypeInfo argument must not contain parentheses.", nameof(argument));
    }

    /// <summary>The kind.</summary>
    public ClrKind Kind { get; }

    /// <summary>The head of the text form: the row's name for a scalar, else the kind's.</summary>
    public string Name { get; }

    /// <summary>The type table's row of a scalar; null for other kinds.</summary>
    internal ClrTypeRow? Row { get; }

    /// <summary>Enum type name, DateTimeKind, dictionary flavour or object type name; null if none.</summary>
    public string? Argument { get; }

    /// <summary>Element info of an Array, List or Sequence; null otherwise.</summary>
    public ClrTypeInfo? Element { get; }

    /// <summary>The text form stored in the schema.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Name);
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
        string name = colon < 0 ? head : head[..colon];
        string? argument = colon < 0 ? null : head[(colon + 1)..];
        try
        {
            if (Enum.TryParse(name, ignoreCase: false, out ClrKind kind) && kind != ClrKind.Scalar && Enum.IsDefined(kind) && kind.ToString() == name)
                return new ClrTypeInfo(kind, argument, element);
            if (ClrTypeTable.Find(name) is not { } row)
                throw new CapnpSchemaException($"'{Shorten(text)}' is not a CapMap .NET type description (unknown kind '{Shorten(name)}').");
            if (element is not null)
                throw new ArgumentException($"{name} is a scalar and has no element.");
            return new ClrTypeInfo(row, argument);
        }
        catch (ArgumentException e)
        {
            throw new CapnpSchemaException($"'{Shorten(text)}' is not a CapMap .NET type description: {e.Message}", e);
        }
    }

    // A hostile description can be megabytes long; an error message quotes its start.
    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
