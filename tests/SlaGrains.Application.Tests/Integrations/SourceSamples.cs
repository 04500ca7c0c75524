using System.Security.Cryptography;
using System.Text;
using NodaTime.Text;
using SlaGrains.Application.Integrations;

namespace SlaGrains.Application.Tests.Integrations;

/// <summary>The sample payloads (Samples/README.md says which vendor page each was written from) and requests built from them.</summary>
internal static class SourceSamples
{
    public const string Secret = "s3cret-for-tests-only";

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Integrations", "Samples", file));

    public static string Text(string file) => Encoding.UTF8.GetString(Bytes(file));

    public static IntegrationRequest Request(byte[] body, IReadOnlyDictionary<string, string>? headers = null, string contentType = "application/json")
        => new(body, contentType, headers ?? new Dictionary<string, string>(), "http://localhost/api/v1/integrations/test/events");

    public static IntegrationRequest Request(string json, IReadOnlyDictionary<string, string>? headers = null)
        => Request(Encoding.UTF8.GetBytes(json), headers);

    public static Dictionary<string, string> Headers(params (string Name, string Value)[] headers)
        => headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);

    public static Instant At(string iso) => InstantPattern.ExtendedIso.Parse(iso).GetValueOrThrow();

    public static string Base64Hmac(byte[] key, byte[] message) => Convert.ToBase64String(HMACSHA256.HashData(key, message));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];

    /// <summary>The events read, failing the test with the errors when the read failed.</summary>
    public static IReadOnlyList<ExternalTicketEvent> Events(ITicketSource source, IntegrationRequest request)
    {
        var result = source.Read(request);
        Assert.True(result.Succeeded, result.Failure?.ForPeople);
        return result.Value;
    }

    /// <summary>The JSON paths (or row/column names) the failed read named.</summary>
    public static IReadOnlyCollection<string> Fields(ITicketSource source, IntegrationRequest request)
    {
        var result = source.Read(request);
        Assert.False(result.Succeeded, "The read should have failed.");
        Assert.Equal(FailureKind.Invalid, result.Failure.Kind);
        return [.. result.Failure.Errors!.Keys];
    }
}
