using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace SlaGrains.Contracts.ReadModels;

/// <summary>
/// How a keyset cursor travels: its sort key as instants (nanoseconds, "-" for none) and an id, '|'-separated, in
/// URL-safe Base64 — opaque to callers, checked strictly when it comes back.
/// </summary>
internal static class CursorText
{
    private const int MaxLength = 400;

    /// <summary>The text of a cursor of these instants followed by <paramref name="id"/>.</summary>
    public static string Encode(string id, params Instant?[] instants)
    {
        var parts = instants.Select(i => i is { } at ? ReadModelTime.Nanoseconds(at).ToString(CultureInfo.InvariantCulture) : "-").Append(id);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('|', parts)));
    }

    /// <summary>Reads <paramref name="count"/> instants (null for "-") and an id of 1–<paramref name="maxIdLength"/> characters; false for anything else.</summary>
    public static bool TryDecode(string? text, int count, int maxIdLength, out Instant?[] instants, out string id)
    {
        instants = new Instant?[count];
        id = string.Empty;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = decoded.Split('|', count + 1);
        if (parts.Length != count + 1 || parts[count].Length == 0 || parts[count].Length > maxIdLength)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (parts[i] == "-")
            {
                continue;
            }

            if (!long.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var nanoseconds))
            {
                return false;
            }

            instants[i] = ReadModelTime.Instant(nanoseconds);
        }

        id = parts[count];
        return true;
    }
}
