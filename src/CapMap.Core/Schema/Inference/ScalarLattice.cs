using System.Collections;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Schema.Inference;

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
