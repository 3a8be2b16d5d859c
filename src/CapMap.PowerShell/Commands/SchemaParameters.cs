using System.Management.Automation;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// -Schema and -RootType, declared once for the cmdlets that take a schema and the name of its root struct:
/// New-CapnpMappedMessage and Export-CapnpMessage (through <see cref="NewMessageCmdletBase"/>) and
/// Import-CapnpMessage. Their bases differ (one creates a file, the other reads existing ones), so each returns
/// this object as its dynamic parameters: PowerShell binds, validates and tab-completes its properties as the
/// cmdlet's own, in every parameter set. What the two mean when left out is the cmdlet's to say (its help, in
/// tools/help, describes them per cmdlet).
/// </summary>
public sealed class SchemaParameters
{
    /// <summary>The schema: what Import-CapnpSchema returns, or the path of a .capnp or precompiled schema file.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Schema { get; set; }

    /// <summary>The root struct's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RootTypeCompleter))]
    public string RootType { get; set; } = "";
}
