using NodaTime;

namespace SlaGrains.Domain.Agreements;

/// <summary>
/// A contract's term as customers sign it: it starts on <see cref="Start"/>, runs for <see cref="TermMonths"/> whole
/// months, then renews for <see cref="RenewalMonths"/> at a time (0: it ends instead), unless one side gives notice at
/// least <see cref="NoticeDays"/> days before the renewal date. Dates are the customer's calendar dates.
/// </summary>
/// <param name="Start">The first day of the contract.</param>
/// <param name="TermMonths">The initial term, 1–120 months.</param>
/// <param name="RenewalMonths">Each renewal's length, 0–120 months (0: the contract ends with its term).</param>
/// <param name="NoticeDays">How long before a renewal date notice must be given, 0–730 days, and shorter than the term.</param>
public sealed record ContractTerm(LocalDate Start, int TermMonths, int RenewalMonths, int NoticeDays)
{
    /// <summary>The longest term or renewal: ten years.</summary>
    public const int MaxMonths = 120;

    /// <summary>The longest notice period: two years.</summary>
    public const int MaxNoticeDays = 730;

    /// <summary>
    /// Why the term cannot be used, naming the field (<c>termMonths</c>, <c>renewalMonths</c>, <c>noticeDays</c>); null
    /// when it can. A notice as long as the term (or a renewal) would be due before that period began.
    /// </summary>
    public (string Field, string Message)? Problem()
    {
        if (TermMonths is < 1 or > MaxMonths)
        {
            return ("termMonths", $"A term is 1 to {MaxMonths} months; got {TermMonths}.");
        }

        if (RenewalMonths is < 0 or > MaxMonths)
        {
            return ("renewalMonths", $"A renewal is 0 (the contract ends) to {MaxMonths} months; got {RenewalMonths}.");
        }

        if (NoticeDays is < 0 or > MaxNoticeDays)
        {
            return ("noticeDays", $"A notice period is 0 to {MaxNoticeDays} days; got {NoticeDays}.");
        }

        var shortest = Period.Between(Start, Start.PlusMonths(RenewalMonths is > 0 and var r && r < TermMonths ? r : TermMonths), PeriodUnits.Days).Days;
        return NoticeDays >= shortest
            ? ("noticeDays", $"A notice of {NoticeDays} days is not shorter than the {shortest} days of the {(RenewalMonths > 0 && RenewalMonths < TermMonths ? "renewal" : "term")} it ends.")
            : null;
    }

    /// <summary>The last day of the initial term.</summary>
    public LocalDate InitialEnd => Start.PlusMonths(TermMonths).PlusDays(-1);

    /// <summary>
    /// Where the contract stands on <paramref name="today"/>: the next renewal date (the first day of the next period) and
    /// the last day notice can be given for it; or, for a contract that does not renew, the day it ends. Null dates
    /// where there are none (before the start, nothing is due; after a non-renewing end, the contract is over).
    /// </summary>
    public TermStanding On(LocalDate today)
    {
        if (today < Start)
        {
            // A contract that does not renew has no renewal to give notice for, even before it starts: it ends.
            return RenewalMonths == 0
                ? new TermStanding(TermState.NotStarted, null, null, InitialEnd)
                : new TermStanding(TermState.NotStarted, Start.PlusMonths(TermMonths), NoticeBy(Start.PlusMonths(TermMonths)), null);
        }

        var periodEnd = Start.PlusMonths(TermMonths);
        if (RenewalMonths == 0)
        {
            return today < periodEnd
                ? new TermStanding(TermState.InTerm, null, null, periodEnd.PlusDays(-1))
                : new TermStanding(TermState.Ended, null, null, periodEnd.PlusDays(-1));
        }

        // Renewals are counted from the start, so a long-running contract's dates never drift (Jan 31 + 1 month stays
        // the last of each month counted from the start, not from a clipped date).
        var renewals = 0;
        while (periodEnd <= today)
        {
            renewals++;
            periodEnd = Start.PlusMonths(TermMonths + (renewals * RenewalMonths));
        }

        return new TermStanding(renewals == 0 ? TermState.InTerm : TermState.Renewed, periodEnd, NoticeBy(periodEnd), null);
    }

    /// <summary>
    /// Where the contract stands on <paramref name="today"/> as people read it: "renews on 2027-03-01, notice due by
    /// 2026-12-01", "ends on 2027-02-28 (it does not renew)", "ended on 2027-02-28", with "starts on …" before the start.
    /// </summary>
    public string Describe(LocalDate today)
    {
        var standing = On(today);
        var what = standing switch
        {
            { State: TermState.Ended, EndsOn: { } ended } => $"ended on {Iso(ended)}",
            { RenewsOn: { } renews, NoticeDueBy: { } notice } => $"renews on {Iso(renews)}, notice due by {Iso(notice)}{(notice < today ? " (passed)" : "")}",
            { EndsOn: { } ends } => $"ends on {Iso(ends)} (it does not renew)",
            _ => "no renewal",
        };
        return standing.State == TermState.NotStarted ? $"starts on {Iso(Start)}; {what}" : what;
    }

    private static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private LocalDate NoticeBy(LocalDate renewal) => renewal.PlusDays(-NoticeDays);
}

/// <summary>Where a contract's term stands.</summary>
public enum TermState
{
    /// <summary>Signed, not yet started.</summary>
    NotStarted,

    /// <summary>In its initial term.</summary>
    InTerm,

    /// <summary>Renewed at least once.</summary>
    Renewed,

    /// <summary>Ended with its term (it does not renew).</summary>
    Ended,
}

/// <summary>A contract's term on a day.</summary>
/// <param name="State">Where it stands.</param>
/// <param name="RenewsOn">The next renewal date (the first day of the next period); null when it does not renew.</param>
/// <param name="NoticeDueBy">The last day notice can be given to stop that renewal; null when it does not renew.</param>
/// <param name="EndsOn">The last day of a contract that does not renew; null when it renews.</param>
public sealed record TermStanding(TermState State, LocalDate? RenewsOn, LocalDate? NoticeDueBy, LocalDate? EndsOn);
