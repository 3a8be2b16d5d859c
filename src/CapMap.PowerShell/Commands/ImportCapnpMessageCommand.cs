using System.Management.Automation;
using CapMap.PowerShell.Internal;
using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Reads a message file back as PSCustomObjects: the elements of a List(Struct) field one at a time (the
/// root's only one by default), or one struct (the root, or -Field naming a struct). The file is mapped and
/// read in place, lazily; enums come back as names, Data as byte[], a union as its one member that is set.
/// </summary>
/// <remarks>
/// Files are trusted local data, so the reader's traversal limit is sized to the file (its words plus the
/// default 8 Mi words) instead of the default 64 MiB that protects servers from hostile input.
/// </remarks>
[Cmdlet(VerbsData.Import, "CapnpMessage", DefaultParameterSetName = PathSet)]
[OutputType(typeof(PSObject))]
public sealed class ImportCapnpMessageCommand : CapMapCmdletBase
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private StructSchema _root = null!;
    private FieldTarget? _target;

    /// <summary>Message file(s); wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Message file(s), taken as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The schema: what Import-CapnpSchema returns, or the path of a .capnp or precompiled schema file.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public object Schema { get; set; } = null!;

    /// <summary>The root struct's name.</summary>
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

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string path in literal ? LiteralPath : Path)
        {
            foreach (string file in ResolveExistingFiles(path, literal))
            {
                if (Stopping) return;
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
        }
    }

    private void ReadFile(string file)
    {
        long words = new FileInfo(file).Length / 8;
        var options = new ReaderOptions { TraversalLimitInWords = words + CapMap.Wire.WireLimits.DefaultTraversalLimitInWords };
        using var reader = MessageReader.FromFile(file, options);
        // The file may be cut while it is read (no lock is taken): every value is read through
        // ReadConsistent, so a record read from the zeros of a cut file is never written out.
        reader.ReadConsistent(() => ReadMessage(reader));
    }

    private void ReadMessage(MessageReader reader)
    {
        var current = reader.GetRoot();
        if (_target is null)
        {
            WriteObject(reader.ReadConsistent(() => PSObjectReader.Read(current, _root)));
            return;
        }

        var fields = _target.Fields;
        for (int i = 0; i < fields.Count - 1; i++)
        {
            if (!IsSelected(current, fields[i])) return; // another union member is set: nothing there
            if (!fields[i].IsGroup) current = current.ReadStruct(checked((int)fields[i].Offset));
        }
        var last = _target.Field;
        if (!IsSelected(current, last)) return;
        if (!_target.IsList)
        {
            var target = last.IsGroup ? current : current.ReadStruct(checked((int)last.Offset));
            if (!last.IsGroup && target.IsNull) return;
            WriteObject(reader.ReadConsistent(() => PSObjectReader.Read(target, _target.ElementSchema)));
            return;
        }

        var list = current.ReadList(checked((int)last.Offset));
        long end = Math.Min((long)list.Count, (long)Skip + First);
        for (int i = Skip; i < end; i++)
        {
            if (Stopping) return;
            var element = list.GetStruct(i);
            WriteObject(reader.ReadConsistent(() => PSObjectReader.Read(element, _target.ElementSchema)));
        }
    }

    private static bool IsSelected(StructReader reader, FieldSchema field) =>
        !field.IsInUnion || reader.ReadUInt16(checked((int)field.DeclaringStruct.DiscriminantOffset)) == field.DiscriminantValue;
}
