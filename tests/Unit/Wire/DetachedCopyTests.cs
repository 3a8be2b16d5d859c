using System.Buffers.Binary;
using CapMap.Objects.Reading;
using CapMap.Tests.Objects.Reading;
using CapMap.Schema;
using CapMap.Tests.Interop;
using CapMap.Tests.Schema;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Wire;

/// <summary>
/// A detached copy reads exactly as its source does, holds nothing of it, and fails where a read by the schema would
/// fail: the copy is what Import-CapnpMessage's rows are decoded from once the file is gone.
/// </summary>
public unsafe class DetachedCopyTests
{
    [Theory]
    [MemberData(nameof(RowReaderTests.Vectors), MemberType = typeof(RowReaderTests))]
    public void A_copied_AllTypes_value_decodes_to_what_the_original_decodes_to(string vector)
    {
        var value = InteropVectors.All().Single(v => v.Name == vector).Value;
        byte[] binary = CapnpTool.JsonToBinary(InteropVectors.Json(value), "AllTypes", segmentSize: 64); // small segments: far pointers
        using var original = MessageReader.FromFramedBytes(binary);
        var copy = new DetachedCopy();
        int index = copy.Add(original.GetRoot(), new SchemaCopyRules().For(InteropSchema.AllTypes));
        string expected = new StructRowReader().Read(original.GetRoot(), InteropSchema.AllTypes).ToString();

        var sealedCopy = copy.Seal();
        string actual = sealedCopy.Read(index, r => new StructRowReader().Read(r, InteropSchema.AllTypes).ToString());
        Assert.Equal(expected, actual);
        // The first struct's pointer is the copy's first word, so the copy is a message with it as the root: capnp reads it alike.
        Assert.Equal(0, index);
        Assert.Equal(CapnpTool.BinaryToJson(binary, "AllTypes"), CapnpTool.BinaryToJson(sealedCopy.FramedBytes(), "AllTypes"));
    }

    [Fact]
    public void Every_list_encoding_and_far_and_double_far_pointers_copy_into_one_segment_of_near_pointers()
    {
        using var arena = new HeapSegmentArena(firstSegmentWords: 4, maxSegmentWords: 16, fixedSegmentSize: true);
        var message = new MessageBuilder(arena);
        var root = message.InitRoot(1, 10);
        root.WriteInt64(0, -42);
        root.SetText(0, "far away");
        root.InitStruct(1, 1, 0).WriteInt64(0, 7);
        var bits = root.InitList(2, ElementSize.Bit, 70);
        for (int i = 0; i < 70; i++) bits.SetBool(i, i % 3 == 0);
        var shorts = root.InitList(3, ElementSize.TwoBytes, 3);
        shorts.SetInt16(2, -300);
        var longs = root.InitList(4, ElementSize.EightBytes, 4); // a whole segment: double-far
        for (int i = 0; i < 4; i++) longs.SetInt64(i, 100 + i);
        var texts = root.InitList(5, ElementSize.Pointer, 3);
        texts.SetText(0, "a");
        texts.SetText(2, "ccc");
        var structs = root.InitStructList(6, 3, 1, 1);
        for (int i = 0; i < 3; i++)
        {
            structs.GetStruct(i).WriteInt32(1, i * 10);
            structs.GetStruct(i).SetText(0, $"s{i}");
        }
        root.InitList(7, ElementSize.Void, 1000);
        root.InitList(8, ElementSize.Pointer, 2).InitList(1, ElementSize.FourBytes, 2).SetInt32(1, 6);
        root.SetData(9, [0, 1, 2, 255]);
        Assert.True(arena.SegmentCount > 2);

        byte[] bytes;
        using (var stream = new MemoryStream())
        {
            Framing.WriteMessage(stream, arena);
            bytes = stream.ToArray();
        }
        DetachedMessage detached;
        using (var reader = MessageReader.FromFramedBytes(bytes))
        {
            var copy = new DetachedCopy();
            copy.Add(default); // a null struct stays null
            copy.Add(reader.GetRoot());
            detached = copy.Seal();
        }
        Array.Clear(bytes); // nothing of the source is read any more

        Assert.Equal(2, detached.Count);
        Assert.True(detached.Read(0, r => r.IsNull));
        detached.Read(1, r =>
        {
            Assert.Equal(-42, r.ReadInt64(0));
            Assert.Equal("far away", r.ReadText(0));
            Assert.Equal(7, r.ReadStruct(1).ReadInt64(0));
            Assert.Equal(Enumerable.Range(0, 70).Select(i => i % 3 == 0), Enumerable.Range(0, 70).Select(i => r.ReadList(2).GetBool(i)));
            Assert.Equal(-300, r.ReadList(3).GetInt16(2));
            Assert.Equal([100L, 101, 102, 103], Enumerable.Range(0, 4).Select(i => r.ReadList(4).GetInt64(i)));
            Assert.Equal(["a", null, "ccc"], Enumerable.Range(0, 3).Select(i => r.ReadList(5).GetText(i)));
            Assert.Equal(ElementSize.InlineComposite, r.ReadList(6).ElementSize);
            Assert.Equal(["s0", "s1", "s2"], Enumerable.Range(0, 3).Select(i => r.ReadList(6).GetStruct(i).ReadText(0)));
            Assert.Equal(20, r.ReadList(6).GetStruct(2).ReadInt32(1));
            Assert.Equal(1000, r.ReadList(7).Count);
            Assert.Equal(6, r.ReadList(8).GetList(1).GetInt32(1));
            Assert.Equal(new byte[] { 0, 1, 2, 255 }, r.ReadData(9));
            return 0;
        });
    }

