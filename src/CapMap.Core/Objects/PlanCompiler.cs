using CapMap.Objects.FieldPlans;
using CapMap.Schema;

namespace CapMap.Objects;

/// <summary>Builds the plans of one <see cref="StructWriter"/>; struct plans are shared, so recursive schemas compile.</summary>
internal sealed class PlanCompiler
{
    private readonly ObjectWriterOptions _options;
    private readonly Dictionary<StructSchema, StructPlan> _plans = new();

    public PlanCompiler(ObjectWriterOptions options) => _options = options;

    public StructPlan GetStructPlan(StructSchema schema)
    {
        if (_plans.TryGetValue(schema, out var plan)) return plan;
        plan = new StructPlan(schema, _options);
        _plans.Add(schema, plan);
        var fields = new List<FieldPlan>(schema.Fields.Count);
        foreach (var f in schema.NonUnionFields) fields.Add(CompileField(f));
        foreach (var f in schema.UnionFields) fields.Add(CompileField(f));
        plan.Initialize(fields.ToArray(), schema.NonUnionFields.Count);
        return plan;
    }

    private FieldPlan CompileField(FieldSchema field)
    {
        if (field.IsGroup) return new GroupField(field, GetStructPlan(field.GroupType!));
        var type = field.Type;
        int offset = checked((int)field.Offset);
        object? def = field.DefaultValue?.Value;
        return type.Kind switch
        {
            TypeKind.Void => new VoidField(field),
            TypeKind.Bool => new BoolField(field, offset, def is true),
            TypeKind.Int8 => new Int8Field(field, offset, def is sbyte i8 ? i8 : (sbyte)0),
            TypeKind.Int16 => new Int16Field(field, offset, def is short i16 ? i16 : (short)0),
            TypeKind.Int32 => new Int32Field(field, offset, def is int i32 ? i32 : 0),
            TypeKind.Int64 => new Int64Field(field, offset, def is long i64 ? i64 : 0L),
            TypeKind.UInt8 => new UInt8Field(field, offset, def is byte u8 ? u8 : (byte)0),
            TypeKind.UInt16 => new UInt16Field(field, offset, def is ushort u16 ? u16 : (ushort)0),
            TypeKind.UInt32 => new UInt32Field(field, offset, def is uint u32 ? u32 : 0u),
            TypeKind.UInt64 => new UInt64Field(field, offset, def is ulong u64 ? u64 : 0UL),
            TypeKind.Float32 => new Float32Field(field, offset, def is float f32 ? f32 : 0f),
            TypeKind.Float64 => new Float64Field(field, offset, def is double f64 ? f64 : 0d),
            TypeKind.Enum => new EnumField(field, offset, def is ushort e ? e : (ushort)0, type.EnumType!),
            _ => new PointerField(field, offset, CompilePointer(type)),
        };
    }

    private PointerWriter CompilePointer(TypeSchema type) => type.Kind switch
    {
        TypeKind.Text => TextWriter.Instance,
        TypeKind.Data => new DataWriter(_options.Unwrap),
        TypeKind.Struct => new StructPointerWriter(GetStructPlan(type.StructType
            ?? throw new InvalidOperationException($"The struct type {type} is not bound to its schema node."))),
        TypeKind.List => CompileList(type),
        _ => new UnsupportedWriter(type),
    };

    private PointerWriter CompileList(TypeSchema listType)
    {
        var element = listType.ElementType!;
        return element.Kind switch
        {
            TypeKind.Struct => new StructListWriter(listType, GetStructPlan(element.StructType
                ?? throw new InvalidOperationException($"The struct type {element} is not bound to its schema node.")), _options.Unwrap),
            TypeKind.Text or TypeKind.Data or TypeKind.List => new PointerListWriter(listType, CompilePointer(element), _options.Unwrap),
            TypeKind.AnyPointer or TypeKind.Interface => new UnsupportedWriter(listType),
            _ => new PrimitiveListWriter(listType, _options.Unwrap),
        };
    }
}
