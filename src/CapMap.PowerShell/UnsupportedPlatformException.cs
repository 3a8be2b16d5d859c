using System.Management.Automation;

namespace CapMap.PowerShell;

/// <summary>
/// The import-time refusal of <see cref="PlatformGuard"/>. It carries its own ErrorRecord so that Import-Module
/// reports the stable ErrorId <c>PlatformNotSupported</c> rather than the exception's type name.
/// </summary>
public sealed class UnsupportedPlatformException : PlatformNotSupportedException, IContainsErrorRecord
{
    /// <summary>The ErrorId of the refusal.</summary>
    public const string ErrorId = "PlatformNotSupported";

    public UnsupportedPlatformException(string message, string runtimeIdentifier)
        : base(message)
    {
        RuntimeIdentifier = runtimeIdentifier;
        ErrorRecord = new ErrorRecord(this, ErrorId, ErrorCategory.NotImplemented, runtimeIdentifier);
    }

    /// <summary>The platform that was refused, e.g. <c>win-x64</c>.</summary>
    public string RuntimeIdentifier { get; }

    /// <inheritdoc />
    public ErrorRecord ErrorRecord { get; }
}
