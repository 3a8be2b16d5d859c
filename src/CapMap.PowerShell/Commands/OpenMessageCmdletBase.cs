using System.Management.Automation;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Base of the cmdlets that act on an open message from New-CapnpMappedMessage (Complete, Save, Close): the
/// message comes by position or from the pipeline.
/// </summary>
public abstract class OpenMessageCmdletBase : CapMapCmdletBase
{
    /// <summary>The open message.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public CapnpMappedMessage Message { get; set; } = null!;
}
