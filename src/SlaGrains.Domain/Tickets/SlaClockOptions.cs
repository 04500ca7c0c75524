using System.Collections.Immutable;

namespace SlaGrains.Domain.Tickets;

/// <summary>
/// How a ticket's clocks behave. Defaults: <em>waiting on customer</em> and <em>on hold</em> pause,
/// reopening resumes the resolution clock, one warning at 75 % of the target, breach at 100 %.
/// </summary>
/// <remarks>
/// The percents a clock warns at come from the policy: each priority's <see cref="PriorityTargets.Warnings"/>, carried
/// into <see cref="TicketTargets.Warnings"/>. <see cref="WarningPercents"/> is only the fallback for targets that carry
/// none: tickets stored before policies had warnings, and targets built without a policy.
/// </remarks>
public sealed record SlaClockOptions
{
    /// <summary>The defaults described on the type.</summary>
    public static SlaClockOptions Default { get; } = new();

    /// <summary>Creates options; warning percentages must be ascending, distinct, each in 1–99.</summary>
    public SlaClockOptions(
        IEnumerable<TicketStatus>? pauseStatuses = null,
        ReopenBehavior reopen = ReopenBehavior.Resume,
        IEnumerable<int>? warningPercents = null)
    {
        var pauses = (pauseStatuses ?? [TicketStatus.WaitingOnCustomer, TicketStatus.OnHold]).ToImmutableSortedSet();
        if (pauses.Contains(TicketStatus.Resolved) || pauses.Contains(TicketStatus.Closed))
        {
            throw new ArgumentException("Resolved and Closed stop the clocks; they cannot be pause statuses.", nameof(pauseStatuses));
        }

        var warnings = (warningPercents ?? [75]).ToImmutableArray();
        for (var i = 0; i < warnings.Length; i++)
        {
            if (warnings[i] is < 1 or > 99)
            {
                throw new ArgumentOutOfRangeException(nameof(warningPercents), warnings[i], "A warning threshold is a percentage of the target between 1 and 99.");
            }

            if (i > 0 && warnings[i] <= warnings[i - 1])
            {
                throw new ArgumentException($"Warning thresholds must be ascending and distinct; got {string.Join("/", warnings)}.", nameof(warningPercents));
            }
        }

        PauseStatuses = pauses;
        Reopen = reopen;
        WarningPercents = warnings;
        Thresholds = warnings.Add(100);
    }

    /// <summary>Statuses in which every clock of the ticket stops counting.</summary>
    public ImmutableSortedSet<TicketStatus> PauseStatuses { get; }

    /// <summary>What reopening does to the resolution clock.</summary>
    public ReopenBehavior Reopen { get; }

    /// <summary>
    /// Warning thresholds, percent of the target, ascending; the breach at 100 % follows them. Used only for targets
    /// without their own <see cref="TicketTargets.Warnings"/> (stored before policies carried warnings).
    /// </summary>
    public ImmutableArray<int> WarningPercents { get; }

    /// <summary>Warnings then the breach (100).</summary>
    internal ImmutableArray<int> Thresholds { get; }

    /// <summary>The thresholds a clock under <paramref name="targets"/> has: the targets' warnings (else these options' warnings), then the breach (100).</summary>
    public ImmutableArray<int> ThresholdsFor(TicketTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return targets.Warnings is { } warnings ? warnings.WithBreach() : Thresholds;
    }

    /// <inheritdoc />
    public bool Equals(SlaClockOptions? other)
        => other is not null && Reopen == other.Reopen && PauseStatuses.SetEquals(other.PauseStatuses) && WarningPercents.SequenceEqual(other.WarningPercents);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Reopen, PauseStatuses.Count, WarningPercents.Length);
}
