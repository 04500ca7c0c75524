using System.Buffers.Text;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace SlaGrains.Contracts.Channels;

/// <summary>
/// Tokens that prove a link came from us: a payload and an HMAC-SHA256 over it and its purpose, with the key the
/// <see cref="ISigningKeyGrain"/> keeps. They go in links that act without a sign-in (confirm a subscription,
/// unsubscribe), so a guessed or edited link does nothing. The purpose is part of the signature: a token made to
/// unsubscribe cannot confirm. The payload is readable by whoever holds the link; put ids in it, never secrets.
/// Expiry, when a purpose has one, is the caller's rule (it keeps the issue time in the payload).
/// </summary>
public static class SignedTokens
{
    /// <summary>Longest token <see cref="TryRead"/> looks at; anything longer is refused unread.</summary>
    public const int MaxLength = 1_000;

    /// <summary>The token for <paramref name="payload"/> under <paramref name="purpose"/>: <c>base64url(payload).base64url(mac)</c>.</summary>
    public static string Sign(ReadOnlySpan<byte> key, string purpose, string payload)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(payload);
        var body = Encoding.UTF8.GetBytes(payload);
        return $"{Base64Url.EncodeToString(body)}.{Base64Url.EncodeToString(Mac(key, purpose, body))}";
    }

    /// <summary>The payload of <paramref name="token"/> when it was signed with <paramref name="key"/> for <paramref name="purpose"/>; null otherwise.</summary>
    public static string? TryRead(ReadOnlySpan<byte> key, string purpose, string? token)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1)
        {
            return null;
        }

        try
        {
            var body = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            return CryptographicOperations.FixedTimeEquals(mac, Mac(key, purpose, body)) ? Encoding.UTF8.GetString(body) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Mac(ReadOnlySpan<byte> key, string purpose, byte[] body)
    {
        var purposeBytes = Encoding.UTF8.GetBytes(purpose);
        var signed = new byte[purposeBytes.Length + 1 + body.Length];
        purposeBytes.CopyTo(signed, 0);
        signed[purposeBytes.Length] = 0; // a separator no purpose contains, so (purpose, body) pairs cannot run into each other
        body.CopyTo(signed, purposeBytes.Length + 1);
        return HMACSHA256.HashData(key, signed);
    }
}

/// <summary>
/// Keeps the secret key of <see cref="SignedTokens"/>: 32 random bytes made on first use and stored with the grain
/// state, so every silo of a cluster signs and checks with the same key and links stay valid across restarts.
/// One grain, keyed <see cref="Key"/>.
/// </summary>
public interface ISigningKeyGrain : IGrainWithStringKey
{
    /// <summary>The one grain's key.</summary>
    const string Key = "links";

    /// <summary>The secret (made and stored on first call).</summary>
    Task<ImmutableArray<byte>> Secret();
}
