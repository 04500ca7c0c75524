using System.Diagnostics.CodeAnalysis;

namespace SlaGrains.Application.StatusPages;

/// <summary>
/// What a status page's slug may be, in one place (the API, the admin page and the public lookup check it here): 3–64
/// of <c>a–z 0–9 -</c>, starting and ending with a letter or digit, e.g. <c>acme-corp</c>. Lower case only, so one page
/// has one address; a slug is never matched case-insensitively.
/// </summary>
public static class StatusPageSlug
{
    /// <summary>Shortest slug.</summary>
    public const int MinLength = 3;

    /// <summary>Longest slug.</summary>
    public const int MaxLength = 64;

    /// <summary>The rule in words, for a 400.</summary>
    public const string Rule = "A slug has 3–64 lower-case letters, digits or '-', and starts and ends with a letter or digit, e.g. acme-corp.";

    /// <summary>Whether <paramref name="slug"/> is a slug.</summary>
    public static bool IsSlug([NotNullWhen(true)] string? slug)
        => slug is { Length: >= MinLength and <= MaxLength }
            && slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            && slug[0] != '-' && slug[^1] != '-';

    /// <summary>The page's path: <c>/status-pages/{slug}</c>.</summary>
    public static string PathOf(string slug) => $"/status-pages/{slug}";
}