    [Fact]
    public void A_pointer_the_schema_reads_as_something_else_fails_at_the_copy_with_the_readers_message()
    {
        // AllTypes.textField holding a struct, .structList holding a list of bits, .textList holding bytes, a Text without its NUL.
        var allTypes = InteropSchema.AllTypes;
        int Slot(string name) => checked((int)allTypes.GetField(name).Offset);
        var cases = new (string Field, Action<StructBuilder> Write, string Message)[]
        {
            ("textField", b => b.InitStruct(Slot("textField"), 1, 0), "Expected a Text pointer"),
            ("structField", b => b.SetText(Slot("structField"), "not a struct"), "Expected a struct pointer"),
            ("structList", b => b.InitList(Slot("structList"), ElementSize.Bit, 3), "A list of bits cannot be read as a list of structs"),
            ("int32List", b => b.InitList(Slot("int32List"), ElementSize.Bit, 3), "A list of bits cannot be read as a list of wider values"),
            ("textList", b => b.InitList(Slot("textList"), ElementSize.Byte, 3), "holds no pointers"),
            ("textField", b => { var t = b.InitList(Slot("textField"), ElementSize.Byte, 2); t.SetUInt8(0, (byte)'x'); t.SetUInt8(1, (byte)'y'); }, "not NUL-terminated"),
        };
        foreach (var (field, write, expected) in cases)
        {
            using var arena = new HeapSegmentArena();
            var message = new MessageBuilder(arena);
            write(message.InitRoot(allTypes.DataWordCount, allTypes.PointerCount));
            using var stream = new MemoryStream();
            Framing.WriteMessage(stream, arena);
            using var reader = MessageReader.FromFramedBytes(stream.ToArray());

            var e = Record.Exception(() => new DetachedCopy().Add(reader.GetRoot(), new SchemaCopyRules().For(allTypes)));
            Assert.True(e is CapnpFormatException, $"{field}: expected '{expected}', got {e?.GetType().Name ?? "no exception"}");
            Assert.Contains(expected, e!.Message);
            new DetachedCopy().Add(reader.GetRoot()); // without a rule it is only copied, as what it is
        }
    }

    [Fact]
    public void A_pointer_outside_its_segment_fails_at_the_copy()
    {
        // Root: 0 data words, 1 pointer; that pointer: a struct 100 words further on, in a 2-word segment.
        byte[] bytes = Message(0x0001_0000_0000_0000UL, (100UL << 2) | 0x0000_0001_0000_0000UL);
        using var reader = MessageReader.FromFramedBytes(bytes);
        var e = Assert.Throws<CapnpFormatException>(() => new DetachedCopy().Add(reader.GetRoot()));
        Assert.Contains("outside segment", e.Message);
    }

    private static byte[] Message(params ulong[] segment0Words)
    {
        var bytes = new byte[8 + segment0Words.Length * 8];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)segment0Words.Length);
        for (int i = 0; i < segment0Words.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8 + i * 8), segment0Words[i]);
        return bytes;
    }
}
