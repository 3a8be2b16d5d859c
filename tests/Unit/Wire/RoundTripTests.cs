using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Wire;

public unsafe class RoundTripTests
{
    private static MessageReader Reread(MessageBuilder builder) => MessageReader.FromFramedBytes(builder.ToFramedBytes());

    [Fact]
    public void Primitives_round_trip_and_are_stored_xored_with_their_defaults()
    {
        using var arena = new HeapSegmentArena();
        var message = new MessageBuilder(arena);
        var root = message.InitRoot(dataWords: 6, pointerCount: 0);
        root.WriteBool(0, true);
        root.WriteBool(1, false, defaultValue: true);
        root.WriteInt8(1, -5, defaultValue: 3);
        root.WriteUInt8(2, 200);
        root.WriteInt16(2, -1234);
        root.WriteUInt16(3, 65000, defaultValue: 7);
        root.WriteInt32(2, int.MinValue);
        root.WriteUInt32(3, 4_000_000_000u);
        root.WriteInt64(2, long.MinValue + 1, defaultValue: 99);
        root.WriteUInt64(3, ulong.MaxValue);
        root.WriteFloat32(8, 3.25f, defaultValue: 1.5f);
        root.WriteFloat64(5, -2.5e300);

        using var reader = Reread(message);
        var r = reader.GetRoot();
        Assert.True(r.ReadBool(0));
        Assert.False(r.ReadBool(1, defaultValue: true));
        Assert.Equal(-5, r.ReadInt8(1, defaultValue: 3));
        Assert.Equal(200, r.ReadUInt8(2));
        Assert.Equal(-1234, r.ReadInt16(2));
        Assert.Equal(65000, r.ReadUInt16(3, defaultValue: 7));
        Assert.Equal(int.MinValue, r.ReadInt32(2));
        Assert.Equal(4_000_000_000u, r.ReadUInt32(3));
        Assert.Equal(long.MinValue + 1, r.ReadInt64(2, defaultValue: 99));
        Assert.Equal(ulong.MaxValue, r.ReadUInt64(3));
        Assert.Equal(3.25f, r.ReadFloat32(8, defaultValue: 1.5f));
        Assert.Equal(-2.5e300, r.ReadFloat64(5));

        // Stored XORed: read without the default, the bits differ by the default.
        Assert.Equal((ushort)(65000 ^ 7), r.ReadUInt16(3));
        // A field beyond the data section (an older writer) reads as its default.
        Assert.Equal(42, r.ReadInt32(100, defaultValue: 42));
        Assert.True(r.ReadBool(6 * 64, defaultValue: true));
    }

    [Fact]
    public void Default_valued_fields_leave_the_data_section_zeroed()
    {
        using var arena = new HeapSegmentArena();
        var message = new MessageBuilder(arena);
        var root = message.InitRoot(1, 0);
        root.WriteInt32(0, 17, defaultValue: 17);
        root.WriteFloat32(1, 2.5f, defaultValue: 2.5f);
        Assert.Equal(0UL, arena.GetSegmentStart(0)[2]);
    }

