using System.Buffers.Binary;
using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Messages;

/// <summary>Repair checks what it restores, settles announced moves, and never cuts a message that follows a complete one.</summary>
public sealed class RepairVerificationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("capmap-repair-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string NewPath(string name) => Path.Combine(_dir, name);

    /// <summary>A checkpointed (not completed) file of <paramref name="count"/> records, as a killed writer leaves it.</summary>
    private string Checkpointed(string name, int count)
    {
        string path = NewPath(name);
        // Compact lanes: the fixtures are read whole and copied; sparse holes would make each one about 60 MiB long.
        using (var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { ReserveBytes = 1L << 30, CompactLanes = true }))
            MappedMessageBuilderTests.WriteRecords(builder, count, written => written == count);
        return path;
    }

    [Fact]
    public void A_checkpoint_whose_data_is_damaged_is_refused_with_its_own_error_and_the_file_is_left_as_it_was()
    {
        string path = Checkpointed("damaged.bin", 5_000);
        // Aim the first record's name pointer far outside its segment: the record still checks out, the data not.
        var bytes = File.ReadAllBytes(path);
        long firstRecord = FindFirstRecord(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)firstRecord + 8), 0x0000_0010_7fff_fff1UL);
        File.WriteAllBytes(path, bytes);

        var damaged = Assert.Throws<CheckpointDataDamagedException>(() => MessageRepair.Repair(path));
        Assert.Contains("not intact", damaged.Message);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(PendingMoveKind.Collapse)]
    [InlineData(PendingMoveKind.Insert)]
    public void A_collapse_or_insert_announced_in_a_file_whose_length_matches_neither_side_is_refused(PendingMoveKind kind)
    {
        string path = Checkpointed($"{kind}.bin", 1_000);
        long length = new FileInfo(path).Length;
        // The file's length before the move, as the record says: neither it nor the length after is the file's.
        long before = kind == PendingMoveKind.Collapse ? length + 12_345 : length - 12_345;
        WriteLatestRecord(path, r => r with { Pending = new PendingMove(kind, 8192, 4096, before) });
        var bytes = File.ReadAllBytes(path);
        var error = Assert.Throws<MessageRepairException>(() => MessageRepair.Repair(path));
        Assert.Contains("changed by someone else", error.Message);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void An_insert_that_did_not_happen_restores_the_old_layout_and_one_that_did_the_shifted_one()
    {
        string path = Checkpointed("notinserted.bin", 1_000);
        long length = new FileInfo(path).Length;
        var record = ReadLatest(path);
        // The main lane (the last segment) is where an insert puts its hole: before it.
        long at = record.Segments[^1].FileOffset / MappedFileLayout.GapAlignment * MappedFileLayout.GapAlignment;
        Assert.True(at > record.Segments[0].FileOffset, "the checkpoint has no lane after its list");
        var pristine = File.ReadAllBytes(path);
        WriteLatestRecord(path, r => r with { Pending = PendingMove.Insert(at, 1 << 20, length) });
        Assert.Equal(1_000, MessageRepair.Repair(path).RecordCount);
        MappedMessageBuilderTests.AssertRecords(path, 1_000);
        Assert.Null(ReadLatest(path).Pending);

        // The same announcement, and the file as insert-range leaves it: 1 MiB of zeros at the offset.
        File.WriteAllBytes(path, [.. pristine.AsSpan(0, (int)at), .. new byte[1 << 20], .. pristine.AsSpan((int)at)]);
        WriteLatestRecord(path, r => r with { Pending = PendingMove.Insert(at, 1 << 20, length) });
        Assert.Equal(1_000, MessageRepair.Repair(path).RecordCount);
        MappedMessageBuilderTests.AssertRecords(path, 1_000);
        Assert.Null(ReadLatest(path).Pending);
    }

    [Fact]
    public void A_collapse_that_did_not_happen_restores_the_old_layout_and_clears_the_announcement()
    {
        string path = Checkpointed("notcollapsed.bin", 1_000);
        long length = new FileInfo(path).Length;
        WriteLatestRecord(path, r => r with { Pending = PendingMove.Collapse(r.MessageBytes - 4096, 4096, length) });
        var result = MessageRepair.Repair(path);
        Assert.Equal(1_000, result.RecordCount);
        MappedMessageBuilderTests.AssertRecords(path, 1_000);
        Assert.Null(ReadLatest(path).Pending);
    }

    [Fact]
    public void A_journaled_copy_interrupted_after_any_chunk_is_finished_by_repair()
    {
        string original = Checkpointed("copy-source.bin", 3_000);
        var pristine = File.ReadAllBytes(original);
        var record = ReadLatest(original);
        // Move everything after the header page 1 MiB + 8 bytes further up: chunks of exactly the shift overlap.
        long source = MappedFileLayout.HeaderBytes, length = record.MessageBytes - source, shift = (1 << 20) + 8;
        var move = PendingMove.Copy(source, source + shift, length);
        long chunks = JournaledMove.ChunkCount(move);
        Assert.True(chunks > 1);
        for (long done = 0; done <= chunks; done++)
        {
            string path = NewPath($"copy{done}.bin");
            File.WriteAllBytes(path, pristine);
            using (var file = MappedFile.Open(path, new MappedFileOptions { ReserveBytes = 1L << 28 }))
            {
                file.AllocateRange(move.Other, move.Length);
                unsafe
                {
                    JournaledMove.ResetProgress(file.Base, 0);
                    MessageHeader.WriteRecord(file.Base, record with { Sequence = record.Sequence + 1, Pending = move });
                    // What a writer killed after `done` chunks leaves: the chunks it finished, and half of the next.
                    long stopAfter = done;
                    JournaledMove.Run(file, 0, move, stop: () => JournaledMove.ReadProgress(file.Base, 0) >= stopAfter);
                }
            }
            var result = MessageRepair.Repair(path);
            Assert.Equal(3_000, result.RecordCount);
            MappedMessageBuilderTests.AssertRecords(path, 3_000);
        }
    }

    [Fact]
    public void Repair_of_a_complete_message_keeps_the_messages_that_follow_it()
    {
        string first = NewPath("first.bin");
        MappedMessageBuilderTests.BuildRecords(first, 2_000, GrowthMode.Fault);
        string second = NewPath("second.bin");
        MappedMessageBuilderTests.BuildRecords(second, 300, GrowthMode.Fault);
        string both = NewPath("both.bin");
        File.WriteAllBytes(both, [.. File.ReadAllBytes(first), .. File.ReadAllBytes(second), .. new byte[4096]]);
        long expected = new FileInfo(first).Length + new FileInfo(second).Length;

        var result = MessageRepair.Repair(both);
        Assert.Equal(MessageFileState.Complete, result.State);
        Assert.Equal(expected, result.BytesAfter);
        Assert.Equal(File.ReadAllBytes(second), File.ReadAllBytes(both).AsSpan((int)new FileInfo(first).Length).ToArray());
    }

    private static long FindFirstRecord(byte[] file)
    {
        using var reader = MessageReader.FromFramedBytes(file, ReaderOptions.Unlimited);
        var records = reader.GetRoot().ReadList(1);
        Assert.True(records.Count > 0);
        // The list's tag sits one word before the first element; find it by its shape and the element's id 0.
        for (long at = MappedFileLayout.HeaderBytes; at + 24 <= file.Length; at += 8)
        {
            ulong tag = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan((int)at - 8));
            if (WirePointer.Kind(tag) == WirePointer.KindStruct && WirePointer.Offset(tag) == records.Count
                && WirePointer.StructDataWords(tag) == 1 && WirePointer.StructPointerCount(tag) == 2
                && BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan((int)at)) == 0)
                return at;
        }
        throw new InvalidOperationException("no record list found");
    }

    private static CheckpointRecord ReadLatest(string path) =>
        CheckpointRecord.ReadLatest(File.ReadAllBytes(path).AsSpan(0, MappedFileLayout.HeaderBytes))!;

    private static unsafe void WriteLatestRecord(string path, Func<CheckpointRecord, CheckpointRecord> change)
    {
        var latest = ReadLatest(path);
        var bytes = File.ReadAllBytes(path);
        var changed = change(latest) with { Sequence = latest.Sequence + 1 };
        fixed (byte* start = bytes) MessageHeader.WriteRecord(start, changed);
        File.WriteAllBytes(path, bytes);
    }
}
