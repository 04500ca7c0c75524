using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace SlaGrains.Server.StatusPages;

/// <summary>
/// Answers for feeds and badges that caches and embedding sites can keep: <c>Cache-Control: public, max-age=60</c>, a
/// strong ETag from the bytes, and 304 without a body when the request's <c>If-None-Match</c> names it (or <c>*</c>).
/// </summary>
internal static class ConditionalGet
{
    /// <summary>How long a client or proxy may keep a feed or badge without asking again, seconds.</summary>
    public const int MaxAgeSeconds = 60;

    /// <summary>The bytes as <paramref name="contentType"/>, or 304 when the client has them already.</summary>
    public static IResult Send(HttpContext http, byte[] body, string contentType)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(body);
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body), 0, 16)}\"");
        var headers = http.Response.Headers;
        headers.CacheControl = $"public, max-age={MaxAgeSeconds}";
        headers.ETag = etag.ToString();
        return Matches(http.Request.GetTypedHeaders().IfNoneMatch, etag)
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(body, contentType);
    }

    /// <summary>Whether one of the client's tags is <c>*</c> or names these bytes (weak comparison, as RFC 9110 §13.1.2 asks for If-None-Match).</summary>
    private static bool Matches(IList<EntityTagHeaderValue> ifNoneMatch, EntityTagHeaderValue etag)
        => ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(etag, useStrongComparison: false));
}
