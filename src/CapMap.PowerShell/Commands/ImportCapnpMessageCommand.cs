using System.Management.Automation;
using CapMap.Objects;
using CapMap.PowerShell.Internal;
using CapMap.Messages;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Wire;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Reads a message file back as PSCustomObjects: the elements of a List(Struct) field one at a time (the
/// root's only one by default), or one struct (the root, or -Field naming a struct). The file is mapped and
/// read in place, lazily; enums come back as names, Data as byte[], a union as its one member that is set.
/// </summary>
/// <remarks>Core's <see cref="ObjectMessageReader"/> does the reading (and sizes the traversal limit to the file).</remarks>
[Cmdlet(VerbsData.Import, "CapnpMessage", DefaultParameterSetName = PathSet)]
[OutputType(typeof(PSObject))]
public sealed class ImportCapnpMessageCommand : ExistingFileCmdletBase
{
    private StructSchema? _root;
    private FieldPath? _target;

    /// <summary>The schema the file was written with: what Import-CapnpSchema returns, or a .capnp or precompiled schema file's path. Default: the schema the file carries.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Schema { get; set; }

    /// <summary>The name of the file's root struct (with -Schema). Default: the carried schema's root, or the schema's only root candidate.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RootTypeCompleter))]
    public string RootType { get; set; } = "";

    /// <summary>What to read: a List(Struct) field (its elements) or a struct/group field. Default: the root's only List(Struct) field, else the root.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(FieldPathCompleter))]
    public string? Field { get; set; }

    /// <summary>Skip this many elements of the list first.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Skip { get; set; }

    /// <summary>Read at most this many elements.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int First { get; set; } = int.MaxValue;

    protected override void BeginProcessing()
    {
        if (Schema is null) return; // each file's carried schema
        var schema = ResolveSchema(Schema);
        string rootType = RootType.Length == 0 && schema.RootCandidates.Length == 1 ? schema.RootCandidates[0] : RootType;
        _root = ResolveRootType(schema, rootType);
        _target = ResolveField(_root, Field, rootIfNoList: true);
    }

    protected override void ProcessFile(string file)
    {
        try
        {
            ReadFile(file);
        }
        catch (CapnpSchemaException e)
        {
            WriteNonTerminating(ErrorIds.InvalidSchema, ErrorCategory.InvalidData, e, file);
        }
        catch (CapMapErrorException e)
        {
            WriteNonTerminating(e);
        }
        catch (CapMap.IO.FileTruncatedException e)
        {
            WriteNonTerminating(ErrorIds.FileTruncated, ErrorCategory.ReadError, e, file);
        }
        catch (Exception e) when (e is CapnpFormatException or IOException or UnauthorizedAccessException)
        {
            WriteNonTerminating(e is CapnpFormatException ? ErrorIds.InvalidMessageFile : ErrorIds.ReadFailed,
                e is CapnpFormatException ? ErrorCategory.InvalidData : ErrorCategory.ReadError, e, file);
        }
    }

    private void ReadFile(string file)
    {
        if (_root is not null)
        {
            Read(file, _root, _target, PSObjectReader.FromStruct);
            return;
        }
        var carried = CarriedSchema.Read(file) ?? throw new CapMapErrorException(ErrorIds.NoEmbeddedSchema, ErrorCategory.InvalidArgument,
            $"'{file}' carries no schema (it was not written by this version of CapMap); give -Schema and -RootType.", file);
        var target = ResolveField(carried.Root, Field, rootIfNoList: true);
        if (carried.Inferred is { } inferred && target is not null && target.Path == inferred.Root.Fields[0].Identifier)
        {
            var codec = new InferredRecordCodec(inferred, PSObjectAdapter.Instance);
            Read(file, carried.Root, target, value => PSObjectReader.FromRecord(codec.Decode(value)));
        }
        else Read(file, carried.Root, target, PSObjectReader.FromStruct);
    }

    private void Read(string file, StructSchema root, FieldPath? target, Func<StructValue, PSObject> convert)
    {
        using var reader = ObjectMessageReader.Open(file, root, target);
        foreach (var value in reader.Read(Skip, First))
        {
            if (Stopping) return;
            WriteObject(convert(value));
        }
    }
}
