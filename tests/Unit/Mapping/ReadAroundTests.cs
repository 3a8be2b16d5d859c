using CapMap.Mapping;
using CapMap.Messages;
using CapMap.Tests.Messages;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Mapping;

/// <summary>
/// A new message's mapping asks the kernel not to read around its page faults: each such fault zeroes about 32 pages
/// of holes around the one touched, which a small message never uses and Complete frees again (half of a one-record
/// export's CPU on ext4). Past 1 MiB the message gets read-around back, where a lane written in order gains by it.
/// The kernel shows the advice as the mapping's <c>rr</c> flag in /proc/self/smaps.
/// </summary>
public sealed class ReadAroundTests
{
    [Fact]
    public void A_small_message_is_mapped_without_read_around_and_one_past_a_mebibyte_gets_it_back()
    {
        using var temp = new TempDir();
        string path = temp.File("read-around.bin");
        using var builder = MappedMessageBuilder.Create(path, new MappedMessageOptions { Growth = GrowthMode.Fault });
        var root = builder.InitRoot(0, 2);
        root.SetText(0, "batch");
        var list = builder.OpenStructList(root, 1, 1, 2);

        Append(list, 0, 10);
        var small = MappingFlags(path);
        Assert.NotEmpty(small);
        Assert.All(small, flags => Assert.Contains("rr", flags));

        // About 50 bytes a record (the element, its text, its tag list and texts): 40,000 pass 1 MiB.
        Append(list, 10, 40_000);
        var large = MappingFlags(path);
        Assert.NotEmpty(large);
        Assert.All(large, flags => Assert.DoesNotContain("rr", flags));

        builder.Complete(flush: false);
        MappedMessageBuilderTests.AssertRecords(path, 40_010);
    }

    private static void Append(StreamingStructListBuilder list, int from, int count)
    {
        for (int i = from; i < from + count; i++) MappedMessageBuilderTests.AppendRecord(list, i);
    }

    /// <summary>The VmFlags of every mapping of <paramref name="path"/> in this process.</summary>
    private static List<string[]> MappingFlags(string path)
    {
        var result = new List<string[]>();
        bool ours = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            // A mapping's first line: "start-end perms offset dev inode [path]"; its fields follow as "Name: value".
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-') && !fields[0].EndsWith(':'))
                ours = fields.Length >= 6 && string.Join(' ', fields[5..]) == path;
            else if (ours && fields.Length > 0 && fields[0] == "VmFlags:")
                result.Add(fields[1..]);
        }
        return result;
    }
}
