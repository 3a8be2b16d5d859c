using System.Globalization;
using System.Numerics;

namespace CapMap.Schema.Inference.TypeRows;

/// <summary>The classes of numbers widening tells apart.</summary>
internal enum NumberClass
{
    /// <summary>An integer type.</summary>
    Integer,
    /// <summary>A binary floating-point type.</summary>
    Float,
    /// <summary>System.Decimal.</summary>
    Decimal,
}
