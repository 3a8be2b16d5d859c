using System.Management.Automation;
using CapMap.Objects;
using CapMap.PowerShell.Internal;
using CapMap.Schema;
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
    private StructSchema _root = null!;
    private FieldPath? _target;

    /// <summary>The schema the file was written with: what Import-CapnpSchema returns, or a .capnp or precompiled schema file's path.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public object Schema { get; set; } = null!;

    /// <summary>The name of the file's root struct.</summary>
    [Parameter(Mandatory = true)]
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
        var schema = ResolveSchema(Schema);
        _root = ResolveRootType(schema, RootType);
        _target = ResolveField(_root, Field, rootIfNoList: true);
    }

    protected override void ProcessFile(string file)
    {
        try
        {
            ReadFile(file);
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
        using var reader = ObjectMessageReader.Open(file, _root, _target);
        foreach (var value in reader.Read(Skip, First))
        {
            if (Stopping) return;
            WriteObject(PSObjectReader.FromStruct(value));
        }
    }
}
