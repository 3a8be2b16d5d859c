using System.Collections;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Schema.Inference;

/// <summary>Values seen so far were objects; the shapes of their properties, in the order first seen.</summary>
internal sealed class StructShape : ValueShape
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public StructShape(ClrKind kind, string? argument)
    {
        Kind = kind;
        Argument = argument;
    }

    /// <summary>Object or Dictionary; for records also Plain (plain values alone) or None (nothing but nulls yet).</summary>
    public ClrKind Kind { get; private set; }

    /// <summary>The type name (objects) or <c>Ordered</c> (ordered dictionaries); null once the samples disagree.</summary>
    public string? Argument { get; private set; }

    /// <summary>Properties in the order they were first seen, with the shape of their values.</summary>
    public List<(string Name, ValueShape? Shape)> Properties { get; } = new();

    // Per property (same index as Properties): the objects that had it, and whether it was first seen after the sample.
    private readonly List<int> _presentIn = new();
    private readonly List<bool> _late = new();

    /// <summary>Objects observed into this shape (the records of a record shape), for how common each property is.</summary>
    public int Objects { get; private set; }

    /// <summary>Times a record after the sample brought properties this shape did not have (each such record changed the schema).</summary>
    public int LateChanges { get; private set; }

    /// <summary>Objects that had the property at <paramref name="index"/>.</summary>
    public int PresentIn(int index) => _presentIn[index];

    /// <summary>True if the property at <paramref name="index"/> was first seen after the sample.</summary>
    public bool IsLate(int index) => _late[index];

    /// <summary>Counts one object observed into the shape.</summary>
    public void CountObject() => Objects++;

    /// <summary>Counts one object that had the property at <paramref name="index"/> (<paramref name="times"/> objects when shapes join).</summary>
    public void CountPresent(int index, int times = 1) => _presentIn[index] += times;

    /// <summary>Counts the objects of a shape joined into this one.</summary>
    public void CountObjects(int objects) => Objects += objects;

    /// <summary>Marks the properties from <paramref name="firstNew"/> on as first seen after the sample (one more late change, if there are any).</summary>
    public void MarkLate(int firstNew)
    {
        if (firstNew >= Properties.Count) return;
        for (int i = firstNew; i < Properties.Count; i++) _late[i] = true;
        LateChanges++;
    }

    public void Merge(ClrKind kind, string? argument)
    {
        // A null record tells nothing about what the records are; the first record that is not null does.
        if (kind == ClrKind.None) return;
        if (Kind == ClrKind.None)
        {
            Kind = kind;
            Argument = argument;
            return;
        }
        if (kind != Kind) Kind = ClrKind.Object;
        if (argument != Argument) Argument = null;
    }

    public int IndexOf(string name)
    {
        if (_index.TryGetValue(name, out int i)) return i;
        Properties.Add((name, null));
        _presentIn.Add(0);
        _late.Add(false);
        _index[name] = Properties.Count - 1;
        return Properties.Count - 1;
    }
}
