using System.Text;
using CapMap.Schema.Inference;
using CapMap.Wire;
using Xunit;

namespace CapMap.Tests.Wire;

/// <summary>
/// Text that is not valid UTF-16 (a lone surrogate) is kept exactly, in WTF-8, and valid text is written as exactly
/// its UTF-8 bytes (docs/object-conversion.md, "Strings that are not valid UTF-16").
/// </summary>
public class LoneSurrogateTextTests
{
    // By name: a test's display name carries its arguments, and a lone surrogate in it does not survive the trip
    // through the test host's report, so the run's check of "every discovered test ran" could not match it.
    private static readonly Dictionary<string, string> Texts = new()
    {
        ["a lone high surrogate"] = "a\uD800b",
        ["a lone low surrogate alone"] = "\uDC00",
        ["a lone high one before a valid pair"] = "x\uDBFF\uDBFF\uDFFFy",
        ["a pair in the wrong order: two lone ones"] = "\uDFFF\uD800",
        ["ED-led Hangul and a valid pair: plain UTF-8"] = "한국어 \uD7FF \uE000 😀",
        ["empty"] = "",
        // ASCII takes its own path (a narrowing copy); one byte past it, the general one.
        ["ASCII, control characters and DEL included"] = "id,host-7\t~\u0001\u007F",
        ["ASCII longer than a vector"] = new string('a', 70) + "0123456789",
        ["ASCII up to its last character"] = new string('b', 40) + "\u0080",
    };

    public static TheoryData<string> Strings() => new(Texts.Keys);

    [Theory]
    [MemberData(nameof(Strings))]
    public void Text_reads_back_exactly_as_it_was_written(string name)
    {
        string text = Texts[name];
        using var arena = new HeapSegmentArena();
        var message = new MessageBuilder(arena);
        var root = message.InitRoot(0, 2);
        root.SetText(0, text);
        root.SetText(1, text);
        using var reader = MessageReader.FromFramedBytes(message.ToFramedBytes());
        Assert.Equal(text, reader.GetRoot().ReadText(0));
        Assert.Equal(text, reader.GetRoot().ReadText(1, new RecentText()));
    }

    [Fact]
    public void Valid_text_is_its_UTF8_bytes_and_a_lone_surrogate_its_code_point_s_three_bytes()
    {
        const string valid = "héllo 😀 한";
        var bytes = new byte[Wtf8.GetByteCount(valid)];
        Wtf8.GetBytes(valid, bytes);
        Assert.Equal(Encoding.UTF8.GetBytes(valid), bytes);
        var lone = new byte[Wtf8.GetByteCount("\uD800")];
        Wtf8.GetBytes("\uD800", lone);
        Assert.Equal(new byte[] { 0xED, 0xA0, 0x80 }, lone);
        // Invalid UTF-8 that is no encoded surrogate still reads as U+FFFD, as before.
        Assert.Equal("\uFFFD", Wtf8.GetString([0xFF]));
    }

    [Fact]
    public void A_lone_surrogate_in_an_inferred_record_comes_back()
    {
        var back = CapMap.Tests.Schema.Inference.InferenceTestSupport.RoundTrip([new System.Collections.Hashtable { ["s"] = "a\uDC00b" }]);
        Assert.Equal("a\uDC00b", back[0]["s"]);
    }
}
