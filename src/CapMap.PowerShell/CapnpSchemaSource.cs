namespace CapMap.PowerShell;

/// <summary>Where a <see cref="CapnpSchema"/> came from.</summary>
public enum CapnpSchemaSource
{
    /// <summary>A .capnp file compiled with <c>capnp compile -o-</c>.</summary>
    CapnpFile,

    /// <summary>A precompiled CodeGeneratorRequest (the saved output of <c>capnp compile -o-</c>).</summary>
    Precompiled,

    /// <summary>The schema a message file carries (Get-CapnpSchema -Path).</summary>
    Embedded,

    /// <summary>Inferred from objects (ConvertTo-CapnpSchema, or Export-CapnpMessage without -Schema).</summary>
    Inferred,
}
