using System.Collections;
using System.Management.Automation;
using CapMap.Schema.Inference;

namespace CapMap.PowerShell.Internal;

/// <summary>
/// Binds field names to a PSCustomObject's note properties by position, once per property-name sequence. A record
/// is read by walking its own members once and checking that the names are the bound ones (reference-equal in
/// the usual case: the same script literal made them), so no lookup by name happens per field.
/// </summary>
internal sealed class NoteSequenceBinding : PropertyBinding
{
    private readonly string[] _memberNames;
    private readonly int[] _fieldOf;            // member position → field index, -1 for none
    private readonly (int Field, string Name)[] _elsewhere; // fields the object showed through type data, not its own members

    private NoteSequenceBinding(string[] memberNames, int[] fieldOf, (int, string)[] elsewhere)
    {
        _memberNames = memberNames;
        _fieldOf = fieldOf;
        _elsewhere = elsewhere;
    }

    public static NoteSequenceBinding? Create(PSObject pso, IReadOnlyList<string> names)
    {
        if (PSInstanceMembers.Of(pso) is not { } members) return null;
        var memberNames = new List<string>();
        var fieldOf = new List<int>();
        var claimed = new bool[names.Count];
        foreach (DictionaryEntry entry in members)
        {
            if (entry.Value is not PSMemberInfo m) return null;
            memberNames.Add(m.Name);
            int field = -1;
            if (m is PSPropertyInfo)
                for (int i = 0; i < names.Count; i++)
                    if (!claimed[i] && string.Equals(names[i], m.Name, StringComparison.OrdinalIgnoreCase)) { field = i; claimed[i] = true; break; }
            fieldOf.Add(field);
        }
        var elsewhere = new List<(int, string)>();
        for (int i = 0; i < names.Count; i++)
            if (!claimed[i] && pso.Properties[names[i]] is not null) elsewhere.Add((i, names[i]));
        return new NoteSequenceBinding(memberNames.ToArray(), fieldOf.ToArray(), elsewhere.ToArray());
    }

    public override bool TryRead(object source, object?[] values)
    {
        if (source is not PSObject { BaseObject: PSCustomObject } pso || PSInstanceMembers.Of(pso) is not { } members) return false;
        var expected = _memberNames;
        if (members.Count != expected.Length) return false;
        for (int k = 0; k < expected.Length; k++)
        {
            if (members[k] is not PSMemberInfo m) return false;
            string name = m.Name;
            if (!ReferenceEquals(name, expected[k]) && !string.Equals(name, expected[k], StringComparison.Ordinal)) return false;
            int field = _fieldOf[k];
            if (field >= 0) values[field] = m is PSPropertyInfo p ? PSInstanceMembers.Read(p) : null;
        }
        foreach (var (field, name) in _elsewhere)
            values[field] = pso.Properties[name] is { } p ? PSInstanceMembers.Read(p) : null;
        return true;
    }
}
