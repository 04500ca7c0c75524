using System.Globalization;
using NodaTime;

namespace SlaGrains.Domain.Credits;

/// <summary>The plain, factual sentence a credit notice opens with. Pure.</summary>
public static class CreditNoticeText
{
    /// <summary>
    /// What happened in a month whose commitment was missed: availability against the commitment, the downtime and
    /// the number of incidents, and the credit as a share of the fee and as money.
    /// </summary>
    /// <param name="month">The closed month.</param>
    /// <param name="downtime">Counted downtime in the month.</param>
    /// <param name="incidents">Incidents that overlapped the month.</param>
    /// <param name="credit">The month's credit calculation (its inputs carry availability, target and fee).</param>
    public static string Summary(YearMonth month, Duration downtime, int incidents, CreditResult credit)
    {
        Guard.NotNull(credit, nameof(credit));
        var terms = credit.Inputs.Terms;
        var what = $"In {month.ToString("uuuu-MM", CultureInfo.InvariantCulture)} the service was available {CreditText.Availability(credit.Inputs.AvailabilityPercent)} % "
            + $"of the time against the committed {CreditText.Bound(terms.TargetPercent)} %: {Minutes(downtime)} of downtime in {incidents} incident(s).";
        if (!credit.TicketParts.IsDefaultOrEmpty)
        {
            // Issue 20 — ticket-SLA credits: each clause's compliance and credit, so the notice explains every part of the sum.
            what += $" Ticket SLAs: {string.Join("; ", credit.TicketParts.Select(p => p.Describe()))}.";
        }

        return credit.Amount > 0m
            ? $"{what} Under the contract this earns a credit of {CreditText.Share(credit.CreditPercent)} % of the monthly fee of "
                + $"{CreditText.Money(terms.MonthlyFee, terms.Currency)}{TicketSum(credit)}: {CreditText.Money(credit.Amount, terms.Currency)}, deducted from the next invoice."
            : $"{what} {credit.Reason}";
    }

    /// <summary>How a credit with ticket-SLA parts adds up, e.g. <c> (0 % availability + 5 % ticket SLAs)</c>; empty without parts.</summary>
    private static string TicketSum(CreditResult credit)
    {
        if (credit.TicketParts.IsDefaultOrEmpty)
        {
            return string.Empty;
        }

        var tickets = TicketCredit.PercentOf(credit);
        var availability = credit.CreditPercent - tickets;
        var terms = credit.Inputs.Terms;
        return credit.Capped && credit.CreditPercent == terms.CapPercent
            ? $" (availability and ticket SLAs together, capped at {CreditText.Share(terms.CapPercent)} %)"
            : $" ({CreditText.Share(Math.Max(0m, availability))} % availability + {CreditText.Share(tickets)} % ticket SLAs)";
    }

    private static string Minutes(Duration d) => $"{Math.Round(d.TotalMinutes, 1).ToString("0.#", CultureInfo.InvariantCulture)} min";
}
