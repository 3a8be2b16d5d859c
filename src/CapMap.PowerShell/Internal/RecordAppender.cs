using System.Collections;
using System.Management.Automation;
using CapMap.Objects;
using CapMap.PowerShell.Commands;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// Writes pipeline inputs into one target of an open message, for Add-CapnpStruct and Export-CapnpMessage.
/// A record that cannot be converted becomes an ErrorRecord (RecordConversionFailed) naming the record's
/// index, the field and the value; the record is not written and earlier records stay intact. Failures of
/// the file itself (disk full, capacity) propagate: nothing after them can succeed.
/// </summary>
internal sealed class RecordAppender
{
    public RecordAppender(CapnpMappedMessage message, FieldPath target, bool strict)
    {
        Message = message;
        Target = target;
        Strict = strict;
    }

    public CapnpMappedMessage Message { get; }
    public FieldPath Target { get; }
    public bool Strict { get; }

    /// <summary>Inputs seen (written or not): the next input's index.</summary>
    public long InputCount { get; private set; }

    /// <summary>Inputs written.</summary>
    public long Written { get; private set; }

    /// <summary>Inputs rejected.</summary>
    public long Rejected { get; private set; }

    /// <summary>Writes one input; returns the error record when it was rejected, else null.</summary>
    public ErrorRecord? Append(object? input)
    {
        long index = InputCount++;
        // A closed or failed message is refused up front; later failures of the file are polled by Core's
        // arena every 64 MiB written (MappedSegmentArena.FailureCheckBytes), whatever the record size.
        if (index == 0) Message.ThrowIfNotOpen();
        object? record = PSObjectAdapter.Instance.Unwrap(input);
        bool anyValue = Message.TakesAnyValue(Target); // e.g. a scalar is an inferred record's Value
        // A plain value (the type table's one rule) or a list has no fields to give a struct.
        if (record is null || !anyValue && (PSObjectAdapter.IsScalar(record) || (record is IEnumerable && record is not IDictionary)))
        {
            Rejected++;
            string what = record is null ? "null" : record is string s ? $"the string '{Shorten(s)}'" : $"a {record.GetType().Name}";
            // An inferred schema's struct names are CapMap's, not the user's: name them only for a schema the user gave.
            string expected = anyValue ? "an object, a hashtable or a value" : $"an object or a hashtable with the fields of {Target.ElementSchema.NestedName}";
            return Error(index, input, $"Record {index} for '{Target.Path}' is {what}; a record must be {expected}.", null);
        }
        try
        {
            Message.Write(Target, input!, Strict);
            Written++;
            return null;
        }
        catch (Exception e) when (e is CapnpValueException or CapMap.Schema.Inference.InferredValueException or ExtendedTypeSystemException or InvalidCastException or FormatException or OverflowException)
        {
            Rejected++;
            string detail = e is CapnpValueException v
                ? $"{(v.FieldPath.Length == 0 ? "the record itself" : $"field '{v.FieldPath}'")} = {Show(v.Value)}: {v.Reason}"
                : e.Message;
            string fieldName = e is CapnpValueException cv && cv.FieldPath.Length > 0 ? $"{Target.Path}[{index}].{cv.FieldPath}" : $"{Target.Path}[{index}]";
            return Error(index, input, $"Record {index} was not written to {fieldName} ({Target.ElementSchema.NestedName}): {detail}", e);
        }
    }

    private ErrorRecord Error(long index, object? input, string message, Exception? inner)
    {
        var exception = new CapMapErrorException(ErrorIds.RecordConversionFailed, ErrorCategory.InvalidData, message, input, inner);
        var record = new ErrorRecord(exception, ErrorIds.RecordConversionFailed, ErrorCategory.InvalidData, input);
        record.CategoryInfo.TargetName = $"record {index}";
        return record;
    }

    private static string Show(object? value)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        return value switch
        {
            null => "$null",
            string s => $"'{Shorten(s)}'",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            PSCustomObject => "an object",
            IDictionary => "a hashtable",
            IEnumerable => $"a list ({value.GetType().Name})",
            _ => $"{value} ({value.GetType().Name})",
        };
    }

    private static string Shorten(string s) => s.Length > 60 ? s[..57] + "..." : s;
}
