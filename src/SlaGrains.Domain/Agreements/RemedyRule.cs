using System.Collections.Immutable;
using NodaTime;

namespace SlaGrains.Domain.Agreements;

/// <summary>What a remedy gives when it fires, beyond the month's own credit.</summary>
public enum RemedyKind
{
    /// <summary>An extra credit of <see cref="RemedyRule.ExtraCreditPercent"/> % of the monthly fee.</summary>
    ExtraCredit,

    /// <summary>The customer may terminate the contract early.</summary>
    TerminationRight,
}

/// <summary>
/// A remedy over a rolling window, as contracts write it after repeated misses: "if the commitment is missed in
/// <see cref="Misses"/> months within any <see cref="WindowMonths"/> consecutive months, …". A month close evaluates it
/// once (<see cref="Decide"/>); a missed month counts toward one firing only, so a remedy fires once per window of misses
/// and a fourth miss in the same window does not pay again.
/// </summary>
/// <param name="Misses">Missed months that trigger it, 2–24 and at most the window.</param>
/// <param name="WindowMonths">The rolling window, 2–24 months.</param>
/// <param name="Kind">What it gives.</param>
/// <param name="ExtraCreditPercent">For <see cref="RemedyKind.ExtraCredit"/>: percent of the monthly fee, in (0, 100]; else 0.</param>
public sealed record RemedyRule(int Misses, int WindowMonths, RemedyKind Kind, decimal ExtraCreditPercent = 0m)
{
    /// <summary>The longest window a remedy may look back over.</summary>
    public const int MaxWindowMonths = 24;

    /// <summary>
    /// What identifies the rule in the customer's "last fired" record: misses, window and kind (<c>3-in-6-extraCredit</c>).
    /// The percent is not part of it, so changing only the percent keeps the months already counted counted.
    /// </summary>
    public string Key => $"{Misses}-in-{WindowMonths}-{(Kind == RemedyKind.ExtraCredit ? "extraCredit" : "terminationRight")}";

    /// <summary>Why the rule cannot be used, naming the field (<c>windowMonths</c>, <c>misses</c>, <c>extraCreditPercent</c>, <c>kind</c>); null when it can.</summary>
    public (string Field, string Message)? Problem()
    {
        if (WindowMonths is < 2 or > MaxWindowMonths)
        {
            return ("windowMonths", $"A remedy's window is 2 to {MaxWindowMonths} months; got {WindowMonths}.");
        }

        if (Misses < 2 || Misses > WindowMonths)
        {
            return ("misses", $"A remedy fires after 2 to {WindowMonths} (its window) missed months; got {Misses}.");
        }

        if (!Enum.IsDefined(Kind))
        {
            return ("kind", "A remedy is an extraCredit or a terminationRight.");
        }

        return (Kind, ExtraCreditPercent) switch
        {
            (RemedyKind.ExtraCredit, <= 0m or > 100m) => ("extraCreditPercent", $"An extra credit is more than 0 and at most 100 % of the monthly fee; got {ExtraCreditPercent}."),
            (RemedyKind.TerminationRight, not 0m) => ("extraCreditPercent", "A termination right carries no extra credit."),
            _ => null,
        };
    }

    /// <summary>
    /// Whether closing <paramref name="month"/> fires the remedy: <see cref="Misses"/> missed months among the window
    /// ending with it, counting only months after the last firing (<paramref name="lastFired"/>; null when it never
    /// fired), and <paramref name="month"/> itself missed (a met month never triggers). Returns the months it counted,
    /// or null when it does not fire. Closing the same month again gives the same answer, so the caller records a
    /// firing once by its month.
    /// </summary>
    public RemedyFiring? Decide(YearMonth month, IReadOnlySet<YearMonth> missed, YearMonth? lastFired)
    {
        ArgumentNullException.ThrowIfNull(missed);
        if (!missed.Contains(month) || (lastFired is { } fired && fired >= month))
        {
            return null;
        }

        var counted = Enumerable.Range(0, WindowMonths)
            .Select(back => month.PlusMonths(-back))
            .Where(m => missed.Contains(m) && (lastFired is not { } last || m > last))
            .OrderBy(m => m)
            .ToImmutableArray();
        return counted.Length >= Misses ? new RemedyFiring(month, this, counted) : null;
    }
}

/// <summary>A remedy that fired at a month close: the month, the rule, and the missed months it counted.</summary>
public sealed record RemedyFiring(YearMonth Month, RemedyRule Rule, ImmutableArray<YearMonth> CountedMonths);
