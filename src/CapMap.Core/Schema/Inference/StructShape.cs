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
        _index[name] = Properties.Count - 1;
        return Properties.Count - 1;
    }
}
