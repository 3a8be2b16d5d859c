using System.Management.Automation;

namespace CapMap.PowerShell.Commands;

/// <summary>An <see cref="OpenMessageCmdletBase"/> that can pass the message on (Save, Close).</summary>
public abstract class PassThruMessageCmdletBase : OpenMessageCmdletBase
{
    /// <summary>Output the message afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }
}
