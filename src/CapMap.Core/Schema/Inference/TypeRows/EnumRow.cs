using System.Collections.Concurrent;

namespace CapMap.Schema.Inference.TypeRows;

/// <summary>
/// Every .NET enum as Text: the enum's name (<c>ToString()</c>, so <c>[Flags]</c> give <c>"A, B"</c>); the argument
/// is the enum's type (<c>Full.Name, Assembly</c>), found again among the loaded assemblies when read back.
/// </summary>
internal sealed class EnumRow : ClrTypeRow
{
    private readonly ConcurrentDictionary<Type, ClrTypeInfo> _byType = new();

    public override string Name => "Enum";
    public override Type Type => typeof(Enum);
    public override TypeKind Capnp => TypeKind.Text;
    public override ClrTypeInfo InfoOf(object value) => InfoOf(value.GetType());
    public override ClrTypeInfo InfoOf(Type type) =>
        _byType.GetOrAdd(type, t => new ClrTypeInfo(this, $"{t.FullName}, {t.Assembly.GetName().Name}"));
    public override Type? TypeFor(string? argument) => LoadedEnumTypes.Find(argument);
    public override object Store(object value) => ToText(value);
    public override object Load(object stored, string? argument) =>
        LoadedEnumTypes.Find(argument) is { } t ? Enum.Parse(t, (string)stored) : stored;
    public override string ToText(object value) => value.ToString()!;
}
