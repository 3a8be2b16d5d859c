namespace CapMap.PowerShell;

/// <summary>What Resize-CapnpMappedMessage did.</summary>
public sealed record CapnpResizeResult(string Path, long BytesBefore, long BytesAfter)
{
    public long BytesRemoved => BytesBefore - BytesAfter;
}
