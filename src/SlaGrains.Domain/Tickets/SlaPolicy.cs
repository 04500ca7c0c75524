using System.Collections.Immutable;
using NodaTime;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Domain.Tickets;

/// <summary>
/// The targets for one priority of an SLA tier: business durations for each metric, counted in
/// business hours or around the clock, and the percents of each target at which its clock warns.
/// <see cref="NextReply"/> is optional (null: not measured).
/// </summary>
public sealed record PriorityTargets
{
    /// <summary>
    /// Creates the targets; every duration must be greater than zero. <paramref name="warnings"/> defaults to
    /// <see cref="WarningThresholds.Default"/> (one warning at 75 %).
    /// </summary>
    public PriorityTargets(Duration firstResponse, Duration resolution, Duration? nextReply = null, CoverageHours coverage = CoverageHours.BusinessHours, WarningThresholds? warnings = null)
    {
        FirstResponse = Guard.Positive(firstResponse, nameof(firstResponse));
        Resolution = Guard.Positive(resolution, nameof(resolution));
        NextReply = nextReply is { } n ? Guard.Positive(n, nameof(nextReply)) : null;
        Coverage = coverage;
        Warnings = warnings ?? WarningThresholds.Default;
    }

    /// <summary>Business time allowed until the first public reply.</summary>
    public Duration FirstResponse { get; }

    /// <summary>Business time allowed until resolution.</summary>
    public Duration Resolution { get; }

    /// <summary>Business time allowed from each customer message to the next agent reply; null when not measured.</summary>
    public Duration? NextReply { get; }

    /// <summary>Which hours the targets count in.</summary>
    public CoverageHours Coverage { get; }

    /// <summary>The percents of each metric's target at which its clock warns (the breach at 100 % follows them).</summary>
    public WarningThresholds Warnings { get; }

    /// <summary>The concrete targets for a ticket of a customer whose calendar is <paramref name="businessHours"/>, with this priority's warnings.</summary>
    public TicketTargets For(BusinessCalendar businessHours)
    {
        var calendar = Coverage == CoverageHours.AroundTheClock ? BusinessCalendar.AlwaysOpen : Guard.NotNull(businessHours, nameof(businessHours));
        return new TicketTargets(
            new MetricTarget(FirstResponse, calendar),
            new MetricTarget(Resolution, calendar),
            NextReply is { } nextReply ? new MetricTarget(nextReply, calendar) : null)
        {
            Warnings = Warnings,
        };
    }
}

/// <summary>
/// The percents of a target at which a clock warns before its breach: distinct, each 1–99, kept ascending (given in
/// any order). Empty means no warning, only the breach. Compared by value.
/// </summary>
public sealed record WarningThresholds
{
    /// <summary>One warning at 75 % of the target: what a policy warns at unless it says otherwise.</summary>
    public static WarningThresholds Default { get; } = new([75]);

    /// <summary>Creates the thresholds from percents in any order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a percent is outside 1–99.</exception>
    /// <exception cref="ArgumentException">When a percent is given twice.</exception>
    public WarningThresholds(IEnumerable<int> percents)
    {
        ArgumentNullException.ThrowIfNull(percents);
        var sorted = percents.Order().ToImmutableArray();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (sorted[i] is < 1 or > 99)
            {
                throw new ArgumentOutOfRangeException(nameof(percents), sorted[i], "A warning threshold is a percent of the target between 1 and 99 (100 is the breach).");
            }

            if (i > 0 && sorted[i] == sorted[i - 1])
            {
                throw new ArgumentException($"Warning threshold {sorted[i]} % is given twice.", nameof(percents));
            }
        }

