using Microsoft.AspNetCore.Http;

namespace SlaGrains.Ui.Layout;

/// <summary>
/// The two cookies <c>wwwroot/theme.js</c> writes, read by the server so the first paint of a page is already in the
/// theme the person sees (cookies, not localStorage, for exactly that: the server cannot read localStorage).
/// </summary>
public static class ThemeCookies
{
    /// <summary>The person's own choice, <c>dark</c> or <c>light</c>; absent means "follow the system".</summary>
    public const string Choice = "sla-theme";

    /// <summary>The system preference the browser last reported (<c>dark</c> or <c>light</c>), a hint for the first paint only.</summary>
    public const string SystemHint = "sla-system-theme";

    /// <summary><c>true</c> for <c>dark</c>, <c>false</c> for <c>light</c>, null for anything else (absent, tampered).</summary>
    public static bool? Parse(string? value) => value switch
    {
        "dark" => true,
        "light" => false,
        _ => null,
    };

    /// <summary>The theme to render before the browser is asked: the choice, else the last seen system preference, else unknown (null).</summary>
    public static bool? DarkAtFirstPaint(IRequestCookieCollection cookies)
    {
        ArgumentNullException.ThrowIfNull(cookies);
        return Parse(cookies[Choice]) ?? Parse(cookies[SystemHint]);
    }

    /// <summary>The value written for a choice: <c>dark</c>, <c>light</c>, or null to forget it.</summary>
    public static string? Format(bool? dark) => dark switch
    {
        true => "dark",
        false => "light",
        null => null,
    };
}
