using System.Collections;
using System.Globalization;

namespace CapMap.Objects;

/// <summary>
/// A value could not be written into a field: wrong type, out of range, not an enumerant, two union members at
/// once, an unknown property in strict mode, or a field kind that cannot be set (AnyPointer, interface).
/// <see cref="FieldPath"/> says where, relative to the struct passed to <see cref="StructWriter.Write"/>:
/// field names joined with '.', list elements as <c>[i]</c>, e.g. <c>location.lat</c> or <c>structList[2].tags[0]</c>
/// (empty for the root object itself).
/// </summary>
public sealed class CapnpValueException : Exception
{
    /// <summary>Creates the exception: <paramref name="value"/> at <paramref name="fieldPath"/> could not be written because of <paramref name="reason"/>.</summary>
    public CapnpValueException(string fieldPath, object? value, string reason, Exception? innerException = null)
        : base(FormatMessage(fieldPath, reason), innerException)
    {
        FieldPath = fieldPath ?? "";
        Value = value;
        Reason = reason ?? "";
    }

    /// <summary>Where the bad value sits (see the class remarks); empty for the root object.</summary>
    public string FieldPath { get; }

    /// <summary>The offending value (the whole object for an unknown-property error).</summary>
    public object? Value { get; }

    /// <summary>Why the value was rejected, e.g. <c>300 is out of range for UInt8</c>.</summary>
    public string Reason { get; }

    /// <summary>
    /// The same error seen from an enclosing object: <paramref name="parent"/> is a field name (joined with '.')
    /// or an index such as <c>[12]</c> or <c>records[12]</c>.
    /// </summary>
    public CapnpValueException WithParent(string parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        string path = FieldPath.Length == 0 ? parent
            : parent.Length == 0 ? FieldPath
            : FieldPath[0] == '[' ? parent + FieldPath
            : parent + "." + FieldPath;
        return new CapnpValueException(path, Value, Reason, InnerException);
    }

    private static string FormatMessage(string? path, string? reason) =>
        string.IsNullOrEmpty(path) ? reason ?? "" : $"Field '{path}': {reason}";

    /// <summary>A value as it appears in a message: strings quoted, numbers in invariant culture, else the type name.</summary>
    internal static string Show(object? value) => value switch
    {
        null => "null",
        string s => s.Length > 60 ? $"'{s[..57]}...'" : $"'{s}'",
        bool b => b ? "true" : "false",
        char c => $"'{c}'",
        Enum e => $"{e.GetType().Name}.{e}",
        IFormattable f when value.GetType().IsPrimitive || value is decimal || value is System.Numerics.BigInteger
            => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary => $"a dictionary ({value.GetType().Name})",
        IEnumerable => $"a list ({value.GetType().Name})",
        _ => $"a {value.GetType().Name}",
    };
}
