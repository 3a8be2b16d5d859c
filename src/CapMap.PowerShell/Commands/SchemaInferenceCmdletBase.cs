using System.Management.Automation;
using CapMap.PowerShell.Internal;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Base of the cmdlets that infer a schema from objects (ConvertTo-CapnpSchema; New-CapnpMappedMessage and
/// Export-CapnpMessage when no -Schema is given): how deep objects are followed and how many records are looked at,
/// declared once so that every cmdlet that infers takes them alike.
/// </summary>
public abstract class SchemaInferenceCmdletBase : CapMapCmdletBase
{
    /// <summary>When the schema is inferred: levels of nested objects kept as structs; deeper values become their strings.</summary>
    [Parameter]
    [ValidateRange(0, InferenceOptions.MaxDepth)]
    public int Depth { get; set; } = new InferenceOptions().Depth;

    /// <summary>When the schema is inferred: records looked at before the schema is fixed.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int SampleSize { get; set; } = new InferenceOptions().SampleSize;

    /// <summary>How to infer: -Depth, -SampleSize, PowerShell's view of objects, and the names of the root and of its list of records.</summary>
    protected InferenceOptions InferenceOptionsFor(string rootType, string recordsField) => new()
    {
        Depth = Depth,
        SampleSize = SampleSize,
        Adapter = PSObjectAdapter.Instance,
        Schema = new InferredSchemaOptions { RootType = rootType, RecordsField = recordsField },
    };
}
