using System.Text;
using System.Text.Json;
using CapMap.Objects.Codecs;
using CapMap.Schema.Inference;
using CapMap.Tests.Interop;
using CapMap.Tests.Mapping;
using CapMap.Wire;

namespace CapMap.Tests.Schema.Inference;

/// <summary>Writes objects as a message of an inferred schema (root with the records list) and reads them back.</summary>
internal static class InferenceTestSupport
{
    public static byte[] WriteMessage(InferredRecordCodec codec, IReadOnlyList<object?> records)
    {
        using var arena = new HeapSegmentArena();
        var message = new MessageBuilder(arena);
        var root = codec.Schema.Root;
        var builder = message.InitRoot(root.DataWordCount, root.PointerCount);
        var list = builder.InitStructList((int)root.Fields[0].Offset, records.Count, codec.Record.DataWordCount, codec.Record.PointerCount);
        for (int i = 0; i < records.Count; i++) codec.Write(list.GetStruct(i), records[i]);
        return message.ToFramedBytes();
    }

    public static List<ObjectRecord> ReadMessage(InferredRecordCodec codec, byte[] bytes)
    {
        using var reader = MessageReader.FromFramedBytes(bytes);
        var list = reader.GetRoot().ReadList((int)codec.Schema.Root.Fields[0].Offset);
        var result = new List<ObjectRecord>(list.Count);
        var dictionaries = new DictionaryRecordCodec(codec.Schema);
        for (int i = 0; i < list.Count; i++) result.Add(dictionaries.Read(list.GetStruct(i)));
        return result;
    }

    /// <summary>Infers, writes, reloads the schema from its own bytes, reads back: the whole path without a schema file.</summary>
    public static List<ObjectRecord> RoundTrip(IReadOnlyList<object?> records, InferenceOptions? options = null)
    {
        var schema = SchemaInferrer.Infer(records, options);
        byte[] message = WriteMessage(new InferredRecordCodec(schema, options?.Adapter), records);
        var reloaded = InferredSchema.FromSchemaSet(CapMap.Schema.SchemaSet.Load(schema.ToBytes()));
        return ReadMessage(new InferredRecordCodec(reloaded, options?.Adapter), message);
    }

    /// <summary>Decodes a message with <c>capnp convert binary:json</c> through the schema's emitted text; the records as JSON.</summary>
    public static List<JsonElement> ConvertWithCapnp(InferredSchema schema, byte[] message)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File(schema.FileName), schema.ToCapnpText(), new UTF8Encoding(false));
        string text = Encoding.UTF8.GetString(CapnpTool.Run(["convert", "binary:json", schema.FileName, "Batch"], message, dir.Path));
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("records").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
