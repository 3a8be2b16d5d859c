using System.Security.Cryptography;
using CapMap.Schema.Inference;
using Xunit;

namespace CapMap.Tests.Schema.Inference;

/// <summary>
/// The managed SHA-256 that gives inferred schemas their ids is SHA-256: the same digests as .NET's (OpenSSL's) for
/// every length around the block and padding boundaries, so ids are what they were before it replaced SHA256.HashData.
/// </summary>
public class ManagedSha256Tests
{
    [Fact]
    public void Gives_the_same_digest_as_the_platform_for_every_length_around_the_block_boundaries()
    {
        var random = new Random(22);
        for (int length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var digest = new byte[32];
            ManagedSha256.HashData(data, digest);
            Assert.True(SHA256.HashData(data).AsSpan().SequenceEqual(digest), $"length {length}");
        }
    }

    [Fact]
    public void Gives_the_published_digest_of_abc()
    {
        var digest = new byte[32];
        ManagedSha256.HashData("abc"u8, digest);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(digest));
    }
}
