using CapMap.Schema;
using CapMap.Schema.Inference;

namespace CapMap.Tests.Schema.Inference;

/// <summary>Random struct shapes for the layout property test: field counts, types (with runs of Bools), unions, names.</summary>
internal sealed class RandomShapes
{
    private static readonly string[] AwkwardNames =
    [
        "Id", "id", "ID", "iD", "Working Set", "working-set", "WorkingSet", "2fast", "123", "struct", "enum", "union",
        "const", "Text", "List", "_private", "__", "a_b", "a b", "ÄÖÜ", "Größe", "名前", "😀", "", " ", "x!", "x?",
        "x.y", "records", "name", "originalName", "clrType", "Batch", "Record", "field", "field2", "import", "void",
        "idIsNull", "IdIsNull", "nullFlagFor", "fieldIsNull",
    ];

    private static readonly TypeKind[] Primitives =
    [
        TypeKind.Void, TypeKind.Bool, TypeKind.Int8, TypeKind.Int16, TypeKind.Int32, TypeKind.Int64, TypeKind.UInt8,
        TypeKind.UInt16, TypeKind.UInt32, TypeKind.UInt64, TypeKind.Float32, TypeKind.Float64, TypeKind.Text, TypeKind.Data,
    ];

    private readonly Random _random;
    private int _structCount;

    public RandomShapes(int seed) => _random = new Random(seed);

    /// <summary>Number of structs made so far (nested ones included).</summary>
    public int StructCount => _structCount;

    public InferredStruct NextStruct(int depth = 0)
    {
        _structCount++;
        // Every sixth struct is a union of 2 to 8 members (a value of several kinds): where its discriminant and
        // shared slots go depends on the members' sizes and order.
        if (_random.Next(6) == 0)
            return InferredStruct.Union(NextName(), Enumerable.Range(0, _random.Next(2, 9))
                .Select(_ => new InferredField(NextName(), NextType(depth), _random.Next(4) == 0 ? ClrTypeInfo.Scalar("String") : null)).ToList());
        int fieldCount = _random.Next(10) switch { 0 => 0, < 7 => _random.Next(1, 12), _ => _random.Next(12, 70) };
        var fields = new List<InferredField>(fieldCount);
        while (fields.Count < fieldCount)
        {
            if (_random.Next(6) == 0)
            {
                // A run of Bools: the case where holes matter most.
                int run = _random.Next(1, 20);
                for (int i = 0; i < run; i++) fields.Add(new InferredField(NextName(), InferredType.Of(TypeKind.Bool)));
                continue;
            }
            fields.Add(new InferredField(NextName(), NextType(depth), _random.Next(4) == 0 ? ClrTypeInfo.Scalar("String") : null));
        }
        // Half the shapes carry null flags, as every inferred struct does: they must not move the regular fields.
        return _random.Next(2) == 0 ? new InferredStruct(NextName(), fields) : InferredStruct.WithNullFlags(NextName(), fields);
    }

    private InferredType NextType(int depth)
    {
        int pick = _random.Next(100);
        if (pick < 70) return InferredType.Of(Primitives[_random.Next(Primitives.Length)]);
        if (pick < 80) return InferredType.ListOf(NextType(depth + 1));
        if (pick < 85)
            return InferredType.EnumOf(new InferredEnum(NextName(), Enumerable.Range(0, _random.Next(1, 5)).Select(_ => NextName())));
        if (depth < 2) return InferredType.StructOf(NextStruct(depth + 1));
        return InferredType.Of(TypeKind.Int32);
    }

    private string NextName()
    {
        int pick = _random.Next(10);
        if (pick < 4) return AwkwardNames[_random.Next(AwkwardNames.Length)];
        int length = _random.Next(1, 12);
        var chars = new char[length];
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.äé\"\\";
        for (int i = 0; i < length; i++) chars[i] = alphabet[_random.Next(alphabet.Length)];
        return new string(chars);
    }
}
