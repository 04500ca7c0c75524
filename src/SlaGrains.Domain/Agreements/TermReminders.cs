using System.Collections.Immutable;
using System.Globalization;
using NodaTime;

namespace SlaGrains.Domain.Agreements;

/// <summary>
/// Reminders to managers before a renewing contract's notice deadline (<see cref="TermStanding.NoticeDueBy"/>): one
/// <see cref="DaysBefore"/> days before it (30 and 1: a month to decide, and the last working chance), each once per
/// deadline, due at the start of its day in the customer's zone. A contract that does not renew has no deadline and no
/// reminder. A reminder whose day passed while nobody was there (the contract was set late, the service was down) is
/// sent once when next checked, as long as the deadline has not passed; when several are due at once only the latest
/// (the fewest days) is sent and the earlier ones count as sent, so managers never get two at once.
/// </summary>
public static class TermReminders
{
    /// <summary>How many days before the notice deadline managers are reminded, earliest first.</summary>
    public static ImmutableArray<int> DaysBefore { get; } = [30, 1];

    /// <summary>
    /// The reminder due on <paramref name="today"/> that was not sent yet, or null. <paramref name="lastSent"/> is the
    /// last reminder sent (for any deadline); a reminder for another deadline does not count for this one.
    /// </summary>
    public static TermReminder? Due(ContractTerm term, LocalDate today, TermReminder? lastSent)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (term.On(today) is not { NoticeDueBy: { } deadline, RenewsOn: { } renewsOn } || today > deadline)
        {
            return null;
        }

        var due = DaysBefore
            .Where(days => deadline.PlusDays(-days) <= today && !Sent(lastSent, deadline, days))
            .Select(days => (int?)days)
            .LastOrDefault();
        return due is { } d ? new TermReminder(deadline, renewsOn, d, Period.Between(today, deadline, PeriodUnits.Days).Days) : null;
    }

    /// <summary>
    /// The next day a reminder becomes due on or after <paramref name="today"/> (today itself when one is due now), or
    /// null when none is left for the current deadline and the next one (the deadline after a renewal) is looked at
    /// from the day after this one.
    /// </summary>
    public static LocalDate? NextDue(ContractTerm term, LocalDate today, TermReminder? lastSent)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (Due(term, today, lastSent) is not null)
        {
            return today;
        }

        if (term.On(today) is not { NoticeDueBy: { } deadline, RenewsOn: { } renewsOn })
        {
            return null;
        }

        var later = DaysBefore.Select(days => deadline.PlusDays(-days)).Where(day => day > today).Order().Select(day => (LocalDate?)day).FirstOrDefault();
        if (later is not null)
        {
            return later;
        }

        // This deadline's reminders are done (or it passed): the next deadline's first reminder, not before the renewal
        // that starts its period (until then the standing still names this deadline).
        return term.On(renewsOn) is { NoticeDueBy: { } next } && next > deadline
            ? LocalDate.Max(renewsOn, DaysBefore.Select(days => next.PlusDays(-days)).Min())
            : null;
    }

    private static bool Sent(TermReminder? lastSent, LocalDate deadline, int days)
        => lastSent is { } sent && sent.NoticeDueBy == deadline && sent.DaysBefore <= days;
}

/// <summary>A reminder before a notice deadline.</summary>
/// <param name="NoticeDueBy">The last day notice can be given.</param>
/// <param name="RenewsOn">The renewal it stops.</param>
/// <param name="DaysBefore">Which reminder it is (<see cref="TermReminders.DaysBefore"/>).</param>
/// <param name="DaysLeft">Days from the day it was sent to the deadline.</param>
public sealed record TermReminder(LocalDate NoticeDueBy, LocalDate RenewsOn, int DaysBefore, int DaysLeft)
{
    /// <summary>What makes the reminder once: <c>{notice due by}/{days before}</c>.</summary>
    public string Key => $"{NoticeDueBy.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)}/{DaysBefore.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The reminder as a sentence for managers.</summary>
    public string Text(string customer)
        => string.Create(CultureInfo.InvariantCulture,
            $"The contract of {customer} renews on {RenewsOn:uuuu-MM-dd} unless notice is given by {NoticeDueBy:uuuu-MM-dd} ({(DaysLeft == 0 ? "today" : DaysLeft == 1 ? "tomorrow" : $"in {DaysLeft} days")}).");
}
