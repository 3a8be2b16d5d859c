namespace CapMap.PowerShell;

/// <summary>One segment of a message file.</summary>
public sealed record CapnpSegmentInfo(int Index, long Offset, int Words)
{
    public long Bytes => (long)Words * 8;
}
