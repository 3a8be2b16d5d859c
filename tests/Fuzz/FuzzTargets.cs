using CapMap.Messages;
using CapMap.Schema;
using CapMap.Wire;

namespace CapMap.Fuzz;

/// <summary>
/// The three fuzz targets: what the readers behind Import-CapnpMessage, Get-CapnpMessageInfo and
/// Import-CapnpSchema do with bytes nobody vouches for. Each target lets exactly the typed exception of its
/// layer through as a rejection and lets anything else escape: to the fuzzer an escaping exception is a
/// crash. Compiled into the fuzz program and into the unit tests, which replay the committed findings
/// (tests/Unit/Reliability/Regressions) through these same targets.
/// </summary>
public sealed class FuzzTargets
{
    /// <summary>Target names, as given to the fuzz program and used as corpus folder names.</summary>
    public static readonly IReadOnlyList<string> Names = ["reader", "framing", "schema"];

    private readonly IReadOnlyList<StructSchema> _schemas;

    /// <param name="schemas">Structs the reader target also decodes every message as (schema-driven reading).</param>
    public FuzzTargets(IReadOnlyList<StructSchema> schemas) => _schemas = schemas;

    /// <summary>The structs of a CodeGeneratorRequest file that has AllTypes and Batch (tests/Unit/Schemas/interop.capnp.bin).</summary>
    public static FuzzTargets FromSchemaFile(string path)
    {
        var set = SchemaSet.LoadFile(path);
        return new FuzzTargets([set.GetStruct("AllTypes"), set.GetStruct("Batch")]);
    }