    [Fact]
    public void Text_data_nested_structs_and_every_list_size_round_trip()
    {
        using var arena = new HeapSegmentArena();
        var message = new MessageBuilder(arena);
        var root = message.InitRoot(1, 12);
        root.SetText(0, "héllo, wörld ✓");
        root.SetData(1, new byte[] { 0, 1, 2, 255 });
        var child = root.InitStruct(2, 1, 1);
        child.WriteInt64(0, 77);
        child.SetText(0, "child");
        var bits = root.InitList(3, ElementSize.Bit, 70);
        for (int i = 0; i < 70; i++) bits.SetBool(i, i % 3 == 0);
        var bytes = root.InitList(4, ElementSize.Byte, 3);
        bytes.SetInt8(0, -1); bytes.SetUInt8(1, 2); bytes.SetInt8(2, 3);
        var shorts = root.InitList(5, ElementSize.TwoBytes, 2);
        shorts.SetInt16(0, -300); shorts.SetUInt16(1, 60000);
        var floats = root.InitList(6, ElementSize.FourBytes, 2);
        floats.SetFloat32(0, 1.25f); floats.SetInt32(1, -9);
        var longs = root.InitList(7, ElementSize.EightBytes, 2);
        longs.SetFloat64(0, Math.PI); longs.SetInt64(1, long.MaxValue);
        var texts = root.InitList(8, ElementSize.Pointer, 3);
        texts.SetText(0, "a"); texts.SetText(2, "ccc");
        var structs = root.InitStructList(9, 3, 1, 1);
        for (int i = 0; i < 3; i++) { structs.GetStruct(i).WriteInt32(1, i * 10); structs.GetStruct(i).SetText(0, $"s{i}"); }
        var voids = root.InitList(10, ElementSize.Void, 1000);
        var nested = root.InitList(11, ElementSize.Pointer, 2);
        var inner = nested.InitList(1, ElementSize.FourBytes, 2);
        inner.SetInt32(0, 5); inner.SetInt32(1, 6);

        using var reader = Reread(message);
        var r = reader.GetRoot();
        Assert.Equal("héllo, wörld ✓", r.ReadText(0));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, r.ReadData(1));
        Assert.Equal(77, r.ReadStruct(2).ReadInt64(0));
        Assert.Equal("child", r.ReadStruct(2).ReadText(0));
        var rb = r.ReadList(3);
        Assert.Equal(70, rb.Count);
        for (int i = 0; i < 70; i++) Assert.Equal(i % 3 == 0, rb.GetBool(i));
        Assert.Equal(new sbyte[] { -1, 2, 3 }, Enumerable.Range(0, 3).Select(i => r.ReadList(4).GetInt8(i)));
        Assert.Equal(-300, r.ReadList(5).GetInt16(0));
        Assert.Equal(60000, r.ReadList(5).GetUInt16(1));
        Assert.Equal(1.25f, r.ReadList(6).GetFloat32(0));
        Assert.Equal(-9, r.ReadList(6).GetInt32(1));
        Assert.Equal(Math.PI, r.ReadList(7).GetFloat64(0));
        Assert.Equal(long.MaxValue, r.ReadList(7).GetInt64(1));
        Assert.Equal(new[] { "a", null, "ccc" }, Enumerable.Range(0, 3).Select(i => r.ReadList(8).GetText(i)));
        var rs = r.ReadList(9);
        Assert.Equal(ElementSize.InlineComposite, rs.ElementSize);
        for (int i = 0; i < 3; i++) { Assert.Equal(i * 10, rs.GetStruct(i).ReadInt32(1)); Assert.Equal($"s{i}", rs.GetStruct(i).ReadText(0)); }
        Assert.Equal(1000, r.ReadList(10).Count);
        Assert.Equal(0, r.ReadList(11).GetList(0).Count);
        Assert.Equal(6, r.ReadList(11).GetList(1).GetInt32(1));
    }

    [Fact]
    public void Small_segments_force_far_pointers_and_still_round_trip()
    {
        using var arena = new HeapSegmentArena(firstSegmentWords: 4, maxSegmentWords: 4, fixedSegmentSize: true);
        var message = new MessageBuilder(arena);
        var root = message.InitRoot(1, 3);
        root.WriteInt64(0, 1);
        root.SetText(0, "far away");          // 2 words + pad: another segment
        var child = root.InitStruct(1, 1, 0); // far
        child.WriteInt64(0, 2);
        var full = root.InitList(2, ElementSize.EightBytes, 4); // fills a whole segment: double-far
        for (int i = 0; i < 4; i++) full.SetInt64(i, i + 100);

        Assert.True(arena.SegmentCount > 2);
        using var reader = Reread(message);
        var r = reader.GetRoot();
        Assert.Equal(1, r.ReadInt64(0));
        Assert.Equal("far away", r.ReadText(0));
        Assert.Equal(2, r.ReadStruct(1).ReadInt64(0));
        Assert.Equal(new long[] { 100, 101, 102, 103 }, Enumerable.Range(0, 4).Select(i => r.ReadList(2).GetInt64(i)));
        var sizes = message.GetSegmentWordCounts();
        Assert.All(sizes, s => Assert.InRange(s, 1, 4));
    }

    [Fact]
    public void Streaming_struct_list_appends_contiguously_and_commits_counts()
    {
        using var arena = new HeapSegmentArena(streamSegmentWords: 1024);
        var message = new MessageBuilder(arena);
        var root = message.InitRoot(1, 1);
        root.WriteInt32(0, 9);
        var list = root.InitStreamingStructList(0, 1, 1);
        for (int i = 0; i < 50; i++)
        {
            var e = list.Append();
            e.WriteInt64(0, i);
            e.SetText(0, "item " + i);
        }
        using (var partial = Reread(message)) Assert.Equal(0, partial.GetRoot().ReadList(0).Count);
        list.Complete();

        using var reader = Reread(message);
        var items = reader.GetRoot().ReadList(0);
        Assert.Equal(50, items.Count);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(i, items.GetStruct(i).ReadInt64(0));
            Assert.Equal("item " + i, items.GetStruct(i).ReadText(0));
        }
    }

    [Fact]
    public void Framing_table_has_exact_segment_sizes()
    {
        using var arena = new HeapSegmentArena(firstSegmentWords: 4, maxSegmentWords: 4, fixedSegmentSize: true);
        var message = new MessageBuilder(arena);
        var root = message.InitRoot(2, 1);
        root.SetText(0, "0123456789");
        var bytes = message.ToFramedBytes();
        var table = Framing.ReadTable(bytes);
        Assert.Equal(arena.SegmentCount, table.SegmentCount);
        Assert.Equal(bytes.Length, table.MessageBytes);
        for (int i = 0; i < table.SegmentCount; i++) Assert.Equal(arena.GetSegmentWordCount(i), table.SegmentWords[i]);
    }

    [Fact]
    public void Builder_rejects_out_of_range_fields_and_wrong_element_sizes()
    {
        using var arena = new HeapSegmentArena();
        var root = new MessageBuilder(arena).InitRoot(1, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => root.WriteInt32(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => root.WriteBool(64, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => root.SetText(1, "x"));
        var list = root.InitList(0, ElementSize.FourBytes, 2);
        Assert.Throws<InvalidOperationException>(() => list.SetInt64(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => list.SetInt32(2, 1));
    }
}
