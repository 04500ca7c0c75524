using System.Globalization;

namespace SlaGrains.Domain.Credits;

/// <summary>Invariant-culture formatting shared by the credit sentences, so reasons read the same everywhere.</summary>
internal static class CreditText
{
    /// <summary>Optional digits for every decimal place a <see cref="decimal"/> can hold, so no bound is shown rounded.</summary>
    private const string AllDigits = "############################";

    /// <summary>A tier bound or target: at least one decimal (99.0, 99.9, 99.95).</summary>
    public static string Bound(decimal percent) => percent.ToString("0.0" + AllDigits, CultureInfo.InvariantCulture);

    /// <summary>A credit or cap percentage: no trailing zeros (10, 12.5).</summary>
    public static string Share(decimal percent) => percent.ToString("0." + AllDigits, CultureInfo.InvariantCulture);

    /// <summary>A reported availability: exactly four decimals (99.4500).</summary>
    public static string Availability(decimal percent) => percent.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>Money with thousands separators and two decimals, then the currency (1,000.00 USD).</summary>
    public static string Money(decimal amount, string currency) =>
        amount.ToString("N2", CultureInfo.InvariantCulture) + " " + currency;

    /// <summary>A duration in hours, up to two decimals (48, 0.5).</summary>
    public static string Hours(NodaTime.Duration duration) =>
        duration.TotalHours.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A currency code must be three upper-case ASCII letters (ISO 4217, for example <c>USD</c>).</summary>
    public static string CurrencyCode(string? value, string name)
    {
        if (value is null || value.Length != 3 || !value.All(c => c is >= 'A' and <= 'Z'))
        {
            throw new ArgumentException(
                $"{name} must be a three-letter upper-case ISO 4217 currency code such as \"USD\"; got \"{value}\".",
                name);
        }

        return value;
    }
}
