using System.Globalization;
using System.Text;

namespace CapMap.Schema.Inference;

/// <summary>
/// Turns arbitrary property and type names into names <c>capnp compile</c> accepts: ASCII letters and digits only
/// (it rejects underscores), a lower-case first letter for fields and enumerants, an upper-case one for types,
/// no keywords, and unique case-insensitively within a scope (CapMap looks fields up case-insensitively).
/// <para>
/// Rules, applied in order: every ASCII letter or digit is kept; any other ASCII character (space, punctuation,
/// underscore) is dropped and upper-cases the next letter (<c>"Working Set"</c> → <c>workingSet</c>); a non-ASCII
/// character becomes <c>U</c> plus its code point in hex (<c>"Größe"</c> → <c>grU00F6U00DFe</c>); an empty result
/// becomes <c>field</c> / <c>Type</c>; a leading digit gets an <c>n</c> / <c>T</c> prefix; the first letter's case
/// is set; a keyword or built-in type name gets a <c>Field</c> / <c>Struct</c> suffix. Names that are already valid
/// keep their spelling and are placed first; the others take the next free name, appending 2, 3 ... on a clash.
/// </para>
/// </summary>
internal static class CapnpIdentifiers
{
    private static readonly HashSet<string> MemberKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "annotation", "const", "embed", "enum", "extends", "false", "group", "import", "inf", "interface",
        "nan", "struct", "true", "union", "using", "void",
    };

    private static readonly HashSet<string> TypeKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "Void", "Bool", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
        "Float32", "Float64", "Text", "Data", "List", "AnyPointer", "AnyStruct", "AnyList", "Capability",
        "Struct", "Enum", "Interface", "Union", "Group", "Annotation", "Const", "Using", "Import",
    };

    /// <summary>A field or enumerant name for <paramref name="name"/>.</summary>
    public static string ToMemberIdentifier(string name) => Mangle(name, upperFirst: false);

    /// <summary>A struct or enum name for <paramref name="name"/>.</summary>
    public static string ToTypeIdentifier(string name) => Mangle(name, upperFirst: true);

    /// <summary>True if <paramref name="name"/> is already a valid member (or type) identifier.</summary>
    public static bool IsValid(string name, bool type) => Mangle(name, type) == name;

    /// <summary>
    /// Identifiers for <paramref name="names"/> (same order), unique case-insensitively. Valid names are claimed
    /// first so they keep their spelling; then the rest in order, numbered on a clash. Deterministic.
    /// </summary>
    public static string[] MakeUnique(IReadOnlyList<string> names, Func<string, string> mangle)
    {
        var result = new string[names.Count];
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < names.Count; i++)
            if (mangle(names[i]) == names[i] && taken.Add(names[i]))
                result[i] = names[i];
        for (int i = 0; i < names.Count; i++)
        {
            if (result[i] is not null) continue;
            result[i] = Claim(taken, mangle(names[i]));
        }
        return result;
    }

    /// <summary>Adds <paramref name="baseName"/> to <paramref name="taken"/>, or the first of baseName2, baseName3 ... that is free; returns it.</summary>
    public static string Claim(HashSet<string> taken, string baseName)
    {
        string candidate = baseName;
        for (int n = 2; !taken.Add(candidate); n++)
            candidate = baseName + n.ToString(CultureInfo.InvariantCulture);
        return candidate;
    }

    private static string Mangle(string name, bool upperFirst)
    {
        var sb = new StringBuilder(name.Length + 4);
        bool upperNext = false;
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                char c = (char)rune.Value;
                if (char.IsAsciiLetterOrDigit(c))
                {
                    sb.Append(upperNext ? char.ToUpperInvariant(c) : c);
                    upperNext = false;
                }
                else
                {
                    upperNext = sb.Length > 0;
                }
            }
            else
            {
                sb.Append('U').Append(rune.Value.ToString(rune.Value > 0xFFFF ? "X6" : "X4", CultureInfo.InvariantCulture));
                upperNext = false;
            }
        }
        if (sb.Length == 0) sb.Append(upperFirst ? "Type" : "field");
        if (char.IsAsciiDigit(sb[0])) sb.Insert(0, upperFirst ? 'T' : 'n');
        sb[0] = upperFirst ? char.ToUpperInvariant(sb[0]) : char.ToLowerInvariant(sb[0]);
        string result = sb.ToString();
        if ((upperFirst ? TypeKeywords : MemberKeywords).Contains(result))
            result += upperFirst ? "Struct" : "Field";
        return result;
    }
}
