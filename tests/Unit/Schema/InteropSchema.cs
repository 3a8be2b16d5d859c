using CapMap.Schema;
using CapMap.Tests.Interop;

namespace CapMap.Tests.Schema;

/// <summary>interop.capnp compiled live with the capnp tool (once per test run) and loaded into a <see cref="SchemaSet"/>.</summary>
internal static class InteropSchema
{
    private static readonly Lazy<byte[]> s_request = new(() => CapnpTool.CompileRequest("interop.capnp"));
    private static readonly Lazy<SchemaSet> s_set = new(() => SchemaSet.Load(s_request.Value));

    /// <summary>Bytes of <c>capnp compile -o- interop.capnp</c>, run now.</summary>
    public static byte[] RequestBytes => s_request.Value;

    public static SchemaSet Set => s_set.Value;

    public static StructSchema AllTypes => Set.GetStruct("AllTypes");
}
