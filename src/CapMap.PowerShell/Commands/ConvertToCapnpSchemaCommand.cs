using System.Collections;
using System.Management.Automation;
using CapMap.PowerShell.Internal;
using CapMap.Schema;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Infers a schema from objects without writing a message: the schema Export-CapnpMessage would write them
/// with. Returns it as the object Import-CapnpSchema returns, or with -AsText as .capnp source.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "CapnpSchema")]
[OutputType(typeof(CapnpSchema), typeof(string))]
public sealed class ConvertToCapnpSchemaCommand : SchemaInferenceCmdletBase
{
    private SchemaInferrer? _inferrer;
    private long _given;

    /// <summary>The objects to infer from.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>The root struct's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string RootType { get; set; } = "Batch";

    /// <summary>The name of the root's list of records.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Field { get; set; } = "records";

    /// <summary>Return .capnp source text instead of the schema object.</summary>
    [Parameter]
    public SwitchParameter AsText { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _inferrer = new SchemaInferrer(InferenceOptionsFor(RootType, Field));
    }

    protected override void ProcessRecord()
    {
        // Bound by name (-InputObject $list): each element is a record, as when piped.
        if (!MyInvocation.ExpectingInput && InputObject?.BaseObject is IList list and not IDictionary and not byte[])
        {
            foreach (object? item in list)
                if (!Add(item)) return;
            return;
        }
        Add(InputObject);
    }

    /// <summary>Takes a record into the sample; one too large for the budget is told (non-terminating) and left out.</summary>
    private bool Add(object? record)
    {
        long index = _given++;
        try
        {
            return _inferrer!.Add(record);
        }
        catch (RecordTooLargeException tooLarge)
        {
            WriteError(RecordTooLargeError.For(index, record, tooLarge));
            return true;
        }
    }

    protected override void EndProcessing()
    {
        var inferred = _inferrer!.Build();
        if (UntypedPropertiesWarning.For(UntypedProperties.Of(inferred)) is { } warning) WriteWarning(warning);
        WriteObject(AsText ? inferred.ToCapnpText() : CapnpSchema.FromInferred(ResolvedSchema.FromInferred(inferred), inferred.FileName));
    }
}
