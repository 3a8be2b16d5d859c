using CapMap.Objects.Codecs;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// PowerShell's object model as Core's record codecs take it, in one object: PSObjects are read by the properties
/// PowerShell shows (for a schema a user wrote, and for inference), and the rows read back carry the type names
/// PowerShell's format views look for.
/// </summary>
internal static class PowerShellObjects
{
    public static ObjectModel Model { get; } = new()
    {
        Adapter = PSObjectAdapter.Instance,
        TypeNameFor = PSObjectReader.TypeNameFor,
        Present = PSObjectReader.Present,
        PresentProperties = VaryingObjects.Present,
        // A property PowerShell cannot read (its adapter failing) is that record's failure, as Core's own conversion errors are.
        IsRecordError = e => e is System.Management.Automation.ExtendedTypeSystemException,
    };
}
