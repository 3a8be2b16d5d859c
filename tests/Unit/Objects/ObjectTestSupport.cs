using System.Collections;
using System.Globalization;
using CapMap.Objects;
using CapMap.Schema;
using CapMap.Tests.Interop;
using CapMap.Tests.Schema;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Objects;

/// <summary>Schemas and helpers for the StructWriter tests.</summary>
internal static class ObjectTestSupport
{
    private static readonly Lazy<SchemaSet> s_writerSet = new(() => SchemaSet.Load(CapnpTool.CompileRequest("writer.capnp")));
    private static readonly Lazy<SchemaSet> s_objectsSet = new(() => SchemaSet.Load(CapnpTool.CompileRequest("objects.capnp")));

    /// <summary>objects.capnp: Report with a list of Rec, a nested Detail list, a union and a group.</summary>
    public static SchemaSet ObjectsSet => s_objectsSet.Value;

    public static StructSchema AllTypes => InteropSchema.AllTypes;
    public static StructSchema RecordSchema => InteropSchema.Set.GetStruct("Record");
    public static StructSchema BatchSchema => InteropSchema.Set.GetStruct("Batch");
    public static StructSchema Inner => InteropSchema.Set.GetStruct("AllTypes.Inner");
    public static StructSchema Odd => s_writerSet.Value.GetStruct("Odd");
    public static StructSchema Tree => s_writerSet.Value.GetStruct("Tree");

    /// <summary>A hashtable as PowerShell's <c>@{}</c> makes it: keys compared case-insensitively.</summary>
    public static Hashtable H(params (string Key, object? Value)[] entries)
    {
        var h = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in entries) h[k] = v;
        return h;
    }

    /// <summary>Writes <paramref name="source"/> as the root of a heap message and returns the framed bytes.</summary>
    public static byte[] WriteMessage(StructSchema schema, object source, ObjectWriterOptions? options = null, Func<HeapSegmentArena>? arena = null)
    {
        using var heap = arena?.Invoke() ?? new HeapSegmentArena();
        var message = new MessageBuilder(heap);
        new StructWriter(schema, options).WriteRoot(message, source);
        return message.ToFramedBytes();
    }

    /// <summary>Writes, then reads back with <see cref="DynamicValueReader"/>.</summary>
    public static StructValue RoundTrip(StructSchema schema, object source, ObjectWriterOptions? options = null)
    {
        using var reader = MessageReader.FromFramedBytes(WriteMessage(schema, source, options));
        return DynamicValueReader.ReadStruct(reader.GetRoot(), schema);
    }

    /// <summary>Writes and returns the error, asserting its path.</summary>
    public static CapnpValueException Error(StructSchema schema, object source, string expectedPath, ObjectWriterOptions? options = null)
    {
        var ex = Assert.Throws<CapnpValueException>(() => WriteMessage(schema, source, options));
        Assert.Equal(expectedPath, ex.FieldPath);
        Assert.Contains(ex.Reason, ex.Message);
        if (expectedPath.Length > 0) Assert.Contains($"'{expectedPath}'", ex.Message);
        return ex;
    }


    /// <summary>
    /// Turns an expected value (<see cref="InteropVectors"/> representation) into writer input. Void union members given
    /// as null become <c>true</c> / <c>"true"</c> (a null or blank member would count as absent).
    /// </summary>
    public static object? ToInput(object? value, TypeSchema type, InputStyle style)
    {
        switch (type.Kind)
        {
            case TypeKind.Struct:
                return value is null ? null : ToStructInput(value, type.StructType!, style);
            case TypeKind.List:
                if (value is null) return null;
                if (style == InputStyle.Typed) return type.ElementType!.Kind is TypeKind.Struct or TypeKind.List ? ((IEnumerable)value).Cast<object?>().Select(e => ToInput(e, type.ElementType!, style)).ToArray() : value;
                return ((IEnumerable)value).Cast<object?>().Select(e => ToInput(e, type.ElementType!, style)).ToArray();
            case TypeKind.Data when style == InputStyle.Strings && value is byte[] b:
                return Convert.ToBase64String(b);
            case TypeKind.Data when style == InputStyle.PowerShell && value is byte[] b:
                return b.Select(x => (object)(int)x).ToArray();
            default:
                if (value is null || style == InputStyle.Typed) return value;
                if (style == InputStyle.PowerShell)
                    return value switch
                    {
                        sbyte or byte or short or ushort => Convert.ToInt32(value, CultureInfo.InvariantCulture),
                        uint u when u <= int.MaxValue => (int)u,
                        float f => (double)f,
                        _ => value,
                    };
                return value switch
                {
                    string s => s,
                    bool v => v ? "true" : "false",
                    float f => f.ToString("R", CultureInfo.InvariantCulture),
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => value,
                };
        }
    }

    public static object ToStructInput(object value, StructSchema schema, InputStyle style)
    {
        var input = style == InputStyle.PowerShell ? new Hashtable() : new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, v) in (IEnumerable<KeyValuePair<string, object?>>)value)
        {
            var field = schema.GetField(name);
            // PowerShell-style: key case differs from the schema and the table is case-sensitive, exercising the scan.
            string key = style == InputStyle.PowerShell ? name.ToUpperInvariant() : name;
            object? converted = field.IsGroup
                ? (v is null ? null : ToStructInput(v, field.GroupType!, style))
                : field.Type.Kind == TypeKind.Void ? (field.IsInUnion ? (style == InputStyle.Strings ? "true" : true) : v)
                : ToInput(v, field.Type, style);
            input[key] = converted;
        }
        return input;
    }
}

/// <summary>How test vectors are turned into writer input.</summary>
public enum InputStyle
{
    /// <summary>The vector's own .NET values (typed arrays, exact numeric types), in PowerShell-like hashtables.</summary>
    Typed,
    /// <summary>As PowerShell hands them over: object[] arrays, ints where they fit, keys in other cases, ordinal hashtables.</summary>
    PowerShell,
    /// <summary>Every scalar as an invariant string (as Import-Csv gives them); Data as base64.</summary>
    Strings,
}
