using NodaTime;

namespace SlaGrains.Domain.Credits;

/// <summary>
/// Where a customer's dispute of a closed month stands. It moves once: Filed → one of the three resolved states,
/// which are final (a month is disputed at most once, so a credit is never adjusted twice).
/// </summary>
public enum DisputeStatus
{
    /// <summary>Filed by the customer; waiting for a manager.</summary>
    Filed,

    /// <summary>Resolved: the customer's claimed availability was accepted.</summary>
    ResolvedAccepted,

    /// <summary>Resolved: a manager decided an availability other than the claim (for example in the middle).</summary>
    ResolvedAdjusted,

    /// <summary>Resolved: the claim was rejected; our measured availability stands.</summary>
    ResolvedRejected,
}

/// <summary>What a manager decides about a filed dispute.</summary>
public enum DisputeVerdict
{
    /// <summary>Take the customer's claimed availability.</summary>
    Accept,

    /// <summary>Take an availability the manager states.</summary>
    Adjust,

    /// <summary>Keep our measured availability.</summary>
    Reject,
}

/// <summary>A manager's decision on a dispute.</summary>
/// <param name="Verdict">Accept, adjust or reject.</param>
/// <param name="DecidedPercent">The availability decided; required for <see cref="DisputeVerdict.Adjust"/>, ignored otherwise.</param>
/// <param name="Note">Why; required when rejecting or adjusting (the customer reads it), optional when accepting.</param>
/// <param name="By">Who decides.</param>
public sealed record DisputeDecision(DisputeVerdict Verdict, decimal? DecidedPercent, string? Note, string By);

/// <summary>The result of <see cref="DisputeLifecycle.Resolve"/>: the final state and the recomputed credit, or a rejection.</summary>
/// <param name="Status">The state after the decision; the current state when rejected.</param>
/// <param name="DecidedPercent">The availability the credit is recomputed from; null when rejected.</param>
/// <param name="Credit">The credit for <paramref name="DecidedPercent"/> under the month's terms; null when rejected.</param>
/// <param name="Rejection">Why the decision was refused, or null.</param>
public sealed record DisputeResolved(DisputeStatus Status, decimal? DecidedPercent, CreditResult? Credit, Rejection? Rejection)
{
    /// <summary>True when the decision was taken.</summary>
    public bool Accepted => Rejection is null;
}

/// <summary>
/// The dispute state machine, as pure functions: whether a month may be disputed, and what a manager's decision
/// leads to. Times, people and storage stay with the caller.
/// </summary>
public static class DisputeLifecycle
{
    /// <summary>
    /// Whether the customer may dispute a month: refused when the month is not closed (<c>month-not-closed</c>),
    /// when it was disputed before (<c>dispute-already-filed</c>: one dispute per month, so a credit is adjusted
    /// at most once), or when the claimed availability is outside [0, 100] (<c>invalid-claimed-availability</c>).
    /// </summary>
    /// <param name="monthClosed">Whether the month was closed (it has a credit entry).</param>
    /// <param name="existing">The month's dispute state, or null when there is none.</param>
    /// <param name="claimedPercent">The customer's claimed availability percent.</param>
    /// <returns>Null when it may be filed; otherwise the rejection.</returns>
    public static Rejection? CanFile(bool monthClosed, DisputeStatus? existing, decimal claimedPercent)
    {
        if (claimedPercent is < 0m or > 100m)
        {
            return new Rejection("invalid-claimed-availability", $"The claimed availability must be a percentage in [0, 100]; got {claimedPercent}.");
        }

        if (!monthClosed)
        {
            return new Rejection("month-not-closed", "Only a closed month can be disputed; its availability and credit are fixed when it closes.");
        }

        return existing is null
            ? null
            : new Rejection("dispute-already-filed", $"This month was already disputed (the dispute is {existing}); a month is disputed once.");
    }

