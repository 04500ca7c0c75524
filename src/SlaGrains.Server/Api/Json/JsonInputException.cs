using System.Text;
using System.Text.Json;

namespace SlaGrains.Server.Api.Json;

/// <summary>
/// A JSON value our converters refuse, with a message written for the caller (what is expected). The serializer keeps
/// this instance and sets its <see cref="JsonException.Path"/>, so the problem details name the field and show
/// <see cref="Reason"/> as is; the serializer's own exceptions are described generically instead, because their
/// messages name .NET types.
/// </summary>
public sealed class JsonInputException : JsonException
{
    /// <summary>A refusal with the reason shown to the caller.</summary>
    public JsonInputException(string reason)
        : base(reason) => Reason = reason;

    /// <summary>A refusal with a generic reason.</summary>
    public JsonInputException()
        : this("The value is not valid here.")
    {
    }

    /// <summary>A refusal with the reason shown to the caller and what caused it.</summary>
    public JsonInputException(string message, Exception innerException)
        : base(message, innerException) => Reason = message;

    /// <summary>What is wrong with the value, for the caller.</summary>
    public string Reason { get; }

    /// <summary>
    /// Text the caller sent, quoted for a message: at most 40 characters, control and format characters written as
    /// <c>\uXXXX</c> (so a message never carries a raw NUL, escape sequence or line break back).
    /// </summary>
    public static string Quote(string? text)
    {
        if (text is null)
        {
            return "null";
        }

        var quoted = new StringBuilder("'");
        foreach (var c in text.Length > 40 ? text[..40] : text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                quoted.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                quoted.Append(c);
            }
        }

        return quoted.Append(text.Length > 40 ? $"…' ({text.Length} characters)" : "'").ToString();
    }
}
