using System.Buffers.Binary;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Wire;

/// <summary>Hostile bytes must end in CapnpFormatException, quickly, without large allocations.</summary>
public class MalformedInputTests
{
    private static byte[] Message(params ulong[] segment0Words)
    {
        var bytes = new byte[8 + segment0Words.Length * 8];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)segment0Words.Length);
        for (int i = 0; i < segment0Words.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 + i * 8), segment0Words[i]);
        return bytes;
    }

    /// <summary>Reads every pointer of the root as every kind of object, the way a generic walker would.</summary>
    private static void ReadEverything(byte[] bytes, ReaderOptions? options = null)
    {
        using var reader = MessageReader.FromFramedBytes(bytes, options);
        Walk(reader.GetRoot(), 0);
    }

    private static void Walk(StructReader s, int depth)
    {
        if (depth > 200) throw new Xunit.Sdk.XunitException("walker recursed without hitting the nesting limit");
        for (int i = 0; i < s.PointerCount; i++)
        {
            if (s.IsPointerNull(i)) continue;
            try { Walk(s.ReadStruct(i), depth + 1); } catch (CapnpFormatException) { }
            try
            {
                var list = s.ReadList(i);
                for (int j = 0; j < Math.Min(list.Count, 4); j++)
                    if (list.ElementSize is ElementSize.InlineComposite) Walk(list.GetStruct(j), depth + 1);
            }
            catch (CapnpFormatException) { }
            s.ReadData(i); // the last read is allowed to throw: that is what the tests assert
        }
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 5, 0, 0, 0 })]                 // claims 5 words, has none
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0 })]                 // two segments, table truncated
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 })]     // 2^32 segments (wraps to 0)
    [InlineData(new byte[] { 0x00, 0x02, 0, 0, 0, 0, 0, 0 })]           // 513 segments
    public void Truncated_or_absurd_segment_tables_are_rejected(byte[] bytes)
    {
        Assert.Throws<CapnpFormatException>(() => MessageReader.FromFramedBytes(bytes).Dispose());
    }

    [Fact]
    public void Segment_claiming_more_than_the_maximum_words_is_rejected()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 1u << 29);
        Assert.Throws<CapnpFormatException>(() => MessageReader.FromFramedBytes(bytes));
    }

    [Fact]
    public void Struct_pointer_out_of_bounds_is_rejected()
    {
        ulong root = WirePointer.Struct(100, 1, 0);
        using var reader = MessageReader.FromFramedBytes(Message(root));
        Assert.Throws<CapnpFormatException>(() => reader.GetRoot());
    }

    [Fact]
    public void Negative_offset_before_the_segment_is_rejected()
    {
        ulong root = WirePointer.Struct(-5, 1, 0);
        using var reader = MessageReader.FromFramedBytes(Message(root, 0));
        Assert.Throws<CapnpFormatException>(() => reader.GetRoot());
    }

    [Fact]
    public void Huge_claimed_list_count_is_rejected_without_allocating()
    {
        ulong root = WirePointer.Struct(0, 0, 1);
        ulong list = WirePointer.List(0, ElementSize.EightBytes, WireLimits.MaxListElements);
        using var reader = MessageReader.FromFramedBytes(Message(root, list));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<CapnpFormatException>(() => reader.GetRoot().ReadList(0));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void Huge_claimed_data_blob_is_rejected_without_allocating()
    {
        ulong root = WirePointer.Struct(0, 0, 1);
        ulong data = WirePointer.List(0, ElementSize.Byte, WireLimits.MaxListElements);
        using var reader = MessageReader.FromFramedBytes(Message(root, data, 0));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<CapnpFormatException>(() => reader.GetRoot().ReadData(0));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void Composite_tag_claiming_more_elements_than_words_is_rejected()
    {
        ulong root = WirePointer.Struct(0, 0, 1);
        ulong list = WirePointer.List(0, ElementSize.InlineComposite, 2);
        ulong tag = WirePointer.Struct(1_000_000, 1, 0);
        using var reader = MessageReader.FromFramedBytes(Message(root, list, tag, 0, 0));
        Assert.Throws<CapnpFormatException>(() => reader.GetRoot().ReadList(0));
    }

    [Fact]
    public void Zero_sized_struct_list_with_huge_count_hits_the_traversal_limit()
    {
        ulong root = WirePointer.Struct(0, 0, 1);
        ulong list = WirePointer.List(0, ElementSize.InlineComposite, 0);
        ulong tag = WirePointer.Struct(WireLimits.MaxListElements, 0, 0);
        using var reader = MessageReader.FromFramedBytes(Message(root, list, tag));
        Assert.Throws<CapnpTraversalLimitException>(() => reader.GetRoot().ReadList(0));
    }

    [Fact]
    public void Pointer_cycle_ends_at_the_nesting_or_traversal_limit()
    {
        // The root struct's only pointer points back at the root struct itself.
        ulong root = WirePointer.Struct(0, 0, 1);
        ulong self = WirePointer.Struct(-1, 0, 1);
        using var reader = MessageReader.FromFramedBytes(Message(root, self));
        var s = reader.GetRoot();
        var ex = Assert.Throws<CapnpFormatException>(() => { for (int i = 0; i < 1000; i++) s = s.ReadStruct(0); });
        Assert.Contains("limit", ex.Message);
    }

    [Fact]
    public void Traversal_limit_is_enforced_on_repeated_reads()
    {
        ulong root = WirePointer.Struct(0, 0, 1);
        ulong list = WirePointer.List(0, ElementSize.EightBytes, 4);
        using var reader = MessageReader.FromFramedBytes(Message(root, list, 1, 2, 3, 4), new ReaderOptions { TraversalLimitInWords = 20 });
        var r = reader.GetRoot();
        Assert.Throws<CapnpTraversalLimitException>(() => { for (int i = 0; i < 10; i++) r.ReadList(0); });
    }

    [Fact]
    public void Far_pointer_to_a_missing_segment_is_rejected()
    {
        ulong root = WirePointer.Far(7, 0, doubleFar: false);
        using var reader = MessageReader.FromFramedBytes(Message(root));
        Assert.Throws<CapnpFormatException>(() => reader.GetRoot());
    }

    [Fact]
    public void Far_pointer_landing_pad_out_of_bounds_is_rejected()
    {
        ulong root = WirePointer.Far(0, 50, doubleFar: true);
        using var reader = MessageReader.FromFramedBytes(Message(root, 0));
        Assert.Throws<CapnpFormatException>(() => reader.GetRoot());
    }

    [Fact]
    public void Landing_pad_that_is_another_far_pointer_is_rejected()
    {
        ulong root = WirePointer.Far(0, 1, doubleFar: false);
        ulong pad = WirePointer.Far(0, 1, doubleFar: false);
        using var reader = MessageReader.FromFramedBytes(Message(root, pad));
        Assert.Throws<CapnpFormatException>(() => reader.GetRoot());
    }

    [Fact]
    public void Text_without_nul_terminator_is_rejected()
    {
        ulong root = WirePointer.Struct(0, 0, 1);
        ulong text = WirePointer.List(0, ElementSize.Byte, 3);
        using var reader = MessageReader.FromFramedBytes(Message(root, text, 0x434241));
        Assert.Throws<CapnpFormatException>(() => reader.GetRoot().ReadText(0));
    }

    [Fact]
    public void Wrong_pointer_kinds_are_rejected()
    {
        ulong root = WirePointer.Struct(0, 0, 2);
        ulong list = WirePointer.List(1, ElementSize.FourBytes, 2);
        ulong capability = 3;
        using var reader = MessageReader.FromFramedBytes(Message(root, list, capability, 0));
        var r = reader.GetRoot();
        Assert.Throws<CapnpFormatException>(() => r.ReadStruct(0));
        Assert.Throws<CapnpFormatException>(() => r.ReadText(0));
        Assert.Throws<CapnpFormatException>(() => r.ReadList(1));
    }

    [Fact]
    public void Random_bytes_only_ever_raise_the_format_exception()
    {
        var random = new Random(1234);
        for (int round = 0; round < 20_000; round++)
        {
            int words = random.Next(1, 12);
            var segment = new ulong[words];
            for (int i = 0; i < words; i++)
            {
                segment[i] = random.Next(4) switch
                {
                    0 => WirePointer.Struct(random.Next(-4, 8), random.Next(0, 3), random.Next(0, 3)),
                    1 => WirePointer.List(random.Next(-4, 8), (ElementSize)random.Next(8), random.Next(0, 40)),
                    2 => WirePointer.Far(random.Next(0, 2), random.Next(0, 12), random.Next(2) == 0),
                    _ => (ulong)random.NextInt64(),
                };
            }
            try { ReadEverything(Message(segment), new ReaderOptions { TraversalLimitInWords = 10_000, NestingLimit = 16 }); }
            catch (CapnpFormatException) { }
        }
    }
}