    /// <summary>
    /// A manager's decision on a dispute in <paramref name="current"/>: only a filed dispute can be resolved
    /// (<c>dispute-already-resolved</c>). Accept takes the claim (→ <see cref="DisputeStatus.ResolvedAccepted"/>),
    /// reject keeps our measurement (→ <see cref="DisputeStatus.ResolvedRejected"/>), adjust takes the stated
    /// availability (→ <see cref="DisputeStatus.ResolvedAdjusted"/>). The credit is recomputed with
    /// <see cref="CreditCalculator"/> from the decided availability under the month's <paramref name="terms"/>.
    /// Adjust needs an availability in [0, 100] (<c>invalid-decided-availability</c>); reject and adjust need a
    /// note (<c>invalid-note</c>).
    /// </summary>
    /// <param name="current">The dispute's state.</param>
    /// <param name="dispute">The dispute (claimed and measured availability).</param>
    /// <param name="decision">The manager's decision.</param>
    /// <param name="terms">The credit terms the month was closed under.</param>
    public static DisputeResolved Resolve(DisputeStatus current, CreditDispute dispute, DisputeDecision decision, CreditTerms terms)
    {
        Guard.NotNull(dispute, nameof(dispute));
        Guard.NotNull(decision, nameof(decision));
        Guard.NotNull(terms, nameof(terms));
        if (current != DisputeStatus.Filed)
        {
            return Refused(current, "dispute-already-resolved", $"The dispute is already {current}; a resolution is final.");
        }

        if (decision.Verdict != DisputeVerdict.Accept && string.IsNullOrWhiteSpace(decision.Note))
        {
            return Refused(current, "invalid-note", $"A decision to {decision.Verdict.ToString().ToLowerInvariant()} needs a note saying why.");
        }

        if (decision.Verdict == DisputeVerdict.Adjust && decision.DecidedPercent is not (>= 0m and <= 100m))
        {
            return Refused(current, "invalid-decided-availability", $"Adjusting needs the decided availability, a percentage in [0, 100]; got {decision.DecidedPercent?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
        }

        var (status, decided) = decision.Verdict switch
        {
            DisputeVerdict.Accept => (DisputeStatus.ResolvedAccepted, dispute.ClaimedPercent),
            DisputeVerdict.Reject => (DisputeStatus.ResolvedRejected, dispute.MeasuredPercent),
            DisputeVerdict.Adjust => (DisputeStatus.ResolvedAdjusted, decision.DecidedPercent!.Value),
            _ => throw new ArgumentOutOfRangeException(nameof(decision), decision.Verdict, "Unknown verdict."),
        };

        var credit = CreditCalculator.Calculate(decided, terms);
        return new DisputeResolved(status, credit.Inputs.AvailabilityPercent, credit, null);
    }

    private static DisputeResolved Refused(DisputeStatus current, string code, string message) => new(current, null, null, new Rejection(code, message));
}

/// <summary>Reads a customer's own measured down intervals from CSV text. Pure.</summary>
public static class CustomerDowntimeCsv
{
    /// <summary>
    /// One interval per line, <c>start,end</c> as ISO-8601 instants (<c>2026-03-04T10:00:00Z,2026-03-04T10:45:00Z</c>);
    /// a first line without a digit is a header; blank lines are skipped. The end must be after the start.
    /// </summary>
    /// <param name="text">The CSV text; null or blank gives no intervals.</param>
    /// <returns>The intervals, or the first problem naming its line.</returns>
    public static (IReadOnlyList<Interval> Intervals, string? Error) Parse(string? text)
    {
        var intervals = new List<Interval>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return (intervals, null);
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || (i == 0 && !line.Any(char.IsDigit)))
            {
                continue;
            }

            var cells = line.Split(',');
            var start = cells.Length == 2 ? NodaTime.Text.InstantPattern.ExtendedIso.Parse(cells[0].Trim()) : null;
            var end = cells.Length == 2 ? NodaTime.Text.InstantPattern.ExtendedIso.Parse(cells[1].Trim()) : null;
            if (start is not { Success: true } || end is not { Success: true } || end.Value <= start.Value)
            {
                return ([], $"Line {i + 1} is not 'start,end' with ISO-8601 instants and the end after the start: '{line}'.");
            }

            intervals.Add(new Interval(start.Value, end.Value));
        }

        return (intervals, null);
    }
}
