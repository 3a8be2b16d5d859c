using System.Management.Automation;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// The error record of a record past the budget of values one record may have (<see cref="RecordTooLargeException"/>):
/// non-terminating, so the records around it are written. The message names the record (its index and type), the
/// budget and the -Depth that keeps it within the budget; <c>TargetObject</c> is the record.
/// </summary>
internal static class RecordTooLargeError
{
    public static ErrorRecord For(long index, object? input, RecordTooLargeException tooLarge)
    {
        var record = input is PSObject pso ? pso.BaseObject : input;
        string what = record is null ? "" : $" ({(record is PSCustomObject ? "an object" : $"a {record.GetType().Name}")})";
        string fits = tooLarge.DepthThatFits is { } depth
            ? $"-Depth {depth} keeps it within that"
            : "its own properties alone are more than that";
        string message = $"Record {index}{what} was not written: it has more than {tooLarge.MaxValues:N0} values at -Depth {tooLarge.Depth}, "
            + $"the most one record may have (object graphs such as a file's drive and provider grow with every level); {fits}.";
        var exception = new CapMapErrorException(ErrorIds.RecordTooLarge, ErrorCategory.LimitsExceeded, message, input, tooLarge);
        var errorRecord = new ErrorRecord(exception, ErrorIds.RecordTooLarge, ErrorCategory.LimitsExceeded, input);
        errorRecord.CategoryInfo.TargetName = $"record {index}";
        return errorRecord;
    }
}
