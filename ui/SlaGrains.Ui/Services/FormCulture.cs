using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Localization;

namespace SlaGrains.Ui.Services;

/// <summary>
/// How the admin forms read and write numbers: in the culture of the person's browser. The culture comes from the
/// browser's <c>Accept-Language</c> through ASP.NET Core's request localization, applied to the pages and to the
/// connection that carries the interactive page (Blazor keeps the culture of that request for the whole circuit); the
/// REST API is left out, so its messages stay culture-neutral. Without a header the culture is en-US.
/// </summary>
public static partial class FormCulture
{
    /// <summary>
    /// Sets each page request's culture from <c>Accept-Language</c> (any culture the machine knows, falling back to the
    /// parent culture: de-AT → de), except under <c>/api</c>.
    /// </summary>
    public static IApplicationBuilder UseSlaGrainsUiCulture(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var cultures = CultureInfo.GetCultures(CultureTypes.AllCultures).Where(c => !string.IsNullOrEmpty(c.Name)).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("en-US"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider { MaximumAcceptLanguageHeaderValuesToTry = 5 }],
        };
        return app.UseWhen(http => !http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase), branch => branch.UseRequestLocalization(options));
    }

    /// <summary>
    /// Reads a number as written in <paramref name="culture"/>: <c>1000,50</c> or <c>1.000,50</c> in German,
    /// <c>1000.50</c> or <c>1,000.50</c> in English. Group separators are only accepted between groups of three digits,
    /// so "1000,50" in English is refused rather than read as 100050. False for anything else.
    /// </summary>
    public static bool TryParseNumber(string? text, CultureInfo culture, out decimal value)
    {
        ArgumentNullException.ThrowIfNull(culture);
        value = 0;
        var format = culture.NumberFormat;
        var group = Spaces(format.NumberGroupSeparator);
        var trimmed = Spaces(text ?? string.Empty).Trim();
        if (trimmed.Length == 0 || trimmed.Length > 40)
        {
            return false;
        }

        var shape = $@"^[-+]?(\d+|\d{{1,3}}({Regex.Escape(group)}\d{{3}})+)({Regex.Escape(format.NumberDecimalSeparator)}\d+)?$";
        if (!Regex.IsMatch(trimmed, shape, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)))
        {
            return false;
        }

        var invariantText = trimmed.Replace(group, string.Empty, StringComparison.Ordinal).Replace(format.NumberDecimalSeparator, ".", StringComparison.Ordinal);
        return decimal.TryParse(invariantText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A number as the person writes it (no grouping, so it reads back unchanged): <c>99,95</c> in German.</summary>
    public static string Number(decimal value, CultureInfo culture) => value.ToString("0.############", culture);

    /// <summary>
    /// An amount with its currency, the one format of the forms: the amount with two decimals and grouping in the
    /// person's culture (the page's culture when none is given), then the ISO code: <c>1.000,50 EUR</c> in German,
    /// <c>1,000.50 EUR</c> in English. Every page writes amounts through here.
    /// </summary>
    public static string Money(decimal amount, string? currency, CultureInfo? culture = null)
        => $"{amount.ToString("N2", culture ?? CultureInfo.CurrentCulture)} {currency}".TrimEnd();

    /// <summary>
    /// A change in an amount, in the format of <see cref="Money"/> with its sign always written: <c>+150.00 EUR</c>,
    /// <c>-150.00 EUR</c>, <c>0.00 EUR</c> (the minus sign is the culture's).
    /// </summary>
    public static string SignedMoney(decimal amount, string? currency, CultureInfo? culture = null)
        => (amount > 0m ? "+" : string.Empty) + Money(amount, currency, culture);

    /// <summary>An example of a number in <paramref name="culture"/>, for messages: <c>1.000,50</c>.</summary>
    public static string Example(CultureInfo culture) => 1000.50m.ToString("N2", culture);

    // Some cultures group with a (narrow) no-break space: accept a plain space for it.
    private static string Spaces(string text) => text.Replace('\u00A0', ' ').Replace('\u202F', ' ');
}