        Percents = sorted;
        _withBreach = sorted.Add(100);
    }

    /// <summary>The warning percents, ascending.</summary>
    public ImmutableArray<int> Percents { get; }

    // One instance per thresholds, so the clocks that share them compare equal.
    private readonly ImmutableArray<int> _withBreach;

    /// <summary>The warnings, then the breach (100): what a clock's thresholds are.</summary>
    public ImmutableArray<int> WithBreach() => _withBreach;

    /// <summary>True when a clock warns at <paramref name="percent"/> (1–99).</summary>
    public bool Contains(int percent) => Percents.Contains(percent);

    /// <inheritdoc />
    public bool Equals(WarningThresholds? other) => other is not null && Percents.SequenceEqual(other.Percents);

    /// <inheritdoc />
    public override int GetHashCode() => Percents.Aggregate(Percents.Length, HashCode.Combine);

    /// <summary>The percents as people read them, e.g. "50, 75 and 90 %" (or "no warning").</summary>
    public override string ToString() => Percents.Length switch
    {
        0 => "no warning",
        1 => $"{Percents[0]} %",
        _ => $"{string.Join(", ", Percents.Take(Percents.Length - 1))} and {Percents[^1]} %",
    };
}

/// <summary>One metric's target: a business duration and the calendar it is counted in.</summary>
/// <param name="Target">Business time allowed; greater than zero.</param>
/// <param name="Calendar">The calendar the time is counted in.</param>
public sealed record MetricTarget(Duration Target, BusinessCalendar Calendar)
{
    /// <summary>Business time allowed; greater than zero.</summary>
    public Duration Target { get; } = Guard.Positive(Target, nameof(Target));

    /// <summary>The calendar the time is counted in.</summary>
    public BusinessCalendar Calendar { get; } = Guard.NotNull(Calendar, nameof(Calendar));
}

/// <summary>The resolved targets of one ticket, one per metric (<see cref="NextReply"/> optional), and the percents its clocks warn at.</summary>
public sealed record TicketTargets(MetricTarget FirstResponse, MetricTarget Resolution, MetricTarget? NextReply)
{
    /// <summary>
    /// The percents of each target at which the ticket's clocks warn, from its priority's targets. Null for targets
    /// stored before policies carried warnings (and targets built without a policy): the clocks then warn at the
    /// ticket's <see cref="SlaClockOptions.WarningPercents"/> (see <see cref="SlaClockOptions.ThresholdsFor"/>).
    /// </summary>
    public WarningThresholds? Warnings { get; init; }

    /// <summary>The target of <paramref name="metric"/>, or null when that metric is not measured.</summary>
    public MetricTarget? Of(SlaMetric metric) => metric switch
    {
        SlaMetric.FirstResponse => FirstResponse,
        SlaMetric.Resolution => Resolution,
        SlaMetric.NextReply => NextReply,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };
}

/// <summary>
/// An SLA tier (for example Gold or Silver): targets for every priority P1–P4. Customers share tiers;
/// a bespoke agreement overrides some priorities with <see cref="WithOverride"/>. Immutable.
/// </summary>
public sealed record SlaPolicy
{
    /// <summary>Creates a tier; <paramref name="targets"/> must define every priority P1–P4.</summary>
    /// <exception cref="ArgumentException">When the name is empty or a priority is missing.</exception>
    public SlaPolicy(string name, IReadOnlyDictionary<TicketPriority, PriorityTargets> targets)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An SLA policy needs a name (for example Gold).", nameof(name));
        }

        ArgumentNullException.ThrowIfNull(targets);
        var missing = Enum.GetValues<TicketPriority>().Where(p => !targets.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"SLA policy '{name}' has no targets for {string.Join(", ", missing)}: every priority P1–P4 needs targets.", nameof(targets));
        }

        Name = name.Trim();
        Targets = targets.ToImmutableSortedDictionary();
    }

    /// <summary>The tier's name, e.g. Gold.</summary>
    public string Name { get; }

    /// <summary>Targets per priority, P1 to P4.</summary>
    public ImmutableSortedDictionary<TicketPriority, PriorityTargets> Targets { get; }

    /// <summary>The targets for <paramref name="priority"/>.</summary>
    public PriorityTargets For(TicketPriority priority) => Targets[priority];

    /// <summary>A copy of this tier with <paramref name="priority"/>'s targets replaced (a bespoke agreement).</summary>
    public SlaPolicy WithOverride(TicketPriority priority, PriorityTargets targets)
        => new($"{Name} (custom)", Targets.SetItem(priority, Guard.NotNull(targets, nameof(targets))));

    /// <inheritdoc />
    public bool Equals(SlaPolicy? other) => other is not null && Name == other.Name && Targets.SequenceEqual(other.Targets);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Targets.Count);
}
