namespace CapMap.Schema;

/// <summary>A method of an <see cref="InterfaceSchema"/> (represented minimally).</summary>
public sealed record MethodSchema(string Name, ushort CodeOrder, ulong ParamStructTypeId, ulong ResultStructTypeId);
