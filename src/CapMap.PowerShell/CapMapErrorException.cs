using System.Management.Automation;

namespace CapMap.PowerShell;

/// <summary>
/// An error raised by the module's helpers that already knows its stable ErrorId and category, so every
/// cmdlet reports the same problem the same way (see docs/cmdlets.md for the table of ErrorIds).
/// </summary>
public sealed class CapMapErrorException : Exception
{
    public CapMapErrorException(string errorId, ErrorCategory category, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    /// <summary>The stable ErrorId (e.g. <c>RootTypeNotFound</c>).</summary>
    public string ErrorId { get; }

    public ErrorCategory Category { get; }

    /// <summary>The object the error is about (a path, a name, an input record).</summary>
    public object? Target { get; }
}
