using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Wire;

namespace CapMap.Objects.Codecs;

/// <summary>
/// Objects whose properties vary from one to the next: a struct with a field of other properties
/// (<see cref="ClrKind.Properties"/>) holds each object's rare properties as entries, so its objects have no one
/// shape for a generated row type. Each comes back with its fields and its own entries, every entry at the position
/// it had among the object's properties, through the model's <c>presentProperties</c> (a PSCustomObject in
/// PowerShell, an <see cref="ObjectRecord"/> by default), or as a dictionary where the records were dictionaries.
/// </summary>
public sealed partial class InferredRowReader
{
    /// <summary>What an object of varying properties becomes by default: an <see cref="ObjectRecord"/> with its type name.</summary>
    private static object DefaultPresentProperties(string? typeName, IReadOnlyList<KeyValuePair<string, object?>> properties) =>
        new ObjectRecord(typeName, properties);

    /// <summary>True when the record struct keeps rare properties as entries: <see cref="Read"/> gives each record with its own properties, so there is no one row shape.</summary>
    public bool HaveOtherProperties { get; private init; }

    /// <summary>The reader of a struct with a field of other properties; null for a struct without one.</summary>
    private Func<StructReader, object>? OtherPropertiesReader(InferredStruct s, ClrTypeInfo? clr, string path)
    {
        if (PropertyEntry.FieldOf(s) is not { } other) return null;
        var wire = (StructSchema)_set.GetById(s.Id);
        var fields = s.Fields.Where(f => f.FlagsNullOf is null && f != other).ToArray();
        var readers = fields.Select(f => FieldReader(wire, f, path + f.Name)).ToArray();
        var names = fields.Select(f => f.Name).ToArray();
        int entriesAt = checked((int)Field(wire, other.Identifier).Offset);
        var entry = other.Type.Element!.Struct!;
        var entryWire = (StructSchema)_set.GetById(entry.Id);
        var (keyField, valueField, positionField) = PropertyEntry.FieldsOf(entry)!.Value;
        var key = FieldReader(entryWire, keyField, path + "{}." + MapEntry.Key);
        var value = FieldReader(entryWire, valueField, path + "{}");
        int positionAt = checked((int)Field(entryWire, positionField.Identifier).Offset);
        bool asDictionary = InferredValues.IsDictionary(clr);
        string? typeName = clr is { Kind: ClrKind.Object, Argument: { } t } ? _typeName(t) : null;
        return r =>
        {
            var properties = new List<KeyValuePair<string, object?>>(names.Length + 1);
            for (int i = 0; i < names.Length; i++) properties.Add(new(names[i], readers[i](r)));
            if (!r.IsPointerNull(entriesAt))
            {
                // Entries were written in the object's order, so each goes back where it stood among what is read so far.
                var entries = r.ReadList(entriesAt);
                for (int i = 0; i < entries.Count; i++)
                {
                    var e = entries.GetStruct(i);
                    int at = (int)Math.Min(e.ReadUInt32(positionAt), (uint)properties.Count);
                    properties.Insert(at, new((string?)key(e) ?? "", value(e)));
                }
            }
            if (!asDictionary) return _presentProperties(typeName, properties);
            var dictionary = InferredValues.NewDictionary(clr);
            foreach (var (name, v) in properties) dictionary[name] = v;
            return dictionary;
        };
    }
}
