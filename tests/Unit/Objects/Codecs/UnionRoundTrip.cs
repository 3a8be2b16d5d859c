using CapMap.Objects.Codecs;
using CapMap.Objects.Reading;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Tests.Schema.Inference;
using CapMap.Wire;

namespace CapMap.Tests.Objects.Codecs;

/// <summary>
/// Writes objects with CapMap's writer under the schema inferred from them and reads them back with CapMap's reader,
/// through the schema reloaded from its own bytes (as Import-CapnpMessage reads a file); rows become plain
/// dictionaries (with their type name) so tests compare them as values.
/// </summary>
internal static class UnionRoundTrip
{
    public sealed record ReadBack(string? TypeName, Dictionary<string, object?> Properties);

    public static List<object?> Run(IReadOnlyList<object?> records, out InferredSchema schema, out byte[] message)
    {
        schema = SchemaInferrer.Infer(records);
        message = InferenceTestSupport.WriteMessage(new InferredRecordCodec(schema), records);
        var reloaded = InferredSchema.FromSchemaSet(SchemaSet.Load(schema.ToBytes()));
        var reader = new InferredRowReader(reloaded, new InferredRecordCodec(reloaded).SchemaSet, typeName: t => "Deserialized." + t);
        using var bytes = MessageReader.FromFramedBytes(message);
        var list = bytes.GetRoot().ReadList((int)reloaded.Root.Fields[0].Offset);
        return Enumerable.Range(0, list.Count).Select(i => Record(reader.Read(list.GetStruct(i)))).ToList();
    }

    /// <summary>A record as a <see cref="ReadBack"/>: a record that was a dictionary comes back as one, its keys the properties.</summary>
    private static object? Record(object? value) => value is System.Collections.IDictionary d
        ? new ReadBack(null, d.Keys.Cast<string>().ToDictionary(k => k, k => Plain(d[k])))
        : Plain(value);

    /// <summary>A row as a <see cref="ReadBack"/> (nested rows and collections too); other values as they are.</summary>
    public static object? Plain(object? value) => value switch
    {
        Row row => new ReadBack(Row.TypeNameOf(row),
            row.GetType().GetProperties().ToDictionary(p => p.Name, p => Plain(p.GetValue(row)))),
        object?[] items => items.Select(Plain).ToArray(),
        _ => value,
    };
}
