using System.Globalization;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Credits;

/// <summary>A month's latency checks over a customer's monitors with a latency SLO: good of total (each monitor judged against its own threshold).</summary>
/// <param name="Good">Up checks answered within their monitor's threshold.</param>
/// <param name="Total">Failed checks and up checks with a response time.</param>
public sealed record LatencyTally(long Good, long Total)
{
    /// <summary>The latency SLI in percent, rounded toward zero to 4 decimals; null without checks.</summary>
    public decimal? SliPercent => Total <= 0 ? null : EventRatioBudget.Of(Good, Total, 50m).SliPercent;

    /// <summary>The sum of two tallies.</summary>
    public static LatencyTally operator +(LatencyTally a, LatencyTally b)
    {
        Guard.NotNull(a, nameof(a));
        Guard.NotNull(b, nameof(b));
        return new LatencyTally(a.Good + b.Good, a.Total + b.Total);
    }
}

/// <summary>
/// Latency in the month's one credit. When the contract names a latency commitment
/// (<see cref="ServiceAgreement.LatencyCommitmentPercent"/>) and the month's latency SLI misses it, the SLI goes through
/// the contract's same schedule and cap (as if it were an availability percent against the latency commitment), and the
/// month's credit is the <b>larger</b> of the availability credit and the latency credit — never their sum.
/// </summary>
/// <remarks>
/// Why the larger and not the sum: a failed check is both downtime and a slow check (failures count as not good in the
/// latency SLI), so one outage would otherwise be paid twice; the larger one also can never exceed the cap, and the
/// month keeps its one ledger entry (<c>sla-credit-{customer}-{yyyy-MM}</c>).
/// </remarks>
public static class LatencyCredit
{
    /// <summary>The month's one credit: <paramref name="availability"/>, or the latency credit when it is larger.</summary>
    /// <param name="availability">The availability credit under the contract.</param>
    /// <param name="latency">The month's latency checks; null or without checks: no latency credit.</param>
    /// <param name="agreement">The contract.</param>
    public static CreditResult Fold(CreditResult availability, LatencyTally? latency, ServiceAgreement agreement)
    {
        Guard.NotNull(availability, nameof(availability));
        Guard.NotNull(agreement, nameof(agreement));
        if (agreement.LatencyCommitmentPercent is not { } commitment || latency?.SliPercent is not { } sli)
        {
            return availability;
        }

        var terms = agreement.CreditTerms;
        var byLatency = CreditCalculator.Calculate(sli, new CreditTerms(commitment, terms.MonthlyFee, terms.Currency, terms.Schedule, terms.CapPercent));
        var shown = sli.ToString("0.0000", CultureInfo.InvariantCulture);
        var met = $"Latency {shown} % of checks within their threshold ({latency.Good.ToString("N0", CultureInfo.InvariantCulture)} of {latency.Total.ToString("N0", CultureInfo.InvariantCulture)})";
        if (byLatency.CreditPercent <= availability.CreditPercent)
        {
            var note = byLatency.Met
                ? $" {met} met the {CreditText.Bound(commitment)} % latency commitment."
                : $" {met} missed the {CreditText.Bound(commitment)} % latency commitment but earns no larger credit (one credit per month, the larger).";
            return new CreditResult(availability.Inputs, availability.Met && byLatency.Met, availability.Tier, availability.CreditPercent, availability.Amount, availability.Capped, availability.Reason + note);
        }

        var reason = $"{met} missed the {CreditText.Bound(commitment)} % latency commitment and fell in tier {byLatency.Tier} of "
            + $"{CreditText.Money(terms.MonthlyFee, terms.Currency)}"
            + (byLatency.Capped ? $", capped at {CreditText.Share(terms.CapPercent)} %" : string.Empty)
            + $" = {CreditText.Money(byLatency.Amount, terms.Currency)}: larger than the availability credit, so it is the month's one credit. "
            + availability.Reason;
        return new CreditResult(availability.Inputs, met: false, byLatency.Tier, byLatency.CreditPercent, byLatency.Amount, byLatency.Capped, reason);
    }
}
