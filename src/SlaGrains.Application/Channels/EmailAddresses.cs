using System.Net.Mail;

namespace SlaGrains.Application.Channels;

/// <summary>
/// The one rule for an email address people enter (a user's own, an admin's for a user): a bare address
/// <c>local@domain</c> (no display name, no comments, no spaces), at most <see cref="MaxLength"/> characters (RFC 5321's
/// path limit), printable, one <c>@</c>, a domain of dot-separated labels.
/// </summary>
public static class EmailAddresses
{
    /// <summary>Longest address.</summary>
    public const int MaxLength = 254;

    /// <summary>What the field says when the address is not one.</summary>
    public const string Rule = "An email address is a bare address such as morgan.lee@example.com (at most 254 characters, no name or spaces).";

    /// <summary>The address without surrounding spaces when it is one; null otherwise.</summary>
    public static string? Normalize(string? text)
    {
        // Only spaces are trimmed: a control character anywhere (a trailing newline too) refuses the address.
        var address = text?.Trim(' ');
        if (string.IsNullOrEmpty(address) || address.Length > MaxLength || !Bounds.IsPrintable(address) || address.Any(char.IsWhiteSpace))
        {
            return null;
        }

        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != address.LastIndexOf('@') || at == address.Length - 1)
        {
            return null;
        }

        var domain = address[(at + 1)..];
        if (domain.Split('.').Any(label => label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-') || !label.All(c => char.IsLetterOrDigit(c) || c == '-')))
        {
            return null;
        }

        return MailAddress.TryCreate(address, out var parsed) && parsed.DisplayName.Length == 0 && string.Equals(parsed.Address, address, StringComparison.Ordinal)
            ? address
            : null;
    }

    /// <summary>Checks an optional address into <paramref name="errors"/> under <paramref name="field"/>; the address to store (null for none) when it passes.</summary>
    public static string? Check(InputErrors errors, string field, string? text)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (text is null)
        {
            return null;
        }

        if (Normalize(text) is { } address)
        {
            return address;
        }

        errors.Add(field, Rule);
        return null;
    }
}
