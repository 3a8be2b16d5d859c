namespace CapMap.Mapping;

/// <summary>
/// Something in the process installed its own SIGBUS handler after CapMap's, so a fault in a mapped file would
/// no longer reach CapMap. Raised when a region registers, before anything is mapped that could fault; the
/// alternative is a crash at the next growth or truncated read, far from its cause.
/// </summary>
public sealed class SignalHandlerReplacedException : MappedFileException
{
    /// <summary>Creates the exception.</summary>
    public SignalHandlerReplacedException()
        : base("CapMap's SIGBUS handler is no longer installed: another library in this process replaced it. " +
               "Mapped files cannot be grown or read safely until that library's handler is removed or chains to CapMap's.")
    {
    }
}
