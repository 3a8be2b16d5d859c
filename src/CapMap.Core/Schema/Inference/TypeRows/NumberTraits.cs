using System.Globalization;
using System.Numerics;

namespace CapMap.Schema.Inference.TypeRows;

/// <summary>How widening sees a number: its class, an integer's range (null bounds: unbounded) or a float's precision.</summary>
/// <param name="Class">Integer, float or decimal.</param>
/// <param name="Min">Smallest value of an integer type (null: unbounded).</param>
/// <param name="Max">Largest value of an integer type (null: unbounded).</param>
/// <param name="Precision">A float's significand bits; a wider float holds a narrower one exactly.</param>
/// <param name="JoinTarget">An integer that two other integer types may widen to (the 8 to 64-bit ones), not only one of the two.</param>
internal sealed record NumberTraits(NumberClass Class, BigInteger? Min = null, BigInteger? Max = null, int Precision = 0, bool JoinTarget = false)
{
    /// <summary>True if every value of <paramref name="other"/> (an integer) is in this integer's range.</summary>
    public bool Holds(NumberTraits other) =>
        (Min is null || other.Min is not null && other.Min >= Min) && (Max is null || other.Max is not null && other.Max <= Max);
}
