using System.Collections;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Schema.Inference;

/// <summary>What the sampled values of one field looked like so far: a scalar kind, a list of something, or an object.</summary>
internal abstract class ValueShape
{
}

internal sealed class ScalarShape : ValueShape
{
    public ScalarShape(ClrTypeInfo info) => Info = info;
    public ClrTypeInfo Info { get; }
}

internal sealed class ListShape : ValueShape
{
    public ListShape(ClrKind collection) => Collection = collection;

    /// <summary>Array, List or Sequence.</summary>
    public ClrKind Collection { get; set; }

    /// <summary>The elements' shape; null while no element (or only nulls) was seen.</summary>
    public ValueShape? Element { get; set; }
}

internal sealed class StructShape : ValueShape
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public StructShape(ClrKind kind, string? argument)
    {
        Kind = kind;
        Argument = argument;
    }

    /// <summary>Object or Dictionary.</summary>
    public ClrKind Kind { get; private set; }

    /// <summary>The type name (objects) or <c>Ordered</c> (ordered dictionaries); null once the samples disagree.</summary>
    public string? Argument { get; private set; }

    /// <summary>Properties in the order they were first seen, with the shape of their values.</summary>
    public List<(string Name, ValueShape? Shape)> Properties { get; } = new();

    public void Merge(ClrKind kind, string? argument)
    {
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

/// <summary>
/// The widening rules for scalars, from what each row says it is as a number (<see cref="ClrTypeRow.Number"/>).
/// Two integer types join to the narrowest of the 8 to 64-bit integer types, or of the two, that holds both ranges
/// (Int32 ⊔ UInt32 = Int64, Int64 ⊔ Int128 = Int128); failing that, to Decimal where both fit it (Int64 ⊔ UInt64),
/// else to text. An integer and a float join to Double; two floats to the more precise one (Half ⊔ Single = Single);
/// Decimal ⊔ an integer = Decimal (text where the integer does not fit), Decimal ⊔ a float = Double.
/// A row joins two infos of itself that differ in their argument as it says (DateTimes of two kinds: UTC), and every
/// other mix joins to String.
/// </summary>
internal static class ScalarLattice
{
    private static readonly ClrTypeInfo Text = ClrTypeInfo.Scalar("String");
    private static readonly ClrTypeInfo Double = ClrTypeInfo.Scalar("Double");
    private static readonly ClrTypeInfo Decimal = ClrTypeInfo.Scalar("Decimal");

    public static ClrTypeInfo Join(ClrTypeInfo a, ClrTypeInfo b)
    {
        if (a == b) return a;
        if (a.Row is not { } ra || b.Row is not { } rb) return Text;
        if (ra == rb) return ra.JoinArguments(a, b) ?? Text;
        if (ra.Number is not { } na || rb.Number is not { } nb) return Text;
        switch (na.Class, nb.Class)
        {
            case (NumberClass.Integer, NumberClass.Integer):
                foreach (var target in ClrTypeTable.IntegerJoinTargets)
                    if (target.Number!.Holds(na) && target.Number.Holds(nb)) return target.Info;
                if (na.Holds(nb)) return a;
                if (nb.Holds(na)) return b;
                return Decimal.Row!.Number!.Holds(na) && Decimal.Row.Number.Holds(nb) ? Decimal : Text;
            case (NumberClass.Float, NumberClass.Float):
                return na.Precision >= nb.Precision ? a : b;
            case (NumberClass.Decimal, NumberClass.Integer):
                return na.Holds(nb) ? a : Text;
            case (NumberClass.Integer, NumberClass.Decimal):
                return nb.Holds(na) ? b : Text;
            default: // an integer or a decimal and a float
                return Double;
        }
    }
}

/// <summary>Follows sampled values into <see cref="ValueShape"/>s (the depth rule lives here).</summary>
internal sealed class ShapeObserver
{
    /// <summary>Lists inside lists deeper than this are written as text (guards against self-enumerating objects).</summary>
    private const int MaxListNesting = 8;

    private static readonly ScalarShape Text = new(ClrTypeInfo.Scalar("String"));

    private readonly ObjectAdapter _adapter;
    private readonly int _depth;

    public ShapeObserver(ObjectAdapter adapter, int depth)
    {
        _adapter = adapter;
        _depth = depth;
    }

    /// <summary>Observes a record (level 0); a value without properties is taken as an object with one property, <c>Value</c>.</summary>
    public StructShape ObserveRecord(StructShape? current, object? raw)
    {
        var value = _adapter.Unwrap(raw);
        var (kind, argument, properties) = Describe(value) ?? (ClrKind.Object, null, [new("Value", value)]);
        if (current is null) current = new StructShape(kind, argument);
        else current.Merge(kind, argument);
        ObserveProperties(current, properties, 1);
        return current;
    }

    /// <summary>
    /// The properties of an object or dictionary; null for scalars, collections and objects without properties.
    /// <paramref name="nested"/>: the object is a property's value, not a record (see <see cref="ObjectAdapter.GetProperties"/>).
    /// </summary>
    public (ClrKind Kind, string? Argument, IEnumerable<KeyValuePair<string, object?>> Properties)? Describe(object? value, bool nested = false)
    {
        if (value is null || ClrTypeTable.Classify(value) is not null) return null;
        if (value is not IDictionary && value is IEnumerable) return null;
        var properties = _adapter.GetProperties(value, nested);
        if (properties is null) return null;
        return value is IDictionary
            ? (ClrKind.Dictionary, value is System.Collections.Specialized.OrderedDictionary ? "Ordered" : null, properties)
            : (ClrKind.Object, _adapter.GetTypeName(value) is { } t && t.IndexOfAny(['(', ')']) < 0 ? t : null, properties);
    }

    private void ObserveProperties(StructShape shape, IEnumerable<KeyValuePair<string, object?>> properties, int level)
    {
        foreach (var (name, v) in properties)
        {
            int i = shape.IndexOf(name);
            shape.Properties[i] = (name, Observe(shape.Properties[i].Shape, v, level, 0));
        }
    }

    private ValueShape? Observe(ValueShape? current, object? raw, int level, int listNesting)
    {
        var value = _adapter.Unwrap(raw);
        if (value is null) return current;
        if (current is ScalarShape { Info.Name: "String" }) return current; // already text: anything converts
        if (ClrTypeTable.Classify(value) is { } scalar) return JoinScalar(current, scalar);

        if (value is IEnumerable items && value is not IDictionary)
        {
            if (listNesting >= MaxListNesting) return JoinScalar(current, Text.Info);
            var collection = value.GetType() switch
            {
                { IsArray: true } t when t.GetElementType() != typeof(object) => ClrKind.Array,
                { IsGenericType: true } t when t.GetGenericTypeDefinition() == typeof(List<>) => ClrKind.List,
                _ => ClrKind.Sequence,
            };
            ListShape list;
            switch (current)
            {
                case null:
                    list = new ListShape(collection);
                    break;
                case ListShape l:
                    list = l;
                    if (l.Collection != collection) l.Collection = ClrKind.Sequence;
                    break;
                default:
                    // A scalar (or object) here before: PowerShell unrolls one-element arrays, so it was one element.
                    list = new ListShape(ClrKind.Sequence) { Element = current };
                    break;
            }
            if (DeclaredElement(value.GetType()) is { } declared) list.Element = JoinScalar(list.Element, declared);
            foreach (var item in items)
                list.Element = Observe(list.Element, item, level, listNesting + 1);
            return list;
        }

        if (level > _depth || Describe(value, nested: true) is not { } described)
            return JoinScalar(current, Text.Info); // beyond the depth, or nothing to show: its string, as Export-Csv writes it
        switch (current)
        {
            case null:
            {
                var shape = new StructShape(described.Kind, described.Argument);
                ObserveProperties(shape, described.Properties, level + 1);
                return shape;
            }
            case StructShape s:
                s.Merge(described.Kind, described.Argument);
                ObserveProperties(s, described.Properties, level + 1);
                return s;
            case ListShape l:
                l.Element = Observe(l.Element, value, level, listNesting + 1);
                return l;
            default:
                return Text;
        }
    }

    private static ClrTypeInfo? DeclaredElement(Type collectionType)
    {
        var element = collectionType.IsArray ? collectionType.GetElementType()
            : collectionType.IsGenericType && collectionType.GetGenericTypeDefinition() == typeof(List<>) ? collectionType.GetGenericArguments()[0]
            : null;
        // An element's declared DateTime kind is not known; only values tell it.
        return element is null || element == typeof(DateTime) ? null : ClrTypeTable.Classify(element);
    }

    private static ValueShape JoinScalar(ValueShape? current, ClrTypeInfo scalar)
    {
        switch (current)
        {
            case null: return new ScalarShape(scalar);
            case ScalarShape s: return s.Info == scalar ? s : new ScalarShape(ScalarLattice.Join(s.Info, scalar));
            case ListShape l:
                l.Element = JoinScalar(l.Element, scalar);
                return l;
            default: return Text;
        }
    }
}
