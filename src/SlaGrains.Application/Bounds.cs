using System.Diagnostics.CodeAnalysis;

namespace SlaGrains.Application;

/// <summary>The bounds every input is held to (DESIGN §6), in one place.</summary>
public static class Bounds
{
    /// <summary>Longest id.</summary>
    public const int IdLength = 64;

    /// <summary>Longest name or subject.</summary>
    public const int NameLength = 200;

    /// <summary>Longest free text.</summary>
    public const int TextLength = 10_000;

    /// <summary>Whether <paramref name="id"/> may name a customer, monitor, ticket or rule: 1–64 of <c>A–Z a–z 0–9 . _ -</c>.</summary>
    public static bool IsId([NotNullWhen(true)] string? id)
        => id is { Length: > 0 and <= IdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The message for an id that is not one.</summary>
    public static string IdRule(string what) => $"{what} has 1–{IdLength} letters, digits, '.', '-' or '_'.";

    /// <summary>Null for blank text, otherwise trimmed.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Whether <paramref name="text"/> has no control characters (they would corrupt headers, CSV and logs).</summary>
    public static bool IsPrintable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return !text.Any(char.IsControl);
    }
}
