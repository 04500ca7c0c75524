namespace SlaGrains.Domain.Credits;

/// <summary>
/// The credit clause of a contract: the committed availability target, the monthly fee it is computed on,
/// the credit schedule and the cap.
/// </summary>
public sealed record CreditTerms
{
    /// <summary>The cap used when none is agreed: 50 % of the monthly fee.</summary>
    public const decimal DefaultCapPercent = 50m;

    /// <summary>Creates the terms.</summary>
    /// <param name="targetPercent">Committed (customer-facing SLA) availability percent, in (0, 100].</param>
    /// <param name="monthlyFee">Monthly fee, money in <paramref name="currency"/>, ≥ 0.</param>
    /// <param name="currency">ISO 4217 code, three upper-case letters (for example <c>USD</c>).</param>
    /// <param name="schedule">The credit schedule.</param>
    /// <param name="capPercent">Largest credit in one month, percent of the fee, in [0, 100]; default 50.</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public CreditTerms(
        decimal targetPercent,
        decimal monthlyFee,
        string currency,
        CreditSchedule schedule,
        decimal capPercent = DefaultCapPercent)
    {
        TargetPercent = Guard.TargetPercent(targetPercent, nameof(targetPercent));
        MonthlyFee = Guard.NonNegative(monthlyFee, nameof(monthlyFee));
        Currency = CreditText.CurrencyCode(currency, nameof(currency));
        Schedule = Guard.NotNull(schedule, nameof(schedule));
        CapPercent = Guard.Percent(capPercent, nameof(capPercent));
    }

    /// <summary>Committed availability percent: the month is met when availability ≥ this.</summary>
    public decimal TargetPercent { get; }

    /// <summary>Monthly fee, money in <see cref="Currency"/>.</summary>
    public decimal MonthlyFee { get; }

    /// <summary>ISO 4217 currency code of the fee and of every credit.</summary>
    public string Currency { get; }

    /// <summary>The credit schedule.</summary>
    public CreditSchedule Schedule { get; }

    /// <summary>Largest credit in one calendar month, percent of the monthly fee.</summary>
    public decimal CapPercent { get; }

    /// <summary>The cap as money: fee × cap / 100, rounded to 2 decimals away from zero. No credit exceeds it.</summary>
    public decimal CapAmount => CreditCalculator.Money(MonthlyFee, CapPercent);
}
