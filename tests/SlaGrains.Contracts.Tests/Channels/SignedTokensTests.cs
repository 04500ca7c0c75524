using System.Buffers.Text;
using System.Security.Cryptography;
using SlaGrains.Contracts.Channels;

namespace SlaGrains.Contracts.Tests.Channels;

public sealed class SignedTokensTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void A_token_reads_back_its_payload_under_the_key_and_purpose_it_was_signed_with()
    {
        var token = SignedTokens.Sign(Key, "unsubscribe", "sub-42|2026-12-06T10:00:00Z");

        Assert.Equal("sub-42|2026-12-06T10:00:00Z", SignedTokens.TryRead(Key, "unsubscribe", token));
    }

    [Fact]
    public void A_token_signed_for_one_purpose_does_nothing_for_another()
    {
        var token = SignedTokens.Sign(Key, "unsubscribe", "sub-42");

        Assert.Null(SignedTokens.TryRead(Key, "confirm", token));
    }

    [Fact]
    public void A_token_under_another_key_is_refused()
    {
        var token = SignedTokens.Sign(RandomNumberGenerator.GetBytes(32), "unsubscribe", "sub-42");

        Assert.Null(SignedTokens.TryRead(Key, "unsubscribe", token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("c3ViLTQy")]
    [InlineData("c3ViLTQy.")]
    [InlineData("c3ViLTQy.!!!")]
    [InlineData("c3ViLTQz.AAAA")]
    public void A_malformed_or_forged_token_is_refused(string? token)
        => Assert.Null(SignedTokens.TryRead(Key, "unsubscribe", token));

    [Fact]
    public void An_edited_payload_is_refused()
    {
        var token = SignedTokens.Sign(Key, "unsubscribe", "sub-42");
        var mac = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var forged = $"{Base64Url.EncodeToString("sub-43"u8)}.{mac}";

        Assert.Null(SignedTokens.TryRead(Key, "unsubscribe", forged));
    }

    [Fact]
    public void A_token_longer_than_the_bound_is_refused_unread()
        => Assert.Null(SignedTokens.TryRead(Key, "unsubscribe", new string('a', SignedTokens.MaxLength + 1)));
}
