using System.Collections;
using CapMap.Schema;
using CapMap.Wire;
using static CapMap.Objects.ValueConverter;

namespace CapMap.Objects;

/// <summary>List(Void), List(Bool), List of numbers, List(Enum).</summary>
internal sealed class PrimitiveListWriter : ListWriterBase
{
    private readonly TypeKind _kind;
    private readonly EnumSchema? _enum;
    private readonly ElementSize _size;

    public PrimitiveListWriter(TypeSchema listType, Func<object?, object?>? unwrap) : base(listType, unwrap)
    {
        var element = listType.ElementType!;
        _kind = element.Kind;
        _enum = element.EnumType;
        _size = _kind switch
        {
            TypeKind.Void => ElementSize.Void,
            TypeKind.Bool => ElementSize.Bit,
            TypeKind.Int8 or TypeKind.UInt8 => ElementSize.Byte,
            TypeKind.Int16 or TypeKind.UInt16 or TypeKind.Enum => ElementSize.TwoBytes,
            TypeKind.Int32 or TypeKind.UInt32 or TypeKind.Float32 => ElementSize.FourBytes,
            TypeKind.Int64 or TypeKind.UInt64 or TypeKind.Float64 => ElementSize.EightBytes,
            _ => throw new ArgumentException($"{element} is not a primitive list element type.", nameof(listType)),
        };
    }

    public override void Write(in PointerSlot target, object value)
    {
        if (TryWriteTypedArray(in target, value)) return;
        var list = AsList(value);
        int count = list.Count;
        var builder = target.InitList(_size, count);
        if (_kind == TypeKind.Void) return;
        for (int i = 0; i < count; i++)
        {
            object? item = Element(list, i);
            try
            {
                if (item is null) throw Fail(null, $"null is not a valid element of {ListType}");
                switch (_kind)
                {
                    case TypeKind.Bool: builder.SetBool(i, ToBool(item)); break;
                    case TypeKind.Int8: builder.SetInt8(i, ToInt8(item)); break;
                    case TypeKind.Int16: builder.SetInt16(i, ToInt16(item)); break;
                    case TypeKind.Int32: builder.SetInt32(i, ToInt32(item)); break;
                    case TypeKind.Int64: builder.SetInt64(i, ToInt64(item)); break;
                    case TypeKind.UInt8: builder.SetUInt8(i, ToUInt8(item)); break;
                    case TypeKind.UInt16: builder.SetUInt16(i, ToUInt16(item)); break;
                    case TypeKind.UInt32: builder.SetUInt32(i, ToUInt32(item)); break;
                    case TypeKind.UInt64: builder.SetUInt64(i, ToUInt64(item)); break;
                    case TypeKind.Float32: builder.SetFloat32(i, ToFloat32(item)); break;
                    case TypeKind.Float64: builder.SetFloat64(i, ToFloat64(item)); break;
                    case TypeKind.Enum: builder.SetUInt16(i, ToEnum(item, _enum!)); break;
                }
            }
            catch (CapnpValueException ex)
            {
                throw AtIndex(ex, i);
            }
        }
    }

    /// <summary>An array whose .NET element type is exactly the list's: copied without boxing.</summary>
    private bool TryWriteTypedArray(in PointerSlot target, object value)
    {
        switch (_kind)
        {
            case TypeKind.Bool when value is bool[] a:
            {
                var b = target.InitList(_size, a.Length);
                for (int i = 0; i < a.Length; i++) if (a[i]) b.SetBool(i, true);
                return true;
            }
            case TypeKind.Int8 when value is sbyte[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetInt8(i, a[i]); return true; }
            case TypeKind.Int16 when value is short[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetInt16(i, a[i]); return true; }
            case TypeKind.Int32 when value is int[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetInt32(i, a[i]); return true; }
            case TypeKind.Int64 when value is long[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetInt64(i, a[i]); return true; }
            case TypeKind.UInt8 when value is byte[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetUInt8(i, a[i]); return true; }
            case TypeKind.UInt16 when value is ushort[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetUInt16(i, a[i]); return true; }
            case TypeKind.UInt32 when value is uint[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetUInt32(i, a[i]); return true; }
            case TypeKind.UInt64 when value is ulong[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetUInt64(i, a[i]); return true; }
            case TypeKind.Float32 when value is float[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetFloat32(i, a[i]); return true; }
            case TypeKind.Float64 when value is double[] a: { var b = target.InitList(_size, a.Length); for (int i = 0; i < a.Length; i++) b.SetFloat64(i, a[i]); return true; }
            default: return false;
        }
    }
}
