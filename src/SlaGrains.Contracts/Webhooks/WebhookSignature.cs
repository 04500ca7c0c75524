using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SlaGrains.Contracts.Webhooks;

/// <summary>
/// How a delivery is signed, so a receiver can tell it came from us and is not a replay:
/// <c>X-SlaGrains-Signature: sha256=</c> lower-case hex of HMAC-SHA256, keyed with the UTF-8 bytes of the
/// subscription's secret (the whole <c>whsec_…</c> string), over the UTF-8 bytes of
/// <c>{X-SlaGrains-Timestamp}.{X-SlaGrains-Delivery}.{raw body}</c>. The timestamp (Unix seconds of the attempt)
/// is signed, so a receiver that rejects old timestamps (e.g. older than 5 minutes) rejects replays; the delivery id is
/// signed and stays the same across retries, so a receiver can drop duplicates by it.
/// </summary>
public static class WebhookSignature
{
    /// <summary><c>sha256=&lt;hex&gt;</c>.</summary>
    public const string SignatureHeader = "X-SlaGrains-Signature";

    /// <summary>The event type, e.g. <c>incident.opened</c>.</summary>
    public const string EventHeader = "X-SlaGrains-Event";

    /// <summary>The delivery id (the same on every retry of one delivery).</summary>
    public const string DeliveryHeader = "X-SlaGrains-Delivery";

    /// <summary>Unix time in seconds when the attempt was made.</summary>
    public const string TimestampHeader = "X-SlaGrains-Timestamp";

    private const string SecretPrefix = "whsec_";

    /// <summary>A new secret: <c>whsec_</c> and 256 random bits in base64url.</summary>
    public static string NewSecret()
        => SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The <see cref="SignatureHeader"/> value for one attempt.</summary>
    public static string Sign(string secret, long timestamp, string deliveryId, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var material = $"{timestamp.ToString(CultureInfo.InvariantCulture)}.{deliveryId}.{body}";
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(material));
        return "sha256=" + Convert.ToHexStringLower(mac);
    }
}
