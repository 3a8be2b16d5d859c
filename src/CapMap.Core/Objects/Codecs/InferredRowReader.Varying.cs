using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Wire;

namespace CapMap.Objects.Codecs;

/// <summary>
/// Objects whose properties vary from one to the next: a struct with a field of other properties
/// (<see cref="ClrKind.Properties"/>) holds each object's rare properties as entries, and one with absence flags
/// (<see cref="InferredField.AbsentFlag"/>) knows which properties an object lacked, so its objects have no one shape
/// for a generated row type. Each comes back with the fields it had and its own entries, every entry at the position
/// it had among the object's properties, through the model's <c>presentProperties</c> (a PSCustomObject in
/// PowerShell, an <see cref="ObjectRecord"/> by default), or as a dictionary where the records were dictionaries.
/// </summary>
public sealed partial class InferredRowReader
{
    /// <summary>What an object of varying properties becomes by default: an <see cref="ObjectRecord"/> with its type name.</summary>
    private static object DefaultPresentProperties(string? typeName, IReadOnlyList<KeyValuePair<string, object?>> properties) =>
        new ObjectRecord(typeName, properties);

    /// <summary>True when the records' properties vary (rare ones are entries, or some records lacked some): <see cref="Read"/> gives each record with its own properties, so there is no one row shape.</summary>
    public bool HavePropertiesOfTheirOwn { get; private init; }

    /// <summary>True if objects of <paramref name="s"/> may differ in their properties: it keeps rare ones as entries, or flags absent ones.</summary>
    private static bool VariesByObject(InferredStruct s) => PropertyEntry.FieldOf(s) is not null || s.Fields.Any(f => f.FlagsAbsenceOf is not null);

    /// <summary>The reader of a struct whose objects differ in their properties; null for a struct whose objects all have its fields.</summary>
    private Func<StructReader, object>? VaryingObjectReader(InferredStruct s, ClrTypeInfo? clr, string path)
    {
        if (!VariesByObject(s)) return null;
        var other = PropertyEntry.FieldOf(s);
        var wire = (StructSchema)_set.GetById(s.Id);
        var fields = s.Fields.Where(f => !f.IsFlag && f != other).ToArray();
        var readers = fields.Select(f => FieldReader(wire, f, path + f.Name)).ToArray();
        var names = fields.Select(f => f.Name).ToArray();
        // Per field, the bit that says the object lacked it (-1: every object had it).
        var absentAt = fields.Select(f => f.AbsentFlag is { } flag ? checked((int)Field(wire, flag.Identifier).Offset) : -1).ToArray();
        var entries = other is null ? null : EntriesReader(other, wire, path);
        bool asDictionary = InferredValues.IsDictionary(clr);
        string? typeName = clr is { Kind: ClrKind.Object, Argument: { } t } ? _typeName(t) : null;
        return r =>
        {
            var properties = new List<KeyValuePair<string, object?>>(names.Length + 1);
            for (int i = 0; i < names.Length; i++)
                if (absentAt[i] < 0 || !r.ReadBool(absentAt[i]))
                    properties.Add(new(names[i], readers[i](r)));
            entries?.Invoke(r, properties);
            if (!asDictionary) return _presentProperties(typeName, properties);
            var dictionary = InferredValues.NewDictionary(clr, InferredValues.KeyComparerFor(properties.Select(p => p.Key)));
            foreach (var (name, v) in properties) dictionary[name] = v;
            return dictionary;
        };
    }

    /// <summary>Puts the entries of <paramref name="other"/> among an object's properties read so far, each at its position.</summary>
    private Action<StructReader, List<KeyValuePair<string, object?>>> EntriesReader(InferredField other, StructSchema wire, string path)
    {
        int entriesAt = checked((int)Field(wire, other.Identifier).Offset);
        var entry = other.Type.Element!.Struct!;
        var entryWire = (StructSchema)_set.GetById(entry.Id);
        var (keyField, valueField, positionField) = PropertyEntry.FieldsOf(entry)!.Value;
        var key = FieldReader(entryWire, keyField, path + "{}." + MapEntry.Key);
        var value = FieldReader(entryWire, valueField, path + "{}");
        int positionAt = checked((int)Field(entryWire, positionField.Identifier).Offset);
        return (r, properties) =>
        {
            if (r.IsPointerNull(entriesAt)) return;
            // Entries were written in the object's order, and the fields read are the ones it had, so each entry goes
            // back where it stood among what is read so far.
            var entries = r.ReadList(entriesAt);
            for (int i = 0; i < entries.Count; i++)
            {
                var e = entries.GetStruct(i);
                int at = (int)Math.Min(e.ReadUInt32(positionAt), (uint)properties.Count);
                properties.Insert(at, new((string?)key(e) ?? "", value(e)));
            }
        };
    }
}
