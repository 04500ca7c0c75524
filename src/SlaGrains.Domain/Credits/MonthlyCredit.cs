using NodaTime;
using NodaTime.Text;

namespace SlaGrains.Domain.Credits;

/// <summary>
/// The one credit of a customer for one calendar month, computed when the month closes. Its
/// <see cref="IdempotencyKey"/> (<c>sla-credit-{customerId}-{yyyy-MM}</c>) makes recomputation and retries harmless.
/// </summary>
public sealed record MonthlyCredit
{
    /// <summary>Creates the month's credit from a computed result.</summary>
    /// <param name="customerId">The customer's id: not blank, no whitespace.</param>
    /// <param name="month">The calendar month (ISO calendar) the credit is for.</param>
    /// <param name="result">The calculation result, with its inputs and reason.</param>
    /// <param name="computedAt">When the credit was computed (passed in; never read from a clock).</param>
    /// <exception cref="ArgumentException">The customer id is blank or has whitespace, the month is not ISO, or the result is missing.</exception>
    public MonthlyCredit(string customerId, YearMonth month, CreditResult result, Instant computedAt)
    {
        IdempotencyKey = KeyFor(customerId, month);
        CustomerId = customerId;
        Month = month;
        Result = Guard.NotNull(result, nameof(result));
        ComputedAt = computedAt;
    }

    /// <summary>The customer's id.</summary>
    public string CustomerId { get; }

    /// <summary>The calendar month the credit is for.</summary>
    public YearMonth Month { get; }

    /// <summary>The calculation: inputs, tier, percent, amount, cap flag and reason.</summary>
    public CreditResult Result { get; }

    /// <summary>When the credit was computed.</summary>
    public Instant ComputedAt { get; }

    /// <summary>Exactly <c>sla-credit-{customerId}-{yyyy-MM}</c>, for example <c>sla-credit-acme-2026-03</c>.</summary>
    public string IdempotencyKey { get; }

    /// <summary>The credit amount, money in <see cref="Currency"/>, 2 decimals.</summary>
    public decimal Amount => Result.Amount;

    /// <summary>The currency of <see cref="Amount"/>.</summary>
    public string Currency => Result.Currency;

    /// <summary>The plain-sentence reason.</summary>
    public string Reason => Result.Reason;

    /// <summary>Computes the month's credit for a customer.</summary>
    /// <param name="customerId">The customer's id: not blank, no whitespace.</param>
    /// <param name="month">The calendar month.</param>
    /// <param name="availabilityPercent">The month's availability percent in [0, 100] (rounded to 4 decimals).</param>
    /// <param name="terms">The contract's credit terms.</param>
    /// <param name="computedAt">When it is computed.</param>
    public static MonthlyCredit Compute(
        string customerId,
        YearMonth month,
        decimal availabilityPercent,
        CreditTerms terms,
        Instant computedAt) =>
        new(customerId, month, CreditCalculator.Calculate(availabilityPercent, terms), computedAt);

    /// <summary>The idempotency key <c>sla-credit-{customerId}-{yyyy-MM}</c> for a customer and month.</summary>
    /// <param name="customerId">The customer's id: not blank, no whitespace.</param>
    /// <param name="month">The calendar month (ISO calendar).</param>
    /// <exception cref="ArgumentException">The customer id is blank or has whitespace, or the month is not ISO.</exception>
    public static string KeyFor(string customerId, YearMonth month)
    {
        ValidCustomerId(customerId, nameof(customerId));
        if (month.Calendar != CalendarSystem.Iso)
        {
            throw new ArgumentException($"{nameof(month)} must be in the ISO calendar; got {month.Calendar.Id}.", nameof(month));
        }

        return $"sla-credit-{customerId}-{YearMonthPattern.Iso.Format(month)}";
    }

    /// <summary>A customer id must be non-empty and free of whitespace (it is part of idempotency keys).</summary>
    internal static string ValidCustomerId(string? value, string name)
    {
        if (string.IsNullOrEmpty(value) || value.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"{name} must be a non-empty id without whitespace; got \"{value}\".", name);
        }

        return value;
    }
}