    /// <summary>Runs target <paramref name="name"/> over <paramref name="input"/>; true when the input was rejected with the typed exception.</summary>
    public bool Run(string name, byte[] input) => name switch
    {
        "reader" => Reader(input),
        "framing" => Framing(input),
        "schema" => Schema(input),
        _ => throw new ArgumentException($"Unknown fuzz target '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// The message reader over arbitrary bytes: the schema-less walk that reads every pointer as every kind of
    /// object, then the schema-driven decode as each known struct. Limits sized like Import-CapnpMessage's
    /// (the input's words plus a budget) keep every case bounded.
    /// </summary>
    public bool Reader(byte[] input)
    {
        bool rejected = Rejects(() =>
        {
            using var reader = MessageReader.FromFramedBytes(input, Limits(input));
            Walk(reader.GetRoot(), 0);
        });
        foreach (var schema in _schemas)
        {
            rejected |= Rejects(() =>
            {
                using var reader = MessageReader.FromFramedBytes(input, Limits(input));
                Touch(DynamicValueReader.ReadStruct(reader.GetRoot(), schema));
            });
        }
        return rejected;
    }

    /// <summary>The segment table: parsed alone, checked for self-consistency, then used to open the message and its root.</summary>
    public bool Framing(byte[] input) => Rejects(() =>
    {
        var table = Wire.Framing.ReadTable(input);
        long expected = table.TableBytes;
        for (int i = 0; i < table.SegmentCount; i++)
        {
            if (table.SegmentOffsets[i] != expected)
                throw new InvalidOperationException($"segment {i} starts at {table.SegmentOffsets[i]}, expected {expected}");
            expected += table.SegmentWords[i] * 8L;
        }
        if (table.MessageBytes != expected)
            throw new InvalidOperationException($"message ends at {table.MessageBytes}, segments end at {expected}");
        using var reader = MessageReader.FromFramedBytes(input, Limits(input));
        if (reader.SegmentCount != table.SegmentCount)
            throw new InvalidOperationException($"reader has {reader.SegmentCount} segments, table {table.SegmentCount}");
        _ = reader.GetRoot().PointerCount;
    });

    /// <summary>
    /// The schema loader over a CodeGeneratorRequest, then every node, field, type and annotation of what it loaded,
    /// then the request as a message would carry it (within <see cref="SchemaBudget.Carried"/>, inferred models read back).
    /// </summary>
    public bool Schema(byte[] input)
    {
        try
        {
            var set = SchemaSet.Load(input);
            _ = set.CapnpVersion;
            foreach (var file in set.RequestedFiles)
                _ = (file.FileName, file.Imports.Count, file.File?.ToString());
            foreach (var node in set.Nodes)
            {
                _ = (node.ToString(), node.ShortName, node.NestedName, node.Parent, node.NestedNodes.Count, node.Parameters.Count);
                foreach (var annotation in node.Annotations) _ = annotation.ToString();
                switch (node)
                {
                    case StructSchema s:
                        _ = (s.Fields.Count, s.UnionFields.Count, s.NonUnionFields.Count, s.FieldsInSchemaOrder.Count);
                        foreach (var field in s.Fields)
                        {
                            _ = (field.Name, field.Type.ToString(), field.GroupType, field.Offset, field.Type.ElementType, field.Type.StructType);
                            foreach (var annotation in field.Annotations) _ = annotation.ToString();
                        }
                        if (s.HasUnion)
                            for (ushort d = 0; d < s.DiscriminantCount; d++) _ = s.GetUnionField(d);
                        break;
                    case EnumSchema e:
                        foreach (var enumerant in e.Enumerants) _ = enumerant.ToString();
                        break;
                }
            }
            // What a schema a message file carries goes through besides: the budget, and for an inferred schema the
            // model read from its annotations (original names, .NET type descriptions). A few roots bound the case.
            foreach (var root in set.Nodes.OfType<StructSchema>().Take(4))
                if (CarriedSchema.Load(new EmbeddedSchema(input, root.Id)).Inferred is { } inferred)
                    foreach (var s in inferred.Structs)
                        foreach (var field in s.Fields) _ = (field.Name, field.Clr?.ToString(), field.Type.Kind);
            return false;
        }
        catch (CapnpSchemaException)
        {
            return true;
        }
    }

    private static ReaderOptions Limits(byte[] input) =>
        new() { TraversalLimitInWords = input.Length / 8 + (1 << 16), NestingLimit = WireLimits.DefaultNestingLimit };

    private static bool Rejects(Action read)
    {
        try
        {
            read();
            return false;
        }
        catch (CapnpFormatException)
        {
            return true;
        }
    }

    /// <summary>Touches every decoded value, as PSObjectReader does when it builds the objects.</summary>
    private static void Touch(object? value)
    {
        switch (value)
        {
            case StructValue s:
                foreach (var entry in s) Touch(entry.Value);
                break;
            case IReadOnlyList<object?> list:
                foreach (var item in list) Touch(item);
                break;
            default:
                _ = value?.ToString();
                break;
        }
    }

    /// <summary>Reads every pointer of a struct as every kind of object, the way a schema-less walker would.</summary>
    private static void Walk(StructReader s, int depth)
    {
        if (depth > WireLimits.DefaultNestingLimit + 1)
            throw new InvalidOperationException("walker recursed past the nesting limit");
        for (int w = 0; w < s.DataWordCount; w++) _ = s.ReadUInt64(w);
        for (int b = s.DataWordCount * 8; b < s.DataByteCount; b++) _ = s.ReadUInt8(b);
        for (int i = 0; i < s.PointerCount; i++)
        {
            if (s.IsPointerNull(i)) continue;
            Rejects(() => Walk(s.ReadStruct(i), depth + 1));
            Rejects(() => WalkList(s.ReadList(i), depth + 1));
            Rejects(() => s.ReadText(i));
            Rejects(() => s.ReadData(i));
        }
    }

    private static void WalkList(ListReader list, int depth)
    {
        int n = Math.Min(list.Count, 64);
        for (int j = 0; j < n; j++)
        {
            switch (list.ElementSize)
            {
                case ElementSize.Void:
                    break;
                case ElementSize.InlineComposite:
                    Walk(list.GetStruct(j), depth);
                    break;
                case ElementSize.Pointer:
                    Rejects(() => list.GetText(j));
                    Rejects(() => list.GetData(j));
                    Rejects(() => WalkList(list.GetList(j), depth + 1));
                    Rejects(() => Walk(list.GetStruct(j), depth + 1));
                    break;
                case ElementSize.Bit:
                    list.GetBool(j);
                    break;
                case ElementSize.Byte:
                    list.GetUInt8(j);
                    break;
                case ElementSize.TwoBytes:
                    list.GetUInt16(j);
                    break;
                case ElementSize.FourBytes:
                    list.GetUInt32(j);
                    break;
                default:
                    list.GetUInt64(j);
                    Walk(list.GetStruct(j), depth);
                    break;
            }
        }
    }
}
