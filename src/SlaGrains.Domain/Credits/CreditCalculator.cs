namespace SlaGrains.Domain.Credits;

/// <summary>Computes the credit due for a month's availability under a contract's credit terms. Pure functions.</summary>
public static class CreditCalculator
{
    /// <summary>
    /// The credit for <paramref name="availabilityPercent"/> under <paramref name="terms"/>: none when the target is
    /// met (availability ≥ target) or the availability is at or above the schedule's top; otherwise the matching
    /// tier's credit, reduced to the cap.
    /// </summary>
    /// <param name="availabilityPercent">The month's availability percent in [0, 100] (rounded to 4 decimals).</param>
    /// <param name="terms">The contract's credit terms.</param>
    /// <exception cref="ArgumentException">The availability is outside [0, 100].</exception>
    public static CreditResult Calculate(decimal availabilityPercent, CreditTerms terms) =>
        Calculate(new CreditInputs(availabilityPercent, terms));

    /// <summary>The credit for explicit inputs; see <see cref="Calculate(decimal, CreditTerms)"/>.</summary>
    /// <param name="availabilityPercent">The month's availability percent in [0, 100] (rounded to 4 decimals).</param>
    /// <param name="targetPercent">Committed availability percent, in (0, 100].</param>
    /// <param name="monthlyFee">Monthly fee, ≥ 0.</param>
    /// <param name="currency">ISO 4217 code of the fee.</param>
    /// <param name="schedule">The credit schedule.</param>
    /// <param name="capPercent">Cap, percent of the fee, in [0, 100]; default 50.</param>
    /// <exception cref="ArgumentException">An input is out of range; the message names it.</exception>
    public static CreditResult Calculate(
        decimal availabilityPercent,
        decimal targetPercent,
        decimal monthlyFee,
        string currency,
        CreditSchedule schedule,
        decimal capPercent = CreditTerms.DefaultCapPercent) =>
        Calculate(availabilityPercent, new CreditTerms(targetPercent, monthlyFee, currency, schedule, capPercent));

    /// <summary>The credit for <paramref name="inputs"/>; see <see cref="Calculate(decimal, CreditTerms)"/>.</summary>
    /// <param name="inputs">Availability and terms.</param>
    public static CreditResult Calculate(CreditInputs inputs)
    {
        Guard.NotNull(inputs, nameof(inputs));
        var terms = inputs.Terms;
        var availability = inputs.AvailabilityPercent;
        var shown = CreditText.Availability(availability);
        var fee = CreditText.Money(terms.MonthlyFee, terms.Currency);

        if (availability >= terms.TargetPercent)
        {
            return new CreditResult(
                inputs, met: true, tier: null, creditPercent: 0m, amount: 0m, capped: false,
                $"Availability {shown} % met the {CreditText.Bound(terms.TargetPercent)} % target: no credit is due.");
        }

        var tier = terms.Schedule.TierFor(availability);
        if (tier is null)
        {
            return new CreditResult(
                inputs, met: false, tier: null, creditPercent: 0m, amount: 0m, capped: false,
                $"Availability {shown} % missed the {CreditText.Bound(terms.TargetPercent)} % target but is at or above "
                + $"the credit schedule's top of {CreditText.Bound(terms.Schedule.TopPercent)} %: no credit is due.");
        }

        var capped = tier.CreditPercent > terms.CapPercent;
        var percent = capped ? terms.CapPercent : tier.CreditPercent;
        var amount = Money(terms.MonthlyFee, percent);
        var reason = $"Availability {shown} % fell in tier {tier} of {fee}";
        reason += capped
            ? $", capped at {CreditText.Share(terms.CapPercent)} % = {CreditText.Money(amount, terms.Currency)}."
            : $" = {CreditText.Money(amount, terms.Currency)}.";
        return new CreditResult(inputs, met: false, tier, percent, amount, capped, reason);
    }

    /// <summary>fee × percent / 100 rounded to 2 decimals, midpoints away from zero.</summary>
    internal static decimal Money(decimal fee, decimal percent) =>
        Math.Round(fee * (percent / 100m), 2, MidpointRounding.AwayFromZero);
}
