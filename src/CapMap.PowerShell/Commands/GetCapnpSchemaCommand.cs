using System.Management.Automation;
using CapMap.Messages;
using CapMap.Schema;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Returns the schema a message file carries (every file CapMap writes carries its root type's schema), as the
/// same object Import-CapnpSchema returns; with -AsText, as <c>.capnp</c> source that <c>capnp compile</c>
/// accepts and that decodes the file (<c>capnp convert binary:json schema.capnp Batch</c>).
/// </summary>
[Cmdlet(VerbsCommon.Get, "CapnpSchema", DefaultParameterSetName = PathSet)]
[OutputType(typeof(CapnpSchema), typeof(string))]
public sealed class GetCapnpSchemaCommand : ExistingFileCmdletBase
{
    /// <summary>Which message of the file (a file may hold several).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MessageIndex { get; set; }

    /// <summary>Return the schema as .capnp source text.</summary>
    [Parameter]
    public SwitchParameter AsText { get; set; }

    private protected override (string ErrorId, ErrorCategory Category) IOFailure => (ErrorIds.ReadFailed, ErrorCategory.ReadError);

    protected override void ProcessFile(string file)
    {
        CarriedSchema? carried = null;
        if (!TryRun(() => carried = CarriedSchema.Read(file, MessageIndex), file)) return;
        if (carried is null)
        {
            WriteNonTerminating(new CapMapErrorException(ErrorIds.NoEmbeddedSchema, ErrorCategory.ObjectNotFound,
                $"'{file}' carries no schema (it was not written by this version of CapMap).", file));
            return;
        }
        if (!AsText)
        {
            WriteObject(CapnpSchema.FromCarried(carried, file));
            return;
        }
        try
        {
            // An inferred schema is written as CapMap emits it (with its name and .NET type annotations); any
            // other as the set it is, with the root's file as the main file.
            WriteObject(carried.Resolved.ToCapnpText(carried.Root));
        }
        catch (CapnpSchemaException e)
        {
            WriteNonTerminating(new CapMapErrorException(ErrorIds.SchemaTextNotSupported, ErrorCategory.NotImplemented,
                $"The schema '{file}' carries cannot be written as .capnp text: {e.Message} Use the .capnp file it was written with.", file, e));
        }
    }
}
