using System.Management.Automation;
using CapMap.PowerShell.Internal;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Lists the messages this session has open (created by New-CapnpMappedMessage and not yet completed or
/// closed), so a message whose variable was lost can still be found and closed.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CapnpMappedMessage")]
[OutputType(typeof(CapnpMappedMessage))]
public sealed class GetCapnpMappedMessageCommand : CapMapCmdletBase
{
    /// <summary>Only messages whose file path matches one of these (wildcards allowed; relative to the current location).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void EndProcessing()
    {
        var patterns = Path?.Select(p => new WildcardPattern(SessionState.Path.GetUnresolvedProviderPathFromPSPath(p), WildcardOptions.None)).ToArray();
        foreach (var message in OpenMessages.Snapshot())
        {
            if (patterns is null || patterns.Any(p => p.IsMatch(message.Path)))
                WriteObject(message);
        }
    }
}
