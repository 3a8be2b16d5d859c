using System.Management.Automation;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Base of the cmdlets that create a file (New-CapnpMappedMessage, Export-CapnpMessage): -Path or -LiteralPath
/// naming one new file, and -Force to replace an existing one. Derived cmdlets declare
/// <c>SupportsShouldProcess</c> and ask <c>ShouldProcess</c> with the path <see cref="ResolveTargetFile"/> returns,
/// after every check that can fail, so -WhatIf reports only what would really happen.
/// </summary>
public abstract class NewFileCmdletBase : CapMapCmdletBase
{
    /// <summary>The file to create.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The file to create, taken as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The file to create, checked (FileExists without -Force, PathIsDirectory, PathNotFound) or the command stops.</summary>
    protected string ResolveTargetFile() => ResolveNewFile(ParameterSetName == LiteralPathSet ? LiteralPath : Path, Force);
}
