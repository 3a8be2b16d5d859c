using CapMap.Wire;
using CsCheck;
using Xunit;

namespace CapMap.Tests.Wire;

/// <summary>Round-trip properties over random values and random segment sizes (so far pointers are exercised too).</summary>
public class PropertyTests
{
    private sealed record Sample(long I64, int I32, short I16, byte U8, bool Flag, double F64, float F32, string Text, byte[] Data, long[] Longs, string[] Texts, int SegmentWords);

    private static readonly Gen<Sample> Samples =
        from i64 in Gen.Long
        from i32 in Gen.Int
        from i16 in Gen.Short
        from u8 in Gen.Byte
        from flag in Gen.Bool
        from f64 in Gen.Double
        from f32 in Gen.Float
        from text in Gen.String
        from data in Gen.Byte.Array[0, 40]
        from longs in Gen.Long.Array[0, 20]
        from texts in Gen.String[0, 12].Array[0, 6]
        from segmentWords in Gen.Int[12, 64]
        select new Sample(i64, i32, i16, u8, flag, f64, f32, text, data, longs, texts, segmentWords);

    [Fact]
    public void Random_structs_round_trip_through_bytes_in_any_segment_size()
    {
        Samples.Sample(sample =>
        {
            using var arena = new HeapSegmentArena(sample.SegmentWords, 64, fixedSegmentSize: true);
            var message = new MessageBuilder(arena);
            var root = message.InitRoot(4, 4);
            root.WriteInt64(0, sample.I64, defaultValue: 12345);
            root.WriteInt32(2, sample.I32);
            root.WriteInt16(6, sample.I16);
            root.WriteUInt8(14, sample.U8, defaultValue: 7);
            root.WriteBool(127, sample.Flag, defaultValue: true);
            root.WriteFloat64(2, sample.F64);
            root.WriteFloat32(6, sample.F32, defaultValue: -1f);
            root.SetText(0, sample.Text);
            root.SetData(1, sample.Data);
            var longs = root.InitList(2, ElementSize.EightBytes, sample.Longs.Length);
            for (int i = 0; i < sample.Longs.Length; i++) longs.SetInt64(i, sample.Longs[i]);
            var texts = root.InitStructList(3, sample.Texts.Length, 1, 1);
            for (int i = 0; i < sample.Texts.Length; i++) { texts.GetStruct(i).SetText(0, sample.Texts[i]); texts.GetStruct(i).WriteInt32(1, i); }

            using var reader = MessageReader.FromFramedBytes(message.ToFramedBytes());
            var r = reader.GetRoot();
            Assert.Equal(sample.I64, r.ReadInt64(0, defaultValue: 12345));
            Assert.Equal(sample.I32, r.ReadInt32(2));
            Assert.Equal(sample.I16, r.ReadInt16(6));
            Assert.Equal(sample.U8, r.ReadUInt8(14, defaultValue: 7));
            Assert.Equal(sample.Flag, r.ReadBool(127, defaultValue: true));
            Assert.Equal(BitConverter.DoubleToInt64Bits(sample.F64), BitConverter.DoubleToInt64Bits(r.ReadFloat64(2)));
            Assert.Equal(BitConverter.SingleToInt32Bits(sample.F32), BitConverter.SingleToInt32Bits(r.ReadFloat32(6, defaultValue: -1f)));
            Assert.Equal(ExpectedUtf8(sample.Text), r.ReadText(0));
            Assert.Equal(sample.Data, r.ReadData(1));
            var rl = r.ReadList(2);
            Assert.Equal(sample.Longs, Enumerable.Range(0, rl.Count).Select(rl.GetInt64).ToArray());
            var rt = r.ReadList(3);
            Assert.Equal(sample.Texts.Select(ExpectedUtf8), Enumerable.Range(0, rt.Count).Select(i => rt.GetStruct(i).ReadText(0)));
            Assert.All(message.GetSegmentWordCounts(), words => Assert.InRange(words, 1, 64));
        }, iter: 400);
    }

    /// <summary>Lone surrogates cannot be encoded in UTF-8; the encoder substitutes U+FFFD, as any .NET writer does.</summary>
    private static string ExpectedUtf8(string s) => System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(s));
}
