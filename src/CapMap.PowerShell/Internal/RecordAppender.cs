using System.Collections;
using System.Management.Automation;
using CapMap.Objects;
using CapMap.Objects.Codecs;
using CapMap.PowerShell.Commands;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// Passes pipeline inputs to Core's <see cref="RecordFeed"/> into one target of an open message, for Add-CapnpStruct
/// and Export-CapnpMessage, and turns each record Core rejected into an ErrorRecord (RecordConversionFailed, or RecordTooLarge) naming
/// the record's index, the field and the value. Core holds the sample while the schema is inferred, writes it, and
/// streams the rest; failures of the file itself (disk full, capacity) propagate: nothing after them can succeed.
/// </summary>
internal sealed class RecordAppender
{
    private static readonly IReadOnlyList<ErrorRecord> None = [];
    private readonly RecordFeed _feed;
    private bool _checkedOpen;

    /// <summary>Records into the target <paramref name="target"/> picks once the message has its file.</summary>
    public RecordAppender(CapnpMappedMessage message, Func<CapMap.Objects.ObjectMessageWriter, FieldPath> target, bool strict)
    {
        Message = message;
        _feed = message.Feed(target, strict);
    }

    public CapnpMappedMessage Message { get; }

    /// <summary>Inputs written or rejected (held ones not yet): the next input's index.</summary>
    public long InputCount => _feed.InputCount;

    /// <summary>Inputs written.</summary>
    public long Written => _feed.Written;

    /// <summary>Inputs rejected.</summary>
    public long Rejected => _feed.Rejected;

    /// <summary>Passes one input (held while the schema awaits its sample); returns the error records of the inputs this wrote and rejected.</summary>
    public IReadOnlyList<ErrorRecord> Append(object? input)
    {
        // A closed or failed message is refused up front; later failures of the file are polled by Core's
        // arena every 64 MiB written (MappedSegmentArena.FailureCheckBytes), whatever the record size.
        if (!_checkedOpen)
        {
            Message.ThrowIfNotOpen();
            _checkedOpen = true;
        }
        return Errors(Message.Run(() => _feed.Write(input), _feed.Target));
    }

    /// <summary>The input ended: a sample this appender's inputs fill is written now; returns its error records.</summary>
    public IReadOnlyList<ErrorRecord> End() => Errors(Message.Run(() => _feed.End(), _feed.Target));

    private static IReadOnlyList<ErrorRecord> Errors(IReadOnlyList<RecordRejection> rejections) =>
        rejections.Count == 0 ? None : rejections.Select(Error).ToList();

    private static ErrorRecord Error(RecordRejection rejection)
    {
        if (rejection.Error is CapMap.Schema.Inference.RecordTooLargeException tooLarge)
            return RecordTooLargeError.For(rejection.Index, rejection.Input, tooLarge);
        long index = rejection.Index;
        var target = rejection.Target;
        string message;
        if (rejection.Error is NotARecordException notARecord)
        {
            object? record = notARecord.Value;
            string what = record is null ? "null" : record is string s ? $"the string '{Shorten(s)}'" : $"a {record.GetType().Name}";
            // An inferred schema's struct names are CapMap's, not the user's: name them only for a schema the user gave.
            string expected = notARecord.TakesAnyValue ? "an object, a hashtable or a value" : $"an object or a hashtable with the fields of {target.ElementSchema.NestedName}";
            message = $"Record {index} for '{target.Path}' is {what}; a record must be {expected}.";
        }
        else
        {
            var e = rejection.Error;
            string detail = e is CapnpValueException v
                ? $"{(v.FieldPath.Length == 0 ? "the record itself" : $"field '{v.FieldPath}'")} = {Show(v.Value)}: {v.Reason}"
                : e.Message;
            string fieldName = e is CapnpValueException cv && cv.FieldPath.Length > 0 ? $"{target.Path}[{index}].{cv.FieldPath}" : $"{target.Path}[{index}]";
            message = $"Record {index} was not written to {fieldName} ({target.ElementSchema.NestedName}): {detail}";
        }
        var inner = rejection.Error is NotARecordException ? null : rejection.Error;
        var exception = new CapMapErrorException(ErrorIds.RecordConversionFailed, ErrorCategory.InvalidData, message, rejection.Input, inner);
        var errorRecord = new ErrorRecord(exception, ErrorIds.RecordConversionFailed, ErrorCategory.InvalidData, rejection.Input);
        errorRecord.CategoryInfo.TargetName = $"record {index}";
        return errorRecord;
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
