using System.Buffers;
using System.Collections;
using CapMap.Clr;
using CapMap.Schema;
using CapMap.Schema.Inference;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>The compiled plan of one struct or group: its fields in order, then its union members.</summary>
internal sealed class StructPlan
{
    private readonly ObjectAdapter _accessor;
    private readonly bool _defaultAccessor;
    private readonly bool _bindsShapes;
    private readonly Func<object?, object?>? _unwrap;
    private readonly bool _strict;
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _discriminantOffset;
    private FieldPlan[] _fields = [];
    private int _nonUnionCount;
    private TypeBinding? _binding;
    private PropertyBinding? _shape;
    private string[] _names = [];

    public StructPlan(StructSchema schema, ObjectWriterOptions options)
    {
        Schema = schema;
        _accessor = options.Adapter;
        _defaultAccessor = ReferenceEquals(options.Adapter, ObjectAdapter.Default);
        _bindsShapes = options.Adapter.BindsShapes;
        _unwrap = options.Unwrap;
        _strict = options.Strict;
        _discriminantOffset = schema.HasUnion ? checked((int)schema.DiscriminantOffset) : 0;
        foreach (var f in schema.Fields) _known.Add(f.Name);
    }

    public StructSchema Schema { get; }

    public void Initialize(FieldPlan[] fields, int nonUnionCount)
    {
        _fields = fields;
        _nonUnionCount = nonUnionCount;
        _names = fields.Select(f => f.Name).ToArray();
    }

    /// <summary>Getters of a reflected type for every field (null where the type has no such property), cached for the last type seen.</summary>
    private sealed class TypeBinding(Type type, Func<object, object?>?[] getters)
    {
        public readonly Type Type = type;
        public readonly Func<object, object?>?[] Getters = getters;
    }

    /// <summary>Rejects values that cannot hold the struct's fields: strings, numbers and other scalars, and plain lists.</summary>
    public void CheckObject(object value)
    {
        if (ObjectAdapter.IsScalar(value)
            || (value is IEnumerable && value is not (IDictionary or IReadOnlyDictionary<string, object?> or IDictionary<string, object?>)))
        {
            string what = Schema.IsGroup ? $"group {Schema.ShortName}" : $"struct {Schema.ShortName}";
            throw Fail(value, $"expected an object with properties (hashtable, dictionary or object) for {what}, got {CapnpValueException.Show(value)}");
        }
    }

    public void Write(in StructBuilder target, object source)
    {
        CheckObject(source);
        WriteBody(in target, source);
    }

    /// <summary>Writes the fields; <paramref name="source"/> has passed <see cref="CheckObject"/>.</summary>
    public void WriteBody(in StructBuilder target, object source)
    {
        if (_strict) CheckNames(source);
        if (_bindsShapes && ReadByShape(source) is { } values)
        {
            try
            {
                WriteFields(in target, source, null, values);
            }
            finally
            {
                ArrayPool<object?>.Shared.Return(values, clearArray: true);
            }
            return;
        }
        Func<object, object?>?[]? getters = null;
        if (_defaultAccessor && PlainObjectProperties.UsesReflection(source)) getters = Bind(source.GetType());
        WriteFields(in target, source, getters, null);
    }

    /// <summary>All fields' raw values through the binder (a pooled array), or null when it reads this object name by name.</summary>
    private object?[]? ReadByShape(object source)
    {
        var values = ArrayPool<object?>.Shared.Rent(Math.Max(_names.Length, 1));
        var shape = _shape;
        if (shape is null || !shape.TryRead(source, values))
        {
            Array.Clear(values, 0, _names.Length); // a failed read may have filled some
            shape = _accessor.Bind(source, _names);
            if (shape is null || !shape.TryRead(source, values))
            {
                ArrayPool<object?>.Shared.Return(values, clearArray: true);
                return null;
            }
            _shape = shape;
        }
        return values;
    }

    private void WriteFields(in StructBuilder target, object source, Func<object, object?>?[]? getters, object?[]? values)
    {
        var fields = _fields;
        int nonUnion = _nonUnionCount;
        for (int i = 0; i < nonUnion; i++)
        {
            var field = fields[i];
            object? value = values is null ? Get(source, field, getters, i) : Prepare(field, values[i]);
            if (value is null) continue;
            try
            {
                field.Write(in target, value);
            }
            catch (CapnpValueException ex)
            {
                throw ex.WithParent(field.Name);
            }
        }
        if (fields.Length == nonUnion) return;

        FieldPlan? chosen = null;
        object? chosenValue = null;
        for (int i = nonUnion; i < fields.Length; i++)
        {
            var field = fields[i];
            object? value = values is null ? Get(source, field, getters, i) : Prepare(field, values[i]);
            if (value is null) continue;
            if (chosen is not null)
                throw new CapnpValueException(field.Name, value,
                    $"'{chosen.Name}' and '{field.Name}' are both set, but they are members of the same union; set only one");
            chosen = field;
            chosenValue = value;
        }
        if (chosen is null) return;
        target.WriteUInt16(_discriminantOffset, chosen.Discriminant);
        try
        {
            chosen.Write(in target, chosenValue!);
        }
        catch (CapnpValueException ex)
        {
            throw ex.WithParent(chosen.Name);
        }
    }

    private object? Get(object source, FieldPlan field, Func<object, object?>?[]? getters, int index)
    {
        object? value;
        if (getters is not null)
        {
            var getter = getters[index];
            if (getter is null) return null;
            value = getter(source);
        }
        else if (!_accessor.TryGetValue(source, field.Name, out value))
        {
            return null;
        }
        return Prepare(field, value);
    }

    /// <summary>A raw property value as the field plan takes it: unwrapped, null for "no value" (blank where that counts as absent).</summary>
    private object? Prepare(FieldPlan field, object? value)
    {
        if (_unwrap is not null) value = _unwrap(value);
        if (value is null) return null;
        if (field.BlankIsAbsent && value is string s && string.IsNullOrWhiteSpace(s)) return null;
        return value;
    }

    private Func<object, object?>?[] Bind(Type type)
    {
        var binding = _binding;
        if (binding is not null && binding.Type == type) return binding.Getters;
        var getters = new Func<object, object?>?[_fields.Length];
        for (int i = 0; i < getters.Length; i++) getters[i] = PropertyGetters.Find(type, _fields[i].Name);
        _binding = new TypeBinding(type, getters);
        return getters;
    }

    private void CheckNames(object source)
    {
        List<string>? unknown = null;
        foreach (var name in _accessor.GetNames(source))
            if (!_known.Contains(name)) (unknown ??= new()).Add(name);
        if (unknown is null) return;
        string what = Schema.IsGroup ? $"group {Schema.ShortName}" : Schema.ShortName;
        throw new CapnpValueException("", source,
            $"{(unknown.Count == 1 ? "property" : "properties")} {string.Join(", ", unknown.Select(n => $"'{n}'"))} " +
            $"{(unknown.Count == 1 ? "is" : "are")} not field(s) of {what} (strict mode); known fields: {string.Join(", ", Schema.Fields.Select(f => f.Name))}");
    }
}
